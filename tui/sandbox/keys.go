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

// keyMap are the sandbox's keys, for every mode.
type keyMap struct {
	mode keyMode
	pane paneID
	// versioned is set when the selected policy has versions in AWS.
	versioned bool

	// The list.
	Up, Down, Top, Bottom, Open, Topic, Difficulty, Filter, Back key.Binding
	ListUp, ListDown, FilterDone, FilterCancel                   key.Binding

	// An open scenario.
	Tab, Pane, PageUp, PageDown, Edit, External, Save, Versions key.Binding
	Hint, Reset, Prompt, Advance                                key.Binding

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
		Pane:     common.Bind("1-5", "go to a pane", "1", "2", "3", "4", "5"),
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

func (k keyMap) ShortHelp() []key.Binding {
	switch k.mode {
	case modeFilter:
		return []key.Binding{k.FilterDone, k.FilterCancel}
	case modeScenario:
		switch k.pane {
		case panePolicies:
			if !k.versioned {
				return []key.Binding{k.Edit, k.External, k.Tab, k.Back}
			}
			return []key.Binding{k.Edit, k.External, k.Save, k.Versions, k.Tab, k.Back}
		case paneSteps:
			return []key.Binding{k.Down, k.PageDown, k.Tab, k.Back}
		case paneConsole:
			return []key.Binding{k.Prompt, k.Advance, k.Tab, k.Back}
		case paneChallenge:
			return []key.Binding{k.Hint, k.Reset, k.Tab, k.Back}
		}
		return []key.Binding{k.Down, k.Tab, k.Pane, k.Back}
	case modeEditor:
		if !k.versioned {
			return []key.Binding{k.Undo, k.Redo, k.EdDone}
		}
		return []key.Binding{k.EdSave, k.Undo, k.Redo, k.EdDone}
	case modeConsole:
		return []key.Binding{k.Run, k.Complete, k.Leave, k.ActAs, k.Clock, k.History}
	case modeVersions:
		return []key.Binding{k.Down, k.Restore, k.Close}
	case modeConfirm:
		return []key.Binding{k.Yes, k.No}
	}
	return []key.Binding{k.Down, k.Open, k.Topic, k.Difficulty, k.Filter}
}

func (k keyMap) FullHelp() [][]key.Binding {
	switch k.mode {
	case modeFilter:
		return [][]key.Binding{{k.FilterDone, k.FilterCancel, k.ListUp, k.ListDown}}
	case modeScenario, modeVersions, modeConfirm:
		policy := []key.Binding{k.Edit, k.External}
		if k.versioned {
			policy = append(policy, k.Save, k.Versions)
		}
		return [][]key.Binding{
			{k.Tab, k.Pane, k.Down, k.PageDown, k.Back},
			policy,
			{k.Hint, k.Reset, k.Prompt, k.Advance},
		}
	case modeEditor:
		edit := []key.Binding{k.Undo, k.Redo, k.Kill, k.EdDone}
		if k.versioned {
			edit = append([]key.Binding{k.EdSave}, edit...)
		}
		return [][]key.Binding{edit, {k.WordLeft, k.WordRight, k.DocTop, k.DocEnd}}
	case modeConsole:
		return [][]key.Binding{{k.Run, k.Complete, k.History, k.Scroll}, {k.ActAs, k.Clock, k.Clear, k.Leave}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Topic, k.Difficulty, k.Filter, k.Back}}
}

// mode is who has the keyboard now. It alone decides where a key goes
// (handleKey), which keys the footer and the help show (keys) and whether
// the app must keep its own single-letter keys out (typing).
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
	case s.consoleActive():
		return modeConsole
	case s.sc.versionsOpen:
		return modeVersions
	}
	return modeScenario
}

// typing reports whether keys go to a text field: the filter, the editor
// or the console's prompt.
func (s *Screen) typing() bool {
	switch s.mode() {
	case modeFilter, modeEditor, modeConsole:
		return true
	}
	return false
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
		return s.editorKey(msg)
	case modeConsole:
		return s.consoleKey(msg)
	case modeVersions:
		return s.versionsKey(msg)
	}
	return s.scenarioKey(msg)
}

func (s *Screen) keys() help.KeyMap {
	k := s.km
	k.mode = s.mode()
	if s.sc != nil {
		k.pane = s.sc.focus
		if p, ok := s.sc.selected(); ok {
			k.versioned = s.sc.ws.HasVersions(p.Address)
		}
	}
	return k
}
