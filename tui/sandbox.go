package tui

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"iamlab/scenarios"
)

// The sandbox: a list of the scenarios, and an open scenario with its
// story, its policies (editable, with every step run again on each
// keystroke), its steps and their explanations, its challenge and an STS
// console. The open scenario's logic is in sbscenario.go, the console's in
// sbconsole.go, the drawing in sbview.go and sbexplain.go.
type sandboxScreen struct {
	sh   *shared
	w, h int
	km   sandboxKeys

	all []*scenarios.Scenario
	// pendingOpen is a scenario another screen asked to open before the
	// scenarios had loaded.
	pendingOpen string
	loading     bool
	loadErr     error
	solved      map[string]time.Time

	// The list: the scenarios that pass the filters.
	items     []*scenarios.Scenario
	cursor    int
	listOff   int
	topic     string // "" is every topic
	diff      string // "" is every difficulty
	filter    textinput.Model
	filtering bool

	sc    *sbScenario
	theme codeTheme
	saver *sbSaver
	// savePending is set while a save is scheduled for a second from now.
	savePending bool
	// tickGen tells the current console clock tick from stale ones.
	tickGen int
	ticking bool
}

// Messages of the sandbox.
type (
	sbLoadedMsg struct {
		all []*scenarios.Scenario
		err error
	}
	sbSolvedMsg      struct{ solved map[string]time.Time }
	sbStateLoadedMsg struct {
		id    string
		state []byte
		ok    bool
		err   error
	}
	sbSaveTickMsg struct{ id string }
	sbMarkedMsg   struct {
		id string
		at time.Time
	}
	// sbEditorDoneMsg comes back when $EDITOR exits.
	sbEditorDoneMsg struct {
		id, addr, text string
		err            error
	}
	sbClockTickMsg struct{ gen int }
)

// sbSaver writes saved states in the order they were made, whatever order
// the commands run in: each state takes a ticket when it is made, in
// Update, and a write older than the last one written is dropped.
type sbSaver struct {
	mu     sync.Mutex
	issued uint64
	last   map[string]uint64
}

func (s *sbSaver) ticket() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued++
	return s.issued
}

func (s *sbSaver) save(p Progress, id string, seq uint64, blob []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq <= s.last[id] {
		return nil
	}
	s.last[id] = seq
	return p.SaveSandbox(id, blob)
}

func newSandboxScreen(sh *shared) sandboxScreen {
	s := sandboxScreen{sh: sh, km: newSandboxKeys(), saver: &sbSaver{last: map[string]uint64{}}}
	s.filter = newInput(sh, "filter: ")
	s.theme = newCodeTheme(sh.dark, sh.styles)
	return s
}

func (s *sandboxScreen) setSize(w, h int) {
	s.w, s.h = w, h
	s.filter.SetWidth(max(w-20, 10))
	if s.sc != nil {
		if c := s.sc.console; c != nil {
			c.input.SetWidth(max(s.paneWidth(paneConsole)-len(c.prompt())-2, 10))
		}
		s.keepCursorVisible()
	}
}

func (s sandboxScreen) typing() bool {
	return s.filtering || s.editing() || s.consoleActive()
}

// editing reports whether the policy editor has the keyboard; App then
// lets ctrl+z undo rather than suspend.
func (s sandboxScreen) editing() bool { return s.sc != nil && s.sc.editing }

func (s sandboxScreen) consoleActive() bool {
	return s.sc != nil && s.sc.console != nil && s.sc.focus == paneConsole && s.sc.console.input.Focused()
}

// unsaved lists the policies with edits not saved as a version, for App's
// question before quitting.
func (s sandboxScreen) unsaved() []string {
	if s.sc == nil {
		return nil
	}
	return s.sc.unsaved()
}

// saveVersions saves every unsaved policy that parses as a new version.
func (s *sandboxScreen) saveVersions() {
	if s.sc == nil {
		return
	}
	for _, a := range s.sc.unsaved() {
		s.sc.saveVersion(a, s.sh.now())
	}
}

// flush writes the open scenario's state now if anything changed since
// the last write: App runs it before quitting.
func (s *sandboxScreen) flush() tea.Cmd {
	if s.sc == nil || !s.sc.dirty || !s.sc.loaded {
		return nil
	}
	return s.writeState()
}

func (s *sandboxScreen) writeState() tea.Cmd {
	sc := s.sc
	if !sc.loaded {
		return nil
	}
	sc.dirty = false
	blob, err := json.Marshal(sc.state())
	if err != nil {
		return reportErr(fmt.Errorf("save sandbox %s: %w", sc.s.ID, err))
	}
	p, id, seq, saver := s.sh.progress, sc.s.ID, s.saver.ticket(), s.saver
	return func() tea.Msg {
		if err := saver.save(p, id, seq, blob); err != nil {
			return errorMsg{err}
		}
		return nil
	}
}

// scheduleSave asks for a write a second from now, unless one is already
// asked for: typing writes at most once a second, and a crash loses at
// most the last second.
func (s *sandboxScreen) scheduleSave() tea.Cmd {
	if s.sc == nil || !s.sc.dirty || s.savePending {
		return nil
	}
	s.savePending = true
	id := s.sc.s.ID
	return s.sh.tick(time.Second, func(time.Time) tea.Msg { return sbSaveTickMsg{id} })
}

func (s sandboxScreen) load() tea.Cmd {
	loader := s.sh.scenarios
	return func() tea.Msg {
		all, err := loader()
		if err != nil {
			return sbLoadedMsg{err: fmt.Errorf("load scenarios: %w", err)}
		}
		return sbLoadedMsg{all: all}
	}
}

func (s sandboxScreen) loadSolved() tea.Cmd {
	p, now := s.sh.progress, s.sh.now()
	return func() tea.Msg {
		st, err := p.Stats(now)
		if err != nil {
			return errorMsg{fmt.Errorf("load solved scenarios: %w", err)}
		}
		return sbSolvedMsg{st.Solved}
	}
}

func (s sandboxScreen) update(msg tea.Msg) (sandboxScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		cmds := []tea.Cmd{s.loadSolved()}
		if s.all == nil && !s.loading {
			s.loading = true
			cmds = append(cmds, s.load())
		}
		cmds = append(cmds, s.markdown(), s.startTick())
		return s, tea.Batch(cmds...)
	case refreshMsg:
		s.theme = newCodeTheme(s.sh.dark, s.sh.styles)
		st := textinput.DefaultStyles(s.sh.dark)
		st.Cursor.Blink = false
		s.filter.SetStyles(st)
		if s.sc != nil && s.sc.console != nil {
			s.sc.console.input.SetStyles(st)
		}
		s.setSize(s.w, s.h)
		return s, s.markdown()
	case mdRenderedMsg:
		return s, s.markdown()
	case sbLoadedMsg:
		s.loading = false
		if msg.err != nil {
			s.loadErr = msg.err
			return s, reportErr(msg.err)
		}
		s.all = msg.all
		s.applyFilter()
		if id := s.pendingOpen; id != "" {
			s.pendingOpen = ""
			s, cmd := s.openByID(id)
			return s, tea.Batch(cmd, s.markdown())
		}
		return s, s.markdown()
	case sbSolvedMsg:
		s.solved = msg.solved
	case sbMarkedMsg:
		if s.solved == nil {
			s.solved = map[string]time.Time{}
		}
		if _, ok := s.solved[msg.id]; !ok {
			s.solved[msg.id] = msg.at
		}
	case sbStateLoadedMsg:
		return s.stateLoaded(msg)
	case sbSaveTickMsg:
		s.savePending = false
		if s.sc != nil && s.sc.s.ID == msg.id && s.sc.dirty {
			next := s.writeState()
			return s, next
		}
	case sbEditorDoneMsg:
		return s.editorDone(msg)
	case sbClockTickMsg:
		if msg.gen != s.tickGen {
			return s, nil
		}
		s.ticking = false
		next := s.startTick()
		return s, next
	case tea.PasteMsg:
		return s.paste(msg)
	case tea.KeyPressMsg:
		var cmd tea.Cmd
		if s.sc == nil {
			s, cmd = s.listKey(msg)
		} else {
			s, cmd = s.scenarioKey(msg)
		}
		// Not `return s, s.scheduleSave()`: Go does not say whether s is
		// read before or after a call beside it, and these calls change s.
		next := tea.Batch(cmd, s.scheduleSave(), s.startTick())
		return s, next
	case tea.MouseWheelMsg:
		d := wheelLines(msg)
		if d == 0 {
			return s, nil
		}
		if s.sc == nil {
			s.moveCursor(d / 3)
			return s, s.markdown()
		}
		s.scroll(d)
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft {
			return s, nil
		}
		return s.click(msg.X, msg.Y)
	}
	return s, nil
}

// markdown fetches the renderings the screen shows: the selected or open
// scenario's story and its challenge's goal.
func (s *sandboxScreen) markdown() tea.Cmd {
	var cmds []tea.Cmd
	if s.sc != nil {
		sc := s.sc
		w := s.paneWidth(paneStory)
		_, cmd := s.sh.md.get(mdKey{id: "scenario:" + sc.s.ID, width: max(w-2, 20), dark: s.sh.dark}, storySource(sc.s))
		cmds = append(cmds, cmd)
		if c := sc.s.Challenge; c != nil {
			_, cmd := s.sh.md.get(mdKey{id: "goal:" + sc.s.ID, width: max(s.paneWidth(paneChallenge)-2, 20), dark: s.sh.dark}, c.Goal)
			cmds = append(cmds, cmd)
		}
	} else if s.wideList() && len(s.items) > 0 {
		it := s.items[clampInt(s.cursor, 0, len(s.items)-1)]
		_, cmd := s.sh.md.get(mdKey{id: "scenario-story:" + it.ID, width: max(s.previewWidth()-2, 20), dark: s.sh.dark}, it.Story)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// storySource is the story pane's Markdown: the story, then the lesson.
func storySource(s *scenarios.Scenario) string {
	src := s.Story
	if strings.TrimSpace(s.Lesson) != "" {
		src += "\n\n---\n\n## What the steps show\n\n" + s.Lesson
	}
	return src
}

// The list.

func (s *sandboxScreen) applyFilter() {
	words := strings.Fields(strings.ToLower(s.filter.Value()))
	s.items = s.items[:0:0]
	for _, sc := range s.all {
		if s.topic != "" && !slices.Contains(sc.Topics, s.topic) {
			continue
		}
		if s.diff != "" && sc.Difficulty != s.diff {
			continue
		}
		hay := strings.ToLower(sc.ID + " " + sc.Title + " " + strings.Join(sc.Topics, " "))
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(hay, w)
		}
		if ok {
			s.items = append(s.items, sc)
		}
	}
	s.cursor = clampInt(s.cursor, 0, max(len(s.items)-1, 0))
	s.moveCursor(0)
}

func (s *sandboxScreen) moveCursor(d int) {
	s.cursor = clampInt(s.cursor+d, 0, max(len(s.items)-1, 0))
	rows := s.listRows()
	if s.cursor < s.listOff {
		s.listOff = s.cursor
	}
	if s.cursor >= s.listOff+rows {
		s.listOff = s.cursor - rows + 1
	}
	s.listOff = clampInt(s.listOff, 0, max(len(s.items)-rows, 0))
}

// cycle moves a filter to the next value, "" (every value) last.
func cycle(cur string, values []string) string {
	i := slices.Index(values, cur)
	if i+1 >= len(values) {
		return ""
	}
	return values[i+1]
}

func (s sandboxScreen) listKey(msg tea.KeyPressMsg) (sandboxScreen, tea.Cmd) {
	k := s.km
	if s.filtering {
		switch {
		case key.Matches(msg, k.FilterDone):
			s.filtering = false
			s.filter.Blur()
		case key.Matches(msg, k.FilterCancel):
			s.filtering = false
			s.filter.Blur()
			s.filter.SetValue("")
			s.applyFilter()
		case key.Matches(msg, k.ListUp, k.ListDown):
			d := 1
			if key.Matches(msg, k.ListUp) {
				d = -1
			}
			s.moveCursor(d)
		default:
			var cmd tea.Cmd
			s.filter, cmd = s.filter.Update(msg)
			s.applyFilter()
			return s, tea.Batch(cmd, s.markdown())
		}
		return s, s.markdown()
	}
	switch {
	case key.Matches(msg, k.Up):
		s.moveCursor(-1)
	case key.Matches(msg, k.Down):
		s.moveCursor(1)
	case key.Matches(msg, k.Top):
		s.moveCursor(-len(s.items))
	case key.Matches(msg, k.Bottom):
		s.moveCursor(len(s.items))
	case key.Matches(msg, k.Topic):
		s.topic = cycle(s.topic, scenarioTopics(s.all))
		s.applyFilter()
	case key.Matches(msg, k.Difficulty):
		s.diff = cycle(s.diff, []string{"easy", "medium", "hard"})
		s.applyFilter()
	case key.Matches(msg, k.Filter):
		s.filtering = true
		next := s.filter.Focus()
		return s, next
	case key.Matches(msg, k.Open):
		if len(s.items) > 0 {
			return s.open(s.items[s.cursor])
		}
	case key.Matches(msg, k.Back):
		if s.filter.Value() != "" || s.topic != "" || s.diff != "" {
			s.filter.SetValue("")
			s.topic, s.diff = "", ""
			s.applyFilter()
			return s, nil
		}
		return s, back
	}
	return s, s.markdown()
}

// open opens a scenario and asks the store for what the learner left in
// it.
func (s sandboxScreen) open(it *scenarios.Scenario) (sandboxScreen, tea.Cmd) {
	s.sc = newSbScenario(it)
	s.savePending = false
	s.setSize(s.w, s.h)
	p, id := s.sh.progress, it.ID
	load := func() tea.Msg {
		b, ok, err := p.LoadSandbox(id)
		return sbStateLoadedMsg{id: id, state: b, ok: ok, err: err}
	}
	return s, tea.Batch(load, s.markdown())
}

// openRequested opens a scenario another screen links to, once the
// scenarios have loaded.
func (s sandboxScreen) openRequested(id string) (sandboxScreen, tea.Cmd) {
	if s.all == nil {
		s.pendingOpen = id
		return s, nil
	}
	return s.openByID(id)
}

// openByID opens a scenario by id.
func (s sandboxScreen) openByID(id string) (sandboxScreen, tea.Cmd) {
	for _, it := range s.all {
		if it.ID == id {
			return s.open(it)
		}
	}
	return s, reportErr(fmt.Errorf("no scenario %q", id))
}

func (s sandboxScreen) stateLoaded(msg sbStateLoadedMsg) (sandboxScreen, tea.Cmd) {
	sc := s.sc
	if sc == nil || sc.s.ID != msg.id || sc.loaded {
		return s, nil
	}
	sc.loaded = true
	if msg.err != nil {
		return s, reportErr(msg.err)
	}
	if !msg.ok || len(msg.state) == 0 {
		return s, nil
	}
	typed := sc.dirty
	if err := sc.restoreState(msg.state); err != nil {
		return s, reportErr(err)
	}
	// Solved before, and so solved as it comes back: nothing to celebrate
	// or record again.
	sc.recorded = sc.solved
	sc.dirty = typed
	if sc.console != nil {
		sc.console.history = slices.Clone(sc.history)
		sc.console.hpos = len(sc.console.history)
	}
	return s, nil
}

// leave closes the scenario, writing its state.
// scenarioOpen says a scenario is open, rather than the list.
func (s sandboxScreen) scenarioOpen() bool { return s.sc != nil }

func (s sandboxScreen) leave() (sandboxScreen, tea.Cmd) {
	cmd := s.flush()
	s.sc = nil
	s.savePending = false
	return s, tea.Batch(cmd, s.markdown())
}

func ansiStripped(s string) string { return ansi.Strip(s) }
