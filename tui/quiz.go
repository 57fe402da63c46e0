package tui

import (
	"fmt"
	"math/rand/v2"
	"strings"

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

	Up, Down, Pick, Toggle, Submit, Next, Skip, Note, Scenario, Filter key.Binding
	PageUp, PageDown, Back                                             key.Binding
}

func (k quizKeys) ShortHelp() []key.Binding {
	if k.answered {
		return []key.Binding{k.Next, k.Note, k.Scenario, k.Down, k.Filter}
	}
	return []key.Binding{k.Pick, k.Submit, k.Skip, k.Filter}
}

func (k quizKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Pick, k.Up, k.Down, k.Toggle, k.Submit},
		{k.Next, k.Skip, k.Note, k.Scenario, k.Filter, k.PageUp, k.PageDown, k.Back},
	}
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

// quizScreen is practice: one question at a time, explained at once.
type quizScreen struct {
	sh     *shared
	w, h   int
	filter quizFilter
	deck   []*content.Question
	pos    int
	pane   qpane
	rng    *rand.Rand
	// right and answered count this session's answers.
	right, answered int
	form            *quizForm
	km              quizKeys
}

func newQuizScreen(sh *shared) quizScreen {
	seed := uint64(sh.Now().UnixNano())
	s := quizScreen{sh: sh, km: newQuizKeys(), rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	s.pane.links = true
	s.rebuild()
	return s
}

func (s *quizScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.pane.setSize(w, h-2)
}

func (s quizScreen) keys() help.KeyMap {
	k := s.km
	k.answered = s.pane.ans.done
	return k
}

func (s quizScreen) typing() bool { return false }

// startTopic begins practice on one topic; App calls it when a note asks
// for a quiz.
func (s *quizScreen) startTopic(topic string) {
	s.filter = quizFilter{topic: topic}
	s.rebuild()
}

// rebuild shuffles the questions that pass the filter and shows the first.
func (s *quizScreen) rebuild() {
	s.deck = s.deck[:0:0]
	for _, q := range s.sh.lib.Questions {
		if s.filter.matches(q) {
			s.deck = append(s.deck, q)
		}
	}
	s.rng.Shuffle(len(s.deck), func(i, j int) { s.deck[i], s.deck[j] = s.deck[j], s.deck[i] })
	s.pos = 0
	s.showCurrent()
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
	s.pos++
	if s.pos >= len(s.deck) {
		last := s.deck[len(s.deck)-1]
		s.rng.Shuffle(len(s.deck), func(i, j int) { s.deck[i], s.deck[j] = s.deck[j], s.deck[i] })
		if len(s.deck) > 1 && s.deck[0] == last {
			s.deck[0], s.deck[1] = s.deck[1], s.deck[0]
		}
		s.pos = 0
	}
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
	return saveAnswers(sh.progress, ans)
}

// answersSavedMsg says answers reached the store.
type answersSavedMsg struct{ n int }

// saveAnswers records answers; through the app's Progress, the write is
// queued at once (see writer), so that quitting waits for it.
func saveAnswers(p Progress, answers ...store.Answer) tea.Cmd {
	save := func() tea.Msg {
		for _, a := range answers {
			if err := p.RecordAnswer(a); err != nil {
				return errorMsg{Err: fmt.Errorf("save answer to %s: %w", a.QuestionID, err)}
			}
		}
		return answersSavedMsg{len(answers)}
	}
	if q, ok := p.(queued); ok {
		return q.writes.write(save)
	}
	return save
}

func (s quizScreen) update(msg tea.Msg) (quizScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, refreshMsg:
		s.setSize(s.w, s.h)
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
			return s, s.pick(i)
		}
	}
	return s, nil
}

// pick picks option i: a choose-one question is answered at once.
func (s *quizScreen) pick(i int) tea.Cmd {
	s.pane.ans = s.pane.ans.pick(i)
	s.pane.follow(s.sh)
	if s.pane.ans.q.Choose <= 1 {
		return s.submit()
	}
	return nil
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
			return s, s.pick(i)
		}
	case key.Matches(msg, k.Up):
		s.pane.ans = s.pane.ans.move(-1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Down):
		s.pane.ans = s.pane.ans.move(1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Toggle):
		return s, s.pick(s.pane.ans.cursor)
	case key.Matches(msg, k.Submit):
		if s.pane.ans.q.Choose <= 1 && len(s.pane.ans.chosen()) == 0 {
			return s, s.pick(s.pane.ans.cursor)
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
