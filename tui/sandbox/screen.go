package sandbox

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"iamlab/scenarios"
	"iamlab/tui/common"
	"iamlab/tui/store"
)

// Screen is the sandbox: the list of scenarios, or one open scenario. The
// open scenario's state is in scenario.go, its panes in pane.go and the
// files it names, the console's logic in console.go, the layout in
// view.go.
type Screen struct {
	sh       *common.Shared
	progress Progress
	loader   func() ([]*scenarios.Scenario, error)
	w, h     int
	km       keyMap

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

	sc    *scenarioState
	panes *panes // the open scenario's
	theme codeTheme
	saver *saver
	// savePending is set while a save is scheduled for a second from now.
	savePending bool
	// tickGen tells the current console clock tick from stale ones.
	tickGen int
	ticking bool

	// servers are the endpoints S started (serving.go); openGen tells
	// the scenario open now from one left since.
	servers *liveServers
	openGen int
}

// Messages of the sandbox.
type (
	loadedMsg struct {
		all []*scenarios.Scenario
		err error
	}
	solvedMsg      struct{ solved map[string]time.Time }
	stateLoadedMsg struct {
		id    string
		state []byte
		ok    bool
		err   error
	}
	saveTickMsg struct{ id string }
	markedMsg   struct {
		id string
		at time.Time
	}
	// editorDoneMsg comes back when $EDITOR exits.
	editorDoneMsg struct {
		id, addr, text string
		err            error
	}
	clockTickMsg struct{ gen int }
)

// saver writes saved states in the order they were made, whatever order
// the commands run in: each state takes a ticket when it is made, in
// Update, and a write older than the last one written is dropped.
type saver struct {
	mu     sync.Mutex
	issued uint64
	last   map[string]uint64
}

func (s *saver) ticket() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issued++
	return s.issued
}

func (s *saver) save(p Progress, id string, seq uint64, blob []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if seq <= s.last[id] {
		return nil
	}
	s.last[id] = seq
	return p.SaveSandbox(id, blob)
}

// Progress is the part of the progress store the sandbox uses: where
// workspaces are kept, and the statistics that say which scenarios are
// solved.
type Progress interface {
	scenarios.Progress
	Stats(now time.Time) (store.Stats, error)
}

// New makes the sandbox screen. load runs in a command the first time the
// screen is shown.
func New(sh *common.Shared, progress Progress, load func() ([]*scenarios.Scenario, error)) *Screen {
	s := &Screen{sh: sh, progress: progress, loader: load, km: newKeyMap(), saver: &saver{last: map[string]uint64{}}, servers: &liveServers{}}
	s.filter = sh.NewInput("filter: ")
	s.theme = newCodeTheme(sh.Dark, sh.Styles)
	return s
}

func (s *Screen) setSize(w, h int) {
	s.w, s.h = w, h
	s.filter.SetWidth(max(w-20, 10))
	if s.sc != nil {
		if c := s.sc.console; c != nil {
			c.input.SetWidth(max(s.paneWidth(paneConsole)-len(c.prompt())-2, 10))
		}
		s.keepCursorVisible()
	}
}

// flush writes the open scenario's state now if anything changed since
// the last write: App runs it before quitting.
func (s *Screen) flush() tea.Cmd {
	if s.sc == nil || !s.sc.dirty || !s.sc.loaded {
		return nil
	}
	return s.writeState()
}

func (s *Screen) writeState() tea.Cmd {
	sc := s.sc
	if !sc.loaded {
		return nil
	}
	sc.dirty = false
	blob, err := sc.state()
	if err != nil {
		return common.ReportErr(err)
	}
	p, id, seq, saver := s.progress, sc.s.ID, s.saver.ticket(), s.saver
	return func() tea.Msg {
		if err := saver.save(p, id, seq, blob); err != nil {
			return common.ErrorMsg{Err: err}
		}
		return nil
	}
}

// scheduleSave asks for a write a second from now, unless one is already
// asked for: typing writes at most once a second, and a crash loses at
// most the last second.
func (s *Screen) scheduleSave() tea.Cmd {
	if s.sc == nil || !s.sc.dirty || s.savePending {
		return nil
	}
	s.savePending = true
	id := s.sc.s.ID
	return s.sh.Tick(time.Second, func(time.Time) tea.Msg { return saveTickMsg{id} })
}

func (s *Screen) load() tea.Cmd {
	loader := s.loader
	return func() tea.Msg {
		all, err := loader()
		if err != nil {
			return loadedMsg{err: fmt.Errorf("load scenarios: %w", err)}
		}
		return loadedMsg{all: all}
	}
}

func (s *Screen) loadSolved() tea.Cmd {
	p, now := s.progress, s.sh.Now()
	return func() tea.Msg {
		st, err := p.Stats(now)
		if err != nil {
			return common.ErrorMsg{Err: fmt.Errorf("load solved scenarios: %w", err)}
		}
		return solvedMsg{st.Solved}
	}
}

func (s *Screen) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case common.ShownMsg:
		cmds := []tea.Cmd{s.loadSolved()}
		if s.all == nil && !s.loading {
			s.loading = true
			cmds = append(cmds, s.load())
		}
		cmds = append(cmds, s.markdown(), s.startTick())
		return tea.Batch(cmds...)
	case common.RefreshMsg:
		s.theme = newCodeTheme(s.sh.Dark, s.sh.Styles)
		st := textinput.DefaultStyles(s.sh.Dark)
		st.Cursor.Blink = false
		s.filter.SetStyles(st)
		if s.sc != nil && s.sc.console != nil {
			s.sc.console.input.SetStyles(st)
			// The drawn output used the old styles.
			for i := range s.sc.console.out {
				s.sc.console.out[i].lines = nil
			}
		}
		s.setSize(s.w, s.h)
		return s.markdown()
	case common.MDRenderedMsg:
		return s.markdown()
	case loadedMsg:
		s.loading = false
		if msg.err != nil {
			s.loadErr = msg.err
			return common.ReportErr(msg.err)
		}
		s.all = msg.all
		s.applyFilter()
		if id := s.pendingOpen; id != "" {
			s.pendingOpen = ""
			cmd := s.openByID(id)
			return tea.Batch(cmd, s.markdown())
		}
		return s.markdown()
	case solvedMsg:
		s.solved = msg.solved
	case markedMsg:
		if s.solved == nil {
			s.solved = map[string]time.Time{}
		}
		if _, ok := s.solved[msg.id]; !ok {
			s.solved[msg.id] = msg.at
		}
	case stateLoadedMsg:
		return s.stateLoaded(msg)
	case saveTickMsg:
		s.savePending = false
		if s.sc != nil && s.sc.s.ID == msg.id && s.sc.dirty {
			return s.writeState()
		}
	case editorDoneMsg:
		return s.editorDone(msg)
	case servingMsg:
		return s.served(msg)
	case servingStoppedMsg:
		return common.ReportErr(msg.err)
	case liveEventsMsg:
		return s.liveEvents(msg)
	case clockTickMsg:
		if msg.gen != s.tickGen {
			return nil
		}
		s.ticking = false
		return s.startTick()
	case tea.PasteMsg:
		return s.paste(msg)
	case tea.KeyPressMsg:
		// Calls in an expression run left to right: the key first, then
		// the save and the tick it may call for.
		return tea.Batch(s.handleKey(msg), s.scheduleSave(), s.startTick())
	case tea.MouseWheelMsg:
		d := common.WheelLines(msg)
		if d == 0 {
			return nil
		}
		if s.sc == nil {
			s.moveCursor(d / 3)
			return s.markdown()
		}
		s.scroll(d)
	case tea.MouseClickMsg:
		if msg.Button != tea.MouseLeft {
			return nil
		}
		return s.click(msg.X, msg.Y)
	}
	return nil
}

// markdown fetches the renderings the screen shows: the selected or open
// scenario's story and its challenge's goal.
func (s *Screen) markdown() tea.Cmd {
	var cmds []tea.Cmd
	if s.sc != nil {
		sc := s.sc
		w := s.paneWidth(paneStory)
		story := s.panes.story
		_, cmd := s.sh.MD.Get(story.mdKey(w), story.source())
		cmds = append(cmds, cmd)
		if c := sc.s.Challenge; c != nil {
			_, cmd := s.sh.MD.Get(common.MDKey{ID: "goal:" + sc.s.ID, Width: max(s.paneWidth(paneChallenge)-2, 20), Dark: s.sh.Dark}, c.Goal)
			cmds = append(cmds, cmd)
		}
	} else if s.wide() && len(s.items) > 0 {
		it := s.items[common.ClampInt(s.cursor, 0, len(s.items)-1)]
		_, cmd := s.sh.MD.Get(common.MDKey{ID: "scenario-story:" + it.ID, Width: max(s.previewWidth()-2, 20), Dark: s.sh.Dark}, it.Story)
		cmds = append(cmds, cmd)
	}
	return tea.Batch(cmds...)
}

// The list.

func (s *Screen) applyFilter() {
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
	s.cursor = common.ClampInt(s.cursor, 0, max(len(s.items)-1, 0))
	s.moveCursor(0)
}

func (s *Screen) moveCursor(d int) {
	s.cursor = common.ClampInt(s.cursor+d, 0, max(len(s.items)-1, 0))
	rows := s.listRows()
	if s.cursor < s.listOff {
		s.listOff = s.cursor
	}
	if s.cursor >= s.listOff+rows {
		s.listOff = s.cursor - rows + 1
	}
	s.listOff = common.ClampInt(s.listOff, 0, max(len(s.items)-rows, 0))
}

// cycle moves a filter to the next value, "" (every value) last.
func cycle(cur string, values []string) string {
	i := slices.Index(values, cur)
	if i+1 >= len(values) {
		return ""
	}
	return values[i+1]
}

// filterKey handles a key while the filter's input has the keyboard.
func (s *Screen) filterKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.km
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
		return tea.Batch(cmd, s.markdown())
	}
	return s.markdown()
}

// listKey handles a key in the list of scenarios.
func (s *Screen) listKey(msg tea.KeyPressMsg) tea.Cmd {
	k := s.km
	if d, ok := moveBy(k, msg, s.listRows()); ok {
		s.moveCursor(d)
		return s.markdown()
	}
	switch {
	case key.Matches(msg, k.Topic):
		s.topic = cycle(s.topic, scenarioTopics(s.all))
		s.applyFilter()
	case key.Matches(msg, k.Difficulty):
		s.diff = cycle(s.diff, []string{"easy", "medium", "hard"})
		s.applyFilter()
	case key.Matches(msg, k.Filter):
		s.filtering = true
		return s.filter.Focus()
	case key.Matches(msg, k.Open):
		if len(s.items) > 0 {
			return s.open(s.items[s.cursor])
		}
	case key.Matches(msg, k.Back):
		if s.filter.Value() != "" || s.topic != "" || s.diff != "" {
			s.filter.SetValue("")
			s.topic, s.diff = "", ""
			s.applyFilter()
			return nil
		}
		return common.Back
	}
	return s.markdown()
}

// open opens a scenario and asks the store for what the learner left in
// it.
func (s *Screen) open(it *scenarios.Scenario) tea.Cmd {
	stop := s.stopServingScenario()
	s.openGen++
	s.sc = newScenarioState(it)
	s.panes = newPanes(s)
	s.savePending = false
	s.setSize(s.w, s.h)
	p, id := s.progress, it.ID
	load := func() tea.Msg {
		b, ok, err := p.LoadSandbox(id)
		return stateLoadedMsg{id: id, state: b, ok: ok, err: err}
	}
	return tea.Batch(stop, load, s.markdown())
}

// openByID opens a scenario by id.
func (s *Screen) openByID(id string) tea.Cmd {
	for _, it := range s.all {
		if it.ID == id {
			return s.open(it)
		}
	}
	return common.ReportErr(fmt.Errorf("no scenario %q", id))
}

func (s *Screen) stateLoaded(msg stateLoadedMsg) tea.Cmd {
	sc := s.sc
	if sc == nil || sc.s.ID != msg.id || sc.loaded {
		return nil
	}
	sc.loaded = true
	if msg.err != nil {
		return common.ReportErr(msg.err)
	}
	if !msg.ok || len(msg.state) == 0 {
		return nil
	}
	typed := sc.dirty
	if err := sc.restoreState(msg.state); err != nil {
		return common.ReportErr(err)
	}
	serve := s.serveAll()
	// Solved before, and so solved as it comes back: nothing to celebrate
	// or record again.
	sc.recorded = sc.ws.Solved()
	sc.dirty = typed
	if sc.console != nil {
		sc.console.history = slices.Clone(sc.ws.History())
		sc.console.hpos = len(sc.console.history)
	}
	return serve
}

// leave closes the scenario, writing its state.
func (s *Screen) leave() tea.Cmd {
	cmd := s.flush()
	stop := s.stopServingScenario()
	s.sc = nil
	s.savePending = false
	return tea.Batch(cmd, stop, s.markdown())
}
