package tui

import (
	"fmt"
	"math/rand/v2"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

type examPhase int

const (
	examSetup examPhase = iota
	examRunning
	examResults
	examReview
)

// examTickMsg is the exam timer's heartbeat; gen tells an old timer's
// ticks from the current one's.
type examTickMsg struct{ gen int }

// examSavedMsg says the attempt reached the store.
type examSavedMsg struct{}

// examScreen runs the timed simulation: set up, answer, submit, results,
// review.
type examScreen struct {
	sh    *shared
	w, h  int
	phase examPhase
	km    examKeys
	rng   *rand.Rand

	// setup
	examIdx, lengthIdx int

	// the attempt
	exam      content.Exam
	items     []examItem
	cur       int
	pane      qpane
	started   time.Time
	deadline  time.Time
	enteredAt time.Time // when the current question was shown
	gen       int
	mapOpen   bool
	mapCursor int
	confirm   bool
	timedOut  bool
	finished  time.Time
	result    examResult
}

func newExamScreen(sh *shared) examScreen {
	seed := uint64(sh.Now().UnixNano())
	s := examScreen{sh: sh, km: newExamKeys(), rng: rand.New(rand.NewPCG(seed^0x51ed, seed)), lengthIdx: len(examLengths) - 1}
	return s
}

func (s *examScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.pane.setSize(w-s.mapWidth(), h-2)
}

// mapWidth is the width of the question map beside the question, on wide
// terminals during the attempt.
func (s examScreen) mapWidth() int {
	if s.w >= 110 && s.phase == examRunning {
		return 28
	}
	return 0
}

func (s examScreen) keys() help.KeyMap {
	k := s.km
	k.phase, k.mapOpen = s.phase, s.mapOpen
	return k
}

func (s examScreen) typing() bool { return false }

// inProgress says whether quitting would lose an attempt.
func (s examScreen) inProgress() bool { return s.phase == examRunning }

func (s examScreen) remaining() time.Duration {
	if s.phase != examRunning {
		return 0
	}
	return s.sh.examRemaining()
}

// begin starts an attempt on the given questions.
func (s *examScreen) begin(exam content.Exam, qs []*content.Question) tea.Cmd {
	now := s.sh.Now()
	s.exam, s.phase, s.cur, s.mapOpen, s.confirm, s.timedOut = exam, examRunning, 0, false, false, false
	s.items = make([]examItem, len(qs))
	for i, q := range qs {
		s.items[i] = examItem{ans: newAnswer(q, now)}
	}
	s.started = now
	s.deadline = now.Add(examDuration(exam, len(qs)))
	s.sh.examDeadline = s.deadline
	s.enteredAt = now
	s.gen++
	s.setSize(s.w, s.h)
	s.showItem()
	return tea.Batch(s.tick(), s.pane.fetch(s.sh))
}

func (s examScreen) tick() tea.Cmd {
	gen := s.gen
	return s.sh.Tick(time.Second, func(time.Time) tea.Msg { return examTickMsg{gen} })
}

// showItem puts the current question in the pane.
func (s *examScreen) showItem() {
	s.pane.ans = s.items[s.cur].ans
	s.pane.scroll = 0
	s.pane.reveal = s.phase == examReview
	s.pane.links = s.phase == examReview
}

// leave files the pane's state and time spent back into the item.
func (s *examScreen) leave() {
	if s.phase != examRunning {
		return
	}
	now := s.sh.Now()
	s.items[s.cur].ans = s.pane.ans
	s.items[s.cur].spent += now.Sub(s.enteredAt)
	s.enteredAt = now
}

func (s *examScreen) goTo(i int) tea.Cmd {
	if i < 0 || i >= len(s.items) {
		return nil
	}
	s.leave()
	s.cur = i
	s.showItem()
	return s.pane.fetch(s.sh)
}

// finish scores the attempt and records it: every answered question in
// the review log (so a miss comes back in Review), then the attempt.
func (s *examScreen) finish(timedOut bool) tea.Cmd {
	s.leave()
	now := s.sh.Now()
	s.phase, s.confirm, s.mapOpen, s.timedOut, s.finished = examResults, false, false, timedOut, now
	s.sh.examDeadline = time.Time{}
	s.result = scoreExam(s.exam, s.items)
	attempt := store.ExamAttempt{Exam: s.exam.Code, Started: s.started, Finished: now, TimedOut: timedOut,
		Score: s.result.score, Passed: s.result.passed}
	var answers []store.Answer
	for _, it := range s.items {
		a := it.ans
		ok := a.correct()
		attempt.Questions = append(attempt.Questions, store.ExamQuestion{QuestionID: a.q.ID, Chosen: a.chosen(),
			Correct: ok, Flagged: it.flagged, Domain: a.q.Domains[s.exam.Code]})
		if len(a.chosen()) == 0 {
			continue
		}
		answers = append(answers, store.Answer{QuestionID: a.q.ID, Topic: a.q.Topic, Domains: a.q.Domains, At: now,
			Correct: ok, Chosen: a.chosen(), Rating: srs.RatingFor(ok, it.spent, it.flagged), ResponseTime: it.spent,
			Mode: store.ModeExam})
	}
	s.setSize(s.w, s.h)
	p := s.sh.progress
	return tea.Batch(saveAnswers(p, answers...), func() tea.Msg {
		if err := p.RecordExam(attempt); err != nil {
			return errorMsg{Err: fmt.Errorf("save exam attempt: %w", err)}
		}
		return examSavedMsg{}
	})
}

// retake starts an attempt on the questions that pass keep.
func (s *examScreen) retake(keep func(examItem) bool) tea.Cmd {
	var qs []*content.Question
	for _, it := range s.items {
		if keep(it) {
			qs = append(qs, it.ans.q)
		}
	}
	if len(qs) == 0 {
		return reportErr(fmt.Errorf("nothing to retake: no question is in that group"))
	}
	return s.begin(s.exam, qs)
}

func (s examScreen) update(msg tea.Msg) (examScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, refreshMsg:
		s.setSize(s.w, s.h)
		return s, s.pane.fetch(s.sh)
	case examTickMsg:
		if msg.gen != s.gen || s.phase != examRunning {
			return s, nil
		}
		if !s.sh.Now().Before(s.deadline) {
			return s, s.finish(true)
		}
		return s, s.tick()
	case tea.KeyPressMsg:
		switch s.phase {
		case examSetup:
			return s.setupKey(msg)
		case examRunning:
			return s.runKey(msg)
		case examResults:
			return s.resultsKey(msg)
		case examReview:
			return s.reviewKey(msg)
		}
	case tea.MouseWheelMsg:
		s.pane.scrollBy(s.sh, wheelLines(msg))
	case tea.MouseClickMsg:
		return s.click(msg)
	}
	return s, nil
}

func (s examScreen) click(msg tea.MouseClickMsg) (examScreen, tea.Cmd) {
	if s.phase != examRunning || msg.Button != tea.MouseLeft || s.confirm {
		return s, nil
	}
	if mw := s.mapWidth(); (mw > 0 && msg.X >= s.w-mw) || s.mapOpen {
		x := msg.X - (s.w - mw)
		if s.mapOpen && mw == 0 {
			x = msg.X
		}
		if i := s.mapIndexAt(x, msg.Y); i >= 0 {
			s.mapOpen = false
			return s, s.goTo(i)
		}
		return s, nil
	}
	if i := s.pane.optionAt(s.sh, msg.Y-2); i >= 0 {
		s.pane.ans = s.pane.ans.pick(i)
	}
	return s, nil
}

func (s examScreen) setupKey(msg tea.KeyPressMsg) (examScreen, tea.Cmd) {
	k := s.km
	exams := content.Exams()
	switch {
	case key.Matches(msg, k.Back):
		return s, back
	case key.Matches(msg, k.Up):
		s.examIdx = (s.examIdx + len(exams) - 1) % len(exams)
	case key.Matches(msg, k.Down):
		s.examIdx = (s.examIdx + 1) % len(exams)
	case key.Matches(msg, k.Left):
		s.lengthIdx = (s.lengthIdx + len(examLengths) - 1) % len(examLengths)
	case key.Matches(msg, k.Right), msg.String() == "tab":
		s.lengthIdx = (s.lengthIdx + 1) % len(examLengths)
	case key.Matches(msg, k.Start):
		exam := exams[s.examIdx]
		qs := drawExam(s.sh.lib, exam, examLengths[s.lengthIdx], s.rng)
		if len(qs) == 0 {
			return s, reportErr(fmt.Errorf("the bank has no question for %s", exam.Code))
		}
		return s, s.begin(exam, qs)
	}
	return s, nil
}

func (s examScreen) runKey(msg tea.KeyPressMsg) (examScreen, tea.Cmd) {
	k := s.km
	if s.confirm {
		switch {
		case key.Matches(msg, k.Yes):
			return s, s.finish(false)
		case key.Matches(msg, k.No):
			s.confirm = false
		}
		return s, nil
	}
	if s.mapOpen {
		return s.mapKey(msg)
	}
	switch {
	case key.Matches(msg, k.Back):
		s.leave()
		return s, back
	case key.Matches(msg, k.Submit):
		s.leave()
		s.confirm = true
	case key.Matches(msg, k.Map):
		s.leave()
		s.mapOpen, s.mapCursor = true, s.cur
	case key.Matches(msg, k.Flag):
		s.items[s.cur].flagged = !s.items[s.cur].flagged
	case key.Matches(msg, k.Pick):
		if i := pickIndex(msg); i >= 0 && i < len(s.pane.ans.q.Options) {
			s.pane.ans = s.pane.ans.pick(i)
			s.pane.follow(s.sh)
		}
	case key.Matches(msg, k.Toggle):
		s.pane.ans = s.pane.ans.pick(s.pane.ans.cursor)
	case key.Matches(msg, k.Up):
		s.pane.ans = s.pane.ans.move(-1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Down):
		s.pane.ans = s.pane.ans.move(1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Next):
		if s.cur == len(s.items)-1 {
			s.leave()
			s.confirm = true
			return s, nil
		}
		return s, s.goTo(s.cur + 1)
	case key.Matches(msg, k.Prev):
		return s, s.goTo(s.cur - 1)
	case key.Matches(msg, k.PageUp):
		s.pane.scrollBy(s.sh, -(s.pane.h - 1))
	case key.Matches(msg, k.PageDown):
		s.pane.scrollBy(s.sh, s.pane.h-1)
	}
	s.items[s.cur].ans = s.pane.ans
	return s, nil
}

// mapCols is how many question numbers a row of the map holds.
func (s examScreen) mapCols() int {
	if mw := s.mapWidth(); mw > 0 {
		return (mw - 2) / 5
	}
	return max((s.w-4)/5, 1)
}

func (s examScreen) mapKey(msg tea.KeyPressMsg) (examScreen, tea.Cmd) {
	k, cols := s.km, s.mapCols()
	switch {
	case key.Matches(msg, k.Map, k.Back):
		s.mapOpen = false
	case key.Matches(msg, k.Left):
		s.mapCursor = max(s.mapCursor-1, 0)
	case key.Matches(msg, k.Right):
		s.mapCursor = min(s.mapCursor+1, len(s.items)-1)
	case key.Matches(msg, k.Up):
		s.mapCursor = max(s.mapCursor-cols, 0)
	case key.Matches(msg, k.Down):
		s.mapCursor = min(s.mapCursor+cols, len(s.items)-1)
	case key.Matches(msg, k.Jump):
		s.mapOpen = false
		return s, s.goTo(s.mapCursor)
	case key.Matches(msg, k.Submit):
		s.mapOpen, s.confirm = false, true
	}
	return s, nil
}

func (s examScreen) resultsKey(msg tea.KeyPressMsg) (examScreen, tea.Cmd) {
	k := s.km
	switch {
	case key.Matches(msg, k.Back):
		return s, back
	case key.Matches(msg, k.ReviewAll):
		s.phase, s.cur = examReview, 0
		s.setSize(s.w, s.h)
		s.showItem()
		return s, s.pane.fetch(s.sh)
	case key.Matches(msg, k.RetakeMissed):
		return s, s.retake(func(it examItem) bool { return !it.ans.correct() })
	case key.Matches(msg, k.RetakeFlagged):
		return s, s.retake(func(it examItem) bool { return !it.ans.correct() || it.flagged })
	case key.Matches(msg, k.NewExam):
		s.phase = examSetup
	}
	return s, nil
}

func (s examScreen) reviewKey(msg tea.KeyPressMsg) (examScreen, tea.Cmd) {
	k := s.km
	switch {
	case key.Matches(msg, k.Back):
		s.phase = examResults
	case key.Matches(msg, k.Next):
		return s, s.goTo(min(s.cur+1, len(s.items)-1))
	case key.Matches(msg, k.Prev):
		return s, s.goTo(s.cur - 1)
	case key.Matches(msg, k.Up):
		s.pane.scrollBy(s.sh, -1)
	case key.Matches(msg, k.Down):
		s.pane.scrollBy(s.sh, 1)
	case key.Matches(msg, k.PageUp):
		s.pane.scrollBy(s.sh, -(s.pane.h - 1))
	case key.Matches(msg, k.PageDown):
		s.pane.scrollBy(s.sh, s.pane.h-1)
	case key.Matches(msg, k.Note):
		return s, cmdOf(openNoteMsg{s.pane.ans.q.Topic})
	case key.Matches(msg, k.Scenario) && s.pane.ans.q.Scenario != "":
		return s, cmdOf(openScenarioMsg{s.pane.ans.q.Scenario})
	}
	return s, nil
}
