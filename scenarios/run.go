package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"iamlab/engine/estate"
)

// Report is a run of a scenario: each step's outcome, and whether each
// expectation held.
type Report struct {
	Scenario *Scenario
	Steps    []StepResult
	// EditErrors are the edited policies that do not parse, by address;
	// the run uses the policies as shipped for them.
	EditErrors map[PolicyAddress]error
}

// StepResult is one step of a run.
type StepResult struct {
	Step    *Step
	Outcome *Outcome // nil for a clock step
}

// Run executes the scenario's steps on a fresh sandbox, with edits (policy
// address → text) applied first.
func (s *Scenario) Run(edits map[PolicyAddress]string) *Report {
	docs, errs := s.parseEdits(edits)
	r, _ := s.run(docs)
	for addr, err := range errs {
		r.editError(addr, err)
	}
	return r
}

// shipped is the run of the scenario as shipped. A run depends only on
// the scenario, so it is made once and shared: every Workspace starts
// from it, Check checks it, and a probe of a step as shipped reads it.
func (s *Scenario) shipped() *Report {
	s.shippedOnce.Do(func() { s.shippedRun, _ = s.run(nil) })
	return s.shippedRun
}

// parseEdits parses edited policy texts: those that parse, and the
// errors of those that do not.
func (s *Scenario) parseEdits(edits map[PolicyAddress]string) (map[PolicyAddress]*estate.Document, map[PolicyAddress]error) {
	docs := map[PolicyAddress]*estate.Document{}
	errs := map[PolicyAddress]error{}
	for addr, text := range edits {
		d, err := s.document(text)
		if err != nil {
			errs[addr] = err
			continue
		}
		docs[addr] = d
	}
	return docs, errs
}

// run executes the steps on a fresh sandbox with parsed edits put in
// place first, and returns the sandbox as the steps left it too. A
// Workspace calls it on every change to a draft that parses, so it does no
// more than the steps need.
func (s *Scenario) run(docs map[PolicyAddress]*estate.Document) (*Report, *Sandbox) {
	sb := newSandbox(s)
	r := &Report{Scenario: s, Steps: make([]StepResult, len(s.Steps))}
	for _, addr := range sortedKeys(docs) {
		if err := sb.setDocument(addr, docs[addr]); err != nil {
			r.editError(addr, err)
		}
	}
	for i := range s.Steps {
		st := &s.Steps[i]
		r.Steps[i].Step = st
		if st.advance > 0 {
			sb.Advance(st.advance)
			continue
		}
		o := sb.Run(st.As, st.Run)
		o.Step = st.Name
		r.Steps[i].Outcome = o
		if st.Name != "" {
			sb.Outcomes[st.Name] = o
			if o.Session != nil {
				sb.Sessions[st.Name] = *o.Session
			}
		}
	}
	return r, sb
}

func (r *Report) editError(addr PolicyAddress, err error) {
	if r.EditErrors == nil {
		r.EditErrors = map[PolicyAddress]error{}
	}
	r.EditErrors[addr] = err
}

// Outcome returns the outcome of the named step.
func (r *Report) Outcome(step string) *Outcome {
	for _, sr := range r.Steps {
		if sr.Step.Name == step {
			return sr.Outcome
		}
	}
	return nil
}

// Solved reports whether every goal of the scenario's challenge is met.
func (r *Report) Solved() bool {
	c := r.Scenario.Challenge
	if c == nil || len(r.EditErrors) > 0 {
		return false
	}
	for step, want := range c.Expect {
		if o := r.Outcome(step); o == nil || !o.Matches(want) {
			return false
		}
	}
	return true
}

// Check runs a scenario and verifies what it claims: every step gives its
// expected outcome as shipped; a challenge is unsolved as shipped and
// solved by its reference solution. It returns one line per failure.
func (s *Scenario) Check() []string {
	var fails []string
	shipped := s.shipped()
	for _, sr := range shipped.Steps {
		if sr.Outcome == nil {
			continue
		}
		if !sr.Outcome.Matches(sr.Step.Expect) {
			fails = append(fails, fmt.Sprintf("%s:%d: step %s: got %s, want %s (%s)", s.File, sr.Step.line, stepName(sr.Step), sr.Outcome.Verdict(), sr.Step.Expect, firstLine(sr.Outcome.Message)))
		}
	}
	if c := s.Challenge; c != nil {
		// The sandbox's Workspace decides "solved", here as on screen.
		w := NewWorkspace(s)
		if w.Solved() {
			fails = append(fails, fmt.Sprintf("%s:%d: challenge is already solved as shipped", s.File, s.lines["challenge"]))
		}
		for _, addr := range sortedKeys(c.Solution) {
			w.Set(addr, c.Solution[addr])
			if err := w.Err(addr); err != nil {
				fails = append(fails, fmt.Sprintf("%s:%d: solution for %s does not parse: %v", s.File, s.lines["challenge"], addr, err))
			}
		}
		if off := w.OffLimits(); len(off) > 0 {
			fails = append(fails, fmt.Sprintf("%s:%d: the reference solution edits %s, which the challenge does not name", s.File, s.lines["challenge"], strings.Join(off, ", ")))
		}
		var missed []string
		for _, g := range w.Goals() {
			if !g.Met {
				missed = append(missed, fmt.Sprintf("%s got %s, want %s", g.Step, g.Got, g.Want))
			}
		}
		if len(missed) > 0 {
			sort.Strings(missed)
			fails = append(fails, fmt.Sprintf("%s:%d: the reference solution does not solve the challenge: %s", s.File, s.lines["challenge"], strings.Join(missed, "; ")))
		} else if !w.Solved() && len(w.OffLimits()) == 0 && !w.Stale() {
			fails = append(fails, fmt.Sprintf("%s:%d: the reference solution does not solve the challenge", s.File, s.lines["challenge"]))
		}
	}
	return fails
}

func stepName(st *Step) string {
	if st.Name != "" {
		return st.Name
	}
	return fmt.Sprintf("%q", st.Run)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if s == "" {
		return "no error"
	}
	return s
}
