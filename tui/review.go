package tui

import (
	"fmt"
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

// leechAt is how many misses make a question a leech: the learner keeps
// failing it, so another review will not help; reading the note will.
const leechAt = store.LeechMisses

// reviewLoadedMsg brings the due questions, their cards and the leeches.
type reviewLoadedMsg struct {
	due       []string
	cards     map[string]srs.Card
	leeches   []string
	duePerDay [14]int
	nextDue   time.Time
	err       error
}

// reviewKeys are the review screen's keys: pick, then rate.
type reviewKeys struct {
	revealed bool
	// scenario says the question has a scenario for x to open; question
	// says a question is showing (not loading, nothing due, or done).
	scenario, question bool

	Pick, Up, Down, Toggle, Submit, Rate, Accept, Note, Scenario, PageUp, PageDown, Back key.Binding
}

func (k reviewKeys) ShortHelp() []key.Binding {
	switch {
	case !k.question:
		return nil // esc, ? and q are the app's, in the footer already
	case k.revealed:
		return withScenario([]key.Binding{k.Rate, k.Accept, k.Note, k.Down}, 3, k.Scenario, k.scenario)
	}
	return []key.Binding{k.Pick, k.Submit, k.Down}
}

func (k reviewKeys) FullHelp() [][]key.Binding {
	if !k.question {
		return nil
	}
	return [][]key.Binding{
		{k.Pick, k.Up, k.Down, k.Toggle, k.Submit},
		withScenario([]key.Binding{k.Rate, k.Accept, k.Note, k.PageUp, k.PageDown, k.Back}, 3, k.Scenario, k.scenario),
	}
}

// reviewScreen shows the questions FSRS says are due, one at a time. After
// the answer the learner rates it; each rating shows when the question
// would come back.
type reviewScreen struct {
	sh      *shared
	w, h    int
	loaded  bool
	queue   []*content.Question
	cards   map[string]srs.Card
	leeches []string
	later   [14]int
	nextDue time.Time
	pos     int
	pane    qpane
	done    int
	km      reviewKeys
}

func newReviewScreen(sh *shared) reviewScreen {
	return reviewScreen{sh: sh, km: reviewKeys{
		Up: upKey(), Down: downKey(), PageUp: pageUpKey(), PageDown: pageDownKey(), Back: backKey(),
		Pick:     bind("1-6/a-f", "pick an option", "1", "2", "3", "4", "5", "6", "a", "b", "c", "d", "e", "f"),
		Toggle:   bind("space", "pick the option under the cursor", "space", "x"),
		Submit:   bind("enter", "answer", "enter"),
		Rate:     bind("1-4", "rate: again, hard, good, easy", "1", "2", "3", "4"),
		Accept:   bind("enter", "accept the suggested rating", "enter"),
		Note:     bind("o", "open the note", "o"),
		Scenario: bind("x", "run the scenario in the sandbox", "x"),
	}}
}

func (s *reviewScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.pane.setSize(w, h-s.footerHeight()-2)
}

// footerHeight is the rating bar's height, below the question.
func (s reviewScreen) footerHeight() int {
	if s.pane.ans.done {
		return 4
	}
	return 0
}

func (s reviewScreen) keys() help.KeyMap {
	k := s.km
	k.revealed = s.pane.ans.done
	k.question = s.loaded && s.pos < len(s.queue) && s.pane.ans.q != nil
	k.scenario = k.question && s.pane.ans.q.Scenario != ""
	return k
}

func (s reviewScreen) typing() bool { return false }

func (s reviewScreen) load() tea.Cmd {
	p, now := s.sh.progress, s.sh.Now()
	return func() tea.Msg {
		due, err := p.Due(now)
		if err != nil {
			return reviewLoadedMsg{err: fmt.Errorf("load due reviews: %w", err)}
		}
		cards := make(map[string]srs.Card, len(due))
		for _, id := range due {
			c, err := p.Card(id)
			if err != nil {
				return reviewLoadedMsg{err: fmt.Errorf("load card %s: %w", id, err)}
			}
			cards[id] = c
		}
		stats, err := p.Stats(now)
		if err != nil {
			return reviewLoadedMsg{err: fmt.Errorf("load statistics: %w", err)}
		}
		return reviewLoadedMsg{due: due, cards: cards, leeches: stats.Leeches, duePerDay: stats.DuePerDay, nextDue: stats.NextDue}
	}
}

func (s reviewScreen) update(msg tea.Msg) (reviewScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		if s.loaded && s.pos < len(s.queue) {
			return s, s.pane.fetch(s.sh) // a review under way stays as it was
		}
		return s, s.load()
	case refreshMsg:
		s.setSize(s.w, s.h)
		return s, s.pane.fetch(s.sh)
	case reviewLoadedMsg:
		if msg.err != nil {
			return s, reportErr(msg.err)
		}
		s.loaded, s.cards, s.leeches, s.later, s.nextDue, s.pos = true, msg.cards, msg.leeches, msg.duePerDay, msg.nextDue, 0
		s.queue = s.queue[:0:0]
		for _, id := range msg.due {
			if q, ok := s.sh.lib.Question(id); ok {
				s.queue = append(s.queue, q)
			}
		}
		s.show()
		return s, s.pane.fetch(s.sh)
	case tea.KeyPressMsg:
		return s.handleKey(msg)
	case tea.MouseWheelMsg:
		s.pane.scrollBy(s.sh, wheelLines(msg))
	case tea.MouseClickMsg:
		if msg.Button == tea.MouseLeft && s.pane.ans.q != nil && !s.pane.ans.done {
			if i := s.pane.optionAt(s.sh, msg.Y-2); i >= 0 {
				s.pick(i)
			}
		}
	}
	return s, nil
}

func (s *reviewScreen) show() {
	s.pane = qpane{w: s.pane.w, h: s.pane.h, links: true, enterAnswers: true}
	if s.pos < len(s.queue) {
		s.pane.ans = newAnswer(s.queue[s.pos], s.sh.Now())
	}
	s.setSize(s.w, s.h)
}

// pick picks option i; enter reveals the answer, as in the quiz.
func (s *reviewScreen) pick(i int) {
	s.pane.ans = s.pane.ans.pick(i)
	s.pane.follow(s.sh)
}

func (s *reviewScreen) reveal() {
	s.pane.ans = s.pane.ans.submit()
	if s.pane.ans.done {
		s.pane.reveal = true
		s.setSize(s.w, s.h)
		s.pane.showResult(s.sh)
	}
}

// suggested is the rating the answer itself implies; the learner may pick
// another.
func (s reviewScreen) suggested() srs.Rating {
	a := s.pane.ans
	return srs.RatingFor(a.correct(), s.sh.Now().Sub(a.shownAt), false)
}

// rate records the answer with the learner's rating and moves on.
func (s *reviewScreen) rate(r srs.Rating) tea.Cmd {
	a := s.pane.ans
	now := s.sh.Now()
	rt := now.Sub(a.shownAt)
	ans := store.Answer{QuestionID: a.q.ID, Topic: a.q.Topic, Domains: a.q.Domains, At: now, Correct: a.correct(),
		Chosen: a.chosen(), Rating: r, ResponseTime: rt, Mode: store.ModeReview}
	s.done++
	s.pos++
	s.show()
	if s.pos >= len(s.queue) {
		// Save, then load the queue again: learning steps are minutes
		// long, so some questions may already be due again.
		save, load := saveAnswers(s.sh, ans), s.load()
		return func() tea.Msg {
			if msg, failed := save().(errorMsg); failed {
				return msg
			}
			return load()
		}
	}
	return tea.Batch(saveAnswers(s.sh, ans), s.pane.fetch(s.sh))
}

func (s reviewScreen) handleKey(msg tea.KeyPressMsg) (reviewScreen, tea.Cmd) {
	k := s.km
	switch {
	case key.Matches(msg, k.Back):
		return s, back
	case key.Matches(msg, k.PageUp):
		s.pane.scrollBy(s.sh, -(s.pane.h - 1))
		return s, nil
	case key.Matches(msg, k.PageDown):
		s.pane.scrollBy(s.sh, s.pane.h-1)
		return s, nil
	}
	a := s.pane.ans
	if a.q == nil {
		return s, nil
	}
	if a.done {
		switch {
		case key.Matches(msg, k.Rate):
			return s, s.rate(srs.Rating(msg.String()[0] - '0'))
		case key.Matches(msg, k.Accept):
			return s, s.rate(s.suggested())
		case key.Matches(msg, k.Note):
			return s, cmdOf(openNoteMsg{a.q.Topic})
		case key.Matches(msg, k.Scenario) && a.q.Scenario != "":
			return s, cmdOf(openScenarioMsg{a.q.Scenario})
		case key.Matches(msg, k.Up):
			s.pane.scrollBy(s.sh, -1)
		case key.Matches(msg, k.Down):
			s.pane.scrollBy(s.sh, 1)
		}
		return s, nil
	}
	switch {
	case key.Matches(msg, k.Pick):
		if i := pickIndex(msg); i >= 0 && i < len(a.q.Options) {
			s.pick(i)
		}
	case key.Matches(msg, k.Toggle):
		s.pick(a.cursor)
	case key.Matches(msg, k.Up):
		s.pane.ans = a.move(-1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Down):
		s.pane.ans = a.move(1)
		s.pane.follow(s.sh)
	case key.Matches(msg, k.Submit):
		if a.q.Choose <= 1 && len(a.chosen()) == 0 {
			s.pick(a.cursor)
		}
		s.reveal()
	}
	return s, nil
}

func (s reviewScreen) view() string {
	st := s.sh.Styles
	if !s.loaded {
		return "\n  " + st.Muted.Render("Loading the questions due…")
	}
	if s.pos >= len(s.queue) {
		return s.doneView()
	}
	q := s.pane.ans.q
	top := st.Title.Render(fmt.Sprintf(" Review · %d of %d due", s.pos+1, len(s.queue)))
	if s.done > 0 {
		top += st.Muted.Render(fmt.Sprintf(" · %d done this session", s.done))
	}
	c := s.cards[q.ID]
	sub := st.Muted.Render(fmt.Sprintf(" %s · seen %s · %s", c.State, plural(c.Reps, "time", "times"), plural(c.Lapses, "lapse", "lapses")))
	if slices.Contains(s.leeches, q.ID) {
		sub = st.Warn.Render(fmt.Sprintf(" ⚠ Leech: missed %d times or more.", leechAt)) + st.Muted.Render(" Re-read the note (o)")
		if q.Scenario != "" {
			sub += st.Muted.Render(" and its scenario, " + q.Scenario)
		}
	}
	out := top + "\n" + padRight(sub, s.w) + "\n" + fit(s.pane.view(s.sh), s.w, s.pane.h)
	if s.pane.ans.done {
		out += "\n" + s.ratingBar()
	}
	return out
}

// ratingBar shows the four ratings, each with the wait until the question
// comes back, and the one the answer suggests.
func (s reviewScreen) ratingBar() string {
	st := s.sh.Styles
	now := s.sh.Now()
	preview := s.sh.sched.Preview(s.cards[s.pane.ans.q.ID], now)
	sug := s.suggested()
	var cells []string
	for r := srs.Again; r <= srs.Easy; r++ {
		wait := srs.FormatInterval(preview[r-1].Due.Sub(now))
		cell := fmt.Sprintf("%d %s · %s", r, r, wait)
		if r == sug {
			cells = append(cells, st.Cursor.Render("› "+cell+" ‹"))
		} else {
			cells = append(cells, st.Text.Render("  "+cell+"  "))
		}
	}
	hint := fmt.Sprintf(" enter: %s, as suggested · a miss is Again; Hard is right but slow", sug)
	return strings.Join([]string{
		st.Muted.Render(strings.Repeat("─", s.w)),
		" " + st.Title.Render("When should this come back?"),
		" " + strings.Join(cells, "  "),
		st.Muted.Render(hint),
	}, "\n")
}

func (s reviewScreen) doneView() string {
	st := s.sh.Styles
	lines := []string{""}
	if s.done > 0 {
		lines = append(lines, "  "+st.Correct.Render(fmt.Sprintf("✓ Done: %s reviewed this session.", plural(s.done, "question", "questions"))))
	} else {
		lines = append(lines, "  "+st.Title.Render("Nothing is due right now."))
	}
	for _, l := range wrapLines(nextReview(s.nextDue, s.later[0], s.sh.Now()), max(s.w-4, 20)) {
		lines = append(lines, "  "+st.Text.Render(l))
	}
	lines = append(lines, "", "  "+st.Muted.Render("Reviews due over the next days:"))
	lines = append(lines, dueChart(st, s.later, s.sh.Now(), 7)...)
	lines = append(lines, "", "  "+st.Muted.Render("Every answer in Quiz and Exam feeds this queue: a missed question comes back when it is due."),
		"  "+st.Muted.Render("esc goes back."))
	return strings.Join(lines, "\n")
}

// nextReview says when the next question comes back: the chart beside it
// counts the day's reviews, not when in the day they fall.
func nextReview(next time.Time, today int, now time.Time) string {
	if next.IsZero() {
		return "No question is waiting: those you answer in Quiz and Exam come back here when they are due."
	}
	next = next.In(now.Location())
	when := "today at " + next.Format("15:04")
	y1, m1, d1 := now.Date()
	if y2, m2, d2 := next.Date(); y1 != y2 || m1 != m2 || d1 != d2 {
		when = next.Format("Mon 2 Jan") + " at " + next.Format("15:04")
	}
	out := fmt.Sprintf("The next question comes back %s, in %s.", when, srs.FormatInterval(next.Sub(now)))
	if today > 1 {
		out += fmt.Sprintf(" %d in all fall due today.", today)
	}
	return out
}
