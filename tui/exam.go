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

// examDraftSavedMsg says the exam under way reached the store.
type examDraftSavedMsg struct{}

// examDraftMsg brings the exam left under way by an earlier session.
type examDraftMsg struct {
	draft store.ExamDraft
	ok    bool
}

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
	// draft is an exam left under way by an earlier session, offered for
	// resuming or abandoning; nil when there is none.
	draft *store.ExamDraft
	// savedDraft is the draft last saved, printed (saveDraft): a draft that
	// prints the same is not saved again.
	savedDraft string

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
	k.phase, k.mapOpen, k.draft = s.phase, s.mapOpen, s.draft != nil
	return k
}

func (s examScreen) typing() bool { return false }

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
	s.draft = nil
	s.setSize(s.w, s.h)
	s.showItem()
	return tea.Batch(s.saveDraft(), s.tick(), s.pane.fetch(s.sh))
}

// loadDraft asks the store for an exam left under way.
func loadDraft(p Progress) tea.Cmd {
	return func() tea.Msg {
		d, ok, err := p.ExamDraft()
		if err != nil {
			return errorMsg{Err: fmt.Errorf("read the exam in progress: %w", err)}
		}
		return examDraftMsg{d, ok}
	}
}

// draftNotice offers, at start-up, the exam left under way.
func draftNotice(d store.ExamDraft) string {
	answered := 0
	for _, q := range d.Questions {
		if len(q.Chosen) > 0 {
			answered++
		}
	}
	return fmt.Sprintf("An exam is in progress (%s, %d of %d answered, %s left): open Exam (e) to resume or abandon it.",
		d.Exam, answered, len(d.Questions), clock(d.Remaining))
}

// draftNow is the attempt as it stands, for the store.
func (s examScreen) draftNow() store.ExamDraft {
	d := store.ExamDraft{Exam: s.exam.Code, Started: s.started, Remaining: max(s.deadline.Sub(s.sh.Now()), 0), Current: s.cur}
	for i, it := range s.items {
		a := it.ans
		if i == s.cur {
			a = s.pane.ans
		}
		d.Questions = append(d.Questions, store.DraftQuestion{QuestionID: a.q.ID, Chosen: a.chosen(), Flagged: it.flagged,
			Spent: it.spent.Round(time.Millisecond)})
	}
	return d
}

// saveDraft queues the attempt as it stands when its answers, flags,
// position or time spent changed since the last save: every answer is kept
// as it is given, so a crash or a quit loses none.
func (s *examScreen) saveDraft() tea.Cmd {
	if s.phase != examRunning {
		return nil
	}
	d, p := s.draftNow(), s.sh.progress
	// The questions print with their choices, flags and time spent.
	k := fmt.Sprint(d.Current, d.Questions)
	if k == s.savedDraft {
		return nil
	}
	s.savedDraft = k
	return s.sh.writes.write(func() tea.Msg {
		if err := p.SaveExamDraft(d); err != nil {
			return errorMsg{Err: fmt.Errorf("save the exam in progress: %w", err)}
		}
		return examDraftSavedMsg{}
	})
}

// resume takes up the attempt of a draft with the time it had left. A
// question no longer in the bank is left out.
func (s *examScreen) resume(d store.ExamDraft) tea.Cmd {
	exam, ok := content.ExamByCode(d.Exam)
	if !ok {
		return reportErr(fmt.Errorf("the exam in progress is for %q, which this iamlab does not know", d.Exam))
	}
	now := s.sh.Now()
	s.exam, s.phase, s.mapOpen, s.confirm, s.timedOut = exam, examRunning, false, false, false
	s.items = s.items[:0]
	for i, dq := range d.Questions {
		q, ok := s.sh.lib.Question(dq.QuestionID)
		if !ok {
			continue
		}
		a := newAnswer(q, now)
		for _, c := range dq.Chosen {
			a = a.pick(c)
		}
		if i == d.Current {
			s.cur = len(s.items)
		}
		s.items = append(s.items, examItem{ans: a, flagged: dq.Flagged, spent: dq.Spent})
	}
	s.draft = nil
	if len(s.items) == 0 {
		s.phase = examSetup
		p := s.sh.progress
		return tea.Batch(s.sh.writes.write(func() tea.Msg { return abandoned(p, nil) }),
			reportErr(fmt.Errorf("none of the questions of the exam in progress is in the bank any more: it was abandoned")))
	}
	s.cur = min(s.cur, len(s.items)-1)
	s.started = d.Started
	s.deadline = now.Add(max(d.Remaining, time.Second))
	s.sh.examDeadline = s.deadline
	s.enteredAt = now
	s.gen++
	s.setSize(s.w, s.h)
	s.showItem()
	return tea.Batch(s.saveDraft(), s.tick(), s.pane.fetch(s.sh))
}

// abandon ends the draft without an attempt; the answers it holds go to
// the review log.
func (s *examScreen) abandon() tea.Cmd {
	d := s.draft
	s.draft = nil
	if d == nil {
		return nil
	}
	now := s.sh.Now()
	var answers []store.Answer
	for _, dq := range d.Questions {
		q, ok := s.sh.lib.Question(dq.QuestionID)
		if !ok || len(dq.Chosen) == 0 {
			continue
		}
		ok = isCorrect(q, dq.Chosen)
		answers = append(answers, store.Answer{QuestionID: q.ID, Topic: q.Topic, Domains: q.Domains, At: now,
			Correct: ok, Chosen: dq.Chosen, Rating: srs.RatingFor(ok, dq.Spent, dq.Flagged), ResponseTime: dq.Spent,
			Mode: store.ModeExam})
	}
	p := s.sh.progress
	return s.sh.writes.write(func() tea.Msg { return abandoned(p, answers) })
}

func abandoned(p Progress, answers []store.Answer) tea.Msg {
	if err := p.AbandonExam(answers); err != nil {
		return errorMsg{Err: fmt.Errorf("abandon the exam in progress: %w", err)}
	}
	return answersSavedMsg{len(answers)}
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
	return tea.Batch(s.saveDraft(), s.pane.fetch(s.sh))
}

// finish scores the attempt and records it, with every question in the
// review log (an unanswered one as a miss, so that it comes back in
// Review), in one transaction that also ends the draft.
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
		answers = append(answers, store.Answer{QuestionID: a.q.ID, Topic: a.q.Topic, Domains: a.q.Domains, At: now,
			Correct: ok, Chosen: a.chosen(), Rating: srs.RatingFor(ok, it.spent, it.flagged), ResponseTime: it.spent,
			Mode: store.ModeExam})
	}
	s.setSize(s.w, s.h)
	p := s.sh.progress
	return s.sh.writes.write(func() tea.Msg {
		if err := p.RecordExam(attempt, answers); err != nil {
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
	case examDraftMsg:
		if msg.ok && s.phase != examRunning {
			s.draft = &msg.draft
		}
		return s, nil
	case examTickMsg:
		if msg.gen != s.gen || s.phase != examRunning {
			return s, nil
		}
		if !s.sh.Now().Before(s.deadline) {
			return s, s.finish(true)
		}
		return s, s.tick()
	case examDraftSavedMsg:
		return s, nil
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
		s.items[s.cur].ans = s.pane.ans
	}
	return s, s.saveDraft()
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
	case s.draft != nil && key.Matches(msg, k.Resume):
		return s, s.resume(*s.draft)
	case s.draft != nil && key.Matches(msg, k.Abandon):
		return s, s.abandon()
	case s.draft != nil && key.Matches(msg, k.Start):
		return s, reportErr(fmt.Errorf("an exam is in progress: press r to resume it or A to abandon it first"))
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
		return s, tea.Batch(s.saveDraft(), back)
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
	return s, s.saveDraft()
}

// mapCols is how many question numbers a row of the map holds.
func (s examScreen) mapCols() int {
	if mw := s.mapWidth(); mw > 0 {
		return (mw - 2) / mapCell
	}
	return max((s.w-4)/mapCell, 1)
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
