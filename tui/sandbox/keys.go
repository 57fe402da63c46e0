package sandbox

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// keyMode is what the sandbox's keys do now; the help shows that mode's.
type keyMode int

const (
	modeList keyMode = iota
	modeFilter
	modeScenario
	modeEditor
	modeConsole
	modeVersions
	modeConfirm
)

// keyMap holds every key binding of the sandbox, made once; each pane's
// keys() picks the ones it answers to (paneKeys, editorKeys,
// versionsKeys) and says which the footer and the help show.
type keyMap struct {
	// The list.
	Up, Down, Top, Bottom, Open, Topic, Difficulty, Filter, Back key.Binding
	ListUp, ListDown, FilterDone, FilterCancel                   key.Binding

	// An open scenario.
	Tab, Pane, PageUp, PageDown, Edit, External, Save, Versions key.Binding
	Hint, Reset, Prompt, Advance, Lesson, Serve, Expand         key.Binding

	// The editor.
	EdSave, Undo, Redo, EdDone, Kill, DocTop, DocEnd, WordLeft, WordRight key.Binding

	// The console.
	Run, Complete, History, ActAs, Clock, Clear, Leave, Scroll key.Binding

	// The versions list and the reset question.
	Restore, Close, Yes, No key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up: common.UpKey(), Down: common.DownKey(), Top: common.TopKey(), Bottom: common.BottomKey(), Back: common.BackKey(),
		Open:         common.Bind("enter", "open", "enter", "l", "right"),
		Topic:        common.Bind("t", "filter by topic", "t"),
		Difficulty:   common.Bind("d", "filter by difficulty", "d"),
		Filter:       common.Bind("/", "filter by words", "/"),
		ListUp:       common.Bind("↑", "up", "up"),
		ListDown:     common.Bind("↓", "down", "down"),
		FilterDone:   common.Bind("enter", "keep the filter", "enter"),
		FilterCancel: common.Bind("esc", "clear the filter", "esc"),

		Tab:      common.Bind("tab", "next pane", "tab", "shift+tab"),
		Pane:     common.Bind("1-5", "go to a pane", "1", "2", "3", "4", "5", "6"),
		PageUp:   common.Bind("pgup/ctrl+u", "scroll up", "pgup", "ctrl+u", "b"),
		PageDown: common.Bind("pgdn/ctrl+d", "scroll down", "pgdown", "ctrl+d", "f", "space"),
		Edit:     common.Bind("e/enter", "edit the policy", "e", "enter"),
		External: common.Bind("E", "edit in $EDITOR", "E"),
		Save:     common.Bind("s", "save as a version", "s"),
		Versions: common.Bind("V", "versions", "V"),
		Hint:     common.Bind("h", "next hint", "h"),
		Reset:    common.Bind("R", "reset as shipped", "R"),
		Prompt:   common.Bind(":", "type in the console", ":", "i"),
		Advance:  common.Bind("+", "clock +1h", "+"),
		Lesson:   common.Bind("enter", "read the lesson", "enter"),
		Serve:    common.Bind("S", "serve", "S"),
		Expand:   common.Bind("enter", "expand", "enter"),

		EdSave:    common.Bind("ctrl+s", "save a version", "ctrl+s"),
		Undo:      common.Bind("ctrl+z", "undo", "ctrl+z"),
		Redo:      common.Bind("ctrl+y", "redo", "ctrl+y", "ctrl+shift+z"),
		EdDone:    common.Bind("esc", "stop editing", "esc"),
		Kill:      common.Bind("ctrl+k", "delete to line end", "ctrl+k"),
		DocTop:    common.Bind("ctrl+home", "first line", "ctrl+home"),
		DocEnd:    common.Bind("ctrl+end", "last line", "ctrl+end"),
		WordLeft:  common.Bind("alt+←", "word left", "alt+left", "ctrl+left", "alt+b"),
		WordRight: common.Bind("alt+→", "word right", "alt+right", "ctrl+right", "alt+f"),

		Run:      common.Bind("enter", "run", "enter"),
		Complete: common.Bind("tab", "complete", "tab"),
		History:  common.Bind("↑/↓", "history", "up", "down"),
		ActAs:    common.Bind("ctrl+o", "act as the session / back", "ctrl+o"),
		Clock:    common.Bind("ctrl+t", "clock +1h", "ctrl+t"),
		Clear:    common.Bind("ctrl+l", "clear", "ctrl+l"),
		Leave:    common.Bind("esc", "leave the prompt", "esc"),
		Scroll:   common.Bind("pgup/pgdn", "scroll output", "pgup", "pgdown"),

		Restore: common.Bind("enter", "restore this version", "enter"),
		Close:   common.Bind("esc/V", "close", "esc", "V"),
		Yes:     common.Bind("y", "yes", "y", "Y"),
		No:      common.Bind("n/esc", "no", "n", "N", "esc"),
	}
}

// mode is who has the keyboard now. It alone decides where a key goes
// (handleKey), which keys the footer and the help show (keys) and whether
// the app must keep its own single-letter keys out (Typing).
func (s *Screen) mode() keyMode {
	switch {
	case s.sc == nil && s.filtering:
		return modeFilter
	case s.sc == nil:
		return modeList
	case s.sc.confirmReset:
		return modeConfirm
	case s.sc.editing:
		return modeEditor
	case s.panes.console.active():
		return modeConsole
	case s.panes.policies.versions.open:
		return modeVersions
	}
	return modeScenario
}

// handleKey gives a key to whoever has the keyboard.
func (s *Screen) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	switch s.mode() {
	case modeList:
		return s.listKey(msg)
	case modeFilter:
		return s.filterKey(msg)
	case modeConfirm:
		return s.confirmKey(msg)
	case modeEditor:
		return s.panes.policies.editor.update(msg)
	case modeConsole:
		return s.panes.console.promptKey(msg)
	case modeVersions:
		return s.panes.policies.versionsKey(msg)
	}
	return s.scenarioKey(msg)
}

// keys are the keys of whoever has the keyboard, for the footer and the
// help.
func (s *Screen) keys() help.KeyMap {
	k := s.km
	switch s.mode() {
	case modeList:
		return listKeys{k}
	case modeFilter:
		return filterKeys{k}
	case modeConfirm:
		return confirmKeys{k}
	case modeEditor:
		return s.panes.policies.editor.keys()
	case modeConsole:
		return s.panes.console.keys()
	case modeVersions:
		return versionsKeys{k}
	}
	return s.panes.get(s.sc.focus).keys()
}

// selectedVersioned reports whether the selected policy has versions in
// AWS, which decides whether saving one is offered.
func (s *Screen) selectedVersioned() bool {
	if s.sc == nil {
		return false
	}
	p, ok := s.sc.selected()
	return ok && s.sc.ws.HasVersions(p.Address)
}

// listKeys are the keys of the list of scenarios.
type listKeys struct{ k keyMap }

func (l listKeys) ShortHelp() []key.Binding {
	k := l.k
	return []key.Binding{k.Down, k.Open, k.Topic, k.Difficulty, k.Filter}
}

func (l listKeys) FullHelp() [][]key.Binding {
	k := l.k
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Topic, k.Difficulty, k.Filter, k.Back}}
}

// filterKeys are the keys while the list's filter has the keyboard.
type filterKeys struct{ k keyMap }

func (f filterKeys) ShortHelp() []key.Binding { return []key.Binding{f.k.FilterDone, f.k.FilterCancel} }

func (f filterKeys) FullHelp() [][]key.Binding {
	k := f.k
	return [][]key.Binding{{k.FilterDone, k.FilterCancel, k.ListUp, k.ListDown}}
}

// confirmKeys answer the question whether to reset the scenario.
type confirmKeys struct{ k keyMap }

func (c confirmKeys) ShortHelp() []key.Binding { return []key.Binding{c.k.Yes, c.k.No} }

func (c confirmKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{c.k.Yes, c.k.No}} }
