package common

import "charm.land/bubbles/v2/key"

// Bind makes a key binding: what the help shows, then the keys.
func Bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// Movement bindings shared by several screens: vim keys and arrows both.
func UpKey() key.Binding       { return Bind("↑/k", "up", "up", "k") }
func DownKey() key.Binding     { return Bind("↓/j", "down", "down", "j") }
func LeftKey() key.Binding     { return Bind("←/h", "left", "left", "h") }
func RightKey() key.Binding    { return Bind("→/l", "right", "right", "l") }
func TopKey() key.Binding      { return Bind("g/home", "top", "g", "home") }
func BottomKey() key.Binding   { return Bind("G/end", "bottom", "G", "end") }
func PageUpKey() key.Binding   { return Bind("pgup/ctrl+u", "page up", "pgup", "ctrl+u", "ctrl+b") }
func PageDownKey() key.Binding { return Bind("pgdn/ctrl+d", "page down", "pgdown", "ctrl+d", "ctrl+f") }
func BackKey() key.Binding     { return Bind("esc", "back", "esc") }
