package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
)

// notesKeys are the notes screen's keys; the help shows the focused
// pane's.
type notesKeys struct {
	reader bool

	Up, Down, Open, Filter, Top, Bottom, Tab, Back key.Binding
	PageUp, PageDown, HalfUp, HalfDown             key.Binding
	Search, Next, Prev, Practice, Scenarios        key.Binding
}

func (k notesKeys) ShortHelp() []key.Binding {
	if k.reader {
		return []key.Binding{k.Down, k.Search, k.Next, k.Practice, k.Scenarios, k.Tab}
	}
	return []key.Binding{k.Down, k.Open, k.Filter, k.Tab}
}

func (k notesKeys) FullHelp() [][]key.Binding {
	if k.reader {
		return [][]key.Binding{
			{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
			{k.Search, k.Next, k.Prev, k.Practice, k.Scenarios, k.Tab, k.Back},
		}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Filter, k.Tab, k.Back}}
}

func (s notesScreen) view() string {
	lw, rw := s.listWidth(), s.readerWidth()
	switch {
	case lw > 0 && rw > 0:
		left := strings.Split(fit(s.listView(lw), lw, s.h), "\n")
		right := strings.Split(fit(s.readerView(rw), rw, s.h), "\n")
		sep := s.sh.Styles.Muted.Render("│")
		out := make([]string, s.h)
		for i := range out {
			out[i] = left[i] + sep + right[i]
		}
		return strings.Join(out, "\n")
	case rw > 0:
		return s.readerView(rw)
	default:
		return s.listView(lw)
	}
}

func (s notesScreen) listView(w int) string {
	st := s.sh.Styles
	title := st.Title.Render(" Topics") + st.Muted.Render(fmt.Sprintf("  %d of %d", len(s.items), len(s.sh.lib.Notes)))
	lines := []string{title}
	switch {
	case s.filtering:
		lines = append(lines, " "+s.filter.View())
	case s.filter.Value() != "":
		lines = append(lines, st.Muted.Render(" search: "+s.filter.Value()+"  (esc clears)"))
	default:
		lines = append(lines, st.Muted.Render(" / searches the notes"))
	}
	rows := max(s.h-2, 1)
	vis, off := window(s.items, s.listOff, rows)
	if len(s.items) == 0 {
		lines = append(lines, st.Muted.Render("  No topic matches."))
	}
	for i, n := range vis {
		idx := off + i
		count := s.counts[n.ID]
		label := n.Title
		if w < 60 {
			label = n.ID
		}
		right := st.Muted.Render(fmt.Sprintf("%3d q", count))
		text := padRight(label, max(w-9, 5))
		row := "  " + st.Text.Render(text) + " " + right
		if idx == s.cursor {
			mark := "› "
			if s.note == n {
				mark = "▸ "
			}
			row = st.Cursor.Render(mark+text) + " " + right
		}
		lines = append(lines, row)
	}
	return strings.Join(lines, "\n")
}

func (s notesScreen) readerView(w int) string {
	st := s.sh.Styles
	if s.note == nil {
		return "\n  " + st.Muted.Render("Pick a topic and press enter to read it.")
	}
	title := s.note.Title
	pos := st.Muted.Render(fmt.Sprintf(" %3d%%", s.pager.percent()))
	head := padRight(" "+st.Title.Render(title), w-5) + pos
	var body string
	switch {
	case s.scenarios:
		body = s.scenarioView(w)
	case s.pager.lines == nil:
		body = "\n  " + st.Muted.Render("Rendering…")
	default:
		body = s.pager.view(st)
	}
	var foot string
	switch {
	case s.searching:
		foot = " " + s.search.View()
	case s.status != "":
		foot = " " + st.Accent.Render(s.status)
	default:
		foot = st.Muted.Render(" / search · p quiz this topic · s scenarios · esc back")
	}
	return head + "\n" + fit(body, w, max(s.h-2, 1)) + "\n" + foot
}

// scenarioView lists the scenarios that prove this topic's answers; a
// number opens one in the sandbox.
func (s notesScreen) scenarioView(w int) string {
	st := s.sh.Styles
	ids := s.topicScenarios()
	lines := []string{"", "  " + st.Title.Render("Scenarios for this topic")}
	for _, l := range wrapLines("Press a number to run one in the sandbox:", w-4) {
		lines = append(lines, "  "+st.Muted.Render(l))
	}
	lines = append(lines, "")
	if len(ids) == 0 {
		lines = append(lines, "  "+st.Muted.Render("No scenario yet for this topic."))
	}
	for i, id := range ids {
		name := id
		if t, ok := s.scenarioTitles[id]; ok && t != "" {
			name = t
		}
		prefix := "     "
		if i < 9 {
			prefix = fmt.Sprintf("  %d  ", i+1)
		}
		for j, l := range wrapLines(name, max(w-7, 10)) {
			if j > 0 {
				prefix = "     "
			}
			lines = append(lines, prefix+st.Accent.Render(l))
		}
	}
	lines = append(lines, "", "  "+st.Muted.Render("s or esc goes back to the note"))
	return strings.Join(lines, "\n")
}

// topicScenarios are the scenarios the topic's questions link to.
func (s notesScreen) topicScenarios() []string {
	var ids []string
	for _, q := range s.sh.lib.QuestionsFor(s.note.ID) {
		if q.Scenario != "" && !slices.Contains(ids, q.Scenario) {
			ids = append(ids, q.Scenario)
		}
	}
	return ids
}
