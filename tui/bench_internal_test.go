package tui

import (
	"io"
	"testing"

	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/tui/common"
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
	pool := common.NewRendererPool()
	for b.Loop() {
		if _, err := pool.Render(n.Body, 100, true); err != nil {
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
