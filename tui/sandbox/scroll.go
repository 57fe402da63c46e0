package sandbox

import "iamlab/tui/common"

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
