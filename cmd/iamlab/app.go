package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/charmbracelet/x/term"

	"iamlab/content"
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
	material := func() (*content.Library, []string, error) { return studyMaterial(f.contentDir) }
	progress := func() (tui.Progress, []string, func()) { return openProgress(f.dataDir) }
	if err := tui.Run(tui.Deps{LoadLibrary: material, OpenProgress: progress}); err != nil {
		fmt.Fprintf(stderr, "iamlab: %v\n", err)
		return exitFailure
	}
	return exitOK
}

// studyMaterial is the built-in material plus the learner's own: their
// folder's problems become notices, and what loads is used.
func studyMaterial(dir string) (*content.Library, []string, error) {
	lib, err := content.Builtin()
	if err != nil {
		return nil, nil, fmt.Errorf("built-in material: %w", err)
	}
	var notices []string
	if dir == "" {
		dir = userContentDir()
		if _, err := os.Stat(dir); err != nil {
			return lib, nil, nil
		}
	}
	own, err := content.LoadDir(dir)
	if own == nil {
		return lib, []string{fmt.Sprintf("your material in %s was not loaded: %v", dir, err)}, nil
	}
	if err != nil {
		notices = append(notices, fmt.Sprintf("some of your material in %s has problems (run iamlab content check %s): %v", dir, dir, firstLine(err)))
	}
	if err := lib.Merge(own); err != nil {
		notices = append(notices, fmt.Sprintf("your material in %s clashes with the built-in one: %v", dir, firstLine(err)))
	}
	return lib, notices, nil
}

func firstLine(err error) string {
	s := err.Error()
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i] + " ..."
		}
	}
	return s
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
	lib, _, err := studyMaterial(f.contentDir)
	if err != nil {
		fmt.Fprintf(stderr, "iamlab notes: %v\n", err)
		return exitFailure
	}
	if fs.NArg() == 0 {
		for _, n := range lib.Notes {
			fmt.Fprintf(stdout, "%-32s %s\n", n.ID, n.Title)
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
		fmt.Fprintf(stderr, "iamlab notes: no topic %q; the topics are: %v\n", fs.Arg(0), ids)
		return exitBadUsage
	}
	width, plain := 80, true
	if out, ok := stdout.(*os.File); ok && term.IsTerminal(out.Fd()) {
		plain = false
		if w, _, err := term.GetSize(out.Fd()); err == nil && w > 20 {
			width = min(w, 120)
		}
	}
	if err := tui.RenderNote(stdout, n, width, plain); err != nil {
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
	s, notices, err := store.Open(d, time.Now())
	for _, n := range notices {
		fmt.Fprintln(stderr, "iamlab:", n)
	}
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
