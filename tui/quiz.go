package tui

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// quizKeys are the practice screen's keys; the help changes once the
// question is answered.
type quizKeys struct {
	answered bool
	// scenario says the question has a scenario for x to open.
	scenario bool

	Up, Down, Pick, Toggle, Submit, Next, Skip, Note, Scenario, Filter key.Binding
	PageUp, PageDown, Back                                             key.Binding
}

func (k quizKeys) ShortHelp() []key.Binding {
	if k.answered {
		return withScenario([]key.Binding{k.Next, k.Note, k.Down, k.Filter}, 2, k.Scenario, k.scenario)
	}
	return []key.Binding{k.Pick, k.Submit, k.Skip, k.Filter}
}

func (k quizKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pick, k.Up, k.Down, k.Toggle, k.Submit},
		withScenario([]key.Binding{k.Next, k.Skip, k.Note, k.Filter, k.PageUp, k.PageDown, k.Back}, 3, k.Scenario, k.scenario),
	}
}

// withScenario puts the key that opens the question's scenario at i, when
// the question has one: the key does nothing otherwise.
func withScenario(keys []key.Binding, i int, scenario key.Binding, has bool) []key.Binding {
	if !has {
		return keys
	}
	return slices.Insert(keys, i, scenario)
}

func newQuizKeys() quizKeys {
	return quizKeys{
		Up: upKey(), Down: downKey(), PageUp: pageUpKey(), PageDown: pageDownKey(), Back: backKey(),
		Pick:     bind("1-6/a-f", "pick an option", "1", "2", "3", "4", "5", "6", "a", "b", "c", "d", "e", "f"),
		Toggle:   bind("space", "pick the option under the cursor", "space", "x"),
		Submit:   bind("enter", "answer", "enter"),
		Next:     bind("enter/n", "next question", "enter", "n", "right", "l"),
		Skip:     bind("s", "skip", "s"),
		Note:     bind("o", "open the note", "o"),
		Scenario: bind("x", "run the scenario in the sandbox", "x"),
		Filter:   bind("/", "filter: topic, domain, difficulty", "/"),
	}
}

// pickIndex turns a pick key into an option index: 1 or a is 0.
func pickIndex(k tea.KeyPressMsg) int {
	s := k.String()
	if len(s) != 1 {
		return -1
	}
	switch c := s[0]; {
	case c >= '1' && c <= '9':
		return int(c - '1')
	case c >= 'a' && c <= 'f':
		return int(c - 'a')
	}
	return -1
}

// quizScreen is practice: one question at a time, explained once answered.
type quizScreen struct {
	sh     *shared
	w, h   int
	filter quizFilter
	deck   []*content.Question
	pos    int
	pane   qpane
	// lastAnswered is when each question was last answered, from the store
	// and this session; the deck's order comes from it.
	lastAnswered map[string]time.Time
	ordered      bool
	// right and answered count this session's answers.
	right, answered int
	form            *quizForm
	km              quizKeys
}

// quizHistoryMsg brings when each question was last answered.
type quizHistoryMsg struct {
	last map[string]time.Time
	err  error
}

func newQuizScreen(sh *shared) quizScreen {
	s := quizScreen{sh: sh, km: newQuizKeys(), lastAnswered: map[string]time.Time{}}
	s.pane.links, s.pane.enterAnswers = true, true
	s.rebuild()
	return s
}

// loadHistory asks the store when each question was last answered.
func (s quizScreen) loadHistory() tea.Cmd {
	p, now := s.sh.progress, s.sh.Now()
	return func() tea.Msg {
		st, err := p.Stats(now)
		if err != nil {
			return quizHistoryMsg{err: fmt.Errorf("load your answers: %w", err)}
		}
		return quizHistoryMsg{last: st.LastAnswered}
	}
}

func (s *quizScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.pane.setSize(w, h-2)
}

func (s quizScreen) keys() help.KeyMap {
	k := s.km
	k.answered = s.pane.ans.done
	k.scenario = s.pane.ans.q != nil && s.pane.ans.q.Scenario != ""
	return k
}

func (s quizScreen) typing() bool { return false }

// startTopic begins practice on one topic; App calls it when a note asks
// for a quiz.
func (s *quizScreen) startTopic(topic string) {
	s.filter = quizFilter{topic: topic}
	s.rebuild()
}

// rebuild deals the questions that pass the filter and shows the first
// one not answered yet (see quizOrder).
func (s *quizScreen) rebuild() {
	s.deck = s.deck[:0:0]
	for _, q := range s.sh.lib.Questions {
		if s.filter.matches(q) {
			s.deck = append(s.deck, q)
		}
	}
	s.deck, s.pos = quizOrder(s.deck, s.lastAnswered)
	s.showCurrent()
}

// difficultyRank orders difficulties from easy to hard.
func difficultyRank(d string) int { return strings.Index("easy medium hard", d) }

// quizOrder orders a deck for practice and says where to start: the
// questions answered before, the longest ago first, then those never
// answered, easy ones first and otherwise in an order fixed by their ids
// (so topics mix, and the same on every launch). Practice starts at the
// first one never answered, so a learner who comes back carries on where
// they stopped ("Question 38 of 121"), and meets the answered ones again,
// oldest first, after the last.
func quizOrder(deck []*content.Question, last map[string]time.Time) ([]*content.Question, int) {
	key := func(q *content.Question) uint32 {
		h := fnv.New32a()
		h.Write([]byte(q.ID))
		return h.Sum32()
	}
	out := slices.Clone(deck)
	slices.SortStableFunc(out, func(a, b *content.Question) int {
		ta, seenA := last[a.ID]
		tb, seenB := last[b.ID]
		switch {
		case seenA && seenB:
			return ta.Compare(tb)
		case seenA != seenB:
			if seenA {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(difficultyRank(a.Difficulty), difficultyRank(b.Difficulty)); c != 0 {
			return c
		}
		return cmp.Compare(key(a), key(b))
	})
	start := 0
	for start < len(out) {
		if _, seen := last[out[start].ID]; !seen {
			break
		}
		start++
	}
	if start == len(out) {
		start = 0
	}
	return out, start
}

func (s *quizScreen) showCurrent() {
	s.pane.scroll = 0
	s.pane.ans = answer{}
	if len(s.deck) > 0 {
		s.pane.ans = newAnswer(s.deck[s.pos], s.sh.Now())
	}
	s.pane.reveal = false
}

func (s *quizScreen) next() {
	if len(s.deck) == 0 {
		return
	}
	s.pos = (s.pos + 1) % len(s.deck)
	s.showCurrent()
}

// submit ends the answer: explanations appear and the answer is recorded.
func (s *quizScreen) submit() tea.Cmd {
	a := s.pane.ans.submit()
	s.pane.ans = a
	if !a.done {
		return nil
	}
	s.pane.reveal = true
	s.pane.showResult(s.sh)
	s.lastAnswered[a.q.ID] = s.sh.Now()
	s.answered++
	if a.correct() {
		s.right++
	}
	return record(s.sh, a, store.ModePractice, false)
}

// record saves an answer through Progress, in a command.
func record(sh *shared, a answer, mode store.Mode, flagged bool) tea.Cmd {
	now := sh.Now()
	rt := now.Sub(a.shownAt)
	correct := a.correct()
	ans := store.Answer{
		QuestionID: a.q.ID, Topic: a.q.Topic, Domains: a.q.Domains, At: now, Correct: correct,
		Chosen: a.chosen(), Rating: srs.RatingFor(correct, rt, flagged), ResponseTime: rt, Mode: mode,
	}
	return saveAnswers(sh, ans)
}

// answersSavedMsg says answers reached the store.
type answersSavedMsg struct{ n int }

// saveAnswers records answers; the write is queued at once (see writer),
// so that quitting waits for it.
func saveAnswers(sh *shared, answers ...store.Answer) tea.Cmd {
	p := sh.progress
	return sh.writes.write(func() tea.Msg {
		for _, a := range answers {
			if err := p.RecordAnswer(a); err != nil {
				return errorMsg{Err: fmt.Errorf("save answer to %s: %w", a.QuestionID, err)}
			}
		}
		return answersSavedMsg{len(answers)}
	})
}

func (s quizScreen) update(msg tea.Msg) (quizScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		s.setSize(s.w, s.h)
		if !s.ordered {
			return s, s.loadHistory()
		}
		return s, s.pane.fetch(s.sh)
	case refreshMsg:
		s.setSize(s.w, s.h)
		return s, s.pane.fetch(s.sh)
	case quizHistoryMsg:
		if msg.err != nil {
			return s, reportErr(msg.err)
		}
		if !s.ordered {
			s.ordered = true
			maps.Copy(s.lastAnswered, msg.last)
			s.rebuild()
		}
		return s, s.pane.fetch(s.sh)
	case tea.KeyPressMsg:
		if s.form != nil {
			return s.formKey(msg)
		}
		return s.handleKey(msg)
	case tea.MouseWheelMsg:
		s.pane.scrollBy(s.sh, wheelLines(msg))
	case tea.MouseClickMsg:
		if s.form != nil || msg.Button != tea.MouseLeft || s.pane.ans.q == nil || s.pane.ans.done {
			return s, nil
		}
		if i := s.pane.optionAt(s.sh, msg.Y-2); i >= 0 {
			s.pick(i)
		}
	}
	return s, nil
}

// pick picks option i; enter answers, so a pick can be changed and the
// key after it never skips the explanation.
func (s *quizScreen) pick(i int) {
	s.pane.ans = s.pane.ans.pick(i)
	s.pane.follow(s.sh)
}

func (s quizScreen) handleKey(msg tea.KeyPressMsg) (quizScreen, tea.Cmd) {
	k := s.km
	switch {
	case key.Matches(msg, k.Back):
		return s, back
	case key.Matches(msg, k.Filter):
		s.form = newQuizForm(s.sh.lib, s.filter)
		return s, nil
	case key.Matches(msg, k.PageUp):
		s.pane.scrollBy(s.sh, -(s.pane.h - 1))
		return s, nil
	case key.Matches(msg, k.PageDown):
		s.pane.scrollBy(s.sh, s.pane.h-1)
		return s, nil
	}
	if s.pane.ans.q == nil {
		return s, nil
	}
	if s.pane.ans.done {
		switch {
		case key.Matches(msg, k.Next):
			s.next()
			return s, s.pane.fetch(s.sh)
		case key.Matches(msg, k.Note):
			return s, cmdOf(openNoteMsg{s.pane.ans.q.Topic})
		case key.Matches(msg, k.Scenario) && s.pane.ans.q.Scenario != "":
			return s, cmdOf(openScenarioMsg{s.pane.ans.q.Scenario})
		case key.Matches(msg, k.Up):
			s.pane.scrollBy(s.sh, -1)
		case key.Matches(msg, k.Down):
			s.pane.scrollBy(s.sh, 1)
		}
		return s, nil
	}
	switch {
	case key.Matches(msg, k.Pick):
		if i := pickIndex(msg); i >= 0 && i < len(s.pane.ans.q.Options) {
			s.pick(i)
		}
	case key.Matches(msg, k.Up):
		s.pane.ans = s.pane.ans.move(-1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Down):
		s.pane.ans = s.pane.ans.move(1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Toggle):
		s.pick(s.pane.ans.cursor)
	case key.Matches(msg, k.Submit):
		if s.pane.ans.q.Choose <= 1 && len(s.pane.ans.chosen()) == 0 {
			s.pick(s.pane.ans.cursor)
		}
		return s, s.submit()
	case key.Matches(msg, k.Skip):
		s.next()
		return s, s.pane.fetch(s.sh)
	}
	return s, nil
}

func (s quizScreen) view() string {
	st := s.sh.Styles
	if s.form != nil {
		return s.form.view(st, s.sh.lib, s.w, s.h)
	}
	head := fmt.Sprintf(" Practice · %s", s.filterLabel())
	score := ""
	if s.answered > 0 {
		score = fmt.Sprintf("this session %d/%d right ", s.right, s.answered)
	}
	top := padRight(st.Title.Render(head), s.w-len(score)) + st.Muted.Render(score)
	if len(s.deck) == 0 {
		return top + "\n\n  " + st.Muted.Render("No question matches this filter. Press / to change it.")
	}
	q := s.pane.ans.q
	sub := fmt.Sprintf(" Question %d of %d · %s · %s", s.pos+1, len(s.deck), q.Difficulty, s.topicTitle(q.Topic))
	return top + "\n" + st.Muted.Render(padRight(sub, s.w)) + "\n" + s.pane.view(s.sh)
}

func (s quizScreen) topicTitle(id string) string {
	if n, ok := s.sh.lib.Note(id); ok {
		return n.Title
	}
	return id
}

func (s quizScreen) filterLabel() string {
	var parts []string
	if s.filter.topic != "" {
		parts = append(parts, "topic "+s.filter.topic)
	}
	if s.filter.domain != "" {
		parts = append(parts, strings.Replace(s.filter.domain, "/", " ", 1))
	}
	if s.filter.difficulty != "" {
		parts = append(parts, s.filter.difficulty)
	}
	if len(parts) == 0 {
		return "all questions"
	}
	return strings.Join(parts, " · ")
}
