package sandbox

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// scroller is where a pane that scrolls is scrolled to: how many lines
// are above the view. The pane clamps it when it draws, against what there
// is to show, so a scroller needs to know no more than its pane's end.
type scroller struct{ off int }

// by scrolls d lines (up when negative), no further than maxOff.
func (sc *scroller) by(d, maxOff int) {
	sc.off = common.ClampInt(min(sc.off, maxOff)+d, 0, 1<<20)
}

// scrollKeys moves a read-only pane.
func (s *Screen) scrollKeys(msg tea.KeyPressMsg) {
	k := s.km
	switch {
	case key.Matches(msg, k.Up):
		s.scroll(-1)
	case key.Matches(msg, k.Down):
		s.scroll(1)
	case key.Matches(msg, k.PageUp):
		s.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		s.scroll(s.pageSize())
	case key.Matches(msg, k.Top):
		s.scroll(-1 << 20)
	case key.Matches(msg, k.Bottom):
		s.scroll(1 << 20)
	}
}

func (s *Screen) pageSize() int { return max(s.paneHeight()-2, 1) }

// scroll moves the focused pane's view; the clamping happens when it is
// drawn, against what there is to show.
func (s *Screen) scroll(d int) {
	sc := s.sc
	switch sc.focus {
	case paneStory:
		sc.story.by(d, s.maxOff(paneStory))
	case panePolicies:
		if !sc.editing {
			sc.textView.by(d, s.maxOff(panePolicies))
		}
	case paneSteps:
		sc.explain.by(d, s.maxOff(paneSteps))
	case paneChallenge:
		sc.challenge.by(d, s.maxOff(paneChallenge))
	case paneConsole:
		if c := sc.console; c != nil {
			// The console's output is scrolled back from its end.
			c.off = common.ClampInt(c.off-d, 0, 1<<20)
		}
	}
}
