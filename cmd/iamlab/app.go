package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/term"

	"iamlab/content"
	"iamlab/scenarios"
	"iamlab/tui"
	"iamlab/tui/store"
)

// appFlags are the options of the app itself: where progress lives and
// where the learner's own material is.
type appFlags struct {
	dataDir    string
	contentDir string
}

func parseAppFlags(name string, args []string, stderr io.Writer) (*appFlags, *flag.FlagSet, error) {
	f := &appFlags{}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.dataDir, "data-dir", "", "where progress is kept (default $XDG_STATE_HOME/iamlab, ~/.local/state/iamlab)")
	fs.StringVar(&f.contentDir, "content", "", "a folder of your own notes, questions and scenarios (default $XDG_CONFIG_HOME/iamlab, ~/.config/iamlab)")
	return f, fs, fs.Parse(args)
}

// runApp starts the study app.
func runApp(args []string, stdout, stderr io.Writer) int {
	f, _, err := parseAppFlags("iamlab", args, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitBadUsage
	}
	// The material and the store load after the home screen's first frame.
	// The learner's scenarios are read once: their notices come with the
	// material, the scenarios when the sandbox first loads them.
	own := sync.OnceValues(func() ([]*scenarios.Scenario, []string) { return learnerScenarios(f.contentDir) })
	material := func() (*content.Library, []string, error) {
		lib, notices, err := studyMaterial(f.contentDir)
		_, more := own()
		return lib, append(notices, more...), err
	}
	loadScenarios := func() ([]*scenarios.Scenario, error) {
		ss, _ := own()
		return withBuiltinScenarios(ss)
	}
	progress := func() (tui.Progress, []string, func()) { return openProgress(f.dataDir) }
	if err := tui.Run(tui.Deps{LoadLibrary: material, OpenProgress: progress, Scenarios: loadScenarios}); err != nil {
		fmt.Fprintf(stderr, "iamlab: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// learnerDir is the folder of the learner's own material: dir when given,
// else the config folder when it exists, else "".
func learnerDir(dir string) string {
	if dir != "" {
		return dir
	}
	dir = userContentDir()
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// studyMaterial is the built-in material plus the learner's own: what
// loads is used, and every file that does not load, or clashes with the
// built-in material, is named in a notice.
func studyMaterial(dir string) (*content.Library, []string, error) {
	lib, err := content.Builtin()
	if err != nil {
		return nil, nil, fmt.Errorf("built-in material: %w", err)
	}
	dir = learnerDir(dir)
	if dir == "" {
		return lib, nil, nil
	}
	own, err := content.LoadDir(dir)
	if own == nil {
		return lib, []string{termSafe(fmt.Sprintf("Your material in %s was not loaded: %v", dir, err))}, nil
	}
	problems := asProblems(err)
	problems = append(problems, asProblems(lib.Merge(own))...)
	if len(problems) == 0 {
		return lib, nil, nil
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.Error()
	}
	return lib, []string{learnerNotice("Some of your notes and questions", dir, "content", lines)}, nil
}

// learnerNotice is one notice about the problems in a learner's folder:
// the first few, each naming its file, and how to see them all.
func learnerNotice(what, dir, command string, problems []string) string {
	const shown = 3
	msg := fmt.Sprintf("%s in %s have problems and were left out where they do: %s", what, dir, strings.Join(problems[:min(len(problems), shown)], "; "))
	if len(problems) > shown {
		msg += fmt.Sprintf("; and %d more", len(problems)-shown)
	}
	return termSafe(msg + fmt.Sprintf(" (iamlab %s check %s lists them all)", command, dir))
}

func asProblems(err error) content.Problems {
	if err == nil {
		return nil
	}
	if ps, ok := err.(content.Problems); ok {
		return ps
	}
	return content.Problems{{Message: err.Error()}}
}

// learnerScenarios loads the scenarios in the learner's folder, with a
// notice naming each file that does not load.
func learnerScenarios(dir string) ([]*scenarios.Scenario, []string) {
	dir = learnerDir(dir)
	if dir == "" {
		return nil, nil
	}
	own, err := scenarios.LoadDir(dir)
	if err == nil {
		return own, nil
	}
	ps, ok := err.(scenarios.Problems)
	if !ok {
		return nil, []string{termSafe(fmt.Sprintf("Your scenarios in %s were not loaded: %v", dir, err))}
	}
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return dropFiles(own, problemFiles(ps)), []string{learnerNotice("Some of your scenarios", dir, "scenarios", lines)}
}

// withBuiltinScenarios loads the built-in scenarios and adds the learner's;
// a learner scenario whose id is a built-in one is left out, the built-in
// one kept.
func withBuiltinScenarios(own []*scenarios.Scenario) ([]*scenarios.Scenario, error) {
	all, err := scenarios.Builtin()
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, s := range all {
		ids[s.ID] = true
	}
	for _, s := range own {
		if !ids[s.ID] {
			all = append(all, s)
		}
	}
	return all, nil
}

// userContentDir is $XDG_CONFIG_HOME/iamlab, else ~/.config/iamlab.
func userContentDir() string {
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "iamlab")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "iamlab")
}

// openProgress opens the store; when it cannot, the app runs without
// keeping progress and says so.
func openProgress(dir string) (tui.Progress, []string, func()) {
	if dir == "" {
		d, err := store.DefaultDir()
		if err != nil {
			return nil, []string{"progress will not be kept: " + err.Error()}, func() {}
		}
		dir = d
	}
	s, notices, err := store.Open(dir, time.Now())
	if err != nil {
		return nil, append(notices, "progress will not be kept: "+err.Error()), func() {}
	}
	return s, notices, func() { s.Close() }
}

// runNotes implements `iamlab notes [TOPIC]`.
func runNotes(args []string, stdout, stderr io.Writer) int {
	f, fs, err := parseAppFlags("notes", args, stderr)
	if err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitBadUsage
	}
	lib, notices, err := studyMaterial(f.contentDir)
	if err != nil {
		fmt.Fprintf(stderr, "iamlab notes: %v\n", err)
		return exitFailure
	}
	for _, n := range notices {
		fmt.Fprintf(stderr, "iamlab notes: %s\n", n)
	}
	if fs.NArg() == 0 {
		for _, n := range lib.Notes {
			fmt.Fprintf(stdout, "%-32s %s\n", termSafe(n.ID), termSafe(n.Title))
		}
		return exitOK
	}
	n, ok := lib.Note(fs.Arg(0))
	if !ok {
		var ids []string
		for _, n := range lib.Notes {
			ids = append(ids, n.ID)
		}
		sort.Strings(ids)
		fmt.Fprintf(stderr, "iamlab notes: no topic %q; the topics are: %v\n", fs.Arg(0), termSafe(strings.Join(ids, " ")))
		return exitBadUsage
	}
	width, plain := 80, true
	if out, ok := stdout.(*os.File); ok && term.IsTerminal(out.Fd()) {
		plain = false
		if w, _, err := term.GetSize(out.Fd()); err == nil && w > 20 {
			width = min(w, 120)
		}
	}
	safe := *n
	safe.ID, safe.Title, safe.Body = termSafe(n.ID), termSafe(n.Title), termSafe(n.Body)
	if err := tui.RenderNote(stdout, &safe, width, plain); err != nil {
		fmt.Fprintf(stderr, "iamlab notes: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// runProgress implements `iamlab progress export [--format json|csv]`.
func runProgress(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "export" {
		fmt.Fprintln(stderr, "Usage: iamlab progress export [--format json|csv] [--data-dir DIR]")
		return exitBadUsage
	}
	fs := flag.NewFlagSet("progress export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "json", "json or csv")
	dir := fs.String("data-dir", "", "where progress is kept")
	if err := fs.Parse(args[1:]); err != nil {
		return exitBadUsage
	}
	if *format != "json" && *format != "csv" {
		fmt.Fprintf(stderr, "iamlab progress export: --format must be json or csv, not %q\n", *format)
		return exitBadUsage
	}
	d := *dir
	if d == "" {
		var err error
		if d, err = store.DefaultDir(); err != nil {
			fmt.Fprintf(stderr, "iamlab progress export: %v\n", err)
			return exitFailure
		}
	}
	// Read-only: an export never changes the store, even a damaged one.
	s, err := store.OpenReadOnly(d, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "iamlab progress export: %v\n", err)
		return exitFailure
	}
	defer s.Close()
	if err := s.Export(stdout, *format); err != nil {
		fmt.Fprintf(stderr, "iamlab progress export: %v\n", err)
		return exitFailure
	}
	return exitOK
}
