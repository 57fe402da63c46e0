package sandbox

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"iamlab/engine"
	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
	"iamlab/tui/common"
)

// paneID is one pane of an open scenario. Narrow terminals show the
// focused one; wide ones show Policies beside another.
type paneID int

const (
	paneStory paneID = iota
	panePolicies
	paneSteps
	paneConsole
	paneChallenge
	// paneLive lists the requests the served estate answers: its tab is
	// there once S has served the scenario in this visit.
	paneLive
	numPanes
)

var paneNames = [numPanes]string{"Story", "Policies", "Steps", "Console", "Challenge", "Live"}

// scenarioState is an open scenario: the workspace (drafts, runs,
// versions, goals), each policy's text as the editor holds it, and where
// the learner is on the screen.
type scenarioState struct {
	s        *scenarios.Scenario
	ws       *scenarios.Workspace
	policies []scenarios.PolicyInfo

	// bufs holds every policy's text being edited; spans its colours.
	bufs  map[string]*editBuffer
	spans map[string][][]codeSpan

	// recorded is set once MarkSolved has been asked for in this visit.
	recorded bool

	focus     paneID
	secondary paneID // the pane beside Policies on a wide terminal: the last other focused
	polCursor int
	stepSel   int
	// stepPinned is set once the learner picks a step; until then the
	// explanation follows the first step an edit changes.
	stepPinned bool
	editing    bool

	confirmReset bool
	message      string
	messageErr   bool

	console *stsConsole
	// serving is the server of this scenario while S serves it.
	serving *liveServer

	dirty bool
	// loaded is set once the saved state came back from the store; until
	// then nothing is written, so an early save cannot erase it.
	loaded bool
}

func newScenarioState(s *scenarios.Scenario) *scenarioState {
	ws := scenarios.NewWorkspace(s)
	sc := &scenarioState{s: s, ws: ws, policies: ws.Policies(), focus: paneStory, secondary: paneStory}
	sc.fillBuffers()
	// A challenge opens on its policy.
	if c := s.Challenge; c != nil && len(c.Edit) > 0 {
		if i := sc.policyIndex(c.Edit[0]); i >= 0 {
			sc.polCursor = i
		}
	}
	return sc
}

// fillBuffers gives the editor the workspace's drafts.
func (sc *scenarioState) fillBuffers() {
	sc.bufs = map[string]*editBuffer{}
	sc.spans = map[string][][]codeSpan{}
	for _, p := range sc.policies {
		text := sc.ws.Text(p.Address)
		sc.bufs[p.Address] = newEditBuffer(text)
		sc.spans[p.Address] = highlightJSON(text)
	}
}

func (sc *scenarioState) policyIndex(addr string) int {
	for i, p := range sc.policies {
		if p.Address == addr {
			return i
		}
	}
	return -1
}

// selected is the policy under the cursor; ok is false for a scenario
// without policies.
func (sc *scenarioState) selected() (scenarios.PolicyInfo, bool) {
	if len(sc.policies) == 0 {
		return scenarios.PolicyInfo{}, false
	}
	return sc.policies[common.ClampInt(sc.polCursor, 0, len(sc.policies)-1)], true
}

func (sc *scenarioState) text(addr string) string {
	if b := sc.bufs[addr]; b != nil {
		return b.text()
	}
	return sc.ws.Text(addr)
}

// changed is called after every edit of a policy: the workspace parses
// the text once and, when it parses, runs every step again.
func (sc *scenarioState) changed(addr string) {
	if sc.policyIndex(addr) < 0 {
		return
	}
	sc.dirty = true
	text := sc.text(addr)
	sc.spans[addr] = highlightJSON(text)
	if sc.ws.Set(addr, text) {
		sc.followChange()
		if sc.console != nil {
			sc.console.setPolicy(addr, text)
		}
		if sc.serving != nil {
			// The estate refuses what the workspace does: the editor
			// shows that error already.
			_ = sc.serving.setPolicies(map[scenarios.PolicyAddress]string{addr: text})
		}
	}
}

// followChange selects the first step whose decision differs from the
// shipped run, unless the learner picked a step.
func (sc *scenarioState) followChange() {
	if sc.stepPinned {
		return
	}
	if ch := sc.ws.Changes(); len(ch) > 0 && sc.stepSel != ch[0].Step {
		sc.stepSel = ch[0].Step
	}
}

// saveVersion saves the policy's text as its next version and says what
// it did; ok is false when nothing was saved.
func (sc *scenarioState) saveVersion(addr string, now time.Time) (string, bool) {
	if err := sc.ws.Err(addr); err != nil && sc.ws.HasVersions(addr) {
		return "Not saved: AWS refuses a policy that does not parse (MalformedPolicyDocument): " + errorText(err), false
	}
	if !sc.ws.HasVersions(addr) {
		return "No version saved: only customer managed policies have versions in AWS. Your draft is kept.", false
	}
	msg, err := sc.ws.SaveVersion(addr, now)
	if err != nil {
		return "Not saved: " + err.Error() + ".", false
	}
	sc.dirty = true
	return msg, true
}

// restoreVersion makes a version the policy's text again; the editor can
// undo it.
func (sc *scenarioState) restoreVersion(addr string, i int) string {
	vs := sc.ws.Versions(addr)
	if i < 0 || i >= len(vs) {
		return ""
	}
	sc.bufs[addr].replace(vs[i].Text)
	sc.changed(addr)
	return "Restored " + vs[i].ID + " of " + addr + "."
}

// reset puts the scenario back as shipped: texts, versions and the
// console. The hints seen stay seen.
func (sc *scenarioState) reset() {
	sc.ws.Reset()
	sc.fillBuffers()
	sc.console = nil
	sc.editing = false
	sc.dirty = true
}

// state is what is saved of the scenario, with the console's history.
func (sc *scenarioState) state() ([]byte, error) {
	if sc.console != nil {
		sc.ws.SetHistory(sc.console.history)
	}
	return sc.ws.State()
}

// restoreState applies a saved state.
func (sc *scenarioState) restoreState(data []byte) error {
	if err := sc.ws.Restore(data); err != nil {
		return err
	}
	sc.fillBuffers()
	return nil
}

// stepOp is the API operation a command line calls: "GetObject".
func stepOp(run string) string {
	f := strings.Fields(run)
	if len(f) < 3 {
		return run
	}
	return awscli.OperationName(f[2])
}

// stepCommand is "SERVICE OPERATION" of a command line.
func stepCommand(run string) string {
	f := strings.Fields(run)
	if len(f) < 3 {
		return run
	}
	return f[1] + " " + f[2]
}

// changes lists the steps whose outcome differs from the shipped run, in
// the form GetObject: Allow → ImplicitDeny.
func (sc *scenarioState) changes() []string {
	var out []string
	for _, c := range sc.ws.Changes() {
		out = append(out, fmt.Sprintf("%s: %s → %s", stepOp(sc.s.Steps[c.Step].Run), c.Was, c.Now))
	}
	return out
}

// changedFrom is, for each step whose decision differs from the run as
// shipped, its verdict as shipped.
func (sc *scenarioState) changedFrom() map[int]string {
	out := map[int]string{}
	for _, c := range sc.ws.Changes() {
		out[c.Step] = c.Was
	}
	return out
}

// goalsByStep is the challenge's goals by the step they are about.
func (sc *scenarioState) goalsByStep() map[string]scenarios.Goal {
	out := map[string]scenarios.Goal{}
	for _, g := range sc.ws.Goals() {
		out[g.Step] = g
	}
	return out
}

// errorText is an error in one line; a parse error leads with its line
// and column.
func errorText(err error) string {
	var ie *engine.InputError
	if errors.As(err, &ie) && ie.Pos.Line > 0 {
		p := ie.Problem
		if ie.Path != "" {
			p = ie.Path + ": " + p
		}
		return fmt.Sprintf("line %d, column %d: %s", ie.Pos.Line, ie.Pos.Col, p)
	}
	return err.Error()
}

// errorPos is where a parse error points, or 0, 0.
func errorPos(err error) (line, col int) {
	var ie *engine.InputError
	if errors.As(err, &ie) {
		return ie.Pos.Line, ie.Pos.Col
	}
	return 0, 0
}

// lintByLine groups findings by the line they concern.
func lintByLine(fs []engine.Finding) map[int][]engine.Finding {
	out := map[int][]engine.Finding{}
	for _, f := range fs {
		out[f.Pos.Line] = append(out[f.Pos.Line], f)
	}
	return out
}

// scenarioTopics lists every topic of the scenarios, sorted.
func scenarioTopics(all []*scenarios.Scenario) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range all {
		for _, t := range s.Topics {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}
