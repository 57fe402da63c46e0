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
	if args[0] == "list" {
		return listScenarios(args[1:], stdout, stderr)
	}
	all, err := loadScenarios(args[1:])
	failed := 0
	// A file that does not load is one failed scenario per problem file.
	if ps, ok := err.(scenarios.Problems); ok {
		for _, p := range ps {
			fmt.Fprintln(stdout, termSafe(p.Error()))
		}
		files := problemFiles(ps)
		failed += len(files)
		all = dropFiles(all, files)
	} else if err != nil {
		fmt.Fprintf(stderr, "iamlab scenarios check: %v\n", termSafe(err.Error()))
		return exitFailure
	}
	passed := 0
	for _, s := range all {
		fails := s.Check()
		for _, f := range fails {
			fmt.Fprintln(stdout, termSafe(fmt.Sprint(f)))
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

// listScenarios implements `iamlab scenarios list [DIR...]`: the scenarios
// in each DIR, or the built-in ones and the learner's own (from the config
// folder), as the app shows them.
func listScenarios(dirs []string, stdout, stderr io.Writer) int {
	var all []*scenarios.Scenario
	var err error
	if len(dirs) == 0 {
		own, notices := learnerScenarios("")
		for _, n := range notices {
			fmt.Fprintf(stderr, "iamlab scenarios: %s\n", n)
		}
		all, err = withBuiltinScenarios(own)
	} else {
		all, err = loadScenarios(dirs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamlab scenarios: %s\n", termSafe(err.Error()))
		if all == nil {
			return exitFailure
		}
	}
	for _, s := range all {
		challenge := ""
		if s.Challenge != nil {
			challenge = "  [challenge]"
		}
		fmt.Fprintf(stdout, "%-40s %-6s %s%s\n", termSafe(s.ID), termSafe(s.Difficulty), termSafe(s.Title), challenge)
	}
	return exitOK
}

func problemFiles(ps scenarios.Problems) map[string]bool {
	files := map[string]bool{}
	for _, p := range ps {
		files[p.File] = true
	}
	return files
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

// builtinScenarios are the built-in scenarios by id, for links.
func builtinScenarios() map[string]*scenarios.Scenario {
	byID := map[string]*scenarios.Scenario{}
	all, _ := scenarios.Builtin()
	for _, s := range all {
		byID[strings.TrimSpace(s.ID)] = s
	}
	return byID
}
