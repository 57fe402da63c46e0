package tui

import (
	"sort"
	"sync"
	"time"

	"iamlab/tui/internal/tuitest"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// memProgress is an in-memory Progress: the review log in a slice, every
// figure derived from it, as the real store does.
type memProgress struct {
	mu      sync.Mutex
	answers []store.Answer
	exams   []store.ExamAttempt
	*tuitest.Sandboxes
	// draft is the exam under way; draftSaves counts its saves.
	draft      *store.ExamDraft
	draftSaves int
	// sandboxDays are the days RecordSandboxDay was told of.
	sandboxDays map[string]bool
}

func newMemProgress() *memProgress {
	return &memProgress{Sandboxes: tuitest.NewSandboxes(), sandboxDays: map[string]bool{}}
}

func (m *memProgress) RecordAnswer(a store.Answer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.answers = append(m.answers, a)
	return nil
}

func (m *memProgress) Answers() []store.Answer {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.Answer(nil), m.answers...)
}

func (m *memProgress) cards() map[string]srs.Card {
	s := srs.NewScheduler()
	out := map[string]srs.Card{}
	for _, a := range m.answers {
		out[a.QuestionID] = s.Review(out[a.QuestionID], a.Rating, a.At)
	}
	return out
}

func (m *memProgress) Card(id string) (srs.Card, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cards()[id], nil
}

func (m *memProgress) Due(now time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for id, c := range m.cards() {
		if !c.Due.After(now) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out, nil
}

func (m *memProgress) Stats(now time.Time) (store.Stats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := store.Stats{ByTopic: map[string]store.Tally{}, ByDomain: map[string]store.Tally{}, StudyDays: map[string]int{},
		SandboxDays: map[string]bool{}, Solved: map[string]time.Time{}, LastAnswered: map[string]time.Time{}}
	misses := map[string]int{}
	for _, a := range m.answers {
		st.Answered++
		add := func(t store.Tally) store.Tally {
			t.Answered++
			if a.Correct {
				t.Correct++
			}
			return t
		}
		if a.Correct {
			st.Correct++
		} else {
			misses[a.QuestionID]++
		}
		st.ByTopic[a.Topic] = add(st.ByTopic[a.Topic])
		for exam, d := range a.Domains {
			st.ByDomain[exam+"/"+d] = add(st.ByDomain[exam+"/"+d])
		}
		st.StudyDays[a.At.Format("2006-01-02")]++
		st.LastAnswered[a.QuestionID] = a.At
	}
	for d := range m.sandboxDays {
		st.SandboxDays[d] = true
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for _, c := range m.cards() {
		d := int(c.Due.Sub(today).Hours() / 24)
		if c.Due.Before(today) {
			d = 0
		}
		if d < 14 {
			st.DuePerDay[d]++
		}
		if c.Due.After(now) && (st.NextDue.IsZero() || c.Due.Before(st.NextDue)) {
			st.NextDue = c.Due
		}
	}
	for id, n := range misses {
		if n >= leechAt {
			st.Leeches = append(st.Leeches, id)
		}
	}
	sort.Strings(st.Leeches)
	for id, t := range m.SolvedAt() {
		st.Solved[id] = t
	}
	return st, nil
}

func (m *memProgress) RecordExam(e store.ExamAttempt, answers []store.Answer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.exams = append(m.exams, e)
	m.answers = append(m.answers, answers...)
	m.draft = nil
	return nil
}

func (m *memProgress) SaveExamDraft(d store.ExamDraft) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.draft = &d
	m.draftSaves++
	return nil
}

func (m *memProgress) ExamDraft() (store.ExamDraft, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.draft == nil {
		return store.ExamDraft{}, false, nil
	}
	return *m.draft, true, nil
}

func (m *memProgress) AbandonExam(answers []store.Answer) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.answers = append(m.answers, answers...)
	m.draft = nil
	return nil
}

func (m *memProgress) Exams() ([]store.ExamAttempt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]store.ExamAttempt(nil), m.exams...), nil
}

func (m *memProgress) RecordSandboxDay(at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sandboxDays[at.Format(time.DateOnly)] = true
	return nil
}
