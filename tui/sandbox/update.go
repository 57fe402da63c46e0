package sandbox

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"iamlab/tui/common"
)

// scenarioKey handles a key in an open scenario.
func (s Screen) scenarioKey(msg tea.KeyPressMsg) (Screen, tea.Cmd) {
	sc := s.sc
	k := s.km
	switch {
	case sc.confirmReset:
		switch {
		case key.Matches(msg, k.Yes):
			sc.confirmReset = false
			sc.reset()
			s.setMessage("Reset: the scenario is as shipped again.", false)
		case key.Matches(msg, k.No):
			sc.confirmReset = false
			sc.message = ""
		}
		return s, nil
	case sc.editing:
		return s.editorKey(msg)
	case s.consoleActive():
		return s.consoleKey(msg)
	case sc.versionsOpen:
		return s.versionsKey(msg)
	}
	sc.message = ""
	switch {
	case key.Matches(msg, k.Back):
		return s.leave()
	case key.Matches(msg, k.Tab):
		d := 1
		if msg.Mod.Contains(tea.ModShift) {
			d = -1
		}
		s.focus(paneID((int(sc.focus) + d + int(numPanes)) % int(numPanes)))
		next := s.focusCmd()
		return s, next
	case key.Matches(msg, k.Pane):
		s.focus(paneID(msg.Code - '1'))
		next := s.focusCmd()
		return s, next
	case key.Matches(msg, k.Prompt):
		s.focus(paneConsole)
		next := s.focusPrompt()
		return s, next
	case key.Matches(msg, k.Reset):
		sc.confirmReset = true
		return s, nil
	case key.Matches(msg, k.Hint) && sc.s.Challenge != nil:
		s.nextHint()
		return s, nil
	case key.Matches(msg, k.Advance):
		c := s.console()
		c.advance(time.Hour, s.sh.Now())
		s.setMessage(c.out[len(c.out)-1].text, false)
		return s, nil
	}
	switch sc.focus {
	case panePolicies:
		return s.policiesKey(msg)
	case paneSteps:
		if key.Matches(msg, k.Up, k.Down, k.Top, k.Bottom) {
			sc.stepPinned = true
		}
		switch {
		case key.Matches(msg, k.Up):
			sc.stepSel = common.ClampInt(sc.stepSel-1, 0, len(sc.report.Steps)-1)
			sc.explainOff = 0
		case key.Matches(msg, k.Down):
			sc.stepSel = common.ClampInt(sc.stepSel+1, 0, len(sc.report.Steps)-1)
			sc.explainOff = 0
		case key.Matches(msg, k.Top):
			sc.stepSel, sc.explainOff = 0, 0
		case key.Matches(msg, k.Bottom):
			sc.stepSel, sc.explainOff = max(len(sc.report.Steps)-1, 0), 0
		case key.Matches(msg, k.PageUp):
			s.scroll(-s.pageSize())
		case key.Matches(msg, k.PageDown):
			s.scroll(s.pageSize())
		}
	case paneConsole:
		switch {
		case key.Matches(msg, k.Edit):
			next := s.focusPrompt()
			return s, next
		default:
			s.scrollKeys(msg)
		}
	default:
		s.scrollKeys(msg)
	}
	return s, nil
}

// scrollKeys moves a read-only pane.
func (s *Screen) scrollKeys(msg tea.KeyPressMsg) {
	k := s.km
	switch {
	case key.Matches(msg, k.Up):
		s.scroll(-1)
	case key.Matches(msg, k.Down):
		s.scroll(1)
	case key.Matches(msg, k.PageUp):
		s.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		s.scroll(s.pageSize())
	case key.Matches(msg, k.Top):
		s.scroll(-1 << 20)
	case key.Matches(msg, k.Bottom):
		s.scroll(1 << 20)
	}
}

func (s Screen) pageSize() int { return max(s.paneHeight()-2, 1) }

// scroll moves the focused pane's view; the clamping happens when it is
// drawn, against what there is to show.
func (s *Screen) scroll(d int) {
	sc := s.sc
	clamp := func(v int) int { return common.ClampInt(v, 0, 1<<20) }
	switch sc.focus {
	case paneStory:
		sc.storyOff = clamp(min(sc.storyOff, s.maxOff(paneStory)) + d)
	case panePolicies:
		if sc.editing {
			return
		}
		sc.textOff = clamp(min(sc.textOff, s.maxOff(panePolicies)) + d)
	case paneSteps:
		sc.explainOff = clamp(min(sc.explainOff, s.maxOff(paneSteps)) + d)
	case paneChallenge:
		sc.challengeOff = clamp(min(sc.challengeOff, s.maxOff(paneChallenge)) + d)
	case paneConsole:
		if c := sc.console; c != nil {
			c.off = clamp(c.off - d)
		}
	}
}

func (s *Screen) focus(p paneID) {
	sc := s.sc
	if p < 0 || p >= numPanes {
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
	sc.versionsOpen = false
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

func (s *Screen) focusPrompt() tea.Cmd {
	c := s.console()
	return c.input.Focus()
}

// console opens the console on first use.
func (s *Screen) console() *stsConsole {
	sc := s.sc
	if sc.console == nil {
		sc.console = newConsole(sc, s.sh.NewInput(""), s.sh.Now())
		sc.console.input.SetWidth(max(s.paneWidth(paneConsole)-len(sc.console.prompt())-2, 10))
	}
	return sc.console
}

func (s *Screen) setMessage(m string, isErr bool) {
	s.sc.message, s.sc.messageErr = m, isErr
}

func (s *Screen) nextHint() {
	sc := s.sc
	c := sc.s.Challenge
	n := len(c.Hints)
	switch {
	case sc.hints < n:
		sc.hints++
		s.setMessage(fmt.Sprintf("Hint %d of %d is in the Challenge pane.", sc.hints, n), false)
	case sc.hints == n && len(c.Solution) > 0:
		sc.hints++
		s.setMessage("The reference solution is in the Challenge pane.", false)
	default:
		s.setMessage("No more hints: the reference solution is shown.", false)
	}
	sc.dirty = true
	if sc.focus != panePolicies {
		sc.focus = paneChallenge
	}
	sc.secondary = paneChallenge
	sc.challengeOff = 1 << 20
}

func (s Screen) policiesKey(msg tea.KeyPressMsg) (Screen, tea.Cmd) {
	sc := s.sc
	k := s.km
	p, ok := sc.selected()
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(msg, k.Up):
		sc.polCursor = common.ClampInt(sc.polCursor-1, 0, len(sc.policies)-1)
		sc.textOff = 0
	case key.Matches(msg, k.Down):
		sc.polCursor = common.ClampInt(sc.polCursor+1, 0, len(sc.policies)-1)
		sc.textOff = 0
	case key.Matches(msg, k.PageUp):
		s.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		s.scroll(s.pageSize())
	case key.Matches(msg, k.Edit):
		// The editor opens where the text was scrolled to: a cursor out of
		// sight moves into view rather than the view to it.
		sc.editing = true
		b := sc.bufs[p.Address]
		h := s.editorHeight()
		b.top = common.ClampInt(sc.textOff, 0, max(len(b.lines)-h, 0))
		if b.row < b.top || b.row >= b.top+h {
			b.row = b.top
			b.col = min(b.col, len(b.lines[b.row]))
		}
		s.keepCursorVisible()
	case key.Matches(msg, k.External):
		return s, s.externalEditor(p.Address)
	case key.Matches(msg, k.Save):
		m, ok := sc.saveVersion(p.Address, s.sh.Now())
		s.setMessage(m, !ok)
	case key.Matches(msg, k.Versions):
		sc.versionsOpen = true
		sc.verCursor = len(sc.versionsOf(p.Address)) - 1
	}
	return s, nil
}

func (s Screen) versionsKey(msg tea.KeyPressMsg) (Screen, tea.Cmd) {
	sc := s.sc
	k := s.km
	p, _ := sc.selected()
	n := len(sc.versionsOf(p.Address))
	switch {
	case key.Matches(msg, k.Close):
		sc.versionsOpen = false
	case key.Matches(msg, k.Up):
		sc.verCursor = common.ClampInt(sc.verCursor-1, 0, n-1)
	case key.Matches(msg, k.Down):
		sc.verCursor = common.ClampInt(sc.verCursor+1, 0, n-1)
	case key.Matches(msg, k.Restore):
		m := sc.restoreVersion(p.Address, sc.verCursor)
		sc.versionsOpen = false
		s.setMessage(m, false)
		next := s.afterEdit()
		return s, next
	}
	return s, nil
}

// editorKey handles a key while the policy editor has the keyboard.
func (s Screen) editorKey(msg tea.KeyPressMsg) (Screen, tea.Cmd) {
	sc := s.sc
	k := s.km
	p, ok := sc.selected()
	if !ok {
		sc.editing = false
		return s, nil
	}
	b := sc.bufs[p.Address]
	rev := b.rev
	sc.message = ""
	switch {
	case key.Matches(msg, k.EdDone):
		sc.editing = false
		sc.textOff = b.top
		return s, nil
	case key.Matches(msg, k.EdSave):
		m, ok := sc.saveVersion(p.Address, s.sh.Now())
		s.setMessage(m, !ok)
		return s, nil
	case key.Matches(msg, k.Undo):
		if !b.undoEdit() {
			s.setMessage("Nothing to undo.", false)
		}
	case key.Matches(msg, k.Redo):
		if !b.redoEdit() {
			s.setMessage("Nothing to redo.", false)
		}
	case key.Matches(msg, k.Kill):
		b.killLine()
	case key.Matches(msg, k.DocTop):
		b.docStart()
	case key.Matches(msg, k.DocEnd):
		b.docEnd()
	case key.Matches(msg, k.WordLeft):
		b.wordLeft()
	case key.Matches(msg, k.WordRight):
		b.wordRight()
	default:
		switch msg.Code {
		case tea.KeyLeft:
			b.moveLeft()
		case tea.KeyRight:
			b.moveRight()
		case tea.KeyUp:
			b.moveVert(-1)
		case tea.KeyDown:
			b.moveVert(1)
		case tea.KeyHome:
			b.home()
		case tea.KeyEnd:
			b.end()
		case tea.KeyPgUp:
			b.moveVert(-s.editorHeight())
		case tea.KeyPgDown:
			b.moveVert(s.editorHeight())
		case tea.KeyBackspace:
			b.backspace()
		case tea.KeyDelete:
			b.deleteForward()
		case tea.KeyEnter:
			b.insert("\n")
		case tea.KeyTab:
			b.insert("\t")
		default:
			if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
				b.insert(msg.Text)
			}
		}
	}
	if b.rev != rev {
		next := s.afterEdit()
		return s, next
	}
	s.keepCursorVisible()
	return s, nil
}

// afterEdit runs the steps again with the selected policy's new text and
// keeps the cursor in view; a newly solved challenge is recorded.
func (s *Screen) afterEdit() tea.Cmd {
	sc := s.sc
	p, _ := sc.selected()
	sc.changed(p.Address)
	s.keepCursorVisible()
	if sc.solved && !sc.recorded {
		sc.recorded = true
		p, id, at := s.progress, sc.s.ID, s.sh.Now()
		return func() tea.Msg {
			if err := p.MarkSolved(id, at); err != nil {
				return common.ErrorMsg{Err: fmt.Errorf("record %s solved: %w", id, err)}
			}
			return markedMsg{id: id, at: at}
		}
	}
	return nil
}

func (s *Screen) keepCursorVisible() {
	sc := s.sc
	if sc == nil || !sc.editing {
		return
	}
	p, ok := sc.selected()
	if !ok {
		return
	}
	h, w := s.editorHeight(), s.editorWidth()
	sc.bufs[p.Address].scrollTo(h, w)
}

func (s Screen) paste(msg tea.PasteMsg) (Screen, tea.Cmd) {
	switch {
	case s.sc == nil && s.filtering:
		var cmd tea.Cmd
		s.filter, cmd = s.filter.Update(msg)
		s.applyFilter()
		return s, cmd
	case s.sc == nil:
		return s, nil
	case s.sc.editing:
		p, _ := s.sc.selected()
		s.sc.bufs[p.Address].paste(msg.Content)
		next := tea.Batch(s.afterEdit(), s.scheduleSave())
		return s, next
	case s.consoleActive():
		c := s.sc.console
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(tea.PasteMsg{Content: strings.ReplaceAll(msg.Content, "\n", " ")})
		return s, cmd
	}
	return s, nil
}

// consoleKey handles a key while the console's prompt has the keyboard.
// The prompt names who the console acts as, so the input's width follows.
func (s Screen) consoleKey(msg tea.KeyPressMsg) (Screen, tea.Cmd) {
	defer s.setSize(s.w, s.h)
	c := s.sc.console
	k := s.km
	now := s.sh.Now()
	switch {
	case key.Matches(msg, k.Leave):
		c.input.Blur()
		c.cands = nil
		return s, nil
	case key.Matches(msg, k.Run):
		line := c.input.Value()
		c.input.SetValue("")
		c.run(line, now)
		s.sc.dirty = true
	case key.Matches(msg, k.Complete):
		c.complete(now)
	case key.Matches(msg, k.History):
		d := 1
		if msg.Code == tea.KeyUp {
			d = -1
		}
		c.historyStep(d)
	case key.Matches(msg, k.ActAs):
		c.toggleSession()
	case key.Matches(msg, k.Clock):
		c.advance(time.Hour, now)
	case key.Matches(msg, k.Clear):
		c.out = nil
	case key.Matches(msg, k.Scroll):
		d := s.pageSize()
		if msg.Code == tea.KeyPgDown {
			d = -d
		}
		c.off = max(c.off+d, 0)
	default:
		var cmd tea.Cmd
		c.input, cmd = c.input.Update(msg)
		c.cands = nil
		return s, cmd
	}
	return s, nil
}

// externalEditor opens the policy in $VISUAL or $EDITOR (vi when neither
// is set); the steps run again when it exits.
func (s Screen) externalEditor(addr string) tea.Cmd {
	editor := os.Getenv("VISUAL")
	if editor == "" {
		editor = os.Getenv("EDITOR")
	}
	if strings.TrimSpace(editor) == "" {
		editor = "vi"
	}
	pe := &policyEdit{editor: editor, name: addr, text: s.sc.text(addr)}
	id := s.sc.s.ID
	return tea.Exec(pe, func(err error) tea.Msg {
		return editorDoneMsg{id: id, addr: addr, text: pe.text, err: err}
	})
}

// policyEdit runs $EDITOR on a policy, as tea.ExecProcess runs an
// exec.Cmd, but writes the temporary file only when the program has handed
// the terminal over, and reads it back and removes it before returning.
type policyEdit struct {
	editor, name, text string
	stdin              io.Reader
	stdout, stderr     io.Writer
}

func (p *policyEdit) SetStdin(r io.Reader)  { p.stdin = r }
func (p *policyEdit) SetStdout(w io.Writer) { p.stdout = w }
func (p *policyEdit) SetStderr(w io.Writer) { p.stderr = w }

func (p *policyEdit) Run() error {
	dir, err := os.MkdirTemp("", "iamlab-policy-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, strings.NewReplacer("/", "_", ":", "_").Replace(p.name)+".json")
	if err := os.WriteFile(path, []byte(p.text+"\n"), 0o600); err != nil {
		return err
	}
	args, err := editorArgs(p.editor)
	if err != nil {
		return err
	}
	cmd := exec.Command(args[0], append(args[1:], path)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = p.stdin, p.stdout, p.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", p.editor, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	p.text = strings.TrimRight(string(data), "\n")
	return nil
}

// editorDone takes the text back from $EDITOR and runs the steps again.
func (s Screen) editorDone(msg editorDoneMsg) (Screen, tea.Cmd) {
	if msg.err != nil {
		return s, common.ReportErr(fmt.Errorf("edit in $EDITOR: %w", msg.err))
	}
	if s.sc == nil || s.sc.s.ID != msg.id {
		return s, nil
	}
	i := s.sc.policyIndex(msg.addr)
	if i < 0 {
		return s, nil
	}
	s.sc.polCursor = i
	b := s.sc.bufs[msg.addr]
	if msg.text == b.text() {
		s.setMessage("No change from $EDITOR.", false)
		return s, nil
	}
	b.replace(msg.text)
	cmd := s.afterEdit()
	s.setMessage("Back from $EDITOR: every step ran again.", false)
	next := tea.Batch(cmd, s.scheduleSave())
	return s, next
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
func (s Screen) click(x, y int) (Screen, tea.Cmd) {
	if s.sc == nil {
		i := s.listOff + y - listTop
		if y >= listTop && i >= 0 && i < len(s.items) && (!s.wideList() || x < s.listWidth()) {
			if i == s.cursor {
				return s.open(s.items[i])
			}
			s.cursor = i
			return s, s.markdown()
		}
		return s, nil
	}
	if y == 1 {
		if p, ok := s.tabAt(x); ok {
			s.focus(p)
			next := s.focusCmd()
			return s, next
		}
		return s, nil
	}
	if s.wide() && !s.sc.editing {
		if x < s.leftWidth() {
			s.focus(panePolicies)
		} else {
			s.focus(s.sc.secondary)
		}
		next := s.focusCmd()
		return s, next
	}
	return s, nil
}
