package scenarios

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// Workspace is one scenario being worked on: the learner's draft of each
// policy, parsed and linted once per change; the steps run again with the
// drafts that parse, and what that changed against the run as shipped;
// the versions of the policies that have versions in AWS; the challenge's
// goals and whether it is solved; the hints seen; and what is kept between
// visits (State and Restore). The sandbox screen draws a Workspace and
// `iamlab scenarios check` asks one whether the reference solution solves
// the challenge, so both agree on "solved".
type Workspace struct {
	Scenario *Scenario
	policies []PolicyInfo
	drafts   map[PolicyAddress]*draft
	shipped  *Report
	report   *Report
	stale    bool
	solved   bool

	versions map[PolicyAddress][]Version
	next     map[PolicyAddress]int
	hints    int
	history  []string
}

// draft is one policy as the learner has it.
type draft struct {
	info PolicyInfo
	text string
	// doc is the last text that parsed: what the steps run with.
	doc *estate.Document
	// err is what is wrong with text: it does not parse, or the estate
	// refuses it. The steps then run with doc.
	err  error
	lint []engine.Finding
}

// Version is one saved version of a customer managed policy.
type Version struct {
	ID   string    `json:"id"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// MaxVersions is how many versions IAM keeps of a customer managed policy.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
const MaxVersions = 5

// NewWorkspace opens a scenario as shipped.
func NewWorkspace(s *Scenario) *Workspace {
	w := &Workspace{Scenario: s, policies: s.Policies()}
	w.shipped = s.shipped()
	w.clear()
	return w
}

// clear puts every policy back as shipped and forgets the versions.
func (w *Workspace) clear() {
	w.drafts = map[PolicyAddress]*draft{}
	for _, p := range w.policies {
		d := &draft{info: p, text: p.Text}
		if doc, err := w.Scenario.document(p.Text); err == nil {
			d.doc = doc
			if pol, err := doc.Policy(); err == nil {
				d.lint = engine.Lint(pol, p.Placement)
			}
		}
		w.drafts[p.Address] = d
	}
	w.versions = map[PolicyAddress][]Version{}
	w.next = map[PolicyAddress]int{}
	w.history = nil
	w.report, w.stale = w.shipped, false
	w.checkSolved()
}

// Policies lists the scenario's policies, as Scenario.Policies does.
func (w *Workspace) Policies() []PolicyInfo { return w.policies }

// Text is a policy's draft.
func (w *Workspace) Text(addr PolicyAddress) string {
	if d := w.drafts[addr]; d != nil {
		return d.text
	}
	return ""
}

// Err is what is wrong with a policy's draft, or nil: a parse error with
// its line and column (*engine.InputError), or the estate's refusal.
func (w *Workspace) Err(addr PolicyAddress) error {
	if d := w.drafts[addr]; d != nil {
		return d.err
	}
	return nil
}

// Lint is the lint findings of a draft that parses.
func (w *Workspace) Lint(addr PolicyAddress) []engine.Finding {
	if d := w.drafts[addr]; d != nil && d.err == nil {
		return d.lint
	}
	return nil
}

// Set replaces a policy's draft. The text is parsed once; when it parses,
// it is linted and every step runs again with it. Set reports whether the
// steps ran again.
func (w *Workspace) Set(addr PolicyAddress, text string) bool {
	d := w.drafts[addr]
	if d == nil || d.text == text {
		return false
	}
	d.text = text
	ran := w.parse(d)
	if ran {
		w.rerun()
	}
	w.stale = w.anyErr()
	w.checkSolved()
	return ran
}

// parse parses the draft's text; it reports whether the text parsed.
func (w *Workspace) parse(d *draft) bool {
	doc, err := w.Scenario.document(d.text)
	if err != nil {
		d.err, d.lint = err, nil
		return false
	}
	pol, err := doc.Policy()
	if err != nil {
		d.err, d.lint = err, nil
		return false
	}
	d.doc, d.err, d.lint = doc, nil, engine.Lint(pol, d.info.Placement)
	return true
}

func (w *Workspace) anyErr() bool {
	for _, d := range w.drafts {
		if d.err != nil {
			return true
		}
	}
	return false
}

// rerun runs every step with the drafts' last parsed texts. A text the
// engine parses but the estate refuses counts as an error of its policy,
// and the outcomes stay those of the last run without errors.
func (w *Workspace) rerun() {
	docs := map[PolicyAddress]*estate.Document{}
	for a, d := range w.drafts {
		if d.doc != nil && d.doc.Text() != d.info.Text {
			docs[a] = d.doc
		}
	}
	r, _ := w.Scenario.run(docs)
	for a, err := range r.EditErrors {
		w.drafts[a].err = err
	}
	if len(r.EditErrors) == 0 {
		w.report = r
	}
	w.stale = w.anyErr()
}

// Edits are the policies whose last parsed draft differs from the
// shipped text, with that text: what the steps run with.
func (w *Workspace) Edits() map[PolicyAddress]string {
	out := map[PolicyAddress]string{}
	for a, d := range w.drafts {
		if d.doc != nil && d.doc.Text() != d.info.Text {
			out[a] = d.doc.Text()
		}
	}
	return out
}

// Report is the last run in which every draft was taken: while some draft
// has an error (Stale), it shows the outcomes before that error.
func (w *Workspace) Report() *Report { return w.report }

// Shipped is the run of the scenario as shipped.
func (w *Workspace) Shipped() *Report { return w.shipped }

// Stale reports whether some draft has an error, so Report is older than
// the drafts.
func (w *Workspace) Stale() bool { return w.stale }

// Change is a step whose outcome differs from the run as shipped.
type Change struct {
	Step     int    // its index in the scenario's steps
	Was, Now string // verdicts, as Outcome.Verdict gives them
}

// Changes lists the steps whose outcome differs from the run as shipped,
// in step order.
func (w *Workspace) Changes() []Change {
	var out []Change
	for i, sr := range w.report.Steps {
		if sr.Outcome == nil || i >= len(w.shipped.Steps) || w.shipped.Steps[i].Outcome == nil {
			continue
		}
		if was, now := w.shipped.Steps[i].Outcome.Verdict(), sr.Outcome.Verdict(); was != now {
			out = append(out, Change{Step: i, Was: was, Now: now})
		}
	}
	return out
}

// Edited lists the policies whose draft differs from the shipped text, in
// the order of Policies.
func (w *Workspace) Edited() []PolicyAddress {
	var out []PolicyAddress
	for _, p := range w.policies {
		if w.drafts[p.Address].text != p.Text {
			out = append(out, p.Address)
		}
	}
	return out
}

// OffLimits lists edited policies the challenge does not name.
func (w *Workspace) OffLimits() []PolicyAddress {
	c := w.Scenario.Challenge
	if c == nil {
		return nil
	}
	var out []PolicyAddress
	for _, a := range w.Edited() {
		if !slices.Contains(c.Edit, a) {
			out = append(out, a)
		}
	}
	return out
}

// Goal is one expectation of the challenge and whether it holds now.
type Goal struct {
	Step, Want, Got string
	Met             bool
}

// Goals lists the challenge's expectations in the order of the steps.
func (w *Workspace) Goals() []Goal {
	c := w.Scenario.Challenge
	if c == nil {
		return nil
	}
	var out []Goal
	for _, st := range w.Scenario.Steps {
		want, ok := c.Expect[st.Name]
		if !ok {
			continue
		}
		g := Goal{Step: st.Name, Want: want, Got: "no outcome"}
		if o := w.report.Outcome(st.Name); o != nil {
			g.Got, g.Met = o.Verdict(), o.Matches(want)
		}
		out = append(out, g)
	}
	return out
}

// Solved reports whether the challenge is solved: every goal met, every
// draft taken, and only the policies the challenge names edited.
func (w *Workspace) Solved() bool { return w.solved }

func (w *Workspace) checkSolved() {
	w.solved = w.Scenario.Challenge != nil && !w.stale && w.report.Solved() && len(w.OffLimits()) == 0
}

// HasVersions reports whether a policy has versions in AWS: only customer
// managed policies do. A bucket, key or trust policy, an inline policy or
// an SCP has one text, which put-bucket-policy and the like replace.
func (w *Workspace) HasVersions(addr PolicyAddress) bool {
	d := w.drafts[addr]
	return d != nil && d.info.Placement == engine.PlacementManaged
}

// Versions lists a managed policy's versions, oldest first: the text as
// shipped is v1 until the learner saves another. A policy without versions
// has none.
func (w *Workspace) Versions(addr PolicyAddress) []Version {
	if !w.HasVersions(addr) {
		return nil
	}
	if vs := w.versions[addr]; len(vs) > 0 {
		return vs
	}
	return []Version{{ID: "v1", Text: w.drafts[addr].info.Text}}
}

// Unsaved lists the managed policies whose draft is none of their
// versions: what leaving now would keep only as a draft.
func (w *Workspace) Unsaved() []PolicyAddress {
	var out []PolicyAddress
	for _, p := range w.policies {
		text := w.drafts[p.Address].text
		if w.HasVersions(p.Address) && !slices.ContainsFunc(w.Versions(p.Address), func(v Version) bool { return v.Text == text }) {
			out = append(out, p.Address)
		}
	}
	return out
}

// SaveVersion saves a managed policy's draft as its next version, as
// iam create-policy-version --set-as-default does, and says what it did.
// Like the IAM console, it deletes the oldest version to make room for a
// sixth. The error says why nothing was saved.
func (w *Workspace) SaveVersion(addr PolicyAddress, now time.Time) (string, error) {
	d := w.drafts[addr]
	switch {
	case d == nil:
		return "", fmt.Errorf("%s is not a policy of this scenario", addr)
	case !w.HasVersions(addr):
		return "", fmt.Errorf("only customer managed policies have versions in AWS; your draft of %s is kept as it is", addr)
	case d.err != nil:
		return "", fmt.Errorf("AWS refuses a policy that does not parse (MalformedPolicyDocument): %w", d.err)
	}
	vs := w.Versions(addr)
	for _, v := range vs {
		if v.Text == d.text {
			return "This text is already saved as " + v.ID + ".", nil
		}
	}
	n := w.next[addr]
	if n == 0 {
		n = len(vs) + 1
	}
	id := fmt.Sprintf("v%d", n)
	w.next[addr] = n + 1
	vs = append(slices.Clone(vs), Version{ID: id, Text: d.text, At: now})
	msg := "Saved " + addr + " as " + id + "."
	if len(vs) > MaxVersions {
		msg += " " + vs[0].ID + " was deleted: IAM keeps five versions, and the console deletes the oldest to make room."
		vs = vs[1:]
	}
	w.versions[addr] = vs
	return msg, nil
}

// RestoreVersion makes version i of a policy its draft again, as
// iam set-default-policy-version does, and says what it did.
func (w *Workspace) RestoreVersion(addr PolicyAddress, i int) (string, error) {
	vs := w.Versions(addr)
	if i < 0 || i >= len(vs) {
		return "", fmt.Errorf("%s has no version %d", addr, i+1)
	}
	w.Set(addr, vs[i].Text)
	return "Restored " + vs[i].ID + " of " + addr + ".", nil
}

// Reset puts the scenario back as shipped: drafts, versions and the
// console's history. The hints seen stay seen.
func (w *Workspace) Reset() { w.clear() }

// Hints is how many hints the learner has seen; one more than the
// challenge's hints means the reference solution too.
func (w *Workspace) Hints() int { return w.hints }

// NextHint shows one more hint, then the reference solution, and returns
// how many are shown.
func (w *Workspace) NextHint() int {
	c := w.Scenario.Challenge
	if c == nil {
		return 0
	}
	limit := len(c.Hints)
	if len(c.Solution) > 0 {
		limit++
	}
	w.hints = min(w.hints+1, limit)
	return w.hints
}

// History is the console's command history, kept with the workspace.
func (w *Workspace) History() []string { return w.history }

// SetHistory keeps the console's history, the last 100 lines of it.
func (w *Workspace) SetHistory(h []string) {
	if len(h) > 100 {
		h = h[len(h)-100:]
	}
	w.history = slices.Clone(h)
}

// savedState is what the progress store keeps of a workspace between
// visits: the drafts (even ones that do not parse), the versions, how many
// hints were seen and the console's history. The store does not look
// inside; V lets a later iamlab read an older layout.
type savedState struct {
	V      int                      `json:"v"`
	Drafts map[PolicyAddress]string `json:"drafts,omitempty"`
	// Valid is, for a draft that does not parse, its last text that did:
	// what the steps ran with, and run with again after a restart.
	Valid    map[PolicyAddress]string    `json:"valid,omitempty"`
	Versions map[PolicyAddress][]Version `json:"versions,omitempty"`
	Next     map[PolicyAddress]int       `json:"next,omitempty"`
	Hints    int                         `json:"hints,omitempty"`
	History  []string                    `json:"history,omitempty"`
}

// State is what Progress.SaveSandbox keeps of the workspace.
func (w *Workspace) State() ([]byte, error) {
	st := savedState{V: 1, Hints: w.hints, History: w.history}
	for _, a := range w.Edited() {
		if st.Drafts == nil {
			st.Drafts = map[PolicyAddress]string{}
		}
		d := w.drafts[a]
		st.Drafts[a] = d.text
		if d.err != nil && d.doc != nil && d.doc.Text() != d.text {
			if st.Valid == nil {
				st.Valid = map[PolicyAddress]string{}
			}
			st.Valid[a] = d.doc.Text()
		}
	}
	if len(w.versions) > 0 {
		st.Versions, st.Next = w.versions, w.next
	}
	b, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("save workspace of %s: %w", w.Scenario.ID, err)
	}
	return b, nil
}

// Restore applies a saved state. Drafts and versions of policies the
// scenario no longer has, or that have no versions, are dropped; a draft
// that does not parse comes back as it was, with its last text that
// parsed standing in for the run (saved with it; from states saved before
// that was kept, its newest version that parses).
func (w *Workspace) Restore(data []byte) error {
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return fmt.Errorf("read saved workspace of %s: %w", w.Scenario.ID, err)
	}
	for a, vs := range st.Versions {
		if w.HasVersions(a) && len(vs) > 0 {
			w.versions[a] = vs
			w.next[a] = st.Next[a]
		}
	}
	for a, text := range st.Drafts {
		d := w.drafts[a]
		if d == nil {
			continue
		}
		d.text = text
		if !w.parse(d) {
			if valid, ok := st.Valid[a]; ok {
				if doc, err := w.Scenario.document(valid); err == nil {
					d.doc = doc
					continue
				}
			}
			for _, v := range slices.Backward(w.Versions(a)) {
				if doc, err := w.Scenario.document(v.Text); err == nil {
					d.doc = doc
					break
				}
			}
		}
	}
	limit := 0
	if c := w.Scenario.Challenge; c != nil {
		limit = len(c.Hints) + 1
	}
	w.hints = min(max(st.Hints, 0), limit)
	w.SetHistory(st.History)
	w.rerun()
	w.checkSolved()
	return nil
}

// Progress is where workspaces are kept between visits and solved
// challenges recorded: the tui passes the app's progress store.
type Progress interface {
	SaveSandbox(scenarioID string, state []byte) error
	LoadSandbox(scenarioID string) ([]byte, bool, error)
	MarkSolved(scenarioID string, at time.Time) error
}

// Save writes the workspace's state to p.
func (w *Workspace) Save(p Progress) error {
	b, err := w.State()
	if err != nil {
		return err
	}
	if err := p.SaveSandbox(w.Scenario.ID, b); err != nil {
		return fmt.Errorf("save workspace of %s: %w", w.Scenario.ID, err)
	}
	return nil
}

// Load restores what p keeps of the workspace, if anything.
func (w *Workspace) Load(p Progress) error {
	b, ok, err := p.LoadSandbox(w.Scenario.ID)
	if err != nil {
		return fmt.Errorf("load workspace of %s: %w", w.Scenario.ID, err)
	}
	if !ok || len(b) == 0 {
		return nil
	}
	return w.Restore(b)
}
