package main

import (
	"fmt"
	"io"

	"iamlab/content"
	"iamlab/engine"
	"iamlab/scenarios"
)

// runContent implements `iamlab content check [DIR...]`: the built-in notes
// and questions, or those in each DIR, loaded, linked and checked. A DIR is
// checked as the app uses it: beside the built-in material, so a question
// may be on a built-in topic, and no id may be a built-in one.
func runContent(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "Usage: iamlab content check [DIR...]")
		return exitBadUsage
	}
	lib, err := content.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "iamlab content check: built-in material: %v\n", err)
		return exitFailure
	}
	problems := asProblems(err)
	notes, questions := len(lib.Notes), len(lib.Questions)
	if dirs := args[1:]; len(dirs) > 0 {
		notes, questions = 0, 0
		for _, dir := range dirs {
			own, err := content.LoadDir(dir)
			if own == nil {
				fmt.Fprintf(stderr, "iamlab content check: %s\n", termSafe(err.Error()))
				return exitFailure
			}
			notes, questions = notes+len(own.Notes), questions+len(own.Questions)
			problems = append(problems, asProblems(err)...)
			problems = append(problems, asProblems(lib.Merge(own))...)
		}
	}
	fmt.Fprintf(stdout, "notes %d\nquestions %d\n", notes, questions)
	byID := builtinScenarios()
	for _, dir := range args[1:] {
		own, _ := scenarios.LoadDir(dir)
		for _, s := range own {
			if byID[s.ID] == nil {
				byID[s.ID] = s
			}
		}
	}
	problems = append(problems, lib.Check(materialLinks(byID))...)
	for _, p := range problems {
		fmt.Fprintln(stdout, termSafe(p.Error()))
	}
	failed := problems.Failed()
	fmt.Fprintf(stdout, "%d passed, %d failed\n", max(notes+questions-failed, 0), failed)
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// materialLinks resolves the material's links to scenarios and policies:
// a scenario exists, a policy parses, and a question's checks give the
// outcomes its keyed answer says.
func materialLinks(byID map[string]*scenarios.Scenario) content.Links {
	return content.Links{
		Scenario: func(id string) bool { return byID[id] != nil },
		Policy: func(text []byte) error {
			_, err := engine.ParsePolicy(text)
			return err
		},
		Probe: func(id string, p content.Probe) (bool, string, error) {
			s := byID[id]
			if s == nil {
				return false, "", fmt.Errorf("scenario %s does not exist", id)
			}
			o, err := s.Probe(scenarios.Probe{Step: p.Step, As: p.As, Run: p.Run, Edits: p.Edit, Solution: p.Solution})
			if err != nil {
				return false, "", err
			}
			return o.Matches(p.Outcome), o.Verdict(), nil
		},
	}
}
