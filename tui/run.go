package tui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"iamlab/content"
	"iamlab/tui/common"
)

// Run runs the app until the learner quits. It never shows a Go stack
// trace: a panic anywhere in the app comes back as an error, after the
// terminal is restored.
func Run(d Deps) (err error) {
	if d.Library == nil && d.LoadLibrary == nil {
		return errors.New("run: no study material")
	}
	a := New(d)
	// Closed after runProgram, which waits for the last writes.
	defer func() {
		if a.closeProgress != nil {
			a.closeProgress()
		}
	}()
	// lipgloss detected the terminal's colour profile for os.Stdout in its
	// package init (lipgloss.Writer); Bubble Tea would detect it again for
	// the same output and environment, which inside tmux runs `tmux info`
	// a second time (about 50 ms) before the first frame.
	return runProgram(a, newProgram(a, tea.WithColorProfile(lipgloss.Writer.Profile)))
}

// newProgram makes the program that runs a; tests add options to run it
// without a terminal.
func newProgram(a *App, opts ...tea.ProgramOption) *tea.Program {
	// Bubble Tea's own panic handler prints a stack trace; App recovers in
	// Update, View and every command instead.
	return tea.NewProgram(a, append([]tea.ProgramOption{tea.WithoutCatchPanics()}, opts...)...)
}

// runProgram runs p, which runs a, until it ends, then waits for a's store
// writes.
func runProgram(a *App, p *tea.Program) (err error) {
	// However the program ends, the sandbox stops serving: no listener
	// or folder of AWS CLI files is left behind.
	defer func() { _ = a.sandbox.Close() }()
	defer func() {
		if r := recover(); r != nil {
			_ = p.ReleaseTerminal()
			err = fmt.Errorf("iamlab stopped on an internal error: %v", r)
		}
	}()
	_, err = p.Run()
	// However the program ended, the store writes it queued finish first.
	if !a.sh.writes.wait(quitWait) {
		return errors.New("some progress may not have been saved: the store did not answer in time")
	}
	if err != nil && !errors.Is(err, tea.ErrInterrupted) {
		return fmt.Errorf("run the terminal app: %w", err)
	}
	if a.fatal != nil {
		return fmt.Errorf("iamlab stopped: %w", a.fatal)
	}
	return nil
}

// RenderNote writes a note for reading outside the app (`iamlab notes
// TOPIC`): rendered by Glamour, with JSON highlighted by Chroma, at the
// given width, or, when plain is set (the output is piped), as its Markdown
// text. Colours follow the terminal's background and NO_COLOR. A note too
// large to render in good time (common.MaxRender) is written as its text.
func RenderNote(w io.Writer, n *content.Note, width int, plain bool) error {
	if n == nil {
		return errors.New("render note: no note")
	}
	if len(n.Body) > common.MaxRender {
		plain = true
	}
	if plain {
		_, err := fmt.Fprintf(w, "# %s\n\n%s", n.Title, strings.TrimLeft(n.Body, "\n"))
		if err == nil && !strings.HasSuffix(n.Body, "\n") {
			_, err = io.WriteString(w, "\n")
		}
		if err != nil {
			return fmt.Errorf("write note %s: %w", n.ID, err)
		}
		return nil
	}
	if width <= 0 {
		width = 80
	}
	lines, err := common.NewRendererPool().Render("# "+n.Title+"\n\n"+n.Body, width, darkTerminal(w))
	if err != nil {
		return fmt.Errorf("render note %s: %w", n.ID, err)
	}
	out := &colorprofile.Writer{Forward: w, Profile: colorprofile.Env(os.Environ())}
	if _, err := io.WriteString(out, "\n"+strings.Join(lines, "\n")+"\n\n"); err != nil {
		return fmt.Errorf("write note %s: %w", n.ID, err)
	}
	return nil
}

// darkTerminal asks the terminal for its background when w is one; it
// assumes dark otherwise, as Glamour does.
func darkTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || !term.IsTerminal(os.Stdin.Fd()) {
		return true
	}
	return lipgloss.HasDarkBackground(os.Stdin, f)
}
