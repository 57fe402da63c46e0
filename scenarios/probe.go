package scenarios

import (
	"fmt"
	"maps"
)

// Probe asks a scenario for one outcome: that of a named step, or of a
// command run after the steps, with policies edited first. A quiz question
// that links a scenario probes it to show that its keyed answer is what
// the engine does.
type Probe struct {
	// Step names a step of the scenario; or As and Run give a command
	// run once the steps have run, as the sandbox's console would.
	Step, As, Run string
	// Edits are policy texts by address, applied before the steps.
	Edits map[PolicyAddress]string
	// Solution applies the challenge's reference solution before Edits.
	Solution bool
}

// Probe runs the scenario as p asks and returns the outcome. The error
// says why the probe cannot be run: no such step, no challenge to take a
// solution from, an edit that does not parse or names no policy.
func (s *Scenario) Probe(p Probe) (*Outcome, error) {
	if (p.Step == "") == (p.Run == "") {
		return nil, fmt.Errorf("a probe names a step or a command to run, not both or neither")
	}
	if p.Run != "" && p.As == "" {
		return nil, fmt.Errorf("a probe's command needs a caller (as)")
	}
	edits := map[PolicyAddress]string{}
	if p.Solution {
		if s.Challenge == nil {
			return nil, fmt.Errorf("scenario %s has no challenge, so no solution", s.ID)
		}
		maps.Copy(edits, s.Challenge.Solution)
	}
	maps.Copy(edits, p.Edits)
	known := map[PolicyAddress]bool{}
	for _, pi := range s.Policies() {
		known[pi.Address] = true
	}
	for _, addr := range sortedKeys(p.Edits) {
		if !known[addr] {
			return nil, fmt.Errorf("scenario %s has no policy %s", s.ID, addr)
		}
	}
	if p.Step != "" && !s.hasStep(p.Step) {
		return nil, fmt.Errorf("scenario %s has no step named %s", s.ID, p.Step)
	}
	if p.Step != "" && len(edits) == 0 {
		return s.shipped().Outcome(p.Step), nil
	}
	docs, errs := s.parseEdits(edits)
	for _, addr := range sortedKeys(errs) {
		return nil, fmt.Errorf("edit of %s: %w", addr, errs[addr])
	}
	r, sb := s.run(docs)
	for _, addr := range sortedKeys(r.EditErrors) {
		return nil, fmt.Errorf("edit of %s: %w", addr, r.EditErrors[addr])
	}
	if p.Step != "" {
		return r.Outcome(p.Step), nil
	}
	return sb.Run(p.As, p.Run), nil
}

func (s *Scenario) hasStep(name string) bool {
	for _, st := range s.Steps {
		if st.Name == name {
			return true
		}
	}
	return false
}
