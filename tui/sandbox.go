package tui

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// sandboxScreen holds the Sandbox's place until the sandbox itself (a
// separate issue) replaces it: one line in App's screen table.
type sandboxScreen struct {
	sh   *shared
	w, h int
	km   sandboxKeys
}

type sandboxKeys struct{ Back key.Binding }

func (k sandboxKeys) ShortHelp() []key.Binding  { return []key.Binding{k.Back} }
func (k sandboxKeys) FullHelp() [][]key.Binding { return [][]key.Binding{{k.Back}} }

func newSandboxScreen(sh *shared) sandboxScreen {
	return sandboxScreen{sh: sh, km: sandboxKeys{Back: backKey()}}
}

func (s *sandboxScreen) setSize(w, h int) { s.w, s.h = w, h }
func (s sandboxScreen) keys() help.KeyMap { return s.km }
func (s sandboxScreen) typing() bool      { return false }

func (s sandboxScreen) update(msg tea.Msg) (sandboxScreen, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok && key.Matches(k, s.km.Back) {
		return s, back
	}
	return s, nil
}

func (s sandboxScreen) view() string {
	st := s.sh.styles
	text := st.Title.Render("The sandbox is coming") + "\n\n" +
		st.Text.Render("Here you will run the scenarios behind the questions:\nwrite a policy, make a call as a user or a role, and see\nwhy AWS allows or denies it, step by step.") +
		"\n\n" + st.Muted.Render("Press ") + st.Key.Render("esc") + st.Muted.Render(" to go back.")
	return center(st.Pane.Padding(1, 3).Render(text), s.w, s.h)
}
