package sandbox

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// pane is one pane of an open scenario, drawn in a tab or beside the
// policies. Each is a component in its own file with its own state
// (where it is scrolled to), keys and view; Screen.mode decides which one
// has the keyboard and hands it the keys its own code did not take (tab,
// the pane numbers, esc, : and the challenge's keys).
type pane interface {
	// update handles a key while the pane has the focus.
	update(msg tea.KeyPressMsg) tea.Cmd
	// view draws the pane w cells wide and h lines high.
	view(w, h int) string
	// scroll moves the pane's view d lines (up when negative).
	scroll(d int)
	// keys are the pane's keys for the footer and the help.
	keys() help.KeyMap
}

// panes are the panes of the open scenario, made afresh when one opens.
type panes struct {
	story     *storyPane
	policies  *policiesPane
	steps     *stepsPane
	console   *consolePane
	challenge *challengePane
	live      *livePane
}

func newPoliciesPane(s *Screen) *policiesPane {
	p := &policiesPane{s: s}
	p.editor.pane = p
	return p
}

func newPanes(s *Screen) *panes {
	story := &storyPane{textPane: textPane{s: s, id: paneStory}}
	story.text = story.lines
	challenge := &challengePane{textPane: textPane{s: s, id: paneChallenge}}
	challenge.text = challenge.lines
	return &panes{
		story:     story,
		policies:  newPoliciesPane(s),
		steps:     &stepsPane{s: s},
		console:   &consolePane{s: s},
		challenge: challenge,
		live:      &livePane{s: s},
	}
}

// get is the pane with an id.
func (ps *panes) get(id paneID) pane {
	switch id {
	case paneStory:
		return ps.story
	case panePolicies:
		return ps.policies
	case paneSteps:
		return ps.steps
	case paneConsole:
		return ps.console
	case paneLive:
		return ps.live
	}
	return ps.challenge
}

// textPane is a pane of text that only scrolls: the Story and Challenge
// panes embed it and say what their text is.
type textPane struct {
	s  *Screen
	id paneID
	scroller
	// text is the pane's lines at a width.
	text func(w int) []string
}

func (p *textPane) scroll(d int) {
	p.by(d, max(len(p.text(p.s.paneWidth(p.id)))-p.s.paneHeight(), 0))
}

func (p *textPane) view(w, h int) string {
	vis, _ := common.Window(p.text(w), p.off, h)
	return strings.Join(vis, "\n")
}

// scrollPane moves a read-only pane by the keys every such pane shares;
// page is how far a page goes.
func scrollPane(p interface{ scroll(int) }, k keyMap, msg tea.KeyPressMsg, page int) {
	if d, ok := moveBy(k, msg, page); ok {
		p.scroll(d)
	}
}

// moveBy is how far a key moves a view or a cursor: a line, a page, or to
// either end.
func moveBy(k keyMap, msg tea.KeyPressMsg, page int) (int, bool) {
	switch {
	case key.Matches(msg, k.Up):
		return -1, true
	case key.Matches(msg, k.Down):
		return 1, true
	case key.Matches(msg, k.PageUp):
		return -page, true
	case key.Matches(msg, k.PageDown):
		return page, true
	case key.Matches(msg, k.Top):
		return -1 << 20, true
	case key.Matches(msg, k.Bottom):
		return 1 << 20, true
	}
	return 0, false
}

// paneKeys is the key map of a pane of an open scenario: the footer shows
// the pane's own keys; the help shows them with the keys of the whole
// scenario, and what the editor's and the console prompt's keys do (they
// have the keyboard there, so ? types a character and no help opens).
type paneKeys struct {
	short     []key.Binding
	k         keyMap
	versioned bool
	// own are keys of the pane's own that the help lists first.
	own []key.Binding
}

func (p paneKeys) ShortHelp() []key.Binding { return p.short }

func (p paneKeys) FullHelp() [][]key.Binding {
	k := p.k
	policy := []key.Binding{k.Edit, k.External}
	if p.versioned {
		policy = append(policy, k.Save, k.Versions)
	}
	return [][]key.Binding{
		append(p.own, k.Tab, k.Pane, k.Down, k.PageDown, k.Back),
		typingHelp(k, p.versioned),
		policy,
		{k.Hint, k.Reset, k.Prompt, k.Advance, serveHelp(k)},
	}
}

// typingHelp is what the keys do once the policy editor or the console's
// prompt has the keyboard.
func typingHelp(k keyMap, versioned bool) []key.Binding {
	var out []key.Binding
	if versioned {
		out = append(out, helpAs(k.EdSave, "editor: save a version"))
	}
	return append(out,
		helpAs(k.Undo, "editor: undo (not suspend)"),
		helpAs(k.Complete, "console: complete"),
		helpAs(k.ActAs, "console: act as the session"),
		helpAs(k.Clock, "console: clock +1h"))
}

// scenarioKeyMap is the key map of an open scenario as it stands: S
// serves or stops serving, and the pane numbers count the Live pane once
// it has a tab.
func (s *Screen) scenarioKeyMap() keyMap {
	k := s.km
	if s.sc != nil && s.sc.serving != nil {
		k.Serve = helpAs(k.Serve, "stop serving")
	}
	if s.panes != nil && s.panes.live.started {
		k.Pane = key.NewBinding(key.WithKeys(k.Pane.Keys()...), key.WithHelp("1-6", k.Pane.Help().Desc))
	}
	return k
}

// serveHelp is S as the help says it, at more length than the footer.
func serveHelp(k keyMap) key.Binding {
	if k.Serve.Help().Desc == "serve" {
		return helpAs(k.Serve, "serve as a local AWS endpoint (Live pane)")
	}
	return k.Serve
}

// helpAs is a binding with the same keys and another description.
func helpAs(b key.Binding, desc string) key.Binding {
	return key.NewBinding(key.WithKeys(b.Keys()...), key.WithHelp(b.Help().Key, desc))
}
