package sandbox

import (
	"image/color"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"iamlab/scenarios"
	"iamlab/tui/common"
	"iamlab/tui/store"
)

// testStart is the fixed "now" of every test.
var testStart = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

var (
	scenOnce  sync.Once
	testScens []*scenarios.Scenario
	scenErr   error
)

// builtinScenarios loads the scenarios once for every test: loading makes
// keys and parses every file, which takes a while.
func builtinScenarios() ([]*scenarios.Scenario, error) {
	scenOnce.Do(func() { testScens, scenErr = scenarios.Builtin() })
	return testScens, scenErr
}

// memProgress is the progress store in tests: in memory, counting writes.
type memProgress struct {
	mu      sync.Mutex
	solved  map[string]time.Time
	sandbox map[string][]byte
	saves   int
}

func newMemProgress() *memProgress {
	return &memProgress{solved: map[string]time.Time{}, sandbox: map[string][]byte{}}
}

func (m *memProgress) Stats(time.Time) (store.Stats, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := store.Stats{Solved: map[string]time.Time{}}
	for id, t := range m.solved {
		st.Solved[id] = t
	}
	return st, nil
}

func (m *memProgress) SaveSandbox(id string, state []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sandbox[id] = append([]byte{}, state...)
	m.saves++
	return nil
}

func (m *memProgress) LoadSandbox(id string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.sandbox[id]
	return append([]byte(nil), b...), ok, nil
}

func (m *memProgress) MarkSolved(id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.solved[id]; !ok || at.Before(t) {
		m.solved[id] = at
	}
	return nil
}

// harness drives a Screen as the app would, without a terminal: it calls
// Update with messages and runs the commands they return, synchronously,
// in order. Timer ticks are counted, not scheduled: a test sends them
// itself. The screen gets the terminal's size less the app's header and
// footer.
type harness struct {
	tb    testing.TB
	s     *Screen
	sh    *common.Shared
	prog  *memProgress
	now   time.Time
	ticks int
	// backs counts the screen asking the app for the screen before.
	backs int
	errs  []error
	w, h  int
}

func newHarness(tb testing.TB, w, h int) *harness {
	tb.Helper()
	hs := &harness{tb: tb, prog: newMemProgress(), now: testStart}
	hs.sh = &common.Shared{
		Now: func() time.Time { return hs.now },
		Tick: func(time.Duration, func(time.Time) tea.Msg) tea.Cmd {
			hs.ticks++
			return nil
		},
		Styles: common.NewStyles(true),
		Dark:   true,
		MD:     common.NewMarkdown(),
	}
	hs.s = New(hs.sh, hs.prog, builtinScenarios)
	hs.send(tea.BackgroundColorMsg{Color: color.Black})
	hs.resize(w, h)
	hs.send(common.ShownMsg{})
	return hs
}

func (hs *harness) resize(w, h int) {
	hs.w, hs.h = w, h
	hs.s.SetSize(w, h-2)
	hs.send(common.RefreshMsg{})
}

// send delivers messages one by one, each with the commands it causes.
func (hs *harness) send(msgs ...tea.Msg) {
	hs.tb.Helper()
	for _, m := range msgs {
		hs.deliver(m)
	}
}

func (hs *harness) deliver(msg tea.Msg) {
	hs.tb.Helper()
	switch m := msg.(type) {
	case tea.BackgroundColorMsg:
		hs.sh.SetDark(m.IsDark())
		msg = common.RefreshMsg{}
	case common.MDRenderedMsg:
		hs.sh.MD.Put(m)
	case common.BackMsg:
		hs.backs++
		return
	case common.ErrorMsg:
		hs.errs = append(hs.errs, m.Err)
		return
	}
	hs.run(hs.s.Update(msg))
}

// run executes a command and everything that follows from it.
func (hs *harness) run(cmd tea.Cmd) {
	hs.tb.Helper()
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			hs.tb.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch m := msg.(type) {
		case nil:
		case tea.BatchMsg:
			queue = append(queue, m...)
		default:
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
				for i := range v.Len() { // tea.Sequence
					queue = append(queue, v.Index(i).Interface().(tea.Cmd))
				}
				continue
			}
			hs.deliver(msg)
		}
	}
}

// press sends keys by name: "enter", "esc", "ctrl+k", "j", "G" and so on.
func (hs *harness) press(keys ...string) {
	hs.tb.Helper()
	for _, k := range keys {
		hs.send(keyMsg(k))
	}
}

// typeText sends each rune as a key.
func (hs *harness) typeText(s string) {
	hs.tb.Helper()
	for _, r := range s {
		hs.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

var namedKeys = map[string]tea.KeyPressMsg{
	"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "space": {Code: tea.KeySpace, Text: " "},
	"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
	"pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown}, "home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace}, "ctrl+d": {Code: 'd', Mod: tea.ModCtrl},
	"ctrl+u": {Code: 'u', Mod: tea.ModCtrl}, "ctrl+z": {Code: 'z', Mod: tea.ModCtrl},
	"ctrl+y": {Code: 'y', Mod: tea.ModCtrl}, "ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "ctrl+k": {Code: 'k', Mod: tea.ModCtrl},
	"ctrl+o": {Code: 'o', Mod: tea.ModCtrl}, "ctrl+t": {Code: 't', Mod: tea.ModCtrl}, "ctrl+l": {Code: 'l', Mod: tea.ModCtrl},
	"ctrl+home": {Code: tea.KeyHome, Mod: tea.ModCtrl}, "ctrl+end": {Code: tea.KeyEnd, Mod: tea.ModCtrl},
	"delete": {Code: tea.KeyDelete}, "alt+left": {Code: tea.KeyLeft, Mod: tea.ModAlt}, "alt+right": {Code: tea.KeyRight, Mod: tea.ModAlt},
}

func keyMsg(k string) tea.KeyPressMsg {
	if m, ok := namedKeys[k]; ok {
		return m
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// screen is the screen's view as plain text.
func (hs *harness) screen() string { return ansi.Strip(hs.s.View()) }

// checkShape fails unless the view fits the screen's area.
func (hs *harness) checkShape() {
	hs.tb.Helper()
	lines := strings.Split(hs.s.View(), "\n")
	if len(lines) > hs.h-2 {
		hs.tb.Fatalf("View() has %d lines, want at most %d", len(lines), hs.h-2)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > hs.w {
			hs.tb.Fatalf("View() line %d is %d cells wide, want at most %d: %q", i, w, hs.w, ansi.Strip(l))
		}
	}
}
