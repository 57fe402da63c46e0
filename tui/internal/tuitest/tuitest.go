// Package tuitest drives the tui's models in tests without a terminal:
// keys by name, the commands a message causes run to the end in order, an
// in-memory keeper of sandbox states, the key sequences several tests
// type, the tests' fixed now and the built-in scenarios loaded once. Only
// tests import it.
package tuitest

import (
	"reflect"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

var namedKeys = map[string]tea.KeyPressMsg{
	"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "tab": {Code: tea.KeyTab},
	"shift+tab": {Code: tea.KeyTab, Mod: tea.ModShift}, "space": {Code: tea.KeySpace, Text: " "},
	"up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown}, "left": {Code: tea.KeyLeft}, "right": {Code: tea.KeyRight},
	"pgup": {Code: tea.KeyPgUp}, "pgdown": {Code: tea.KeyPgDown}, "home": {Code: tea.KeyHome}, "end": {Code: tea.KeyEnd},
	"backspace": {Code: tea.KeyBackspace}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "ctrl+d": {Code: 'd', Mod: tea.ModCtrl},
	"ctrl+u": {Code: 'u', Mod: tea.ModCtrl}, "ctrl+z": {Code: 'z', Mod: tea.ModCtrl},
	"ctrl+y": {Code: 'y', Mod: tea.ModCtrl}, "ctrl+s": {Code: 's', Mod: tea.ModCtrl}, "ctrl+k": {Code: 'k', Mod: tea.ModCtrl},
	"ctrl+o": {Code: 'o', Mod: tea.ModCtrl}, "ctrl+t": {Code: 't', Mod: tea.ModCtrl}, "ctrl+l": {Code: 'l', Mod: tea.ModCtrl},
	"ctrl+home": {Code: tea.KeyHome, Mod: tea.ModCtrl}, "ctrl+end": {Code: tea.KeyEnd, Mod: tea.ModCtrl},
	"delete": {Code: tea.KeyDelete}, "alt+left": {Code: tea.KeyLeft, Mod: tea.ModAlt}, "alt+right": {Code: tea.KeyRight, Mod: tea.ModAlt},
}

// Key is a key press by name: "enter", "esc", "ctrl+k", "j", "G".
func Key(name string) tea.KeyPressMsg {
	if m, ok := namedKeys[name]; ok {
		return m
	}
	r := []rune(name)
	return tea.KeyPressMsg{Code: r[0], Text: name}
}

// Keys are key presses by name.
func Keys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = Key(n)
	}
	return out
}

// Typed is text typed: a key press per rune.
func Typed(text string) []tea.Msg {
	var out []tea.Msg
	for _, r := range text {
		out = append(out, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return out
}

// Run executes cmd and everything that follows from it, in order: each
// message that is neither a batch nor a sequence goes to deliver, whose
// command runs in turn; a tea.QuitMsg goes to quit. It reports false when
// the commands never settle.
func Run(cmd tea.Cmd, deliver func(tea.Msg) tea.Cmd, quit func()) bool {
	queue := []tea.Cmd{cmd}
	for n := 0; len(queue) > 0; n++ {
		if n > 10000 {
			return false
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
		case tea.QuitMsg:
			quit()
		default:
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
				for i := range v.Len() { // tea.Sequence
					queue = append(queue, v.Index(i).Interface().(tea.Cmd))
				}
				continue
			}
			queue = append(queue, deliver(msg))
		}
	}
	return true
}

// Sandboxes keeps sandbox states and solved scenarios in memory, as the
// progress store does, and counts the writes.
type Sandboxes struct {
	mu     sync.Mutex
	Solved map[string]time.Time
	States map[string][]byte
	Saves  int
}

// NewSandboxes is an empty keeper.
func NewSandboxes() *Sandboxes {
	return &Sandboxes{Solved: map[string]time.Time{}, States: map[string][]byte{}}
}

func (m *Sandboxes) SaveSandbox(id string, state []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.States[id] = append([]byte{}, state...)
	m.Saves++
	return nil
}

func (m *Sandboxes) LoadSandbox(id string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.States[id]
	return append([]byte(nil), b...), ok, nil
}

func (m *Sandboxes) MarkSolved(id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t, ok := m.Solved[id]; !ok || at.Before(t) {
		m.Solved[id] = at
	}
	return nil
}

// SolvedAt is a copy of the solved scenarios.
func (m *Sandboxes) SolvedAt() map[string]time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]time.Time{}
	for id, t := range m.Solved {
		out[id] = t
	}
	return out
}

// RemoveReadStatement deletes, with the editor's keys, the one statement
// of instance-role-removed's bucket policy, leaving "Statement": [].
func RemoveReadStatement(press func(keys ...string)) {
	press("ctrl+home", "down", "down", "end", "backspace") // "Statement": [
	for range 5 {
		press("ctrl+k", "ctrl+k") // join the next line, then cut it
	}
	press("ctrl+k", "delete", "delete", "delete") // join "  }]", drop "  }"
}
