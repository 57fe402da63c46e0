package tui

import "charm.land/bubbles/v2/key"

// globalKeys work on every screen; App handles them before the screen
// sees the key.
type globalKeys struct {
	Quit      key.Binding
	ForceQuit key.Binding
	Help      key.Binding
	Back      key.Binding
	Mouse     key.Binding
	Suspend   key.Binding
}

func newGlobalKeys() globalKeys {
	return globalKeys{
		Quit:      bind("q", "quit", "q"),
		ForceQuit: bind("ctrl+c", "quit now", "ctrl+c"),
		Help:      bind("?", "help", "?"),
		Back:      bind("esc", "back", "esc"),
		Mouse:     bind("v", "mouse on/off (off lets you select text)", "v"),
		Suspend:   bind("ctrl+z", "suspend", "ctrl+z"),
	}
}

func (k globalKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Help, k.Back, k.Quit}
}

func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Help, k.Back, k.Quit, k.ForceQuit, k.Mouse, k.Suspend}}
}

// combined joins a screen's key map with the global one for the help view.
type combined struct {
	screen interface {
		ShortHelp() []key.Binding
		FullHelp() [][]key.Binding
	}
	global globalKeys
}

func (c combined) ShortHelp() []key.Binding {
	return append(c.screen.ShortHelp(), c.global.ShortHelp()...)
}

func (c combined) FullHelp() [][]key.Binding {
	return append(c.screen.FullHelp(), c.global.FullHelp()...)
}
