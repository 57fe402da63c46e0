package sandbox

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// The Steps pane: the table of steps with their outcomes, and the
// explanation of the selected one (explain.go).

func (s *Screen) stepsView(w int) string {
	sc := s.sc
	st := s.sh.Styles
	table := s.stepsTable(w)
	rows := s.tableRows()
	if len(table) > rows {
		// Keep the selected step in view under the header.
		first := common.ClampInt(sc.stepSel-(rows-2)/2, 0, len(table)-rows)
		table = append(table[:1:1], table[1+first:first+rows]...)
	}
	lines := append([]string{}, table...)
	lines = append(lines, st.Muted.Render(strings.Repeat("─", max(w, 1))))
	ex := s.explainStep(w)
	vis, _ := common.Window(ex, sc.explain.off, s.explainHeight())
	lines = append(lines, vis...)
	return strings.Join(lines, "\n")
}

// stepsKey moves the selection among the steps (the explanation follows
// it) and scrolls the explanation.
func (s *Screen) stepsKey(msg tea.KeyPressMsg) {
	sc, k := s.sc, s.km
	last := len(sc.ws.Report().Steps) - 1
	if key.Matches(msg, k.Up, k.Down, k.Top, k.Bottom) {
		sc.stepPinned = true
	}
	switch {
	case key.Matches(msg, k.Up):
		sc.stepSel, sc.explain.off = common.ClampInt(sc.stepSel-1, 0, last), 0
	case key.Matches(msg, k.Down):
		sc.stepSel, sc.explain.off = common.ClampInt(sc.stepSel+1, 0, last), 0
	case key.Matches(msg, k.Top):
		sc.stepSel, sc.explain.off = 0, 0
	case key.Matches(msg, k.Bottom):
		sc.stepSel, sc.explain.off = max(last, 0), 0
	case key.Matches(msg, k.PageUp):
		s.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		s.scroll(s.pageSize())
	}
}
