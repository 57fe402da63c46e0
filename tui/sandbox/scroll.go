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

func (s *Screen) pageSize() int { return max(s.paneHeight()-2, 1) }

// scroll moves the focused pane's view (the mouse wheel).
func (s *Screen) scroll(d int) { s.panes.get(s.sc.focus).scroll(d) }

// pick is where a key moves the selection of a list of n rows (the Steps
// and Live panes): a row up or down, or to either end. ok is false for a
// key that does not move it.
func pick(k keyMap, msg tea.KeyPressMsg, sel, n int) (next int, ok bool) {
	switch {
	case key.Matches(msg, k.Up):
		return common.ClampInt(sel-1, 0, n-1), true
	case key.Matches(msg, k.Down):
		return common.ClampInt(sel+1, 0, n-1), true
	case key.Matches(msg, k.Top):
		return 0, true
	case key.Matches(msg, k.Bottom):
		return max(n-1, 0), true
	}
	return sel, false
}
