package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"iamlab/scenarios"
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

func (s Screen) wide() bool     { return s.w >= wideAt }
func (s Screen) wideList() bool { return s.w >= wideAt }

func (s Screen) listWidth() int {
	if s.wideList() {
		return 64
	}
	return s.w
}

func (s Screen) previewWidth() int { return s.w - s.listWidth() - 1 }

func (s Screen) listRows() int { return max(s.h-listTop, 1) }

func (s Screen) leftWidth() int { return s.w * 9 / 20 }

func (s Screen) paneHeight() int { return max(s.h-3, 1) }

func (s Screen) paneWidth(p paneID) int {
	if !s.wide() {
		return s.w
	}
	if p == panePolicies {
		return s.leftWidth()
	}
	return s.w - s.leftWidth() - 1
}

// paneShown reports whether a pane is on screen.
func (s Screen) paneShown(p paneID) bool {
	if s.sc == nil {
		return false
	}
	if s.wide() {
		return p == panePolicies || p == s.sc.secondary
	}
	return p == s.sc.focus
}

// policyListRows is how many rows the policy list takes.
func (s Screen) policyListRows() int {
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

func (s Screen) editorHeight() int {
	return max(s.paneHeight()-s.policyListRows()-1-policyStatusRows, 1)
}

func (s Screen) gutterWidth(addr string) int {
	n := len(s.sc.bufs[addr].lines)
	return max(len(strconv.Itoa(n)), 2) + 2
}

func (s Screen) editorWidth() int {
	p, _ := s.sc.selected()
	return max(s.paneWidth(panePolicies)-s.gutterWidth(p.Address), 4)
}

// maxOff is how far a read-only pane can scroll.
func (s Screen) maxOff(p paneID) int {
	w, h := s.paneWidth(p), s.paneHeight()
	switch p {
	case paneStory:
		return max(len(s.storyLines(w))-h, 0)
	case paneSteps:
		return max(len(s.explainStep(w))-s.explainHeight(), 0)
	case paneChallenge:
		return max(len(s.challengeLines(w))-h, 0)
	case panePolicies:
		sel, ok := s.sc.selected()
		if !ok {
			return 0
		}
		return max(len(s.sc.bufs[sel.Address].lines)-s.editorHeight(), 0)
	}
	return 0
}

func (s Screen) tableRows() int {
	return min(len(s.sc.report.Steps)+1, max(s.paneHeight()/2, 3))
}

func (s Screen) explainHeight() int { return max(s.paneHeight()-s.tableRows()-1, 1) }

// tabAt finds the pane tab under column x.
func (s Screen) tabAt(x int) (paneID, bool) {
	pos := 1
	for p := range numPanes {
		w := len(paneNames[p]) + 4 // "N Name" and the tab's padding
		if x >= pos && x < pos+w {
			return p, true
		}
		pos += w + 1
	}
	return 0, false
}

// The views.

func (s Screen) view() string {
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

func (s Screen) listView() string {
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
	if !s.wideList() {
		return strings.Join(lines, "\n")
	}
	return sideBySide(st, strings.Join(lines, "\n"), s.previewView(), lw, s.previewWidth(), s.h)
}

func (s Screen) solvedCount() int {
	n := 0
	for _, it := range s.all {
		if _, ok := s.solved[it.ID]; ok {
			n++
		}
	}
	return n
}

// previewView shows the selected scenario's story beside the list.
func (s Screen) previewView() string {
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

func (s Screen) scenarioView() string {
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

func (s Screen) titleLine() string {
	sc := s.sc
	st := s.sh.Styles
	left := " " + st.Title.Render(sc.s.Title) + st.Muted.Render(" · "+sc.s.Difficulty)
	var right []string
	if sc.stale {
		right = append(right, st.Warn.Render("~ stale"))
	}
	if n := len(sc.unsaved()); n > 0 {
		right = append(right, st.Warn.Render(common.Plural(n, "unsaved policy", "unsaved policies")))
	}
	if gs := sc.goals(); len(gs) > 0 {
		met := 0
		for _, g := range gs {
			if g.met {
				met++
			}
		}
		right = append(right, fmt.Sprintf("goals %d/%d", met, len(gs)))
	}
	if _, ok := s.solved[sc.s.ID]; ok || sc.solved {
		right = append(right, st.Correct.Render("★ solved"))
	}
	r := strings.Join(right, st.Muted.Render(" · ")) + " "
	return common.PadRight(common.Truncate(left, max(s.w-common.Width(r)-1, 10)), s.w-common.Width(r)) + r
}

func (s Screen) tabLine() string {
	sc := s.sc
	st := s.sh.Styles
	var b strings.Builder
	b.WriteString(" ")
	for p := range numPanes {
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

func (s Screen) statusLine() string {
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
	case sc.solved:
		return " " + st.Correct.Render("★ Solved! Every goal is met; it is recorded in your progress.")
	case sc.editing:
		return " " + st.Muted.Render("Editing: every step runs again as you type · ctrl+s saves a version · esc stops")
	}
	return ""
}

func (s Screen) paneView(p paneID) string {
	w := s.paneWidth(p)
	switch p {
	case paneStory:
		return s.windowed(s.storyLines(w), s.sc.storyOff)
	case panePolicies:
		return s.policiesView(w)
	case paneSteps:
		return s.stepsView(w)
	case paneConsole:
		return s.consoleView(w)
	case paneChallenge:
		return s.windowed(s.challengeLines(w), s.sc.challengeOff)
	}
	return ""
}

// windowed shows the lines from off that fit the pane.
func (s Screen) windowed(lines []string, off int) string {
	vis, _ := common.Window(lines, off, s.paneHeight())
	return strings.Join(vis, "\n")
}

func (s Screen) storyLines(w int) []string {
	sc := s.sc
	lines := s.sh.MD.Lookup(common.MDKey{ID: "scenario:" + sc.s.ID, Width: max(w-2, 20), Dark: s.sh.Dark})
	if lines == nil {
		lines = common.FallbackLines(storySource(sc.s), w)
	}
	return lines
}

// The policies pane: the list by attachment, the selected policy (or the
// editor, or its versions), and three status lines.
func (s Screen) policiesView(w int) string {
	sc := s.sc
	st := s.sh.Styles
	if len(sc.policies) == 0 {
		return "\n " + st.Muted.Render("This scenario's estate has no policy documents.")
	}
	var lines []string
	rows := s.policyListRows()
	off := common.ClampInt(sc.polCursor-rows+1, 0, max(len(sc.policies)-rows, 0))
	edit := map[string]bool{}
	if c := sc.s.Challenge; c != nil {
		for _, a := range c.Edit {
			edit[a] = true
		}
	}
	unsaved := sc.unsaved()
	for i := off; i < off+rows && i < len(sc.policies); i++ {
		p := sc.policies[i]
		mark := " "
		switch {
		case sc.errs[p.Address] != nil:
			mark = st.Error.Render("✗")
		case slices.Contains(unsaved, p.Address):
			mark = st.Warn.Render("●")
		case sc.text(p.Address) != p.Text:
			mark = st.Accent.Render("✎")
		}
		flag := "  "
		if edit[p.Address] {
			flag = st.Flag.Render("⚑ ")
		}
		title := p.Title
		if acct, _, ok := strings.Cut(p.Address, "/"); ok && len(acct) == 12 && strings.Trim(acct, "0123456789") == "" {
			title += " · account " + acct
		}
		label := common.Truncate(title, max(w-8, 8))
		if i == sc.polCursor {
			cur := "› "
			if sc.focus != panePolicies {
				cur = "▸ "
			}
			lines = append(lines, st.Cursor.Render(cur)+mark+" "+flag+st.Cursor.Render(label))
		} else {
			lines = append(lines, "  "+mark+" "+flag+st.Text.Render(label))
		}
	}
	for len(lines) < rows {
		lines = append(lines, "")
	}
	p, _ := sc.selected()
	vs := sc.versionsOf(p.Address)
	info := p.Address + " · " + placementName(p)
	cur := ""
	for _, v := range vs {
		if v.Text == sc.text(p.Address) {
			cur = v.ID
		}
	}
	if cur != "" {
		info += " · " + cur + " of " + strconv.Itoa(len(vs))
	} else {
		info += " · draft (" + strconv.Itoa(len(vs)) + " saved)"
	}
	head := st.Accent.Render("─ " + common.Truncate(info, max(w-4, 4)) + " ")
	lines = append(lines, common.PadRight(head, w))
	th := s.editorHeight()
	if sc.versionsOpen {
		lines = append(lines, s.versionsView(p, w, th)...)
	} else {
		lines = append(lines, s.codeView(p.Address, w, th)...)
	}
	lines = append(lines, s.policyStatus(p.Address, w)...)
	return strings.Join(lines, "\n")
}

// placementName says where a policy sits, in the words of the trace.
func placementName(p scenarios.PolicyInfo) string {
	t := p.Title
	switch {
	case strings.HasPrefix(t, "trust policy"):
		return "role trust policy (resource-based)"
	case strings.HasPrefix(t, "bucket policy"), strings.HasPrefix(t, "key policy"):
		return "resource-based policy"
	case strings.HasPrefix(t, "SCP"):
		return "service control policy"
	case strings.HasPrefix(t, "RCP"):
		return "resource control policy"
	}
	return "identity-based policy"
}

// codeView draws a policy's text, or the editor on it: line numbers, a
// marker column (✗ the parse error, ▲ lint), the JSON in colour and the
// lint finding beside its line.
func (s Screen) codeView(addr string, w, h int) []string {
	sc := s.sc
	st := s.sh.Styles
	b := sc.bufs[addr]
	spans := sc.spans[addr]
	gw := s.gutterWidth(addr)
	nw := gw - 2
	tw := max(w-gw, 4)
	errLine, errCol := errorPos(sc.errs[addr])
	lint := lintByLine(sc.lint[addr])
	top, left := b.top, b.left
	if !sc.editing {
		top, left = common.ClampInt(sc.textOff, 0, max(len(b.lines)-h, 0)), 0
	}
	out := make([]string, 0, h)
	for i := top; i < top+h && i < len(b.lines); i++ {
		num := fmt.Sprintf("%*d", nw, i+1)
		marker := " "
		switch {
		case i+1 == errLine:
			marker = st.Error.Render("✗")
			num = st.Error.Render(num)
		case len(lint[i+1]) > 0:
			marker = st.Warn.Render("▲")
			num = st.Muted.Render(num)
		default:
			num = st.Muted.Render(num)
		}
		cursor, ec := -1, -1
		if sc.editing && i == b.row {
			cursor = b.col
		}
		if i+1 == errLine {
			ec = errCol - 1
		}
		var sp []codeSpan
		if i < len(spans) {
			sp = spans[i]
		}
		line := s.theme.codeLine(b.lines[i], sp, left, tw, cursor, ec)
		if fs := lint[i+1]; len(fs) > 0 {
			used := min(max(len(b.lines[i])-left, 0), tw)
			if cursor >= 0 && cursor-left >= used {
				used = cursor - left + 1
			}
			if room := tw - used - 3; room >= 12 {
				line += "  " + st.Warn.Render(common.Truncate("◂ "+fs[0].Message, room))
			}
		}
		out = append(out, num+marker+" "+line)
	}
	for len(out) < h {
		out = append(out, st.Muted.Render(strings.Repeat(" ", nw)+"  ~"))
	}
	return out
}

// policyStatus is three lines under the policy: its error or lint, the
// decisions that changed, and the goals or steps at a glance.
func (s Screen) policyStatus(addr string, w int) []string {
	sc := s.sc
	st := s.sh.Styles
	var l1 []string
	switch err := sc.errs[addr]; {
	case err != nil:
		for _, l := range common.WrapLines("✗ "+errorText(err)+" · outcomes are stale (last valid run)", max(w, 10)) {
			l1 = append(l1, st.Error.Render(l))
		}
		l1 = l1[:min(len(l1), 2)]
	case len(sc.lint[addr]) > 0:
		fs := sc.lint[addr]
		f := fs[0]
		if sc.editing {
			for _, g := range fs {
				if g.Pos.Line == sc.bufs[addr].row+1 {
					f = g
				}
			}
		}
		more := ""
		if len(fs) > 1 {
			more = fmt.Sprintf(" (+%d more)", len(fs)-1)
		}
		l1 = []string{st.Warn.Render(fmt.Sprintf("▲ line %d: %s: %s%s", f.Pos.Line, f.Severity, f.Message, more))}
	case sc.stale:
		l1 = []string{st.Warn.Render("~ another policy does not parse; outcomes are stale")}
	default:
		l1 = []string{st.Correct.Render("✓ valid policy") + st.Muted.Render(" · every step runs again as you type")}
	}
	var l2 string
	if ch := sc.changes(); len(ch) > 0 {
		l2 = st.Warn.Render("Changed: " + strings.Join(ch, " · "))
	} else {
		l2 = st.Muted.Render("No decision differs from the scenario as shipped.")
	}
	var l3 strings.Builder
	if gs := sc.goals(); len(gs) > 0 {
		l3.WriteString(st.Muted.Render("Goals "))
		for _, g := range gs {
			if g.met {
				l3.WriteString(st.Correct.Render("⚑✓ "+g.step) + " ")
			} else {
				l3.WriteString(st.Wrong.Render("⚑✗ "+g.step) + st.Muted.Render("→"+g.want) + " ")
			}
		}
	} else {
		l3.WriteString(st.Muted.Render("Steps "))
		for _, sr := range sc.report.Steps {
			if sr.Outcome == nil {
				continue
			}
			mark := st.Correct.Render("✓")
			if sr.Outcome.Verdict() != scenarios.OutcomeAllow {
				mark = st.Wrong.Render("✗")
			}
			l3.WriteString(mark + sr.Step.Name + " ")
		}
	}
	out := append(l1, l2, l3.String())[:policyStatusRows]
	for i := range out {
		out[i] = common.Truncate(out[i], w)
	}
	return out
}

func (s Screen) versionsView(p scenarios.PolicyInfo, w, h int) []string {
	sc := s.sc
	st := s.sh.Styles
	vs := sc.versionsOf(p.Address)
	lines := []string{st.Title.Render("Versions") + st.Muted.Render(" · enter restores · esc closes")}
	for i, v := range vs {
		when := "as shipped"
		if !v.At.IsZero() {
			when = v.At.Format("2 Jan 15:04:05")
		}
		cur := ""
		if v.Text == sc.text(p.Address) {
			cur = "  ● current text"
		}
		row := fmt.Sprintf("%-4s %s%s", v.ID, when, cur)
		if i == sc.verCursor {
			lines = append(lines, st.Cursor.Render("› "+row))
		} else {
			lines = append(lines, "  "+st.Text.Render(row))
		}
	}
	note := "IAM keeps five versions of a customer managed policy; iamlab keeps them for every policy you edit here. Restoring is set-default-policy-version."
	for _, l := range common.WrapLines(note, max(w-2, 10)) {
		lines = append(lines, st.Muted.Render(l))
	}
	if sc.verCursor >= 0 && sc.verCursor < len(vs) {
		lines = append(lines, st.Accent.Render("─ "+vs[sc.verCursor].ID))
		text := vs[sc.verCursor].Text
		spans := highlightJSON(text)
		for i, l := range strings.Split(text, "\n") {
			if len(lines) >= h {
				break
			}
			var sp []codeSpan
			if i < len(spans) {
				sp = spans[i]
			}
			lines = append(lines, s.theme.codeLine([]rune(l), sp, 0, w, -1, -1))
		}
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

func (s Screen) stepsView(w int) string {
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
	vis, _ := common.Window(ex, sc.explainOff, s.explainHeight())
	lines = append(lines, vis...)
	return strings.Join(lines, "\n")
}

func (s Screen) challengeLines(w int) []string {
	sc := s.sc
	st := s.sh.Styles
	c := sc.s.Challenge
	if c == nil {
		return []string{"", " " + st.Muted.Render("This scenario has no challenge: read its story and steps, edit its policies, and try the console.")}
	}
	lines := []string{" " + st.Title.Render("Challenge")}
	md := s.sh.MD.Lookup(common.MDKey{ID: "goal:" + sc.s.ID, Width: max(w-2, 20), Dark: s.sh.Dark})
	if md == nil {
		md = common.FallbackLines(c.Goal, w)
	}
	lines = append(lines, md...)
	lines = append(lines, "", " "+st.Accent.Render("Goals"))
	for _, g := range sc.goals() {
		if g.met {
			lines = append(lines, "  "+st.Correct.Render("✓ "+g.step+" is "+g.want))
		} else {
			lines = append(lines, "  "+st.Wrong.Render("✗ "+g.step+" should be "+g.want)+st.Muted.Render(", now "+g.got))
		}
	}
	lines = append(lines, "", " "+st.Muted.Render("Edit: ")+st.Flag.Render(strings.Join(c.Edit, ", ")))
	if off := sc.offLimits(); len(off) > 0 {
		for _, l := range common.WrapLines("You also changed "+strings.Join(off, ", ")+": the challenge counts only edits of the policies it names.", w-3) {
			lines = append(lines, "  "+st.Warn.Render(l))
		}
	}
	switch {
	case sc.solved:
		lines = append(lines, "", "  "+st.Correct.Render("★ Solved! Every goal is met."))
	case sc.stale:
		lines = append(lines, "", "  "+st.Warn.Render("~ A policy does not parse: the goals show the last valid run."))
	}
	lines = append(lines, "")
	for i := 0; i < sc.hints && i < len(c.Hints); i++ {
		for j, l := range common.WrapLines(fmt.Sprintf("Hint %d: %s", i+1, c.Hints[i]), w-3) {
			if j == 0 {
				lines = append(lines, "  "+st.Accent.Render(l))
			} else {
				lines = append(lines, "  "+st.Text.Render(l))
			}
		}
	}
	switch {
	case sc.hints < len(c.Hints):
		lines = append(lines, "  "+st.Muted.Render(fmt.Sprintf("h shows hint %d of %d", sc.hints+1, len(c.Hints))))
	case sc.hints == len(c.Hints) && len(c.Solution) > 0:
		lines = append(lines, "  "+st.Muted.Render("h shows the reference solution"))
	case len(c.Solution) > 0:
		lines = append(lines, " "+st.Accent.Render("Reference solution"))
		for _, a := range sortedNames(c.Solution) {
			lines = append(lines, "  "+st.Flag.Render(a))
			text := strings.TrimRight(c.Solution[a], "\n")
			spans := highlightJSON(text)
			for i, l := range strings.Split(text, "\n") {
				var sp []codeSpan
				if i < len(spans) {
					sp = spans[i]
				}
				lines = append(lines, "  "+s.theme.codeLine([]rune(l), sp, 0, max(w-2, 4), -1, -1))
			}
		}
	}
	lines = append(lines, "", " "+st.Muted.Render("R resets the scenario as shipped."))
	return lines
}

// consoleView: who the console acts as, the clock and MFA codes, the
// output, completions and the prompt.
func (s Screen) consoleView(w int) string {
	sc := s.sc
	st := s.sh.Styles
	h := s.paneHeight()
	c := sc.console
	if c == nil {
		return "\n " + st.Muted.Render("The STS console opens here: press : or 4.")
	}
	now := s.sh.Now()
	clk := c.now(now).UTC().Format("2006-01-02 15:04:05") + " UTC"
	if c.advanced > 0 {
		clk += " (+" + shortDuration(c.advanced) + ")"
	}
	who := st.Muted.Render("as ") + st.Accent.Render(c.whoLine())
	if sess := c.session(); sess != nil {
		left := sess.Expiration.Sub(c.now(now))
		if left > 0 {
			who += st.Muted.Render(" · expires in " + common.Clock(left))
		} else {
			who += st.Wrong.Render(" · expired")
		}
	}
	head := []string{common.Truncate(" "+who, w)}
	info := st.Muted.Render(" clock ") + st.Text.Render(clk)
	for _, m := range c.mfaCodes(now) {
		info += st.Muted.Render(" · MFA "+m.name+" ") + st.Key.Render(m.code) + st.Muted.Render(fmt.Sprintf(" (%ds)", m.left))
	}
	head = append(head, common.Truncate(info, w), st.Muted.Render(strings.Repeat("─", max(w, 1))))
	var foot []string
	if len(c.cands) > 0 {
		foot = append(foot, common.Truncate(" "+st.Muted.Render(strings.Join(c.cands, "  ")), w))
	}
	prompt := st.Accent.Render(" " + c.prompt())
	if c.input.Focused() {
		foot = append(foot, prompt+c.input.View())
	} else {
		foot = append(foot, prompt+st.Muted.Render(c.input.Value()+"  (: or enter to type)"))
	}
	outH := max(h-len(head)-len(foot), 1)
	var out []string
	for _, e := range c.out {
		out = append(out, s.consoleEntryLines(e, w)...)
	}
	end := max(len(out)-c.off, min(outH, len(out)))
	start := max(end-outH, 0)
	lines := append(head, out[start:end]...)
	for len(lines) < h-len(foot) {
		lines = append(lines, "")
	}
	lines = append(lines, foot...)
	return strings.Join(lines, "\n")
}

func (s Screen) consoleEntryLines(e consoleEntry, w int) []string {
	st := s.sh.Styles
	var out []string
	switch e.kind {
	case conJSON:
		spans := highlightJSON(e.text)
		for i, l := range strings.Split(e.text, "\n") {
			var sp []codeSpan
			if i < len(spans) {
				sp = spans[i]
			}
			r := []rune(l)
			for len(r) > 0 || len(out) == 0 {
				n := min(len(r), max(w-2, 4))
				out = append(out, " "+s.theme.codeLine(r[:n], clip(sp, n), 0, n, -1, -1))
				r = r[n:]
				sp = shift(sp, n)
				if len(r) == 0 {
					break
				}
			}
		}
		return out
	case conPrompt:
		for _, l := range common.WrapLines(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Accent.Render(l))
		}
	case conError:
		for _, l := range common.WrapLines(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Error.Render(l))
		}
	case conWhy:
		for _, l := range common.WrapLines("why: "+e.text, max(w-4, 4)) {
			out = append(out, "   "+st.Muted.Render(l))
		}
	default:
		for _, l := range common.WrapLines(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Muted.Render(l))
		}
	}
	return out
}

// clip keeps the spans that start before n; shift moves the rest left by
// n, for wrapping a long line.
func clip(sp []codeSpan, n int) []codeSpan {
	var out []codeSpan
	for _, x := range sp {
		if x.start < n {
			x.end = min(x.end, n)
			out = append(out, x)
		}
	}
	return out
}

func shift(sp []codeSpan, n int) []codeSpan {
	var out []codeSpan
	for _, x := range sp {
		if x.end > n {
			x.start, x.end = max(x.start-n, 0), x.end-n
			out = append(out, x)
		}
	}
	return out
}
