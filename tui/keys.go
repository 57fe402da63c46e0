package tui

import "charm.land/bubbles/v2/key"

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

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

// Movement bindings shared by several screens: vim keys and arrows both.
func upKey() key.Binding       { return bind("↑/k", "up", "up", "k") }
func downKey() key.Binding     { return bind("↓/j", "down", "down", "j") }
func leftKey() key.Binding     { return bind("←/h", "left", "left", "h") }
func rightKey() key.Binding    { return bind("→/l", "right", "right", "l") }
func topKey() key.Binding      { return bind("g/home", "top", "g", "home") }
func bottomKey() key.Binding   { return bind("G/end", "bottom", "G", "end") }
func pageUpKey() key.Binding   { return bind("pgup/ctrl+u", "page up", "pgup", "ctrl+u", "ctrl+b") }
func pageDownKey() key.Binding { return bind("pgdn/ctrl+d", "page down", "pgdown", "ctrl+d", "ctrl+f") }
func backKey() key.Binding     { return bind("esc", "back", "esc") }

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
