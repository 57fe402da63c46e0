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

// Typing reports whether keys go to a text field, so the app keeps its own
// single-letter keys (q, ?) out of it.
func (s *Screen) Typing() bool { return s.typing() }

// Editing reports whether the policy editor has the keyboard; the app then
// lets ctrl+z undo rather than suspend.
func (s *Screen) Editing() bool { return s.editing() }

// Open opens a scenario another screen links to, once the scenarios have
// loaded.
func (s *Screen) Open(id string) tea.Cmd { return s.openRequested(id) }

// OpenID is the id of the open scenario, "" while the list shows.
func (s *Screen) OpenID() string {
	if s.sc == nil {
		return ""
	}
	return s.sc.s.ID
}

// Unsaved lists the policies with edits not saved as a version: what
// quitting now would leave unversioned (the drafts are kept either way).
func (s *Screen) Unsaved() []string { return s.unsaved() }

// SaveUnsaved saves every unsaved policy that parses as a new version.
func (s *Screen) SaveUnsaved() { s.saveVersions() }

// Flush writes the open scenario's state now if anything changed since
// the last write: the app runs it before quitting.
func (s *Screen) Flush() tea.Cmd { return s.flush() }

// Close stops serving, if S serves a scenario, and removes the AWS CLI
// files: the app runs it when it ends, however it ends. A server being
// started then stops as soon as it is up.
func (s *Screen) Close() error { return s.servers.close() }
