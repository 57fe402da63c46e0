package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

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
	// A pick is only a pick: the learner may change it, enter answers.
	if n := len(hs.prog.Answers()); n != 0 || hs.app.quiz.pane.ans.done {
		t.Fatalf("a pick answered a choose-one question (%d answers recorded); the footer says pick, then enter", n)
	}
	if screen := hs.screen(); !strings.Contains(screen, "(•) "+letter(q.Correct()[0])) || strings.Contains(screen, "✓ Correct.") {
		t.Fatalf("after a pick the option should show picked, unanswered:\n%s", screen)
	}
	hs.press("enter")

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
	// A wrong answer: Again, ✗ beside the pick, the right one shown. The
	// enter that answers shows the explanation; only the next one moves on.
	hs.press("n")
	q2 := hs.app.quiz.pane.ans.q
	for q2.Choose != 1 {
		hs.press("s")
		q2 = hs.app.quiz.pane.ans.q
	}
	hs.clock.advance(5 * time.Second)
	hs.press(wrongKey(q2), "enter")
	if hs.app.quiz.pane.ans.q != q2 || !hs.app.quiz.pane.ans.done {
		t.Fatal("the enter that answered moved past the explanation")
	}
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
	if hs.app.quiz.pane.ans.done || !slices.Equal(hs.app.quiz.pane.ans.chosen(), []int{right}) {
		t.Fatalf("a click should pick option %s and not answer yet", letter(right))
	}
	hs.press("enter")
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
	if hs.app.review.pane.ans.done {
		t.Fatal("a pick revealed the answer; enter should")
	}
	hs.press("enter")
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
	hs.press(wrongKey(q), "enter", "o")
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
	hs.press("esc", "esc", "u", "a", "enter", "o")
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
	hs.typeText("saml federation")
	if len(hs.app.notes.items) == 0 || hs.app.notes.items[0].ID != "saml-federation" {
		t.Fatalf("search saml kept %d topics, not saml-federation first", len(hs.app.notes.items))
	}
	hs.press("enter", "enter")
	if hs.app.notes.note == nil || hs.app.notes.note.ID != "saml-federation" {
		t.Fatal("enter after the search should open the topic")
	}
	hs.press("esc", "esc", "esc") // the hits in the note, the note, the search
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
	hs.press("enter", "s")
	// The list names scenarios by title, not id.
	first := hs.app.notes.topicScenarios()[0]
	var title string
	scens, _ := builtinScenarios()
	for _, sc := range scens {
		if sc.ID == first {
			title = sc.Title
		}
	}
	if screen := hs.screen(); title == "" || !strings.Contains(screen, "1  "+title[:min(len(title), 40)]) || strings.Contains(screen, first) {
		t.Errorf("the note's scenario list should show %q, not %s:\n%s", title, first, screen)
	}
	hs.press("1")
	if hs.active() != sandboxID || hs.app.sandbox.OpenID() == "" {
		t.Fatalf("1 in the note's scenarios should open a scenario; active %v", hs.active())
	}
	if id := hs.app.sandbox.OpenID(); id != first {
		t.Errorf("opened %s, want %s", id, first)
	}
	hs.press("esc")
	if hs.active() != notesID || hs.app.notes.note == nil || hs.app.notes.note.ID != "policy-evaluation" {
		t.Fatalf("one esc from a scenario opened from a note should return to the note, active %v", hs.active())
	}
	// A quiz answer with a scenario: x runs it.
	hs.press("esc", "esc", "u")
	for i := 0; i < 200 && hs.app.quiz.pane.ans.q != nil && hs.app.quiz.pane.ans.q.Scenario == ""; i++ {
		hs.press("s")
	}
	q := hs.app.quiz.pane.ans.q
	if q == nil || q.Scenario == "" {
		t.Fatal("no question with a scenario")
	}
	hs.press("a", "enter")
	if !hs.app.quiz.pane.ans.done && q.Choose > 1 {
		hs.press("b", "enter")
	}
	hs.press("x")
	if hs.active() != sandboxID || hs.app.sandbox.OpenID() == "" || hs.app.sandbox.OpenID() != q.Scenario {
		t.Fatalf("x after answering should open %s in the sandbox; active %v", q.Scenario, hs.active())
	}
}

// TestLibraryAfterFirstFrame: the home screen draws before the material is
// read, and a screen opened meanwhile opens once it arrives.
func TestLibraryAfterFirstFrame(t *testing.T) {
	loads := 0
	a := New(Deps{Progress: newMemProgress(), Now: func() time.Time { return testStart },
		LoadLibrary: func() (*content.Library, []string, error) {
			loads++
			return library(t), []string{"your material in /x has problems"}, nil
		}})
	a.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := ansi.Strip(a.View().Content); !strings.Contains(got, "Spaced repetition") || loads != 0 {
		t.Fatalf("first frame (after %d loads):\n%s", loads, got)
	}
	_, cmd := a.Update(keyMsg("n"))
	a.Update(cmd())
	if a.active() != homeID {
		t.Fatalf("active screen %v before the material arrived, want home", a.active())
	}
	lib, notices, _ := a.loadLibrary()
	_, cmd = a.Update(libraryLoadedMsg{lib: lib, notices: notices})
	if cmd != nil {
		cmd()
	}
	got := ansi.Strip(a.View().Content)
	if a.active() != notesID || !strings.Contains(got, "Topics") || !strings.Contains(got, "has problems") {
		t.Fatalf("after the material arrived, active %v:\n%s", a.active(), got)
	}
}

// TestQuizOrderResumes: practice starts with questions never answered and,
// after a restart, carries on after the last one answered instead of a new
// random order from "Question 1".
func TestQuizOrderResumes(t *testing.T) {
	hs := newHarness(t, 80, 24)
	first := findQuestion(t, func(*content.Question) bool { return true })
	_ = hs.prog.RecordAnswer(store.Answer{QuestionID: first.ID, Topic: first.Topic, At: testStart.Add(-time.Hour), Correct: true, Rating: srs.Good})
	hs.press("u")
	total := len(hs.app.quiz.deck)
	var answered []string
	for i := range 3 {
		q := hs.app.quiz.pane.ans.q
		if q.ID == first.ID || slices.Contains(answered, q.ID) {
			t.Fatalf("question %d of the session is %s, answered before; unseen ones come first", i+1, q.ID)
		}
		if want := fmt.Sprintf("Question %d of %d", i+2, total); !strings.Contains(hs.screen(), want) {
			t.Fatalf("the %d-th question should read %q (one answered before this session):\n%s", i+1, want, hs.screen())
		}
		answered = append(answered, q.ID)
		hs.press(correctKeys(q)...)
		hs.press("enter", "n")
	}
	next := hs.app.quiz.pane.ans.q
	hs2 := hs.relaunch()
	hs2.press("u")
	if got := hs2.app.quiz.pane.ans.q; got != next {
		t.Fatalf("after a restart practice shows %s, want %s, where the learner stopped", got.ID, next.ID)
	}
	if want := fmt.Sprintf("Question 5 of %d", total); !strings.Contains(hs2.screen(), want) {
		t.Errorf("after a restart the screen should read %q:\n%s", want, hs2.screen())
	}
}

// TestFooterOffersOnlyWorkingKeys: x is offered only for a question with a
// scenario, and a Review with nothing to answer offers no answering keys.
func TestFooterOffersOnlyWorkingKeys(t *testing.T) {
	offers := func(hs *harness, what string) bool {
		hs.tb.Helper()
		hs.press("?")
		defer hs.press("?")
		return strings.Contains(hs.screen(), what) || strings.Contains(hs.app.footer(hs.app.screens[hs.active()]), what)
	}
	for _, withScenario := range []bool{false, true} {
		hs := newHarness(t, 120, 40)
		q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 && (q.Scenario != "") == withScenario })
		practice(hs, q)
		hs.press(wrongKey(q), "enter")
		if got := offers(hs, "run the scenario"); got != withScenario {
			t.Errorf("answered %s (scenario %q): x offered = %v, want %v", q.ID, q.Scenario, got, withScenario)
		}
		hs.press("x")
		if opened := hs.active() == sandboxID; opened != withScenario {
			t.Errorf("x on %s opened the sandbox = %v, want %v", q.ID, opened, withScenario)
		}
	}
	hs := newHarness(t, 80, 24)
	hs.press("r")
	if !strings.Contains(hs.screen(), "Nothing is due") {
		t.Fatalf("want the empty review screen:\n%s", hs.screen())
	}
	for _, quizKey := range []string{"pick an option", "answer", "rate:"} {
		if offers(hs, quizKey) {
			t.Errorf("the empty Review screen offers %q:\n%s", quizKey, hs.screen())
		}
	}
}

// TestNotesSearchText: / in the notes list finds a note by a word of its
// text, not only by its title and tags, and opens it at the first hit.
func TestNotesSearchText(t *testing.T) {
	hs := newHarness(t, 120, 40)
	const word = "durationseconds" // in a note's text only
	var want *content.Note
	for _, n := range library(t).Notes {
		meta := strings.ToLower(n.ID + n.Title + strings.Join(n.Tags, " "))
		if strings.Contains(strings.ToLower(n.Body), word) && !strings.Contains(meta, word) {
			want = n
		}
	}
	if want == nil {
		t.Fatalf("no note has %q in its text only", word)
	}
	hs.press("n", "/")
	hs.typeText(word)
	if !slices.Contains(hs.app.notes.items, want) {
		t.Fatalf("searching %q did not find %s by its text", word, want.ID)
	}
	for hs.app.notes.selectedID() != want.ID {
		hs.press("down")
	}
	hs.press("enter", "enter")
	if hs.app.notes.note != want || len(hs.app.notes.pager.matches) == 0 || !strings.Contains(hs.screen(), "hit 1 of") {
		t.Fatalf("the note should open at the first hit of %q:\n%s", word, hs.screen())
	}
}

// TestReviewAndProgressExplain: an empty Review says when the next question
// comes back; the exam domains explain readiness at zero answers and the
// pass share; a day in the sandbox counts as a study day.
func TestReviewAndProgressExplain(t *testing.T) {
	hs := newHarness(t, 80, 24)
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	practice(hs, q)
	hs.press(correctKeys(q)[0], "enter", "esc", "r")
	card, _ := hs.prog.Card(q.ID)
	want := "The next question comes back today at " + card.Due.Format("15:04") + ", in " + srs.FormatInterval(card.Due.Sub(hs.clock.now()))
	if screen := hs.screen(); !strings.Contains(screen, "Nothing is due") || !strings.Contains(strings.Join(strings.Fields(screen), " "), want) {
		t.Errorf("the empty Review should say %q:\n%s", want, screen)
	}

	hs = newHarness(t, 80, 24)
	hs.press("p", "tab")
	screen := strings.Join(strings.Fields(hs.screen()), " ")
	for _, want := range []string{"with none yet it reads 25%", "pass mark (720 or 750 of 1,000) as a share of right answers"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the exam domains should explain %q:\n%s", want, hs.screen())
		}
	}

	hs.press("esc")
	openScenario(hs, "explicit-deny-wins")
	hs.press("tab")
	if !hs.prog.sandboxDays[testStart.Format(time.DateOnly)] {
		t.Fatalf("a day in the sandbox was not recorded as a study day: %v", hs.prog.sandboxDays)
	}
	for hs.active() != homeID {
		hs.press("esc")
	}
	hs.press("p")
	for i := 0; i < 5 && !strings.Contains(hs.screen(), "Study days"); i++ {
		hs.press("tab")
	}
	if screen := hs.screen(); !strings.Contains(screen, "1 day studied") || !strings.Contains(screen, "current streak 1 day") {
		t.Errorf("the calendar should count the sandbox day:\n%s", screen)
	}
}

// TestStoreAfterFirstFrame: the store opens after the home screen's first
// frame; what opening it says reaches the banner, answers reach the store,
// and Run closes it.
func TestStoreAfterFirstFrame(t *testing.T) {
	mem, opened, closed := newMemProgress(), 0, 0
	hs := &harness{tb: t, clock: &fakeClock{t: testStart}, prog: mem}
	hs.app = New(Deps{Library: library(t), Now: hs.clock.now, Scenarios: builtinScenarios,
		OpenProgress: func() (Progress, []string, func()) {
			opened++
			return mem, []string{"progress.db was damaged and set aside"}, func() { closed++ }
		}})
	hs.app.sh.Tick = tickless(hs)
	hs.w, hs.h = 80, 24
	hs.app.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if got := hs.screen(); !strings.Contains(got, "Spaced repetition") || opened != 0 {
		t.Fatalf("first frame (store opened %d times):\n%s", opened, got)
	}
	hs.run(hs.app.Init())
	if opened != 0 || hs.ticks != 1 {
		t.Fatalf("Init opened the store (%d) or did not wait for the first frame (%d ticks)", opened, hs.ticks)
	}
	hs.send(firstFrameMsg{})
	if opened != 1 || !strings.Contains(hs.screen(), "damaged and set aside") {
		t.Fatalf("after Init the store should be open (%d) and its notice shown:\n%s", opened, hs.screen())
	}
	q := findQuestion(t, func(q *content.Question) bool { return q.Choose == 1 })
	practice(hs, q)
	hs.press(wrongKey(q), "enter")
	if len(mem.Answers()) != 1 {
		t.Fatalf("the answer did not reach the store opened after the first frame")
	}
	if hs.app.closeProgress == nil {
		t.Fatal("Run would not close the store")
	}
	hs.app.closeProgress()
	if closed != 1 {
		t.Errorf("close ran %d times", closed)
	}
}
