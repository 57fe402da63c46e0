package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"iamlab/engine"
	"iamlab/scenarios"
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
	numPanes
)

var paneNames = [numPanes]string{"Story", "Policies", "Steps", "Console", "Challenge"}

// maxVersions is how many versions IAM keeps of a customer managed policy.
const maxVersions = 5

// policyVersion is one saved edit of a policy.
type policyVersion struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// savedState is what the store keeps of a scenario between visits: the
// learner's drafts (even ones that do not parse), their versions, how many
// hints they have seen and the console's history. The store does not look
// inside; V lets a later iamlab read an older layout.
type savedState struct {
	V        int                        `json:"v"`
	Drafts   map[string]string          `json:"drafts,omitempty"`
	Versions map[string][]policyVersion `json:"versions,omitempty"`
	Next     map[string]int             `json:"next,omitempty"`
	Hints    int                        `json:"hints,omitempty"`
	History  []string                   `json:"history,omitempty"`
}

// scenarioState is an open scenario: its policies as shipped and as edited,
// the last run of its steps, and where the learner is on the screen.
type scenarioState struct {
	s        *scenarios.Scenario
	policies []scenarios.PolicyInfo
	shipped  map[string]string // address → text as shipped
	base     *scenarios.Report // the run as shipped, to mark changes against

	// bufs holds every policy's text; valid the last text of each that
	// parsed, which is what the steps run with; errs the current parse
	// error of each that does not.
	bufs  map[string]*editBuffer
	valid map[string]string
	errs  map[string]error
	lint  map[string][]engine.Finding
	spans map[string][][]codeSpan
	// report is the last run with every policy valid; stale is set while
	// some policy does not parse, so the outcomes shown are the last good
	// ones.
	report *scenarios.Report
	stale  bool

	versions map[string][]policyVersion
	next     map[string]int
	hints    int

	// solved is set while the challenge's goals are all met; recorded once
	// MarkSolved has been asked for in this visit.
	solved   bool
	recorded bool

	focus     paneID
	secondary paneID // the pane beside Policies on a wide terminal: the last other focused
	polCursor int
	stepSel   int
	// stepPinned is set once the learner picks a step; until then the
	// explanation follows the first step an edit changes.
	stepPinned bool
	editing    bool
	// view offsets of the read-only panes
	storyOff, explainOff, challengeOff, textOff int

	versionsOpen bool
	verCursor    int
	confirmReset bool
	message      string
	messageErr   bool

	console *stsConsole
	history []string
	exMemo  explainMemo // console history loaded before the console opens

	dirty bool
	// loaded is set once the saved state came back from the store; until
	// then nothing is written, so an early save cannot erase it.
	loaded bool
}

func newScenarioState(s *scenarios.Scenario) *scenarioState {
	sc := &scenarioState{
		s: s, policies: s.Policies(), shipped: map[string]string{},
		bufs: map[string]*editBuffer{}, valid: map[string]string{}, errs: map[string]error{},
		lint: map[string][]engine.Finding{}, spans: map[string][][]codeSpan{},
		versions: map[string][]policyVersion{}, next: map[string]int{},
		focus: paneStory, secondary: paneStory,
	}
	for _, p := range sc.policies {
		sc.shipped[p.Address] = p.Text
		sc.bufs[p.Address] = newEditBuffer(p.Text)
		sc.valid[p.Address] = p.Text
		sc.refreshText(p)
	}
	sc.base = s.Run(nil)
	sc.report = sc.base
	// A challenge opens on its policy.
	if c := s.Challenge; c != nil && len(c.Edit) > 0 {
		if i := sc.policyIndex(c.Edit[0]); i >= 0 {
			sc.polCursor = i
		}
	}
	return sc
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
	return sc.shipped[addr]
}

// refreshText derives what the views show of a policy's text: its
// colours, its parse error or its lint findings.
func (sc *scenarioState) refreshText(p scenarios.PolicyInfo) (parsed bool) {
	text := sc.text(p.Address)
	sc.spans[p.Address] = highlightJSON(text)
	pol, err := engine.ParsePolicy([]byte(text))
	if err != nil {
		sc.errs[p.Address] = err
		sc.lint[p.Address] = nil
		return false
	}
	delete(sc.errs, p.Address)
	sc.lint[p.Address] = engine.Lint(pol, p.Placement)
	sc.valid[p.Address] = text
	return true
}

// changed is called after every edit of a policy: it re-highlights and
// parses the text and, when it parses, runs every step again.
func (sc *scenarioState) changed(addr string) {
	i := sc.policyIndex(addr)
	if i < 0 {
		return
	}
	sc.dirty = true
	if sc.refreshText(sc.policies[i]) {
		sc.rerun()
		sc.followChange()
		if sc.console != nil {
			sc.console.setPolicy(addr, sc.valid[addr])
		}
	}
	sc.stale = len(sc.errs) > 0
	sc.checkSolved()
}

// followChange selects the first step whose decision differs from the
// shipped run, unless the learner picked a step.
func (sc *scenarioState) followChange() {
	if sc.stepPinned {
		return
	}
	for i, sr := range sc.report.Steps {
		if sr.Outcome != nil && i < len(sc.base.Steps) && sc.base.Steps[i].Outcome != nil &&
			sr.Outcome.Verdict() != sc.base.Steps[i].Outcome.Verdict() {
			if sc.stepSel != i {
				sc.stepSel, sc.explainOff = i, 0
			}
			return
		}
	}
}

// edits are the policies whose last valid text differs from the shipped.
func (sc *scenarioState) edits() map[string]string {
	out := map[string]string{}
	for a, t := range sc.valid {
		if t != sc.shipped[a] {
			out[a] = t
		}
	}
	return out
}

// rerun runs every step with the valid texts. A text the engine parses but
// the estate refuses counts as an error of its policy.
func (sc *scenarioState) rerun() {
	r := sc.s.Run(sc.edits())
	for a, err := range r.EditErrors {
		sc.errs[a] = err
	}
	if len(r.EditErrors) == 0 {
		sc.report = r
	}
	sc.stale = len(sc.errs) > 0
}

// edited lists the policies whose current text differs from the shipped.
func (sc *scenarioState) edited() []string {
	var out []string
	for _, p := range sc.policies {
		if sc.text(p.Address) != p.Text {
			out = append(out, p.Address)
		}
	}
	return out
}

// offLimits lists edited policies the challenge does not name.
func (sc *scenarioState) offLimits() []string {
	c := sc.s.Challenge
	if c == nil {
		return nil
	}
	var out []string
	for _, a := range sc.edited() {
		if !slices.Contains(c.Edit, a) {
			out = append(out, a)
		}
	}
	return out
}

// checkSolved updates solved: every goal met, every policy valid, and only
// the policies the challenge names edited.
func (sc *scenarioState) checkSolved() {
	c := sc.s.Challenge
	sc.solved = c != nil && !sc.stale && sc.report != nil && sc.report.Solved() && len(sc.offLimits()) == 0
}

// goal is one expectation of the challenge and whether it holds now.
type goal struct {
	step, want, got string
	met             bool
}

// goals lists the challenge's expectations in the order of the steps.
func (sc *scenarioState) goals() []goal {
	c := sc.s.Challenge
	if c == nil {
		return nil
	}
	var out []goal
	for _, st := range sc.s.Steps {
		want, ok := c.Expect[st.Name]
		if !ok {
			continue
		}
		g := goal{step: st.Name, want: want, got: "no outcome"}
		if o := sc.report.Outcome(st.Name); o != nil {
			g.got, g.met = o.Verdict(), o.Matches(want)
		}
		out = append(out, g)
	}
	return out
}

// versionsOf returns a policy's versions, oldest first. The text as
// shipped is v1 until the learner saves one.
func (sc *scenarioState) versionsOf(addr string) []policyVersion {
	if vs := sc.versions[addr]; len(vs) > 0 {
		return vs
	}
	return []policyVersion{{ID: "v1", Text: sc.shipped[addr]}}
}

// unsaved lists the policies whose text is none of their versions.
func (sc *scenarioState) unsaved() []string {
	var out []string
	for _, p := range sc.policies {
		text := sc.text(p.Address)
		if !slices.ContainsFunc(sc.versionsOf(p.Address), func(v policyVersion) bool { return v.Text == text }) {
			out = append(out, p.Address)
		}
	}
	return out
}

// saveVersion saves the policy's text as its next version, as
// iam create-policy-version --set-as-default does, and says what it did.
// Like the IAM console, it deletes the oldest version to make room for a
// sixth.
func (sc *scenarioState) saveVersion(addr string, now time.Time) (string, bool) {
	text := sc.text(addr)
	if err := sc.errs[addr]; err != nil {
		return "Not saved: AWS refuses a policy that does not parse (MalformedPolicyDocument): " + errorText(err), false
	}
	vs := sc.versionsOf(addr)
	for _, v := range vs {
		if v.Text == text {
			return "This text is already saved as " + v.ID + ".", true
		}
	}
	n := sc.next[addr]
	if n == 0 {
		n = len(vs) + 1
	}
	id := fmt.Sprintf("v%d", n)
	sc.next[addr] = n + 1
	vs = append(slices.Clone(vs), policyVersion{ID: id, Text: text, At: now})
	msg := "Saved " + addr + " as " + id + "."
	if len(vs) > maxVersions {
		msg += " " + vs[0].ID + " was deleted: IAM keeps five versions, and the console deletes the oldest to make room."
		vs = vs[1:]
	}
	sc.versions[addr] = vs
	sc.dirty = true
	return msg, true
}

// restoreVersion makes a version the policy's text again, as
// iam set-default-policy-version does; the editor can undo it.
func (sc *scenarioState) restoreVersion(addr string, i int) string {
	vs := sc.versionsOf(addr)
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
	for _, p := range sc.policies {
		sc.bufs[p.Address] = newEditBuffer(p.Text)
		sc.valid[p.Address] = p.Text
		sc.refreshText(p)
	}
	sc.errs = map[string]error{}
	sc.versions = map[string][]policyVersion{}
	sc.next = map[string]int{}
	sc.report, sc.stale = sc.base, false
	sc.console = nil
	sc.history = nil
	sc.editing, sc.versionsOpen = false, false
	sc.dirty = true
	sc.checkSolved()
}

// state is what is saved of the scenario.
func (sc *scenarioState) state() savedState {
	st := savedState{V: 1, Hints: sc.hints}
	for _, a := range sc.edited() {
		if st.Drafts == nil {
			st.Drafts = map[string]string{}
		}
		st.Drafts[a] = sc.text(a)
	}
	if len(sc.versions) > 0 {
		st.Versions = sc.versions
		st.Next = sc.next
	}
	st.History = sc.history
	if sc.console != nil {
		st.History = sc.console.history
	}
	if len(st.History) > 100 {
		st.History = st.History[len(st.History)-100:]
	}
	return st
}

// restoreState applies a saved state. Drafts of policies the scenario no
// longer has are dropped; a draft that does not parse comes back as it
// was, with the last version that does standing in for the run.
func (sc *scenarioState) restoreState(data []byte) error {
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("read saved sandbox of %s: %w", sc.s.ID, err)
	}
	for a, vs := range st.Versions {
		if sc.policyIndex(a) >= 0 && len(vs) > 0 {
			sc.versions[a] = vs
			sc.next[a] = st.Next[a]
		}
	}
	for a, text := range st.Drafts {
		i := sc.policyIndex(a)
		if i < 0 {
			continue
		}
		sc.bufs[a] = newEditBuffer(text)
		if !sc.refreshText(sc.policies[i]) {
			for _, v := range slices.Backward(sc.versionsOf(a)) {
				if _, err := engine.ParsePolicy([]byte(v.Text)); err == nil {
					sc.valid[a] = v.Text
					break
				}
			}
		}
	}
	sc.hints = min(max(st.Hints, 0), 4)
	sc.history = st.History
	sc.rerun()
	sc.checkSolved()
	return nil
}

// stepOp is the API operation a command line calls: "GetObject".
func stepOp(run string) string {
	f := strings.Fields(run)
	if len(f) < 3 {
		return run
	}
	var b strings.Builder
	for _, part := range strings.Split(f[2], "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return strings.Replace(b.String(), "WithSaml", "WithSAML", 1)
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
	for i, sr := range sc.report.Steps {
		if sr.Outcome == nil || i >= len(sc.base.Steps) || sc.base.Steps[i].Outcome == nil {
			continue
		}
		was, now := sc.base.Steps[i].Outcome.Verdict(), sr.Outcome.Verdict()
		if was != now {
			out = append(out, fmt.Sprintf("%s: %s → %s", stepOp(sr.Step.Run), was, now))
		}
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
