package sandbox

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// policyEditor is the editor in the Policies pane, over the selected
// policy's text: its keys, and $EDITOR. The pane draws the text, with the
// editor's cursor while it is open (codeView).
type policyEditor struct{ pane *policiesPane }

// editorKeys are the editor's keys: it has the keyboard, so the footer
// offers no key that would type text.
type editorKeys struct {
	k         keyMap
	versioned bool
}

func (e editorKeys) ShortHelp() []key.Binding {
	k := e.k
	if !e.versioned {
		return []key.Binding{k.Undo, k.Redo, k.EdDone}
	}
	return []key.Binding{k.EdSave, k.Undo, k.Redo, k.EdDone}
}

func (e editorKeys) FullHelp() [][]key.Binding {
	k := e.k
	edit := []key.Binding{k.Undo, k.Redo, k.Kill, k.EdDone}
	if e.versioned {
		edit = append([]key.Binding{k.EdSave}, edit...)
	}
	return [][]key.Binding{edit, {k.WordLeft, k.WordRight, k.DocTop, k.DocEnd}}
}

func (e *policyEditor) keys() help.KeyMap {
	s := e.pane.s
	return editorKeys{k: s.km, versioned: s.selectedVersioned()}
}

// update handles a key while the policy editor has the keyboard.
func (e *policyEditor) update(msg tea.KeyPressMsg) tea.Cmd {
	s := e.pane.s
	sc := s.sc
	k := s.km
	p, ok := sc.selected()
	if !ok {
		sc.editing = false
		return nil
	}
	b := sc.bufs[p.Address]
	rev := b.rev
	sc.message = ""
	switch {
	case key.Matches(msg, k.EdDone):
		sc.editing = false
		e.pane.text.off = b.top
		return nil
	case key.Matches(msg, k.EdSave):
		m, ok := sc.saveVersion(p.Address, s.sh.Now())
		s.setMessage(m, !ok)
		return nil
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
		return s.afterEdit()
	}
	s.keepCursorVisible()
	return nil
}

// afterEdit runs the steps again with the selected policy's new text and
// keeps the cursor in view; a newly solved challenge is recorded.
func (s *Screen) afterEdit() tea.Cmd {
	sc := s.sc
	p, _ := sc.selected()
	sc.changed(p.Address)
	s.keepCursorVisible()
	if sc.ws.Solved() && !sc.recorded {
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

// codeView draws a policy's text, or the editor on it: line numbers, a
// marker column (✗ the parse error, ▲ lint), the JSON in colour and the
// lint finding beside its line.
func (p *policiesPane) codeView(addr string, w, h int) []string {
	s := p.s
	sc := s.sc
	st := s.sh.Styles
	b := sc.bufs[addr]
	spans := sc.spans[addr]
	gw := s.gutterWidth(addr)
	nw := gw - 2
	tw := max(w-gw, 4)
	errLine, errCol := errorPos(sc.ws.Err(addr))
	lint := lintByLine(sc.ws.Lint(addr))
	top, left := b.top, b.left
	if !sc.editing {
		top, left = common.ClampInt(p.text.off, 0, max(len(b.lines)-h, 0)), 0
	}
	out := make([]string, 0, h)
	for i := top; i < top+h && i < len(b.lines); i++ {
		num := fmt.Sprintf("%*d", nw, i+1)
		marker := " "
		switch {
		case i+1 == errLine:
			marker = st.Error.Render("✗")
			num = st.Error.Render(num)
		case len(lint[i+1]) > 0:
			marker = st.Warn.Render("▲")
			num = st.Muted.Render(num)
		default:
			num = st.Muted.Render(num)
		}
		cursor, ec := -1, -1
		if sc.editing && i == b.row {
			cursor = b.col
		}
		if i+1 == errLine {
			ec = errCol - 1
		}
		var sp []codeSpan
		if i < len(spans) {
			sp = spans[i]
		}
		line := s.theme.codeLine(b.lines[i], sp, left, tw, cursor, ec)
		if fs := lint[i+1]; len(fs) > 0 {
			used := min(max(len(b.lines[i])-left, 0), tw)
			if cursor >= 0 && cursor-left >= used {
				used = cursor - left + 1
			}
			if room := tw - used - 3; room >= 12 {
				line += "  " + st.Warn.Render(common.Truncate("◂ "+fs[0].Message, room))
			}
		}
		out = append(out, num+marker+" "+line)
	}
	for len(out) < h {
		out = append(out, st.Muted.Render(strings.Repeat(" ", nw)+"  ~"))
	}
	return out
}

// externalEditor opens the policy in $VISUAL or $EDITOR (vi when neither
// is set); the steps run again when it exits.
func (s *Screen) externalEditor(addr string) tea.Cmd {
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

func (p *policyEdit) SetStdin(r io.Reader) { p.stdin = r }

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
func (s *Screen) editorDone(msg editorDoneMsg) tea.Cmd {
	if msg.err != nil {
		return common.ReportErr(fmt.Errorf("edit in $EDITOR: %w", msg.err))
	}
	if s.sc == nil || s.sc.s.ID != msg.id {
		return nil
	}
	i := s.sc.policyIndex(msg.addr)
	if i < 0 {
		return nil
	}
	s.sc.polCursor = i
	b := s.sc.bufs[msg.addr]
	// The file ends with a newline whatever the text does, and editors
	// keep or add one: newlines at the end are no change.
	if strings.TrimRight(msg.text, "\n") == strings.TrimRight(b.text(), "\n") {
		s.setMessage("No change from $EDITOR.", false)
		return nil
	}
	b.replace(msg.text)
	cmd := s.afterEdit()
	s.setMessage("Back from $EDITOR: every step ran again.", false)
	return tea.Batch(cmd, s.scheduleSave())
}
