package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"iamlab/tui/store"
)

// restart builds a new App on the same progress, as a relaunched iamlab
// would, and runs its start-up commands.
func restart(hs *harness) {
	hs.tb.Helper()
	hs.app = New(Deps{Library: library(hs.tb), Progress: hs.prog, Now: hs.clock.now, Scenarios: builtinScenarios})
	hs.app.sh.Tick = tickless(hs)
	hs.quit = false
	hs.run(hs.app.Init())
	hs.resize(hs.w, hs.h)
}

// TestExamDraftSavedAsGiven: each answer and flag reaches the store as it
// is given (issue 12 item 2), so nothing depends on the exam being
// submitted.
func TestExamDraftSavedAsGiven(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	q := hs.app.exam.items[0].ans.q
	hs.press(correctKeys(q)...)
	d, ok, _ := hs.prog.ExamDraft()
	if !ok || !slices.Equal(d.Questions[0].Chosen, q.Correct()) {
		t.Fatalf("after one answer the draft holds %+v, want %v chosen", d.Questions, q.Correct())
	}
	hs.press("m")
	if d, _, _ := hs.prog.ExamDraft(); !d.Questions[0].Flagged {
		t.Error("the flag did not reach the draft")
	}
	saves := hs.prog.draftSaves
	hs.press("down", "up")
	if hs.prog.draftSaves != saves {
		t.Errorf("moving the cursor saved the draft %d times; only answers, flags and moves between questions do", hs.prog.draftSaves-saves)
	}
}

// TestExamResumeAfterRestart: an exam left under way is offered at the
// next start, and resuming brings back its answers, flags, position and
// the time it had left (issue 13, Exams).
func TestExamResumeAfterRestart(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	answerExam(hs, 3)
	hs.press("m")
	ids := make([]string, len(hs.app.exam.items))
	for i, it := range hs.app.exam.items {
		ids[i] = it.ans.q.ID
	}
	hs.clock.advance(5 * time.Minute)
	hs.press("q")
	if !hs.quit {
		t.Fatal("q did not quit")
	}

	hs.clock.advance(3 * time.Hour) // the clock does not run while iamlab is closed
	restart(hs)
	if s := hs.screen(); !strings.Contains(s, "An exam is in progress (DVA-C02, 3 of 10 answered, 15:00 left): open Exam") {
		t.Errorf("the restarted app does not offer the exam:\n%s", s)
	}
	hs.press("e")
	s := hs.screen()
	for _, want := range []string{"An exam is in progress.", "DVA-C02 · 3 of 10 answered · 1 flagged · 15:00 left", "r resume it"} {
		if !strings.Contains(s, want) {
			t.Errorf("exam setup after a restart lacks %q:\n%s", want, s)
		}
	}
	hs.press("enter")
	if hs.app.exam.phase == examRunning {
		t.Fatal("enter started a new exam over the one in progress")
	}
	hs.press("r")
	ex := hs.app.exam
	if ex.phase != examRunning || ex.cur != 3 || len(ex.items) != 10 {
		t.Fatalf("resumed: phase %v, question %d of %d; want running at 4 of 10", ex.phase, ex.cur+1, len(ex.items))
	}
	for i, it := range ex.items {
		if it.ans.q.ID != ids[i] {
			t.Fatalf("question %d is %s, want %s", i+1, it.ans.q.ID, ids[i])
		}
		if answered := len(it.ans.chosen()) > 0; answered != (i < 3) {
			t.Errorf("question %d answered = %v after resuming", i+1, answered)
		}
	}
	if !ex.items[3].flagged {
		t.Error("the flag on question 4 was lost")
	}
	if !strings.Contains(hs.screen(), "⏱ 15:00 left") {
		t.Errorf("resumed exam should have 15:00 left:\n%s", hs.screen())
	}
	hs.press("S", "y")
	exams, _ := hs.prog.Exams()
	if len(exams) != 1 || exams[0].Score != 100+270 {
		t.Fatalf("after submitting the resumed exam: %+v, want one attempt with 3 of 10 right", exams)
	}
	if _, ok, _ := hs.prog.ExamDraft(); ok {
		t.Error("the draft outlived the submitted attempt")
	}
}

// TestExamAbandon: abandoning drops the exam and logs the answers given.
func TestExamAbandon(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	answerExam(hs, 2)
	hs.press("q")
	restart(hs)
	hs.press("e", "A")
	if _, ok, _ := hs.prog.ExamDraft(); ok {
		t.Fatal("A did not abandon the exam")
	}
	answers := hs.prog.Answers()
	if len(answers) != 2 || answers[0].Mode != store.ModeExam || !answers[0].Correct {
		t.Errorf("abandoning logged %+v, want the 2 answers given", answers)
	}
	if exams, _ := hs.prog.Exams(); len(exams) != 0 {
		t.Errorf("abandoning recorded an attempt: %+v", exams)
	}
	if !strings.Contains(hs.screen(), "DVA-C02  AWS Certified Developer") {
		t.Errorf("after abandoning, the setup should offer a new exam:\n%s", hs.screen())
	}
}

// TestExamMapShowsAnsweredAndFlagged: a question both answered and flagged
// shows both marks in the map.
func TestExamMapShowsAnsweredAndFlagged(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	hs.press(correctKeys(hs.app.exam.items[0].ans.q)...)
	hs.press("m", "n", "m", "n", correctKeys(hs.app.exam.items[2].ans.q)[0], "tab")
	s := hs.screen()
	for _, want := range []string{" 1•⚑", " 2 ⚑", " 3•"} {
		if !strings.Contains(s, want) {
			t.Errorf("map lacks %q:\n%s", want, s)
		}
	}
}

// TestExamSetupSaysWhatItIs: the setup does not claim the official domain
// weights (issue 13, Exams).
func TestExamSetupSaysWhatItIs(t *testing.T) {
	hs := newHarness(t, 120, 40)
	hs.press("e")
	s := hs.screen()
	if strings.Contains(s, "in proportion to") {
		t.Errorf("setup claims proportional domains:\n%s", s)
	}
	for _, want := range []string{"identity-and-access part of DVA-C02", "weighted by how many questions", "cannot follow the exam's official domain weights"} {
		if !strings.Contains(s, want) {
			t.Errorf("setup lacks %q:\n%s", want, s)
		}
	}
}
