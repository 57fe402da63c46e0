package tui

import (
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"iamlab/content"
	"iamlab/scenarios"
	"iamlab/tui/internal/tuitest"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// testStart is the fixed "now" of every test.
var testStart = tuitest.Start

var (
	libOnce sync.Once
	testLib *content.Library
	libErr  error
)

// builtinScenarios loads the scenarios once for every test.
func builtinScenarios() ([]*scenarios.Scenario, error) { return tuitest.Scenarios() }

func library(tb testing.TB) *content.Library {
	tb.Helper()
	libOnce.Do(func() { testLib, libErr = content.Builtin() })
	if libErr != nil {
		tb.Fatalf("content.Builtin() = %v", libErr)
	}
	return testLib
}

// fakeClock is the app's clock in tests; advance moves it.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// harness drives an App by calling Update with messages and running the
// commands it returns, synchronously, in order: no program, no sleeps.
// Timer ticks are recorded, not scheduled: a test sends them itself.
type harness struct {
	tb    testing.TB
	app   *App
	clock *fakeClock
	prog  *memProgress
	ticks int
	quit  bool
	w, h  int
	// await is the last command that waits outside the program (the
	// sandbox's served estate); no test runs it here.
	await tea.Cmd
}

type harnessOpt func(*Deps)

func withNotices(n ...string) harnessOpt { return func(d *Deps) { d.Notices = n } }

func newHarness(tb testing.TB, w, h int, opts ...harnessOpt) *harness {
	tb.Helper()
	return startHarness(tb, w, h, &fakeClock{t: testStart}, newMemProgress(), opts...)
}

// relaunch starts the app again over the same progress, a minute later.
func (hs *harness) relaunch(opts ...harnessOpt) *harness {
	hs.tb.Helper()
	hs.clock.advance(time.Minute)
	return startHarness(hs.tb, hs.w, hs.h, hs.clock, hs.prog, opts...)
}

func startHarness(tb testing.TB, w, h int, clock *fakeClock, prog *memProgress, opts ...harnessOpt) *harness {
	tb.Helper()
	hs := &harness{tb: tb, clock: clock, prog: prog}
	d := Deps{Library: library(tb), Progress: hs.prog, Now: hs.clock.now, Scenarios: builtinScenarios}
	for _, o := range opts {
		o(&d)
	}
	hs.app = New(d)
	hs.app.sh.Tick = tickless(hs)
	hs.app.sh.Await = func(c tea.Cmd) tea.Cmd {
		hs.await = c
		return nil
	}
	tb.Cleanup(func() { _ = hs.app.sandbox.Close() })
	hs.run(hs.app.Init())
	hs.send(tea.BackgroundColorMsg{Color: color.Black})
	hs.resize(w, h)
	return hs
}

func (hs *harness) resize(w, h int) {
	hs.w, hs.h = w, h
	hs.send(tea.WindowSizeMsg{Width: w, Height: h})
}

// send delivers messages one by one, each with the commands it causes.
func (hs *harness) send(msgs ...tea.Msg) {
	hs.tb.Helper()
	for _, m := range msgs {
		_, cmd := hs.app.Update(m)
		hs.run(cmd)
		if hs.app.fatal != nil {
			hs.tb.Fatalf("Update(%T %v): %v", m, m, hs.app.fatal)
		}
	}
}

// run executes a command and everything that follows from it.
func (hs *harness) run(cmd tea.Cmd) {
	hs.tb.Helper()
	deliver := func(msg tea.Msg) tea.Cmd {
		_, next := hs.app.Update(msg)
		return next
	}
	if !tuitest.Run(cmd, deliver, func() { hs.quit = true }) {
		hs.tb.Fatal("commands never settle")
	}
}

// press sends keys by name: "enter", "esc", "ctrl+c", "j", "G" and so on.
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

// screen is the whole screen as plain text.
func (hs *harness) screen() string {
	return ansi.Strip(hs.app.View().Content)
}

// checkShape fails unless the view is exactly the terminal's size.
func (hs *harness) checkShape() {
	hs.tb.Helper()
	v := hs.app.View()
	if strings.HasPrefix(v.Content, "iamlab could not draw") {
		hs.tb.Fatalf("View() failed: %s", v.Content)
	}
	lines := strings.Split(v.Content, "\n")
	if len(lines) != hs.h {
		hs.tb.Fatalf("View() has %d lines, want %d", len(lines), hs.h)
	}
	for i, l := range lines {
		if w := width(l); w != hs.w {
			hs.tb.Fatalf("View() line %d is %d cells wide, want %d: %q", i, w, hs.w, ansi.Strip(l))
		}
	}
}

func (hs *harness) active() screenID { return hs.app.active() }

// seed records answers as if given days ago, to give the screens a past.
func (hs *harness) seed(tb testing.TB) {
	lib := library(tb)
	for i, q := range lib.Questions {
		if i%3 == 0 {
			continue
		}
		ok := i%4 != 0
		at := testStart.AddDate(0, 0, -(i%40)-1)
		_ = hs.prog.RecordAnswer(store.Answer{QuestionID: q.ID, Topic: q.Topic, Domains: q.Domains, At: at, Correct: ok,
			Rating: srs.RatingFor(ok, 20*time.Second, false), ResponseTime: 20 * time.Second, Mode: store.ModePractice})
	}
	hs.prog.Solved["cross-account-bucket-both-required"] = testStart.AddDate(0, 0, -2)
}

// question finds a question of the library by a property.
func findQuestion(tb testing.TB, ok func(*content.Question) bool) *content.Question {
	tb.Helper()
	for _, q := range library(tb).Questions {
		if ok(q) {
			return q
		}
	}
	tb.Fatal("no question matches")
	return nil
}

// correctKeys are the letter keys of a question's right options.
func correctKeys(q *content.Question) []string {
	var out []string
	for _, i := range q.Correct() {
		out = append(out, strings.ToLower(letter(i)))
	}
	return out
}

func wrongKey(q *content.Question) string {
	for i, o := range q.Options {
		if !o.Correct {
			return strings.ToLower(letter(i))
		}
	}
	return "a"
}

func ansiStrip(s string) string { return ansi.Strip(s) }

// tickless is the app's timer in tests: it counts the ticks asked for and
// schedules none.
func tickless(hs *harness) func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
	return func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
		hs.ticks++
		return nil
	}
}
