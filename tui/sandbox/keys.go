package sandbox

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
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
		return [][]key.Binding{
			{k.Tab, k.Pane, k.Down, k.PageDown, k.Back},
			{k.Edit, k.External, k.Save, k.Versions},
			{k.Hint, k.Reset, k.Prompt, k.Advance},
		}
	case modeEditor:
		return [][]key.Binding{{k.EdSave, k.Undo, k.Redo, k.Kill, k.EdDone}, {k.WordLeft, k.WordRight, k.DocTop, k.DocEnd}}
	case modeConsole:
		return [][]key.Binding{{k.Run, k.Complete, k.History, k.Scroll}, {k.ActAs, k.Clock, k.Clear, k.Leave}}
	}
	return [][]key.Binding{{k.Up, k.Down, k.Top, k.Bottom}, {k.Open, k.Topic, k.Difficulty, k.Filter, k.Back}}
}

func (s Screen) keys() help.KeyMap {
	k := s.km
	switch {
	case s.sc == nil && s.filtering:
		k.mode = modeFilter
	case s.sc == nil:
		k.mode = modeList
	case s.sc.confirmReset:
		k.mode = modeConfirm
	case s.sc.editing:
		k.mode = modeEditor
	case s.consoleActive():
		k.mode = modeConsole
	case s.sc.versionsOpen:
		k.mode = modeVersions
	default:
		k.mode, k.pane = modeScenario, s.sc.focus
	}
	return k
}
