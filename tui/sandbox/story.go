package sandbox

import "iamlab/tui/common"

// The Story pane: the story and, below it, the lesson; it only scrolls.

// storyLines is the pane's text, rendered once Glamour has it.
func (s *Screen) storyLines(w int) []string {
	sc := s.sc
	lines := s.sh.MD.Lookup(common.MDKey{ID: "scenario:" + sc.s.ID, Width: max(w-2, 20), Dark: s.sh.Dark})
	if lines == nil {
		lines = common.FallbackLines(storySource(sc.s), w)
	}
	return lines
}
