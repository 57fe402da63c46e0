package sandbox

import (
	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
)

// Update handles a message: keys while the screen is showing, and the
// sandbox's own messages (loaded scenarios, saved states, ticks) whether it
// is showing or not.
func (s *Screen) Update(msg tea.Msg) tea.Cmd { return s.update(msg) }

// View draws the screen at its size.
func (s *Screen) View() string { return s.view() }

// SetSize sets the area the screen draws in.
func (s *Screen) SetSize(w, h int) { s.setSize(w, h) }

// Keys are the keys of the current mode, for the footer and the help.
func (s *Screen) Keys() help.KeyMap { return s.keys() }

// Typing reports whether keys go to a text field (the filter, the editor
// or the console's prompt), so the app keeps its own single-letter keys
// (q, ?) out of it.
func (s *Screen) Typing() bool {
	switch s.mode() {
	case modeFilter, modeEditor, modeConsole:
		return true
	}
	return false
}

// Editing reports whether the policy editor has the keyboard; the app then
// lets ctrl+z undo rather than suspend.
func (s *Screen) Editing() bool { return s.sc != nil && s.sc.editing }

// Open opens a scenario another screen links to, once the scenarios have
// loaded.
func (s *Screen) Open(id string) tea.Cmd {
	if s.all == nil {
		s.pendingOpen = id
		return nil
	}
	return s.openByID(id)
}

// OpenID is the id of the open scenario, "" while the list shows.
func (s *Screen) OpenID() string {
	if s.sc == nil {
		return ""
	}
	return s.sc.s.ID
}

// Unsaved lists the policies with edits not saved as a version: what
// quitting now would leave unversioned (the drafts are kept either way).
func (s *Screen) Unsaved() []string {
	if s.sc == nil {
		return nil
	}
	return s.sc.ws.Unsaved()
}

// SaveUnsaved saves every unsaved policy that parses as a new version.
func (s *Screen) SaveUnsaved() {
	if s.sc == nil {
		return
	}
	for _, a := range s.sc.ws.Unsaved() {
		s.sc.saveVersion(a, s.sh.Now())
	}
}

// Flush writes the open scenario's state now if anything changed since
// the last write: the app runs it before quitting.
func (s *Screen) Flush() tea.Cmd { return s.flush() }

// Close stops serving, if S serves a scenario, and removes the AWS CLI
// files: the app runs it when it ends, however it ends. A server being
// started then stops as soon as it is up.
func (s *Screen) Close() error { return s.servers.close() }
