package tui

import (
	"slices"
	"testing"
	"time"

	"iamlab/content"
	"iamlab/tui/store"
)

var _ Progress = (*store.Store)(nil)

// TestWithStore runs a practice answer, a review and an exam against the
// real SQLite store.
func TestWithStore(t *testing.T) {
	s, notices, err := store.Open(t.TempDir(), testStart)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	hs := newHarness(t, 80, 24)
	clock := hs.clock
	hs.app = New(Deps{Library: library(t), Progress: s, Now: clock.now, Notices: notices})
	hs.app.sh.Tick = tickless(hs)
	hs.run(hs.app.Init())
	hs.resize(80, 24)

	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	practice(hs, q)
	hs.press(wrongKey(q), "enter")
	answers, err := s.Answers()
	if err != nil || len(answers) != 1 || answers[0].Correct {
		t.Fatalf("store has %+v (%v), want one wrong answer", answers, err)
	}
	// The miss comes back in Review once its learning step is over.
	clock.advance(2 * time.Minute)
	hs.press("esc", "r")
	if hs.app.review.pane.ans.q != q {
		t.Fatalf("review shows %v, want the missed %s", hs.app.review.pane.ans.q, q.ID)
	}
	hs.press(correctKeys(q)[0], "enter", "4")
	due, _ := s.Due(clock.now())
	if slices.Contains(due, q.ID) {
		t.Error("after Easy the question is still due")
	}
	hs.press("esc", "e", "h", "h", "enter", "a", "S", "y")
	exams, err := s.Exams()
	if err != nil || len(exams) != 1 || len(exams[0].Questions) != 10 {
		t.Fatalf("store has exams %+v (%v), want one of 10 questions", exams, err)
	}
	hs.press("esc", "p")
	if !hs.app.progress.loaded || hs.app.progress.stats.Answered != 12 {
		t.Errorf("progress shows %d answers, want 12 (2, then every question of the exam)", hs.app.progress.stats.Answered)
	}
}
