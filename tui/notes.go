package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
)

// The notes screen: a topic list with a filter, and a reader that shows a
// note rendered by Glamour, with search. Wide terminals show both panes;
// narrower ones show the focused pane only. tab switches.
type notesScreen struct {
	sh   *shared
	w, h int

	items     []*content.Note // the topics that pass the filter
	cursor    int
	listOff   int
	filter    textinput.Model
	filtering bool

	focusReader bool
	note        *content.Note
	pager       pager
	shown       mdKey // the rendering the pager holds
	search      textinput.Model
	searching   bool
	status      string
	// external is set when another screen opened the note: esc goes back
	// there rather than to the topic list.
	external  bool
	scenarios bool
	// findOnOpen is searched for in the note once it is rendered: the word
	// the list was filtered by.
	findOnOpen string
	// scenarioTitles names the scenarios the list shows, once loaded.
	scenarioTitles map[string]string
	titlesAsked    bool

	km notesKeys
	// counts is how many questions each topic has.
	counts map[string]int
	// lower is what the filter searches, by the note's index in the
	// library, lowered once: the filter reads it on every key.
	lower []noteText
}

// noteText is a note in lower case: meta is its id, title and tags; all
// is those and its text.
type noteText struct{ meta, all string }

func newNotesScreen(sh *shared) notesScreen {
	s := notesScreen{sh: sh, km: notesKeys{
		Up: upKey(), Down: downKey(), Top: topKey(), Bottom: bottomKey(), Back: backKey(),
		Tab:       bind("tab", "switch pane", "tab", "shift+tab"),
		Open:      bind("enter", "read", "enter", "l", "right"),
		Filter:    bind("/", "search the notes", "/"),
		PageUp:    bind("pgup/b", "page up", "pgup", "b", "ctrl+b"),
		PageDown:  bind("pgdn/f/space", "page down", "pgdown", "f", "space", "ctrl+f"),
		HalfUp:    bind("u/ctrl+u", "half page up", "u", "ctrl+u"),
		HalfDown:  bind("d/ctrl+d", "half page down", "d", "ctrl+d"),
		Search:    bind("/", "search the note", "/"),
		Next:      bind("n", "next hit", "n"),
		Prev:      bind("N", "previous hit", "N"),
		Practice:  bind("p", "quiz this topic", "p"),
		Scenarios: bind("s", "this topic's scenarios", "s"),
	}}
	s.filter = sh.NewInput("search: ")
	s.search = sh.NewInput("/")
	s.items = sh.lib.Notes
	for _, n := range sh.lib.Notes {
		meta := strings.ToLower(n.ID + " " + n.Title + " " + strings.Join(n.Tags, " "))
		s.lower = append(s.lower, noteText{meta, meta + " " + strings.ToLower(n.Body)})
	}
	s.counts = map[string]int{}
	for _, q := range sh.lib.Questions {
		s.counts[q.Topic]++
	}
	return s
}

func (s notesScreen) keys() help.KeyMap {
	k := s.km
	k.reader = s.focusReader
	return k
}

func (s notesScreen) typing() bool { return s.filtering || s.searching }

func (s notesScreen) wide() bool { return s.w >= 100 }

// listWidth is the topic list's width; 0 when it is hidden.
func (s notesScreen) listWidth() int {
	switch {
	case s.wide():
		return 32
	case s.focusReader:
		return 0
	default:
		return s.w
	}
}

// readerWidth is the width the note is rendered at.
func (s notesScreen) readerWidth() int {
	switch {
	case s.wide():
		return s.w - s.listWidth() - 1
	case s.focusReader:
		return s.w
	default:
		return 0
	}
}

func (s *notesScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.pager.setSize(max(s.readerWidth(), 1), max(h-2, 1))
	s.filter.SetWidth(max(s.listWidth()-12, 5))
	s.search.SetWidth(max(s.readerWidth()-12, 5))
}

// open shows a note in the reader; App calls it when another screen links
// to a note.
func (s *notesScreen) open(id string) tea.Cmd {
	n, ok := s.sh.lib.Note(id)
	if !ok {
		return reportErr(fmt.Errorf("no note %q", id))
	}
	s.show(n)
	s.external = true
	return s.render()
}

func (s *notesScreen) show(n *content.Note) {
	if s.note != n {
		s.pager = pager{}
		s.shown = mdKey{}
	}
	s.note, s.focusReader, s.scenarios, s.status = n, true, false, ""
	if i := slices.Index(s.items, n); i >= 0 {
		s.cursor = i
	}
	s.setSize(s.w, s.h)
}

// render fetches the note's rendering at the reader's width: from the
// cache, or from a command. Scrolling never comes here.
func (s *notesScreen) render() tea.Cmd {
	if s.note == nil || s.readerWidth() <= 0 {
		return nil
	}
	key := mdKey{ID: "note:" + s.note.ID, Width: max(s.readerWidth()-1, 20), Dark: s.sh.Dark}
	if key == s.shown {
		return nil
	}
	lines, cmd := s.sh.MD.Get(key, s.note.Body)
	if lines != nil {
		s.pager.setLines(lines)
		s.shown = key
		if s.findOnOpen != "" {
			s.pager.find(s.findOnOpen)
			s.status, s.findOnOpen = s.hitStatus(), ""
		}
	}
	return cmd
}

func (s notesScreen) update(msg tea.Msg) (notesScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case refreshMsg:
		st := s.sh.InputStyles()
		s.filter.SetStyles(st)
		s.search.SetStyles(st)
		s.setSize(s.w, s.h)
		return s, s.render()
	case shownMsg:
		s.setSize(s.w, s.h)
		// Loading the scenarios takes a while: start while the learner reads.
		return s, tea.Batch(s.render(), s.askScenarioTitles())
	case mdRenderedMsg:
		s.setSize(s.w, s.h)
		return s, s.render()
	case scenarioTitlesMsg:
		if msg.err != nil {
			return s, reportErr(msg.err)
		}
		s.scenarioTitles = msg.titles
	case tea.PasteMsg:
		var cmd tea.Cmd
		switch {
		case s.filtering:
			s.filter, cmd = s.filter.Update(msg)
			s.applyFilter()
		case s.searching:
			s.search, cmd = s.search.Update(msg)
		}
		return s, cmd
	case tea.KeyPressMsg:
		switch {
		case s.filtering:
			return s.filterKey(msg)
		case s.searching:
			return s.searchKey(msg)
		case key.Matches(msg, s.km.Tab):
			if s.note != nil {
				s.focusReader = !s.focusReader
				s.setSize(s.w, s.h)
				return s, s.render()
			}
			return s, nil
		case s.focusReader:
			return s.readerKey(msg)
		default:
			return s.listKey(msg)
		}
	case tea.MouseWheelMsg:
		d := 3
		if msg.Button == tea.MouseWheelUp {
			d = -3
		} else if msg.Button != tea.MouseWheelDown {
			return s, nil
		}
		if s.focusReader && (!s.wide() || msg.X > s.listWidth()) {
			s.pager.scroll(d)
		} else {
			s.moveCursor(d / 3)
		}
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft {
			return s, nil
		}
		if s.listWidth() > 0 && msg.X < s.listWidth() {
			if i := s.listOff + msg.Y - 2; msg.Y >= 2 && i < len(s.items) {
				s.cursor = i
				s.external = false
				s.show(s.items[i])
				return s, s.render()
			}
		} else if s.note != nil && !s.focusReader {
			s.focusReader = true
		}
	}
	return s, nil
}

func (s *notesScreen) moveCursor(d int) {
	s.cursor = clampInt(s.cursor+d, 0, len(s.items)-1)
	rows := max(s.h-2, 1)
	if s.cursor < s.listOff {
		s.listOff = s.cursor
	}
	if s.cursor >= s.listOff+rows {
		s.listOff = s.cursor - rows + 1
	}
}

func (s notesScreen) listKey(msg tea.KeyPressMsg) (notesScreen, tea.Cmd) {
	switch {
	case key.Matches(msg, s.km.Up):
		s.moveCursor(-1)
	case key.Matches(msg, s.km.Down):
		s.moveCursor(1)
	case key.Matches(msg, s.km.Top):
		s.moveCursor(-len(s.items))
	case key.Matches(msg, s.km.Bottom):
		s.moveCursor(len(s.items))
	case key.Matches(msg, s.km.Open):
		if len(s.items) > 0 {
			s.external = false
			s.show(s.items[s.cursor])
			// A note found by its text opens at the first hit.
			if words := strings.Fields(s.filter.Value()); len(words) > 0 {
				s.findOnOpen = slices.MaxFunc(words, func(a, b string) int { return len(a) - len(b) })
			}
			return s, s.render()
		}
	case key.Matches(msg, s.km.Filter):
		s.filtering = true
		return s, s.filter.Focus()
	case key.Matches(msg, s.km.Back):
		if s.filter.Value() != "" {
			s.filter.SetValue("")
			s.applyFilter()
			return s, nil
		}
		return s, back
	}
	return s, nil
}

func (s notesScreen) filterKey(msg tea.KeyPressMsg) (notesScreen, tea.Cmd) {
	switch msg.String() {
	case "enter":
		s.filtering = false
		s.filter.Blur()
		return s, nil
	case "esc":
		s.filtering = false
		s.filter.Blur()
		s.filter.SetValue("")
		s.applyFilter()
		return s, nil
	case "up", "down":
		s.moveCursor(map[string]int{"up": -1, "down": 1}[msg.String()])
		return s, nil
	}
	var cmd tea.Cmd
	s.filter, cmd = s.filter.Update(msg)
	s.applyFilter()
	return s, cmd
}

// applyFilter keeps the notes whose id, title, tags or text contain every
// word of the filter.
func (s *notesScreen) applyFilter() {
	words := strings.Fields(strings.ToLower(s.filter.Value()))
	contains := func(hay string) bool {
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return false
			}
		}
		return true
	}
	// Notes whose title or tags match come before those found in the text.
	var byText []*content.Note
	s.items = s.items[:0:0]
	for i, n := range s.sh.lib.Notes {
		switch {
		case contains(s.lower[i].meta):
			s.items = append(s.items, n)
		case contains(s.lower[i].all):
			byText = append(byText, n)
		}
	}
	s.items = append(s.items, byText...)
	s.cursor, s.listOff = 0, 0
}

func (s notesScreen) readerKey(msg tea.KeyPressMsg) (notesScreen, tea.Cmd) {
	p := &s.pager
	switch {
	case key.Matches(msg, s.km.Back):
		switch {
		case s.scenarios:
			s.scenarios = false
		case len(p.matches) > 0 || p.query != "":
			p.clearSearch()
			s.status = ""
		case s.external:
			s.external = false
			return s, back
		default:
			s.focusReader = false
			s.setSize(s.w, s.h)
		}
	case key.Matches(msg, s.km.Scenarios):
		s.scenarios = !s.scenarios
		if s.scenarios {
			return s, s.askScenarioTitles()
		}
	case s.scenarios && len(msg.String()) == 1 && msg.String() >= "1" && msg.String() <= "9":
		if ids := s.topicScenarios(); int(msg.String()[0]-'1') < len(ids) {
			// Back from the scenario is back to the note itself.
			s.scenarios = false
			return s, cmdOf(openScenarioMsg{ids[msg.String()[0]-'1']})
		}
	case key.Matches(msg, s.km.Practice):
		return s, cmdOf(practiceTopicMsg{s.note.ID})
	case key.Matches(msg, s.km.Up):
		p.scroll(-1)
	case key.Matches(msg, s.km.Down):
		p.scroll(1)
	case key.Matches(msg, s.km.PageUp):
		p.page(-1)
	case key.Matches(msg, s.km.PageDown):
		p.page(1)
	case key.Matches(msg, s.km.HalfUp):
		p.half(-1)
	case key.Matches(msg, s.km.HalfDown):
		p.half(1)
	case key.Matches(msg, s.km.Top):
		p.top()
	case key.Matches(msg, s.km.Bottom):
		p.bottom()
	case key.Matches(msg, s.km.Search):
		s.searching = true
		s.search.SetValue("")
		return s, s.search.Focus()
	case key.Matches(msg, s.km.Next):
		p.next(1)
		s.status = s.hitStatus()
	case key.Matches(msg, s.km.Prev):
		p.next(-1)
		s.status = s.hitStatus()
	}
	return s, nil
}

func (s notesScreen) searchKey(msg tea.KeyPressMsg) (notesScreen, tea.Cmd) {
	switch msg.String() {
	case "enter":
		s.searching = false
		s.search.Blur()
		if s.pager.find(s.search.Value()) == 0 && s.search.Value() != "" {
			s.status = fmt.Sprintf("No match for %q", s.search.Value())
		} else {
			s.status = s.hitStatus()
		}
		return s, nil
	case "esc":
		s.searching = false
		s.search.Blur()
		return s, nil
	}
	var cmd tea.Cmd
	s.search, cmd = s.search.Update(msg)
	return s, cmd
}

func (s notesScreen) hitStatus() string {
	p := s.pager
	if len(p.matches) == 0 {
		return ""
	}
	return fmt.Sprintf("%q: hit %d of %d · n next · N previous · esc clears", p.query, p.current+1, len(p.matches))
}

// selectedID is the id of the note under the list cursor.
func (s notesScreen) selectedID() string {
	if s.cursor < 0 || s.cursor >= len(s.items) {
		return ""
	}
	return s.items[s.cursor].ID
}

// scenarioTitlesMsg brings the scenarios' titles, by id.
type scenarioTitlesMsg struct {
	titles map[string]string
	err    error
}

// askScenarioTitles reads the scenarios' titles, the first time only:
// loading them is slow, and the sandbox shares the one load (New).
func (s *notesScreen) askScenarioTitles() tea.Cmd {
	if s.titlesAsked {
		return nil
	}
	s.titlesAsked = true
	load := s.sh.scenarios
	return func() tea.Msg {
		all, err := load()
		if err != nil {
			return scenarioTitlesMsg{err: fmt.Errorf("load the scenarios: %w", err)}
		}
		titles := make(map[string]string, len(all))
		for _, sc := range all {
			titles[sc.ID] = sc.Title
		}
		return scenarioTitlesMsg{titles: titles}
	}
}
