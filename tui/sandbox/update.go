package sandbox

import (
	"io"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// confirmKey answers the question whether to reset the scenario.
func (s *Screen) confirmKey(msg tea.KeyPressMsg) tea.Cmd {
	sc, k := s.sc, s.km
	switch {
	case key.Matches(msg, k.Yes):
		sc.confirmReset = false
		sc.reset()
		s.panes.policies.versions.open = false
		s.setMessage("Reset: the scenario is as shipped again.", false)
		return s.serveAll()
	case key.Matches(msg, k.No):
		sc.confirmReset = false
		sc.message = ""
	}
	return nil
}

// scenarioKey handles a key in an open scenario when no pane's own mode
// has the keyboard.
func (s *Screen) scenarioKey(msg tea.KeyPressMsg) tea.Cmd {
	sc := s.sc
	k := s.km
	sc.message = ""
	switch {
	case key.Matches(msg, k.Back):
		return s.leave()
	case key.Matches(msg, k.Tab):
		d := 1
		if msg.Mod.Contains(tea.ModShift) {
			d = -1
		}
		n := int(s.paneCount())
		s.focus(paneID((int(sc.focus) + d + n) % n))
		return s.focusCmd()
	case key.Matches(msg, k.Pane):
		s.focus(paneID(msg.Code - '1'))
		return s.focusCmd()
	case key.Matches(msg, k.Prompt):
		s.focus(paneConsole)
		return s.focusPrompt()
	case key.Matches(msg, k.Reset):
		sc.confirmReset = true
		return nil
	case key.Matches(msg, k.Serve):
		return s.toggleServing()
	case key.Matches(msg, k.Hint) && sc.s.Challenge != nil:
		s.panes.challenge.nextHint()
		return nil
	case key.Matches(msg, k.Advance):
		c := s.console()
		c.advance(time.Hour, s.sh.Now())
		s.setMessage(c.out[len(c.out)-1].text, false)
		return nil
	}
	return s.panes.get(sc.focus).update(msg)
}

func (s *Screen) focus(p paneID) {
	sc := s.sc
	if p < 0 || p >= s.paneCount() {
		return
	}
	sc.focus = p
	switch {
	case p != panePolicies:
		sc.secondary = p
	case sc.secondary == paneStory:
		// Beside the policy, the steps it decides.
		sc.secondary = paneSteps
	}
	s.panes.policies.versions.open = false
	if p == paneSteps {
		s.panes.story.showLesson()
	}
	if p == paneConsole {
		s.console()
	}
}

// focusCmd focuses the console's prompt when the console pane gains the
// focus, and fetches what the pane shows.
func (s *Screen) focusCmd() tea.Cmd {
	if s.sc.focus == paneConsole {
		return s.focusPrompt()
	}
	return s.markdown()
}

func (s *Screen) setMessage(m string, isErr bool) {
	s.sc.message, s.sc.messageErr = m, isErr
}

func (s *Screen) paste(msg tea.PasteMsg) tea.Cmd {
	switch {
	case s.sc == nil && s.filtering:
		var cmd tea.Cmd
		s.filter, cmd = s.filter.Update(msg)
		s.applyFilter()
		return cmd
	case s.sc == nil:
		return nil
	case s.sc.editing:
		p, _ := s.sc.selected()
		s.sc.bufs[p.Address].paste(msg.Content)
		return tea.Batch(s.afterEdit(), s.scheduleSave())
	case s.panes.console.active():
		c := s.sc.console
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(tea.PasteMsg{Content: strings.ReplaceAll(msg.Content, "\n", " ")})
		return cmd
	}
	return nil
}

// policyEdit runs $EDITOR on a policy, as tea.ExecProcess runs an
// exec.Cmd, but writes the temporary file only when the program has handed
// the terminal over, and reads it back and removes it before returning.
type policyEdit struct {
	editor, name, text string
	stdin              io.Reader
	stdout, stderr     io.Writer
}

// startTick keeps a one-second tick going while the console (and its MFA
// countdown) is on screen.
func (s *Screen) startTick() tea.Cmd {
	if s.ticking || s.sc == nil || s.sc.console == nil || !s.paneShown(paneConsole) {
		return nil
	}
	s.ticking = true
	s.tickGen++
	gen := s.tickGen
	return s.sh.Tick(time.Second, func(time.Time) tea.Msg { return clockTickMsg{gen} })
}

// click focuses the pane under the mouse, or picks a row of the list.
func (s *Screen) click(x, y int) tea.Cmd {
	if s.sc == nil {
		i := s.listOff + y - listTop
		if y >= listTop && i >= 0 && i < len(s.items) && (!s.wide() || x < s.listWidth()) {
			if i == s.cursor {
				return s.open(s.items[i])
			}
			s.cursor = i
			return s.markdown()
		}
		return nil
	}
	if y == 1 {
		if p, ok := s.tabAt(x); ok {
			s.focus(p)
			return s.focusCmd()
		}
		return nil
	}
	if s.wide() && !s.sc.editing {
		if x < s.leftWidth() {
			s.focus(panePolicies)
		} else {
			s.focus(s.sc.secondary)
		}
		return s.focusCmd()
	}
	return nil
}
