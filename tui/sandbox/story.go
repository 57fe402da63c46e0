package sandbox

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// storyPane is the Story pane: the story and, below it, the lesson; it
// only scrolls.
type storyPane struct {
	s *Screen
	scroller
}

func (p *storyPane) update(msg tea.KeyPressMsg) tea.Cmd {
	scrollPane(p, p.s.km, msg, p.s.pageSize())
	return nil
}

func (p *storyPane) scroll(d int) {
	s := p.s
	p.by(d, max(len(p.lines(s.paneWidth(paneStory)))-s.paneHeight(), 0))
}

func (p *storyPane) view(w, h int) string {
	vis, _ := common.Window(p.lines(w), p.off, h)
	return strings.Join(vis, "\n")
}

func (p *storyPane) keys() help.KeyMap {
	k := p.s.km
	return paneKeys{short: []key.Binding{k.Down, k.Tab, k.Pane, k.Back}, k: k, versioned: p.s.selectedVersioned()}
}

// lines is the pane's text, rendered once Glamour has it.
func (p *storyPane) lines(w int) []string {
	s := p.s
	sc := s.sc
	lines := s.sh.MD.Lookup(common.MDKey{ID: "scenario:" + sc.s.ID, Width: max(w-2, 20), Dark: s.sh.Dark})
	if lines == nil {
		lines = common.FallbackLines(storySource(sc.s), w)
	}
	return lines
}
