package sandbox

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/scenarios"
	"iamlab/tui/common"
)

// policiesPane is the Policies pane: the list of the scenario's policies,
// the selected one's text (which scrolls, or the editor on it: editing.go),
// and its versions when it has some.
type policiesPane struct {
	s *Screen
	// text is where the policy's text is scrolled to while the editor is
	// closed.
	text     scroller
	versions versionsList
	editor   policyEditor
}

// versionsList is the list of a policy's versions, open over its text.
type versionsList struct {
	open   bool
	cursor int
}

func (p *policiesPane) scroll(d int) {
	s := p.s
	if s.sc.editing {
		return
	}
	sel, ok := s.sc.selected()
	if !ok {
		return
	}
	p.text.by(d, max(len(s.sc.bufs[sel.Address].lines)-s.editorHeight(), 0))
}

func (p *policiesPane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	short := []key.Binding{k.Edit, k.External, k.Serve, k.Tab, k.Back}
	versioned := p.s.selectedVersioned()
	if versioned {
		short = []key.Binding{k.Edit, k.External, k.Save, k.Versions, k.Serve, k.Tab, k.Back}
	}
	return paneKeys{short: short, k: k, versioned: versioned}
}

// update handles a key while the pane has the focus and neither the
// editor nor the versions list has the keyboard.
func (p *policiesPane) update(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	sc := s.sc
	k := s.km
	sel, ok := sc.selected()
	if !ok {
		return nil
	}
	switch {
	case key.Matches(msg, k.Up):
		sc.polCursor = common.ClampInt(sc.polCursor-1, 0, len(sc.policies)-1)
		p.text.off = 0
	case key.Matches(msg, k.Down):
		sc.polCursor = common.ClampInt(sc.polCursor+1, 0, len(sc.policies)-1)
		p.text.off = 0
	case key.Matches(msg, k.PageUp):
		p.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		p.scroll(s.pageSize())
	case key.Matches(msg, k.Edit):
		// The editor opens where the text was scrolled to: a cursor out of
		// sight moves into view rather than the view to it.
		sc.editing = true
		b := sc.bufs[sel.Address]
		h := s.editorHeight()
		b.top = common.ClampInt(p.text.off, 0, max(len(b.lines)-h, 0))
		if b.row < b.top || b.row >= b.top+h {
			b.row = b.top
			b.col = min(b.col, len(b.lines[b.row]))
		}
		s.keepCursorVisible()
	case key.Matches(msg, k.External):
		return s.externalEditor(sel.Address)
	case key.Matches(msg, k.Save):
		m, ok := sc.saveVersion(sel.Address, s.sh.Now())
		s.setMessage(m, !ok)
	case key.Matches(msg, k.Versions) && sc.ws.HasVersions(sel.Address):
		p.versions.open = true
		p.versions.cursor = len(sc.ws.Versions(sel.Address)) - 1
	}
	return nil
}

// versionsKey handles a key while the versions list has the keyboard.
func (p *policiesPane) versionsKey(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	sc := s.sc
	k := s.km
	sel, _ := sc.selected()
	n := len(sc.ws.Versions(sel.Address))
	switch {
	case key.Matches(msg, k.Close):
		p.versions.open = false
	case key.Matches(msg, k.Up):
		p.versions.cursor = common.ClampInt(p.versions.cursor-1, 0, n-1)
	case key.Matches(msg, k.Down):
		p.versions.cursor = common.ClampInt(p.versions.cursor+1, 0, n-1)
	case key.Matches(msg, k.Restore):
		m := sc.restoreVersion(sel.Address, p.versions.cursor)
		p.versions.open = false
		s.setMessage(m, false)
		return s.afterEdit()
	}
	return nil
}

// versionsKeys are the versions list's keys.
type versionsKeys struct{ k keyMap }

func (v versionsKeys) ShortHelp() []key.Binding {
	return []key.Binding{v.k.Down, v.k.Restore, v.k.Close}
}

func (v versionsKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{v.k.Up, v.k.Down, v.k.Restore, v.k.Close}}
}

// view draws the list by attachment, the selected policy (or the editor,
// or its versions), and three status lines.
func (p *policiesPane) view(w, _ int) string {
	s := p.s
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
	unsaved := sc.ws.Unsaved()
	for i := off; i < off+rows && i < len(sc.policies); i++ {
		pol := sc.policies[i]
		mark := " "
		switch {
		case sc.ws.Err(pol.Address) != nil:
			mark = st.Error.Render("✗")
		case slices.Contains(unsaved, pol.Address):
			mark = st.Warn.Render("●")
		case sc.text(pol.Address) != pol.Text:
			mark = st.Accent.Render("✎")
		}
		flag := "  "
		if edit[pol.Address] {
			flag = st.Flag.Render("⚑ ")
		}
		title := pol.Title
		if acct, _, ok := strings.Cut(pol.Address, "/"); ok && len(acct) == 12 && strings.Trim(acct, "0123456789") == "" {
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
	sel, _ := sc.selected()
	vs := sc.ws.Versions(sel.Address)
	info := sel.Address + " · " + placementName(sel)
	cur := ""
	for _, v := range vs {
		if v.Text == sc.text(sel.Address) {
			cur = v.ID
		}
	}
	switch {
	case !sc.ws.HasVersions(sel.Address) && sc.text(sel.Address) == sel.Text:
		info += " · as shipped"
	case !sc.ws.HasVersions(sel.Address):
		info += " · edited"
	case cur != "":
		info += " · " + cur + " of " + strconv.Itoa(len(vs))
	default:
		info += " · draft (" + strconv.Itoa(len(vs)) + " saved)"
	}
	head := st.Accent.Render("─ " + common.Truncate(info, max(w-4, 4)) + " ")
	lines = append(lines, common.PadRight(head, w))
	th := s.editorHeight()
	if p.versions.open {
		lines = append(lines, p.versionsView(sel, w, th)...)
	} else {
		lines = append(lines, p.codeView(sel.Address, w, th)...)
	}
	lines = append(lines, s.policyStatus(sel.Address, w)...)
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

// policyStatus is three lines under the policy: its error or lint, the
// decisions that changed, and the goals or steps at a glance.
func (s *Screen) policyStatus(addr string, w int) []string {
	sc := s.sc
	st := s.sh.Styles
	var l1 []string
	switch err := sc.ws.Err(addr); {
	case err != nil:
		l1 = wrapped(st.Error.Render, "✗ "+errorText(err)+" · outcomes are stale (last valid run)", w, "")
		l1 = l1[:min(len(l1), 2)]
	case len(sc.ws.Lint(addr)) > 0:
		fs := sc.ws.Lint(addr)
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
	case sc.ws.Stale():
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
	if gs := sc.ws.Goals(); len(gs) > 0 {
		l3.WriteString(st.Muted.Render("Goals "))
		for _, g := range gs {
			if g.Met {
				l3.WriteString(st.Correct.Render("⚑✓ "+g.Step) + " ")
			} else {
				l3.WriteString(st.Wrong.Render("⚑✗ "+g.Step) + st.Muted.Render("→"+g.Want) + " ")
			}
		}
	} else {
		l3.WriteString(st.Muted.Render("Steps "))
		for _, sr := range sc.ws.Report().Steps {
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

func (p *policiesPane) versionsView(sel scenarios.PolicyInfo, w, h int) []string {
	s := p.s
	sc := s.sc
	st := s.sh.Styles
	vs := sc.ws.Versions(sel.Address)
	lines := []string{st.Title.Render("Versions") + st.Muted.Render(" · enter restores · esc closes")}
	for i, v := range vs {
		when := "as shipped"
		if !v.At.IsZero() {
			when = v.At.Format("2 Jan 15:04:05")
		}
		cur := ""
		if v.Text == sc.text(sel.Address) {
			cur = "  ● current text"
		}
		row := fmt.Sprintf("%-4s %s%s", v.ID, when, cur)
		if i == p.versions.cursor {
			lines = append(lines, st.Cursor.Render("› "+row))
		} else {
			lines = append(lines, "  "+st.Text.Render(row))
		}
	}
	note := "IAM keeps five versions of a customer managed policy; saving one is create-policy-version, restoring one is set-default-policy-version."
	for _, l := range common.WrapLines(note, max(w-2, 10)) {
		lines = append(lines, st.Muted.Render(l))
	}
	if p.versions.cursor >= 0 && p.versions.cursor < len(vs) {
		lines = append(lines, st.Accent.Render("─ "+vs[p.versions.cursor].ID))
		lines = append(lines, s.theme.codeBlock(vs[p.versions.cursor].Text, w)...)
	}
	if len(lines) > h {
		lines = lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}
