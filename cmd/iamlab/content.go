package main

import (
	"fmt"
	"io"

	"iamlab/content"
	"iamlab/engine"
)

// runContent implements `iamlab content check [DIR...]`: the built-in notes
// and questions, or those in each DIR, loaded, linked and checked.
func runContent(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, "Usage: iamlab content check [DIR...]")
		return exitBadUsage
	}
	lib, loadErr := loadContent(args[1:])
	if lib == nil {
		fmt.Fprintf(stderr, "iamlab content check: %v\n", loadErr)
		return exitFailure
	}
	fmt.Fprintf(stdout, "notes %d\nquestions %d\n", len(lib.Notes), len(lib.Questions))
	var problems content.Problems
	if ps, ok := loadErr.(content.Problems); ok {
		problems = append(problems, ps...)
	} else if loadErr != nil {
		fmt.Fprintf(stderr, "iamlab content check: %v\n", loadErr)
		return exitFailure
	}
	ids := builtinScenarioIDs()
	problems = append(problems, lib.Check(content.Links{
		Scenario: func(id string) bool { return ids[id] },
		Policy: func(text []byte) error {
			_, err := engine.ParsePolicy(text)
			return err
		},
	})...)
	for _, p := range problems {
		fmt.Fprintln(stdout, p.Error())
	}
	failed := problems.Failed()
	total := len(lib.Notes) + len(lib.Questions)
	fmt.Fprintf(stdout, "%d passed, %d failed\n", max(total-failed, 0), failed)
	if failed > 0 {
		return exitFailure
	}
	return exitOK
}

// loadContent loads the built-in material, or the material in dirs.
func loadContent(dirs []string) (*content.Library, error) {
	if len(dirs) == 0 {
		return content.Builtin()
	}
	var lib *content.Library
	var errs content.Problems
	for _, dir := range dirs {
		l, err := content.LoadDir(dir)
		if l == nil {
			return nil, err
		}
		if ps, ok := err.(content.Problems); ok {
			errs = append(errs, ps...)
		} else if err != nil {
			return nil, err
		}
		if lib == nil {
			lib = l
		} else if err := lib.Merge(l); err != nil {
			if ps, ok := err.(content.Problems); ok {
				errs = append(errs, ps...)
			}
		}
	}
	if len(errs) > 0 {
		return lib, errs
	}
	return lib, nil
}
