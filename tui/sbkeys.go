package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
)

// sbMode is what the sandbox's keys do now; the help shows that mode's.
type sbMode int

const (
	modeList sbMode = iota
	modeFilter
	modeScenario
	modeEditor
	modeConsole
	modeVersions
	modeConfirm
)

// sandboxKeys are the sandbox's keys, for every mode.
type sandboxKeys struct {
	mode sbMode
	pane sbPane

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

func newSandboxKeys() sandboxKeys {
	return sandboxKeys{
		Up: upKey(), Down: downKey(), Top: topKey(), Bottom: bottomKey(), Back: backKey(),
		Open:         bind("enter", "open", "enter", "l", "right"),
		Topic:        bind("t", "filter by topic", "t"),
		Difficulty:   bind("d", "filter by difficulty", "d"),
		Filter:       bind("/", "filter by words", "/"),
		ListUp:       bind("↑", "up", "up"),
		ListDown:     bind("↓", "down", "down"),
		FilterDone:   bind("enter", "keep the filter", "enter"),
		FilterCancel: bind("esc", "clear the filter", "esc"),

		Tab:      bind("tab", "next pane", "tab", "shift+tab"),
		Pane:     bind("1-5", "go to a pane", "1", "2", "3", "4", "5"),
		PageUp:   bind("pgup/ctrl+u", "scroll up", "pgup", "ctrl+u", "b"),
		PageDown: bind("pgdn/ctrl+d", "scroll down", "pgdown", "ctrl+d", "f", "space"),
		Edit:     bind("e/enter", "edit the policy", "e", "enter"),
		External: bind("E", "edit in $EDITOR", "E"),
		Save:     bind("s", "save as a version", "s"),
		Versions: bind("V", "versions", "V"),
		Hint:     bind("h", "next hint", "h"),
		Reset:    bind("R", "reset as shipped", "R"),
		Prompt:   bind(":", "type in the console", ":", "i"),
		Advance:  bind("+", "clock +1h", "+"),

		EdSave:    bind("ctrl+s", "save a version", "ctrl+s"),
		Undo:      bind("ctrl+z", "undo", "ctrl+z"),
		Redo:      bind("ctrl+y", "redo", "ctrl+y", "ctrl+shift+z"),
		EdDone:    bind("esc", "stop editing", "esc"),
		Kill:      bind("ctrl+k", "delete to line end", "ctrl+k"),
		DocTop:    bind("ctrl+home", "first line", "ctrl+home"),
		DocEnd:    bind("ctrl+end", "last line", "ctrl+end"),
		WordLeft:  bind("alt+←", "word left", "alt+left", "ctrl+left", "alt+b"),
		WordRight: bind("alt+→", "word right", "alt+right", "ctrl+right", "alt+f"),

		Run:      bind("enter", "run", "enter"),
		Complete: bind("tab", "complete", "tab"),
		History:  bind("↑/↓", "history", "up", "down"),
		ActAs:    bind("ctrl+o", "act as the session / back", "ctrl+o"),
		Clock:    bind("ctrl+t", "clock +1h", "ctrl+t"),
		Clear:    bind("ctrl+l", "clear", "ctrl+l"),
		Leave:    bind("esc", "leave the prompt", "esc"),
		Scroll:   bind("pgup/pgdn", "scroll output", "pgup", "pgdown"),

		Restore: bind("enter", "restore this version", "enter"),
		Close:   bind("esc/V", "close", "esc", "V"),
		Yes:     bind("y", "yes", "y", "Y"),
		No:      bind("n/esc", "no", "n", "N", "esc"),
	}
}

func (k sandboxKeys) ShortHelp() []key.Binding {
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

func (k sandboxKeys) FullHelp() [][]key.Binding {
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

func (s sandboxScreen) keys() help.KeyMap {
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
