package sandbox

import (
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"iamlab/tui/common"
	"iamlab/tui/internal/tuitest"
	"iamlab/tui/store"
)

// memProgress is the progress store in tests: in memory, counting writes.
type memProgress struct{ *tuitest.Sandboxes }

func newMemProgress() *memProgress { return &memProgress{tuitest.NewSandboxes()} }

func (m *memProgress) Stats(time.Time) (store.Stats, error) {
	return store.Stats{Solved: m.SolvedAt()}, nil
}

// harness drives a Screen as the app would, without a terminal: it calls
// Update with messages and runs the commands they return, synchronously,
// in order. Timer ticks are counted, not scheduled: a test sends them
// itself. The screen gets the terminal's size less the app's header and
// footer.
type harness struct {
	tb    testing.TB
	s     *Screen
	sh    *common.Shared
	prog  *memProgress
	now   time.Time
	ticks int
	// backs counts the screen asking the app for the screen before.
	backs int
	// await is the last command that waits outside the program (the
	// served estate's next requests): awaitLive runs it.
	await tea.Cmd
	errs  []error
	w, h  int
}

func newHarness(tb testing.TB, w, h int) *harness {
	tb.Helper()
	hs := &harness{tb: tb, prog: newMemProgress(), now: tuitest.Start}
	hs.sh = &common.Shared{
		Now: func() time.Time { return hs.now },
		Tick: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
			hs.ticks++
			return nil
		},
		Await: func(c tea.Cmd) tea.Cmd {
			hs.await = c
			return nil
		},
		Styles: common.NewStyles(true),
		Dark:   true,
		MD:     common.NewMarkdown(),
	}
	hs.s = New(hs.sh, hs.prog, tuitest.Scenarios)
	tb.Cleanup(func() { _ = hs.s.Close() })
	hs.send(tea.BackgroundColorMsg{Color: color.Black})
	hs.resize(w, h)
	hs.send(common.ShownMsg{})
	return hs
}

func (hs *harness) resize(w, h int) {
	hs.w, hs.h = w, h
	hs.s.SetSize(w, h-2)
	hs.send(common.RefreshMsg{})
}

// send delivers messages one by one, each with the commands it causes.
func (hs *harness) send(msgs ...tea.Msg) {
	hs.tb.Helper()
	for _, m := range msgs {
		hs.deliver(m)
	}
}

func (hs *harness) deliver(msg tea.Msg) {
	hs.tb.Helper()
	switch m := msg.(type) {
	case tea.BackgroundColorMsg:
		hs.sh.SetDark(m.IsDark())
		msg = common.RefreshMsg{}
	case common.MDRenderedMsg:
		hs.sh.MD.Put(m)
	case common.BackMsg:
		hs.backs++
		return
	case common.ErrorMsg:
		hs.errs = append(hs.errs, m.Err)
		return
	}
	hs.run(hs.s.Update(msg))
}

// run executes a command and everything that follows from it.
func (hs *harness) run(cmd tea.Cmd) {
	hs.tb.Helper()
	deliver := func(msg tea.Msg) tea.Cmd {
		hs.deliver(msg)
		return nil
	}
	if !tuitest.Run(cmd, deliver, func() {}) {
		hs.tb.Fatal("commands never settle")
	}
}

// awaitLive runs the command waiting for the served estate's next
// requests, as the program would, and delivers what it brings; it fails
// after 10 seconds.
func (hs *harness) awaitLive() {
	hs.tb.Helper()
	wait := hs.await
	if wait == nil {
		hs.tb.Fatal("nothing waits for requests: is the scenario served?")
	}
	hs.await = nil
	got := make(chan tea.Msg, 1)
	go func() { got <- wait() }()
	select {
	case msg := <-got:
		hs.send(msg)
	case <-time.After(10 * time.Second):
		hs.tb.Fatal("no request reached the Live pane in 10 s")
	}
}

// press sends keys by name: "enter", "esc", "ctrl+k", "j", "G" and so on.
func (hs *harness) press(keys ...string) {
	hs.tb.Helper()
	hs.send(tuitest.Keys(keys...)...)
}

// typeText sends each rune as a key.
func (hs *harness) typeText(s string) {
	hs.tb.Helper()
	hs.send(tuitest.Typed(s)...)
}

func keyMsg(k string) tea.KeyPressMsg { return tuitest.Key(k) }

// screen is the screen's view as plain text.
func (hs *harness) screen() string { return ansi.Strip(hs.s.View()) }

// checkShape fails unless the view fits the screen's area.
func (hs *harness) checkShape() {
	hs.tb.Helper()
	lines := strings.Split(hs.s.View(), "\n")
	if len(lines) > hs.h-2 {
		hs.tb.Fatalf("View() has %d lines, want at most %d", len(lines), hs.h-2)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > hs.w {
			hs.tb.Fatalf("View() line %d is %d cells wide, want at most %d: %q", i, w, hs.w, ansi.Strip(l))
		}
	}
}
