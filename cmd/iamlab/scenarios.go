package main

import (
	"fmt"
	"io"
	"strings"

	"iamlab/scenarios"
)

// runScenarios implements `iamlab scenarios list` and
// `iamlab scenarios check [DIR...]`.
func runScenarios(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "check") {
		fmt.Fprintln(stderr, "Usage: iamlab scenarios list | iamlab scenarios check [DIR...]")
		return exitBadUsage
	}
	all, err := loadScenarios(args[1:])
	if args[0] == "list" {
		if err != nil {
			fmt.Fprintf(stderr, "iamlab scenarios: %v\n", err)
			if all == nil {
				return exitFailure
			}
		}
		for _, s := range all {
			challenge := ""
			if s.Challenge != nil {
				challenge = "  [challenge]"
			}
			fmt.Fprintf(stdout, "%-40s %-6s %s%s\n", s.ID, s.Difficulty, s.Title, challenge)
		}
		return exitOK
	}
	failed := 0
	// A file that does not load is one failed scenario per problem file.
	if ps, ok := err.(scenarios.Problems); ok {
		files := map[string]bool{}
		for _, p := range ps {
			fmt.Fprintln(stdout, p.Error())
			files[p.File] = true
		}
		failed += len(files)
		all = dropFiles(all, files)
	} else if err != nil {
		fmt.Fprintf(stderr, "iamlab scenarios check: %v\n", err)
		return exitFailure
	}
	passed := 0
	for _, s := range all {
		fails := s.Check()
		for _, f := range fails {
			fmt.Fprintln(stdout, f)
		}
		if len(fails) > 0 {
			failed++
		} else {
			passed++
		}
	}
	fmt.Fprintf(stdout, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

func dropFiles(all []*scenarios.Scenario, files map[string]bool) []*scenarios.Scenario {
	var out []*scenarios.Scenario
	for _, s := range all {
		if !files[s.File] {
			out = append(out, s)
		}
	}
	return out
}

// loadScenarios loads the built-in scenarios, or those in dirs.
func loadScenarios(dirs []string) ([]*scenarios.Scenario, error) {
	if len(dirs) == 0 {
		return scenarios.Builtin()
	}
	var all []*scenarios.Scenario
	var problems scenarios.Problems
	for _, dir := range dirs {
		ss, err := scenarios.LoadDir(dir)
		if ps, ok := err.(scenarios.Problems); ok {
			problems = append(problems, ps...)
		} else if err != nil {
			return nil, err
		}
		all = append(all, ss...)
	}
	if len(problems) > 0 {
		return all, problems
	}
	return all, nil
}

// builtinScenarioIDs is the set of built-in scenario ids, for links.
func builtinScenarioIDs() map[string]bool {
	ids := map[string]bool{}
	all, _ := scenarios.Builtin()
	for _, s := range all {
		ids[strings.TrimSpace(s.ID)] = true
	}
	return ids
}
