package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"iamlab/tui/common"
)

// Geometry. An open scenario draws a title line, a line of pane tabs, the
// panes, and a status line. At 110 columns and more, Policies sits on the
// left and another pane on the right; below that, one pane fills the
// width and tab switches.

const (
	wideAt  = 110
	listTop = 3 // the first row of the scenario list
)

// wide reports whether the terminal has room for two columns: the list
// beside the selected scenario's story, or Policies beside another pane.
func (s *Screen) wide() bool { return s.w >= wideAt }

func (s *Screen) listWidth() int {
	if s.wide() {
		return 64
	}
	return s.w
}

func (s *Screen) previewWidth() int { return s.w - s.listWidth() - 1 }

func (s *Screen) listRows() int { return max(s.h-listTop, 1) }

func (s *Screen) leftWidth() int { return s.w * 9 / 20 }

func (s *Screen) paneHeight() int { return max(s.h-3, 1) }

func (s *Screen) paneWidth(p paneID) int {
	if !s.wide() {
		return s.w
	}
	if p == panePolicies {
		return s.leftWidth()
	}
	return s.w - s.leftWidth() - 1
}

// paneCount is how many panes have a tab: Live's comes once the scenario
// has been served.
func (s *Screen) paneCount() paneID {
	if s.panes.live.started {
		return numPanes
	}
	return paneLive
}

// paneShown reports whether a pane is on screen.
func (s *Screen) paneShown(p paneID) bool {
	if s.sc == nil {
		return false
	}
	if s.wide() {
		return p == panePolicies || p == s.sc.secondary
	}
	return p == s.sc.focus
}

// policyListRows is how many rows the policy list takes.
func (s *Screen) policyListRows() int {
	n := len(s.sc.policies)
	switch {
	case !s.wide() && s.sc.editing:
		return min(n, 1)
	case !s.wide():
		return min(n, 4)
	}
	return min(n, 8)
}

const policyStatusRows = 3

func (s *Screen) editorHeight() int {
	return max(s.paneHeight()-s.policyListRows()-1-policyStatusRows, 1)
}

func (s *Screen) gutterWidth(addr string) int {
	n := len(s.sc.bufs[addr].lines)
	return max(len(strconv.Itoa(n)), 2) + 2
}

func (s *Screen) editorWidth() int {
	p, _ := s.sc.selected()
	return max(s.paneWidth(panePolicies)-s.gutterWidth(p.Address), 4)
}

func (s *Screen) tableRows() int {
	return min(len(s.sc.ws.Report().Steps)+1, max(s.paneHeight()/2, 3))
}

func (s *Screen) explainHeight() int { return max(s.paneHeight()-s.tableRows()-1, 1) }

// tabAt finds the pane tab under column x.
func (s *Screen) tabAt(x int) (paneID, bool) {
	pos := 1
	for p := range s.paneCount() {
		w := len(paneNames[p]) + 4 // "N Name" and the tab's padding
		if x >= pos && x < pos+w {
			return p, true
		}
		pos += w + 1
	}
	return 0, false
}

// The views.

func (s *Screen) view() string {
	st := s.sh.Styles
	switch {
	case s.loadErr != nil:
		return "\n  " + st.Error.Render("✗ "+s.loadErr.Error())
	case s.all == nil:
		return "\n  " + st.Muted.Render("Loading the scenarios…")
	case s.sc != nil:
		return s.scenarioView()
	}
	return s.listView()
}

func (s *Screen) listView() string {
	st := s.sh.Styles
	lw := s.listWidth()
	title := " " + st.Title.Render("Scenarios") + st.Muted.Render(fmt.Sprintf("  %d of %d · %s",
		len(s.items), len(s.all), common.Plural(s.solvedCount(), "solved", "solved")))
	topic, diff := s.topic, s.diff
	if topic == "" {
		topic = "all"
	}
	if diff == "" {
		diff = "all"
	}
	filters := " " + st.Muted.Render("topic ") + st.Accent.Render(topic) + st.Muted.Render(" (t) · difficulty ") +
		st.Accent.Render(diff) + st.Muted.Render(" (d) · ")
	if s.filtering {
		filters += s.filter.View()
	} else if v := s.filter.Value(); v != "" {
		filters += st.Muted.Render("words ") + st.Accent.Render(v) + st.Muted.Render(" (/ · esc clears)")
	} else {
		filters += st.Muted.Render("/ words")
	}
	diffW := 7
	titleW := max(lw-4-diffW-2, 10)
	topicsW := 0
	if lw >= 100 {
		titleW = min(titleW, 60)
		topicsW = lw - 4 - titleW - diffW - 4
	}
	head := "    " + common.PadRight("scenario", titleW) + "  " + common.PadRight("level", diffW)
	if topicsW > 0 {
		head += "  topics"
	}
	lines := []string{title, filters, st.Muted.Render(head)}
	if len(s.items) == 0 {
		lines = append(lines, "  "+st.Muted.Render("No scenario matches: esc clears the filters."))
	}
	vis, off := common.Window(s.items, s.listOff, s.listRows())
	for i, it := range vis {
		mark := "  "
		if _, ok := s.solved[it.ID]; ok {
			mark = st.Correct.Render("✓ ")
		}
		row := common.PadRight(common.Truncate(it.Title, titleW), titleW) + "  " + common.PadRight(it.Difficulty, diffW)
		if topicsW > 0 {
			row += "  " + common.Truncate(strings.Join(it.Topics, ", "), topicsW)
		}
		if off+i == s.cursor {
			lines = append(lines, st.Cursor.Render("› ")+mark+st.Cursor.Render(row))
		} else {
			lines = append(lines, "  "+mark+st.Text.Render(row))
		}
	}
	if !s.wide() {
		return strings.Join(lines, "\n")
	}
	return sideBySide(st, strings.Join(lines, "\n"), s.previewView(), lw, s.previewWidth(), s.h)
}

func (s *Screen) solvedCount() int {
	n := 0
	for _, it := range s.all {
		if _, ok := s.solved[it.ID]; ok {
			n++
		}
	}
	return n
}

// previewView shows the selected scenario's story beside the list.
func (s *Screen) previewView() string {
	st := s.sh.Styles
	if len(s.items) == 0 {
		return ""
	}
	it := s.items[common.ClampInt(s.cursor, 0, len(s.items)-1)]
	w := s.previewWidth()
	lines := []string{" " + st.Title.Render(common.Truncate(it.Title, w-2))}
	info := it.Difficulty + " · " + strings.Join(it.Topics, ", ")
	if it.Challenge != nil {
		info += " · challenge"
	}
	if at, ok := s.solved[it.ID]; ok {
		info += " · solved " + at.Format("2 Jan")
	}
	lines = append(lines, " "+st.Muted.Render(common.Truncate(info, w-2)), "")
	md := s.sh.MD.Lookup(common.MDKey{ID: "scenario-story:" + it.ID, Width: max(w-2, 20), Dark: s.sh.Dark})
	if md == nil {
		md = common.FallbackLines(it.Story, w)
	}
	lines = append(lines, md...)
	lines = append(lines, "", " "+st.Muted.Render("enter opens it"))
	return strings.Join(lines, "\n")
}

// sideBySide joins two blocks into columns with a rule between them.
func sideBySide(st common.Styles, left, right string, lw, rw, h int) string {
	l := strings.Split(common.Fit(left, lw, h), "\n")
	r := strings.Split(common.Fit(right, rw, h), "\n")
	sep := st.Muted.Render("│")
	out := make([]string, h)
	for i := range out {
		out[i] = l[i] + sep + r[i]
	}
	return strings.Join(out, "\n")
}

func (s *Screen) scenarioView() string {
	sc := s.sc
	st := s.sh.Styles
	lines := []string{s.titleLine(), s.tabLine()}
	ph := s.paneHeight()
	var body string
	if s.wide() {
		body = sideBySide(st, s.paneView(panePolicies), s.paneView(sc.secondary), s.leftWidth(), s.paneWidth(sc.secondary), ph)
	} else {
		body = common.Fit(s.paneView(sc.focus), s.w, ph)
	}
	lines = append(lines, body, s.statusLine())
	return strings.Join(lines, "\n")
}

func (s *Screen) titleLine() string {
	sc := s.sc
	st := s.sh.Styles
	left := " " + st.Title.Render(sc.s.Title) + st.Muted.Render(" · "+sc.s.Difficulty)
	var right []string
	if sc.ws.Stale() {
		right = append(right, st.Warn.Render("~ stale"))
	}
	if n := len(sc.ws.Unsaved()); n > 0 {
		right = append(right, st.Warn.Render(common.Plural(n, "unsaved policy", "unsaved policies")))
	}
	if gs := sc.ws.Goals(); len(gs) > 0 {
		met := 0
		for _, g := range gs {
			if g.Met {
				met++
			}
		}
		right = append(right, fmt.Sprintf("goals %d/%d", met, len(gs)))
	}
	if _, ok := s.solved[sc.s.ID]; ok || sc.ws.Solved() {
		right = append(right, st.Correct.Render("★ solved"))
	}
	r := strings.Join(right, st.Muted.Render(" · ")) + " "
	return common.PadRight(common.Truncate(left, max(s.w-common.Width(r)-1, 10)), s.w-common.Width(r)) + r
}

func (s *Screen) tabLine() string {
	sc := s.sc
	st := s.sh.Styles
	var b strings.Builder
	b.WriteString(" ")
	for p := range s.paneCount() {
		label := fmt.Sprintf("%d %s", p+1, paneNames[p])
		switch {
		case p == sc.focus:
			b.WriteString(st.TabActive.Render(label))
		case s.paneShown(p):
			b.WriteString(st.Accent.Padding(0, 1).Render(label))
		default:
			b.WriteString(st.Tab.Render(label))
		}
		b.WriteString(" ")
	}
	return b.String()
}

func (s *Screen) statusLine() string {
	sc := s.sc
	st := s.sh.Styles
	switch {
	case sc.confirmReset:
		return " " + st.Warn.Render("Reset the scenario as shipped? Your drafts and versions of it are deleted. ") +
			st.Key.Render("y") + st.Muted.Render(" reset  ") + st.Key.Render("n") + st.Muted.Render(" keep")
	case sc.message != "" && sc.messageErr:
		return " " + st.Error.Render("✗ "+sc.message)
	case sc.message != "":
		return " " + st.Accent.Render(sc.message)
	case sc.ws.Solved():
		return " " + st.Correct.Render("★ Solved! Every goal is met; it is recorded in your progress.")
	case sc.editing:
		if p, ok := sc.selected(); ok && sc.ws.HasVersions(p.Address) {
			return " " + st.Muted.Render("Editing: every step runs again as you type · ctrl+s saves a version · esc stops")
		}
		return " " + st.Muted.Render("Editing: every step runs again as you type · esc stops")
	}
	return ""
}

func (s *Screen) paneView(p paneID) string {
	return s.panes.get(p).view(s.paneWidth(p), s.paneHeight())
}
