package tui

import (
	"io"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/scenarios"
)

// longestNote is the note with the most text.
func longestNote(tb testing.TB) *content.Note {
	var best *content.Note
	for _, n := range library(tb).Notes {
		if best == nil || len(n.Body) > len(best.Body) {
			best = n
		}
	}
	return best
}

// BenchmarkFirstHomeViewPreloaded builds the App from material loaded
// outside the loop and an in-memory store, loads the home screen's summary
// and draws the first home view at 120×40. It is the app's own share of
// start-up, not the whole process: bench/startup/startup.py measures that,
// to the first frame on a pty, beside a bare Bubble Tea program.
func BenchmarkFirstHomeViewPreloaded(b *testing.B) {
	lib := library(b)
	hs := newHarness(b, 80, 24)
	hs.seed(b)
	for b.Loop() {
		a := New(Deps{Library: lib, Progress: hs.prog, Now: hs.clock.now})
		for _, cmd := range []tea.Cmd{a.screens[homeID].update(shownMsg{})} {
			a.Update(cmd())
		}
		a.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if a.View().Content == "" {
			b.Fatal("empty first view")
		}
	}
}

// BenchmarkRenderNote renders the longest note with Glamour and Chroma at
// 100 columns, as the notes screen's command does (renderer already built).
func BenchmarkRenderNote(b *testing.B) {
	n := longestNote(b)
	pool := newRendererPool()
	for b.Loop() {
		if _, err := pool.render(n.Body, 100, true); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderNoteCLI is `iamlab notes TOPIC` to a pipe that asked for
// colour: a new renderer each time, as a fresh process has.
func BenchmarkRenderNoteCLI(b *testing.B) {
	n := longestNote(b)
	for b.Loop() {
		if err := RenderNote(io.Discard, n, 100, false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrollNote scrolls an open note a line and draws the frame: no
// rendering, only the pager moving over cached lines.
func BenchmarkScrollNote(b *testing.B) {
	hs := newHarness(b, 120, 40)
	hs.press("n", "enter")
	down, up := keyMsg("j"), keyMsg("k")
	dir := down
	for b.Loop() {
		p := &hs.app.notes.pager
		if p.offset == p.maxOffset() {
			dir = up
		} else if p.offset == 0 {
			dir = down
		}
		hs.app.Update(dir)
		_ = hs.app.View()
	}
}

// BenchmarkQuizFrame draws an answered practice question.
func BenchmarkQuizFrame(b *testing.B) {
	hs := newHarness(b, 120, 40)
	hs.press("u", "a", "enter")
	for b.Loop() {
		_ = hs.app.View()
	}
}

// BenchmarkSandboxKeystroke is one keystroke in the policy editor of
// assume-role-same-account (6 policies, 8 steps), from the key to the new
// frame at 120×40: the text highlighted, parsed and linted, every step run
// again through Scenario.Run, the steps table and the explanation drawn.
// The keys alternate a space and backspace, so every one re-runs.
func BenchmarkSandboxKeystroke(b *testing.B) {
	hs := newHarness(b, 120, 40)
	openScenario(hs, "assume-role-same-account")
	sc := hs.app.sandbox.sc
	if len(sc.policies) != 6 || len(sc.s.Steps) != 8 {
		b.Fatalf("scenario has %d policies and %d steps, want 6 and 8", len(sc.policies), len(sc.s.Steps))
	}
	editPolicy(hs, "role/AuditRole/trust")
	hs.press("ctrl+home", "down", "down", "down", "end") // after "Sid": "AccountDecides",
	keys := []tea.KeyPressMsg{keyMsg("space"), keyMsg("backspace")}
	runs := 0
	for b.Loop() {
		before := sc.report
		_, cmd := hs.app.Update(keys[runs%2])
		hs.run(cmd)
		if v := hs.app.View(); v.Content == "" || sc.report == before {
			b.Fatal("the keystroke did not run the steps and draw a frame")
		}
		runs++
	}
}

// BenchmarkSandboxOpen opens assume-role-same-account from the list and
// draws its first frame, the story rendered by Glamour (renderer built,
// rendering not cached), the steps run as shipped, the policies listed
// and highlighted.
func BenchmarkSandboxOpen(b *testing.B) {
	hs := newHarness(b, 120, 40)
	hs.press("s")
	var it *scenarios.Scenario
	for _, s := range hs.app.sandbox.all {
		if s.ID == "assume-role-same-account" {
			it = s
		}
	}
	pool := hs.app.sh.md.pool
	for b.Loop() {
		hs.app.sh.md = &markdown{pool: pool, cache: map[mdKey][]string{}, pending: map[mdKey]bool{}}
		s, cmd := hs.app.sandbox.open(it)
		hs.app.sandbox = s
		hs.run(cmd)
		if v := hs.app.View(); !strings.Contains(v.Content, "AssumeRole") {
			b.Fatal("no first frame")
		}
		hs.app.sandbox.sc = nil
	}
}
