package sandbox

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// challengePane is the Challenge pane: the goal, the goals met, the hints
// seen and the reference solution. It scrolls; h (a key of the whole
// scenario) shows the next hint here.
type challengePane struct{ textPane }

func (p *challengePane) update(msg tea.KeyPressMsg) tea.Cmd {
	scrollPane(p, p.s.km, msg, p.s.pageSize())
	return nil
}

func (p *challengePane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	return paneKeys{short: []key.Binding{k.Hint, k.Reset, k.Serve, k.Tab, k.Back}, k: k, versioned: p.s.selectedVersioned()}
}

func (p *challengePane) lines(w int) []string {
	s := p.s
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
	for _, g := range sc.ws.Goals() {
		if g.Met {
			lines = append(lines, "  "+st.Correct.Render("✓ "+g.Step+" is "+g.Want))
		} else {
			lines = append(lines, "  "+st.Wrong.Render("✗ "+g.Step+" should be "+g.Want)+st.Muted.Render(", now "+g.Got))
		}
	}
	lines = append(lines, "", " "+st.Muted.Render("Edit: ")+st.Flag.Render(strings.Join(c.Edit, ", ")))
	if off := sc.ws.OffLimits(); len(off) > 0 {
		for _, l := range common.WrapLines("You also changed "+strings.Join(off, ", ")+": the challenge counts only edits of the policies it names.", w-3) {
			lines = append(lines, "  "+st.Warn.Render(l))
		}
	}
	switch {
	case sc.ws.Solved():
		lines = append(lines, "", "  "+st.Correct.Render("★ Solved! Every goal is met."))
	case sc.ws.Stale():
		lines = append(lines, "", "  "+st.Warn.Render("~ A policy does not parse: the goals show the last valid run."))
	}
	lines = append(lines, "")
	for i := 0; i < sc.ws.Hints() && i < len(c.Hints); i++ {
		for j, l := range common.WrapLines(fmt.Sprintf("Hint %d: %s", i+1, c.Hints[i]), w-3) {
			if j == 0 {
				lines = append(lines, "  "+st.Accent.Render(l))
			} else {
				lines = append(lines, "  "+st.Text.Render(l))
			}
		}
	}
	switch {
	case sc.ws.Hints() < len(c.Hints):
		lines = append(lines, "  "+st.Muted.Render(fmt.Sprintf("h shows hint %d of %d", sc.ws.Hints()+1, len(c.Hints))))
	case sc.ws.Hints() == len(c.Hints) && len(c.Solution) > 0:
		lines = append(lines, "  "+st.Muted.Render("h shows the reference solution"))
	case len(c.Solution) > 0:
		lines = append(lines, " "+st.Accent.Render("Reference solution"))
		for _, a := range sortedNames(c.Solution) {
			lines = append(lines, "  "+st.Flag.Render(a))
			for _, l := range s.theme.codeBlock(strings.TrimRight(c.Solution[a], "\n"), max(w-2, 4)) {
				lines = append(lines, "  "+l)
			}
		}
	}
	lines = append(lines, "", " "+st.Muted.Render("R resets the scenario as shipped."))
	return lines
}

// nextHint shows the next hint, or the reference solution after the
// last, and brings the pane into view at its end.
func (p *challengePane) nextHint() {
	s := p.s
	sc := s.sc
	c := sc.s.Challenge
	n, before := len(c.Hints), sc.ws.Hints()
	switch shown := sc.ws.NextHint(); {
	case shown == before:
		s.setMessage("No more hints: the reference solution is shown.", false)
	case shown <= n:
		s.setMessage(fmt.Sprintf("Hint %d of %d is in the Challenge pane.", shown, n), false)
	default:
		s.setMessage("The reference solution is in the Challenge pane.", false)
	}
	sc.dirty = true
	if sc.focus != panePolicies {
		sc.focus = paneChallenge
	}
	sc.secondary = paneChallenge
	p.off = 1 << 20
}
