package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// Key-driven tests: each drives the app as a learner would, with keys,
// and checks what the screen shows and what reached the store.

// practice puts one question in front of the learner in the quiz.
func practice(hs *harness, q *content.Question) {
	hs.press("u")
	hs.app.quiz.deck, hs.app.quiz.pos = []*content.Question{q}, 0
	hs.app.quiz.showCurrent()
	hs.send(refreshMsg{})
}

func TestPracticeAnswer(t *testing.T) {
	hs := newHarness(t, 80, 24)
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	practice(hs, q)
	if hs.active() != quizID {
		t.Fatalf("after u, active screen = %v, want quiz", hs.active())
	}
	hs.clock.advance(12 * time.Second)
	hs.press(correctKeys(q)[0])

	got := hs.prog.Answers()
	if len(got) != 1 {
		t.Fatalf("RecordAnswer called %d times, want 1", len(got))
	}
	a := got[0]
	if a.QuestionID != q.ID || !a.Correct || a.Mode != store.ModePractice || a.Rating != srs.Good || a.ResponseTime != 12*time.Second {
		t.Errorf("recorded %+v, want %s right, practice, Good, 12s", a, q.ID)
	}
	screen := hs.screen()
	for _, want := range []string{"✓ Correct.", "(your pick, right)", "Note:", "this session 1/1 right"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after a right answer the screen lacks %q:\n%s", want, screen)
		}
	}
	// A wrong answer: Again, ✗ beside the pick, the right one shown.
	hs.press("n")
	q2 := hs.app.quiz.pane.ans.q
	hs.clock.advance(5 * time.Second)
	hs.press(wrongKey(q2))
	a = hs.prog.Answers()[1]
	if a.Correct || a.Rating != srs.Again {
		t.Errorf("wrong answer recorded as %+v, want incorrect, Again", a)
	}
	if screen := hs.screen(); !strings.Contains(screen, "✗") || !strings.Contains(hs.screen(), "(your pick, wrong)") {
		t.Errorf("after a wrong answer the screen lacks ✗ and (your pick, wrong):\n%s", screen)
	}
}

func TestPracticeMouse(t *testing.T) {
	hs := newHarness(t, 120, 40)
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	practice(hs, q)
	right := q.Correct()[0]
	// Find the option's row on screen and click it.
	lines := strings.Split(hs.screen(), "\n")
	row := -1
	for y, l := range lines {
		if strings.Contains(l, ") "+letter(right)+"  ") {
			row = y
		}
	}
	if row < 0 {
		t.Fatalf("option %s not on screen:\n%s", letter(right), hs.screen())
	}
	hs.send(tea.MouseClickMsg{X: 10, Y: row, Button: tea.MouseLeft})
	if got := hs.prog.Answers(); len(got) != 1 || !got[0].Correct {
		t.Fatalf("after clicking the right option, recorded %+v, want one right answer", got)
	}
}

func TestPracticeChooseTwo(t *testing.T) {
	hs := newHarness(t, 80, 24)
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 2 })
	practice(hs, q)
	keys := correctKeys(q)

	hs.press(keys[0])
	if hs.app.quiz.pane.ans.done || len(hs.prog.Answers()) != 0 {
		t.Fatal("one pick of a choose-two question ended the answer")
	}
	hs.press("enter")
	if hs.app.quiz.pane.ans.done || !strings.Contains(hs.screen(), "Choose two options") {
		t.Fatalf("enter with one pick of two should ask for two:\n%s", hs.screen())
	}
	// A third pick is refused while two are picked.
	hs.press(keys[1], wrongKey(q))
	if n := len(hs.app.quiz.pane.ans.chosen()); n != 2 || !strings.Contains(hs.screen(), "unpick one first") {
		t.Fatalf("after a third pick, %d picked; screen:\n%s", n, hs.screen())
	}
	hs.press("enter")
	got := hs.prog.Answers()
	if len(got) != 1 || !got[0].Correct || !slices.Equal(got[0].Chosen, q.Correct()) {
		t.Fatalf("recorded %+v, want the two right options, correct", got)
	}

	// Unpicking one and picking a wrong one is wrong: no partial credit.
	hs.app.quiz.showCurrent()
	hs.press(keys[0], wrongKey(q), "enter")
	if got := hs.prog.Answers(); len(got) != 2 || got[1].Correct {
		t.Fatalf("one right and one wrong pick recorded as %+v, want incorrect", got[len(got)-1])
	}
}

// startExam opens the exam screen and starts a 10-question DVA-C02 attempt.
func startExam(hs *harness) {
	hs.press("e", "h", "h", "enter")
	if hs.app.exam.phase != examRunning || len(hs.app.exam.items) != 10 {
		hs.tb.Fatalf("exam not running with 10 questions: phase %v, %d items", hs.app.exam.phase, len(hs.app.exam.items))
	}
}

func TestExamTimeout(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	if hs.ticks == 0 {
		t.Fatal("starting the exam scheduled no timer tick")
	}
	if !strings.Contains(hs.screen(), "⏱ 20:00 left") {
		t.Errorf("timer missing or wrong:\n%s", hs.screen())
	}
	answerExam(hs, 3)
	hs.clock.advance(5*time.Minute + 30*time.Second)
	hs.send(examTickMsg{gen: hs.app.exam.gen})
	if !strings.Contains(hs.screen(), "⏱ 14:30 left") {
		t.Errorf("after 5m30s the timer should read 14:30:\n%s", hs.screen())
	}
	hs.clock.advance(15 * time.Minute)
	hs.send(examTickMsg{gen: hs.app.exam.gen - 1}) // a stale timer does nothing
	if hs.app.exam.phase != examRunning {
		t.Fatal("a stale tick ended the exam")
	}
	hs.send(examTickMsg{gen: hs.app.exam.gen})
	if hs.app.exam.phase != examResults {
		t.Fatalf("at time-out, phase = %v, want results", hs.app.exam.phase)
	}
	if !strings.Contains(hs.screen(), "Time ran out") {
		t.Errorf("results do not say time ran out:\n%s", hs.screen())
	}
	exams, _ := hs.prog.Exams()
	if len(exams) != 1 || !exams[0].TimedOut || len(exams[0].Questions) != 10 {
		t.Fatalf("RecordExam got %+v, want one timed-out attempt of 10", exams)
	}
	// Every question is logged: the unanswered ones as misses, so that
	// they come back in Review.
	answers := hs.prog.Answers()
	if len(answers) != 10 {
		t.Errorf("%d answers recorded, want all 10", len(answers))
	}
	right := 0
	for _, a := range answers {
		if a.Mode != store.ModeExam {
			t.Errorf("exam answer recorded as %+v, want mode exam", a)
		}
		if a.Correct {
			right++
		} else if len(a.Chosen) != 0 || a.Rating != srs.Again {
			t.Errorf("unanswered question logged as %+v, want no choice, rated Again", a)
		}
	}
	if right != 3 {
		t.Errorf("%d answers logged right, want the 3 answered", right)
	}
	if due, _ := hs.prog.Due(testStart.Add(24 * time.Hour)); len(due) < 7 {
		t.Errorf("%d questions due after the exam, want at least the 7 unanswered", len(due))
	}
}

func TestExamSubmit(t *testing.T) {
	hs := newHarness(t, 120, 40)
	startExam(hs)
	// Flag the first, answer all rightly, then n on the last asks to submit.
	hs.press("m")
	answerExam(hs, 10)
	if !hs.app.exam.confirm || !strings.Contains(hs.screen(), "Submit the exam?") {
		t.Fatalf("n on the last question should ask to submit:\n%s", hs.screen())
	}
	hs.press("n")
	if hs.app.exam.confirm || hs.app.exam.phase != examRunning {
		t.Fatal("n at the confirmation should keep the exam going")
	}
	hs.press("S", "y")
	if hs.app.exam.phase != examResults {
		t.Fatalf("phase = %v after submit, want results", hs.app.exam.phase)
	}
	s := hs.screen()
	for _, want := range []string{"Score 1000 / 1000", "✓ PASS", "Development with AWS Services"} {
		if !strings.Contains(s, want) {
			t.Errorf("results lack %q:\n%s", want, s)
		}
	}
	exams, _ := hs.prog.Exams()
	if len(exams) != 1 || exams[0].TimedOut || exams[0].Score != 1000 || !exams[0].Passed || !exams[0].Questions[0].Flagged {
		t.Fatalf("RecordExam got %+v", exams)
	}
	if n := len(hs.prog.Answers()); n != 10 {
		t.Errorf("%d answers recorded, want 10", n)
	}
	// A flagged right answer is Hard: the learner was unsure.
	if r := hs.prog.Answers()[0].Rating; r != srs.Hard {
		t.Errorf("flagged right answer rated %v, want Hard", r)
	}
	// Review, then retake wrong-or-flagged: only the flagged one.
	hs.press("r")
	if hs.app.exam.phase != examReview || !strings.Contains(hs.screen(), "✓ right") {
		t.Fatalf("r should review the questions:\n%s", hs.screen())
	}
	hs.press("esc", "f")
	if hs.app.exam.phase != examRunning || len(hs.app.exam.items) != 1 {
		t.Fatalf("retake wrong and flagged: phase %v, %d items, want running with 1", hs.app.exam.phase, len(hs.app.exam.items))
	}
}

func TestExamMapAndQuit(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	hs.press("tab", "l", "l", "l", "enter")
	if hs.app.exam.cur != 3 {
		t.Errorf("map jump landed on question %d, want 4", hs.app.exam.cur+1)
	}
	// esc leaves the exam running; the header keeps the time.
	hs.press("esc")
	if hs.active() != homeID || !strings.Contains(hs.screen(), "exam ⏱") {
		t.Fatalf("after esc, home should show the running exam:\n%s", hs.screen())
	}
	// Quitting keeps the exam as it stands, without asking.
	hs.press("q")
	if !hs.quit {
		t.Fatal("q should quit")
	}
	if d, ok, _ := hs.prog.ExamDraft(); !ok || d.Current != 3 || len(d.Questions) != 10 {
		t.Fatalf("after quitting, the draft is %+v (%v), want the exam at question 4", d, ok)
	}
}

func TestReviewRating(t *testing.T) {
	hs := newHarness(t, 80, 24)
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	// Missed three days ago: due now.
	_ = hs.prog.RecordAnswer(store.Answer{QuestionID: q.ID, Topic: q.Topic, Domains: q.Domains,
		At: testStart.AddDate(0, 0, -3), Rating: srs.Again, Mode: store.ModePractice})
	hs.press("r")
	if hs.app.review.pane.ans.q != q {
		t.Fatalf("review shows %v, want %s", hs.app.review.pane.ans.q, q.ID)
	}
	hs.press(correctKeys(q)[0])
	s := hs.screen()
	card, _ := hs.prog.Card(q.ID)
	preview := srs.NewScheduler().Preview(card, testStart)
	for r := srs.Again; r <= srs.Easy; r++ {
		want := srs.FormatInterval(preview[r-1].Due.Sub(testStart))
		if !strings.Contains(s, r.String()+" · "+want) {
			t.Errorf("rating %s should show its next interval %s:\n%s", r, want, s)
		}
	}
	hs.press("3")
	got := hs.prog.Answers()
	last := got[len(got)-1]
	if len(got) != 2 || last.Mode != store.ModeReview || last.Rating != srs.Good || !last.Correct {
		t.Fatalf("rating recorded %+v, want review, Good, right", last)
	}
	due, _ := hs.prog.Due(testStart)
	if slices.Contains(due, q.ID) {
		t.Error("after Good the question is still due")
	}
	if !strings.Contains(hs.screen(), "1 question reviewed") {
		t.Errorf("done view missing:\n%s", hs.screen())
	}
}

func TestReviewLeechLinksNote(t *testing.T) {
	hs := newHarness(t, 80, 24)
	q := findQuestion(t, func(q *content.Question) bool { return q.Scenario != "" && q.Choose == 1 })
	for i := range leechAt {
		_ = hs.prog.RecordAnswer(store.Answer{QuestionID: q.ID, Topic: q.Topic, At: testStart.AddDate(0, 0, -20+i), Rating: srs.Again})
	}
	hs.press("r")
	if !strings.Contains(hs.screen(), "Leech") {
		t.Fatalf("a question missed %d times should show as a leech:\n%s", leechAt, hs.screen())
	}
	hs.press(wrongKey(q), "o")
	if hs.active() != notesID || hs.app.notes.note.ID != q.Topic {
		t.Fatalf("o should open note %s; active %v", q.Topic, hs.active())
	}
	hs.press("esc")
	if hs.active() != reviewID {
		t.Errorf("esc from the note should return to the review, got %v", hs.active())
	}
}

func TestReturnToNote(t *testing.T) {
	hs := newHarness(t, 100, 30)
	hs.press("n", "j", "j", "enter")
	note := hs.app.notes.note
	hs.press("d", "j", "j")
	offset := hs.app.notes.pager.offset
	if offset == 0 {
		t.Fatal("the note did not scroll")
	}
	// Quiz the topic, open the note from the answer, come back twice.
	hs.press("p")
	if hs.active() != quizID || hs.app.quiz.filter.topic != note.ID {
		t.Fatalf("p should quiz topic %s; active %v, filter %+v", note.ID, hs.active(), hs.app.quiz.filter)
	}
	hs.press("esc")
	if hs.active() != notesID || hs.app.notes.note != note || hs.app.notes.pager.offset != offset {
		t.Fatalf("esc should return to %s at line %d; got %v at %d", note.ID, offset, hs.active(), hs.app.notes.pager.offset)
	}
	if !strings.Contains(hs.screen(), note.Title[:20]) {
		t.Errorf("the note's title is not on screen:\n%s", hs.screen())
	}
	// From a quiz answer, o opens the note and esc returns to the answer.
	hs.press("esc", "esc", "u", "a", "o")
	if hs.active() != notesID {
		t.Fatalf("o after an answer should open the note, active %v", hs.active())
	}
	hs.press("esc")
	if hs.active() != quizID || !hs.app.quiz.pane.ans.done {
		t.Fatalf("esc should return to the answered question, active %v", hs.active())
	}
}

func TestNotesSearchAndResize(t *testing.T) {
	hs := newHarness(t, 80, 24)
	hs.press("n", "enter", "/")
	if !hs.app.notes.typing() {
		t.Fatal("/ in a note should start typing a search")
	}
	hs.typeText("quit") // q while typing is text, not quit
	if hs.quit {
		t.Fatal("q while typing quit the app")
	}
	hs.press("backspace", "backspace", "backspace", "backspace")
	hs.typeText("session")
	hs.press("enter")
	p := hs.app.notes.pager
	if len(p.matches) < 2 {
		t.Fatalf("search for session found %d hits", len(p.matches))
	}
	first := p.current
	hs.press("n")
	if hs.app.notes.pager.current != first+1 {
		t.Errorf("n moved to hit %d, want %d", hs.app.notes.pager.current, first+1)
	}
	hs.press("N", "N")
	if want := (first - 1 + len(p.matches)) % len(p.matches); hs.app.notes.pager.current != want {
		t.Errorf("N N moved to hit %d, want %d", hs.app.notes.pager.current, want)
	}
	// A resize renders again at the new width and keeps the search.
	before := hs.app.notes.shown
	hs.resize(120, 40)
	if hs.app.notes.shown == before || hs.app.notes.shown.Width != 120-32-1-1 {
		t.Errorf("after resize the note is rendered at %+v", hs.app.notes.shown)
	}
	if len(hs.app.notes.pager.matches) == 0 {
		t.Error("the search was lost on resize")
	}
	// Scrolling never renders: the cache is untouched.
	n, _ := hs.app.sh.MD.Size()
	hs.press("esc", "j", "j", "f", "G", "g")
	if cached, pending := hs.app.sh.MD.Size(); cached != n || pending != 0 {
		t.Error("scrolling rendered the note again")
	}
	hs.checkShape()
}

func TestNotesFilterTyping(t *testing.T) {
	hs := newHarness(t, 80, 24)
	hs.press("n", "/")
	hs.typeText("saml")
	if len(hs.app.notes.items) != 1 || hs.app.notes.items[0].ID != "saml-federation" {
		t.Fatalf("filter saml kept %d topics", len(hs.app.notes.items))
	}
	hs.press("enter", "enter")
	if hs.app.notes.note == nil || hs.app.notes.note.ID != "saml-federation" {
		t.Fatal("enter after the filter should open the topic")
	}
	hs.press("esc", "esc")
	if len(hs.app.notes.items) != len(library(t).Notes) {
		t.Error("esc on the list should clear the filter")
	}
	hs.press("esc")
	if hs.active() != homeID {
		t.Errorf("esc on the list should go home, got %v", hs.active())
	}
}

func TestHomeKeys(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want screenID
	}{
		{[]string{"n"}, notesID}, {[]string{"u"}, quizID}, {[]string{"e"}, examID}, {[]string{"r"}, reviewID},
		{[]string{"s"}, sandboxID}, {[]string{"p"}, progressID}, {[]string{"3"}, examID},
		{[]string{"j", "j", "enter"}, examID}, {[]string{"k", "enter"}, progressID}, {[]string{"down", "l"}, quizID},
	} {
		hs := newHarness(t, 80, 24)
		hs.press(tc.keys...)
		if hs.active() != tc.want {
			t.Errorf("keys %v opened %v, want %v", tc.keys, hs.active(), tc.want)
		}
		hs.press("esc")
		if hs.active() != homeID {
			t.Errorf("esc after %v left %v, want home", tc.keys, hs.active())
		}
	}
	hs := newHarness(t, 80, 24)
	hs.send(tea.MouseClickMsg{X: 6, Y: 1 + menuTop + 2*4, Button: tea.MouseLeft})
	if hs.active() != sandboxID || !strings.Contains(hs.screen(), "Scenarios") {
		t.Errorf("clicking Sandbox opened %v", hs.active())
	}
	hs.press("?")
	if !strings.Contains(hs.screen(), "Sandbox: keys") {
		t.Errorf("? should show the help:\n%s", hs.screen())
	}
	hs.press("q")
	if !hs.quit {
		t.Error("q should quit")
	}
}

func TestBannerDismiss(t *testing.T) {
	hs := newHarness(t, 80, 24, withNotices("store set aside"))
	if !strings.Contains(hs.screen(), "store set aside") {
		t.Fatal("notice not shown")
	}
	hs.press("esc")
	if strings.Contains(hs.screen(), "store set aside") {
		t.Error("esc should dismiss the banner")
	}
	hs.checkShape()
	hs.send(errorMsg{Err: errFake})
	if !strings.Contains(hs.screen(), "✗ disk full") {
		t.Errorf("an error should show as a banner:\n%s", hs.screen())
	}
}

var errFake = fakeErr("disk full")

type fakeErr string

func (e fakeErr) Error() string { return string(e) }

func TestPanicBecomesError(t *testing.T) {
	hs := newHarness(t, 80, 24)
	hs.app.screens[homeID].update = func(tea.Msg) tea.Cmd { panic("boom") }
	_, cmd := hs.app.Update(keyMsg("j"))
	if hs.app.fatal == nil || cmd == nil {
		t.Fatal("a panic in Update should be caught and end the program")
	}
	if msg := guard(func() tea.Msg { panic("bang") })(); msg.(errorMsg).Err == nil {
		t.Fatal("a panic in a command should become an error message")
	}
	hs.app.screens[homeID].view = func() string { panic("draw") }
	if v := hs.app.View(); !strings.Contains(v.Content, "could not draw") {
		t.Errorf("a panic in View should show a message, got %q", v.Content)
	}
}

// From a note's scenarios and from an answered question, the scenario that
// proves the point opens in the sandbox; esc comes back.
func TestOpenScenarioFromNoteAndQuiz(t *testing.T) {
	hs := newHarness(t, 100, 30)
	hs.press("n")
	// Find the note on explicit deny: it links to explicit-deny-wins.
	for hs.app.notes.selectedID() != "policy-evaluation" {
		before := hs.app.notes.selectedID()
		hs.press("j")
		if hs.app.notes.selectedID() == before {
			t.Fatal("no policy-evaluation note in the list")
		}
	}
	hs.press("enter", "s", "1")
	if hs.active() != sandboxID || hs.app.sandbox.OpenID() == "" {
		t.Fatalf("1 in the note's scenarios should open a scenario; active %v", hs.active())
	}
	if id := hs.app.sandbox.OpenID(); id != hs.app.notes.topicScenarios()[0] {
		t.Errorf("opened %s, want %s", id, hs.app.notes.topicScenarios()[0])
	}
	hs.press("esc", "esc")
	if hs.active() != notesID {
		t.Fatalf("esc should return to the note, active %v", hs.active())
	}
	// A quiz answer with a scenario: x runs it.
	hs.press("esc", "esc", "esc", "u")
	for i := 0; i < 200 && hs.app.quiz.pane.ans.q != nil && hs.app.quiz.pane.ans.q.Scenario == ""; i++ {
		hs.press("s")
	}
	q := hs.app.quiz.pane.ans.q
	if q == nil || q.Scenario == "" {
		t.Fatal("no question with a scenario")
	}
	hs.press("a")
	if !hs.app.quiz.pane.ans.done && q.Choose > 1 {
		hs.press("b", "enter")
	}
	hs.press("x")
	if hs.active() != sandboxID || hs.app.sandbox.OpenID() == "" || hs.app.sandbox.OpenID() != q.Scenario {
		t.Fatalf("x after answering should open %s in the sandbox; active %v", q.Scenario, hs.active())
	}
}
