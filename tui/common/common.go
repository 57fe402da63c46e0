// Package common is what every screen of the tui imports: the styles, the
// layout helpers, the key helpers, the Markdown cache and the messages
// screens send the app. It imports nothing of iamlab's.
package common

import (
	"time"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// Shared is what every screen reads: the clock, the timer, the current
// styles and the Markdown cache. The app owns it and screens hold a
// pointer; only the app changes it, except the Markdown cache's
// bookkeeping.
type Shared struct {
	// Now is the clock.
	Now func() time.Time
	// Tick schedules a timer message: tea.Tick in the program, a recorder
	// in tests, so that no test sleeps.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Await runs a command that waits for something outside the program,
	// such as a server's next request: the command itself in the
	// program (nil means that), a recorder in tests, so that no test
	// blocks on it.
	Await  func(tea.Cmd) tea.Cmd
	Styles Styles
	Dark   bool
	MD     *Markdown
}

// SetDark switches the styles to a dark or a light background.
func (sh *Shared) SetDark(dark bool) {
	sh.Dark = dark
	sh.Styles = NewStyles(dark)
}

// NewInput is a one-line text input with a steady cursor (a blinking one
// would keep a timer running).
func (sh *Shared) NewInput(prompt string) textinput.Model {
	in := textinput.New()
	in.Prompt = prompt
	in.SetStyles(sh.InputStyles())
	return in
}

// InputStyles are a text input's styles for the current background, with
// a steady cursor.
func (sh *Shared) InputStyles() textinput.Styles {
	st := textinput.DefaultStyles(sh.Dark)
	st.Cursor.Blink = false
	return st
}

// Messages a screen sends the app. A screen asks for navigation by
// returning a command that yields one of these.
type (
	// BackMsg asks the app for the screen before.
	BackMsg struct{}
	// ErrorMsg shows as a one-line banner.
	ErrorMsg struct{ Err error }
	// ShownMsg tells a screen it has just become the active one, so it can
	// reload what may have changed (due counts, statistics).
	ShownMsg struct{}
	// RefreshMsg tells every screen that the size or the background
	// changed, so Markdown must be fetched again at the new width or style.
	RefreshMsg struct{}
)

// CmdOf is a command that yields msg.
func CmdOf(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// Back is a command asking the app for the screen before.
func Back() tea.Msg { return BackMsg{} }

// ReportErr is a command that shows err in the banner; nil for no error.
func ReportErr(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return CmdOf(ErrorMsg{Err: err})
}
