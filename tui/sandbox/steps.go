package sandbox

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/engine/estate"
	"iamlab/scenarios"
	"iamlab/tui/common"
)

// stepsPane is the Steps pane: the table of steps with their outcomes,
// and the explanation of the selected one (explain.go), which scrolls.
// The selected step is the scenario's (an edit may select the step it
// changed); the pane keeps where its explanation is scrolled to.
type stepsPane struct {
	s       *Screen
	explain scroller
	// of is the step the explanation's scroll belongs to: another step's
	// explanation starts at its top.
	of   int
	memo stepsMemo
}

// stepsMemo keeps the last explanation drawn: frames come far more often
// than the run or the selection changes.
type stepsMemo struct {
	key   stepsMemoKey
	lines []string
}

type stepsMemoKey struct {
	report      *scenarios.Report
	step, w     int
	dark, stale bool
}

// explanation is the selected step's explanation at width w.
func (p *stepsPane) explanation(w int) []string {
	s := p.s
	k := stepsMemoKey{report: s.sc.ws.Report(), step: s.sc.stepSel, w: w, dark: s.sh.Dark, stale: s.sc.ws.Stale()}
	if p.memo.lines == nil || p.memo.key != k {
		p.memo = stepsMemo{key: k, lines: s.drawExplanation(w)}
	}
	return p.memo.lines
}

// follow starts the explanation at its top when the selection moved.
func (p *stepsPane) follow() {
	if sel := p.s.sc.stepSel; sel != p.of {
		p.explain.off, p.of = 0, sel
	}
}

func (p *stepsPane) view(w, h int) string {
	p.follow()
	s := p.s
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
	ex := p.explanation(w)
	vis, _ := common.Window(ex, p.explain.off, s.explainHeight())
	lines = append(lines, vis...)
	return strings.Join(lines, "\n")
}

func (p *stepsPane) scroll(d int) {
	p.follow()
	s := p.s
	p.explain.by(d, max(len(p.explanation(s.paneWidth(paneSteps)))-s.explainHeight(), 0))
}

func (p *stepsPane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	return paneKeys{short: []key.Binding{k.Down, k.PageDown, k.Serve, k.Tab, k.Back}, k: k, versioned: p.s.selectedVersioned()}
}

// update moves the selection among the steps (the explanation follows
// it) and scrolls the explanation.
func (p *stepsPane) update(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	sc, k := s.sc, s.km
	if sel, ok := pick(k, msg, sc.stepSel, len(sc.ws.Report().Steps)); ok {
		sc.stepSel, sc.stepPinned, p.explain.off = sel, true, 0
		return nil
	}
	switch {
	case key.Matches(msg, k.PageUp):
		p.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		p.scroll(s.pageSize())
	}
	return nil
}

// stepCaller is who runs a step, as the table shows it: a call that went
// without credentials (as an instance whose role is gone, or with
// --no-sign-request) says so, so it does not read like the signed call
// by the same instance.
func stepCaller(o *scenarios.Outcome, st *scenarios.Step) string {
	if who := stepWho(st); who != "anonymous" && unsigned(o) {
		return "unsigned " + who
	}
	return stepWho(st)
}

// stepCallerLong is stepCaller where there is room: the explanation's
// heading.
func stepCallerLong(o *scenarios.Outcome, st *scenarios.Step) string {
	if who := stepWho(st); who != "anonymous" && unsigned(o) {
		return who + " (unsigned: no credentials)"
	}
	return stepWho(st)
}

// unsigned reports whether a call went without credentials.
func unsigned(o *scenarios.Outcome) bool {
	if o == nil {
		return false
	}
	for _, d := range o.Checks {
		if d != nil && d.Identity != nil && d.Identity.Kind == estate.KindAnonymous {
			return true
		}
	}
	return false
}

// stepNote is step i's note, from the scenario's author about the
// scenario as shipped. Once an edit changes the step's decision, the note
// may contradict what the screen shows beside it ("allows * to read" by a
// denial), so it says whose run it is about; shipped is then set.
func (s *Screen) stepNote(i int) (note string, shipped bool) {
	note = s.sc.ws.Report().Steps[i].Step.Note
	was, changed := s.sc.changedFrom()[i]
	if note == "" || !changed {
		return note, false
	}
	return "Note on the scenario as shipped (" + was + "): " + note, true
}
