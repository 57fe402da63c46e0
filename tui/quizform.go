package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
)

// quizFilter narrows practice to a topic, an exam domain or a difficulty;
// "" means any.
type quizFilter struct {
	topic, domain, difficulty string // domain is "EXAM/Domain"
}

// matches says whether a question passes the filter.
func (f quizFilter) matches(q *content.Question) bool {
	if f.topic != "" && q.Topic != f.topic {
		return false
	}
	if f.difficulty != "" && q.Difficulty != f.difficulty {
		return false
	}
	if f.domain != "" {
		exam, dom, _ := strings.Cut(f.domain, "/")
		if q.Domains[exam] != dom {
			return false
		}
	}
	return true
}

// filterChoices are the values each filter field cycles through, "" first.
func filterChoices(lib *content.Library) [3][]string {
	var out [3][]string
	out[0] = []string{""}
	for _, n := range lib.Notes {
		out[0] = append(out[0], n.ID)
	}
	out[1] = []string{""}
	for _, e := range content.Exams() {
		for _, d := range e.Domains {
			v := e.Code + "/" + d.Name
			if slices.ContainsFunc(lib.Questions, func(q *content.Question) bool { return q.Domains[e.Code] == d.Name }) {
				out[1] = append(out[1], v)
			}
		}
	}
	out[2] = []string{"", "easy", "medium", "hard"}
	return out
}

// quizForm picks the filter: j/k choose a field, h/l its value.
type quizForm struct {
	field   int
	choices [3][]string
	idx     [3]int
}

func newQuizForm(lib *content.Library, f quizFilter) *quizForm {
	form := &quizForm{choices: filterChoices(lib)}
	for i, v := range []string{f.topic, f.domain, f.difficulty} {
		form.idx[i] = max(slices.Index(form.choices[i], v), 0)
	}
	return form
}

func (f *quizForm) filter() quizFilter {
	return quizFilter{topic: f.choices[0][f.idx[0]], domain: f.choices[1][f.idx[1]], difficulty: f.choices[2][f.idx[2]]}
}

func (s quizScreen) formKey(msg tea.KeyPressMsg) (quizScreen, tea.Cmd) {
	f := s.form
	switch {
	case key.Matches(msg, s.km.Up):
		f.field = (f.field + 2) % 3
	case key.Matches(msg, s.km.Down), msg.String() == "tab":
		f.field = (f.field + 1) % 3
	case key.Matches(msg, leftKey()):
		n := len(f.choices[f.field])
		f.idx[f.field] = (f.idx[f.field] + n - 1) % n
	case key.Matches(msg, rightKey()), msg.String() == "space":
		f.idx[f.field] = (f.idx[f.field] + 1) % len(f.choices[f.field])
	case msg.String() == "enter":
		s.filter = f.filter()
		s.form = nil
		s.rebuild()
		return s, s.pane.fetch(s.sh)
	case key.Matches(msg, s.km.Back):
		s.form = nil
	}
	return s, nil
}

func (f *quizForm) view(st Styles, lib *content.Library, w, h int) string {
	names := [3]string{"Topic", "Domain", "Difficulty"}
	lines := []string{st.Title.Render("Filter the practice questions"), ""}
	for i := range 3 {
		v := f.choices[i][f.idx[i]]
		switch {
		case v == "":
			v = "any"
		case i == 0:
			if n, ok := lib.Note(v); ok {
				v = n.Title
			}
		case i == 1:
			v = strings.Replace(v, "/", " · ", 1)
		}
		row := padTo(names[i], 12) + "‹ " + truncate(v, min(w-4, 90)-26) + " ›"
		if i == f.field {
			lines = append(lines, st.Cursor.Render("› "+row))
		} else {
			lines = append(lines, "  "+st.Text.Render(row))
		}
	}
	count := 0
	filt := f.filter()
	for _, q := range lib.Questions {
		if filt.matches(q) {
			count++
		}
	}
	lines = append(lines, "", st.Muted.Render(plural(count, "question matches", "questions match")), "",
		st.Muted.Render("j/k field · h/l value · enter apply · esc cancel"))
	box := st.Dialog.Width(min(w-4, 90)).Render(strings.Join(lines, "\n"))
	return center(box, w, h)
}
