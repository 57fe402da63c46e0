package sandbox

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// consolePane is the Console pane: the STS console (console.go) on
// screen. Its prompt takes the keyboard (promptKey) when the pane gains
// the focus or on : and enter; esc gives it back, and the pane's keys then
// scroll the output.
type consolePane struct{ s *Screen }

// active reports whether the prompt has the keyboard.
func (p *consolePane) active() bool {
	sc := p.s.sc
	return sc != nil && sc.console != nil && sc.focus == paneConsole && sc.console.input.Focused()
}

// promptKeys are the keys while the prompt has the keyboard.
type promptKeys struct{ k keyMap }

func (pk promptKeys) ShortHelp() []key.Binding {
	k := pk.k
	return []key.Binding{k.Run, k.Complete, k.Leave, k.ActAs, k.Clock, k.History}
}

func (pk promptKeys) FullHelp() [][]key.Binding {
	k := pk.k
	return [][]key.Binding{{k.Run, k.Complete, k.History, k.Scroll}, {k.ActAs, k.Clock, k.Clear, k.Leave}}
}

func (p *consolePane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	if p.active() {
		return promptKeys{k}
	}
	return paneKeys{short: []key.Binding{k.Prompt, k.Advance, k.Serve, k.Tab, k.Back}, k: k, versioned: p.s.selectedVersioned()}
}

// scroll moves the output: it is scrolled back from its end.
func (p *consolePane) scroll(d int) {
	if c := p.s.sc.console; c != nil {
		c.off = common.ClampInt(c.off-d, 0, 1<<20)
	}
}

// promptKey handles a key while the console's prompt has the keyboard.
// The prompt names who the console acts as, so the input's width follows.
func (p *consolePane) promptKey(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	defer s.setSize(s.w, s.h)
	c := s.sc.console
	k := s.km
	now := s.sh.Now()
	switch {
	case key.Matches(msg, k.Leave):
		c.input.Blur()
		c.cands = nil
		return nil
	case key.Matches(msg, k.Run):
		line := c.input.Value()
		c.input.SetValue("")
		c.run(line, now)
		s.sc.dirty = true
		s.panes.story.showLesson()
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
		return cmd
	}
	return nil
}

// view: who the console acts as, the clock and MFA codes, the output,
// completions and the prompt.
func (p *consolePane) view(w, h int) string {
	s := p.s
	sc := s.sc
	st := s.sh.Styles
	c := sc.console
	if c == nil {
		return "\n " + st.Muted.Render("The STS console opens here: press : or 4.")
	}
	now := s.sh.Now()
	clk := c.now(now).UTC().Format("2006-01-02 15:04:05") + " UTC"
	if c.advanced > 0 {
		clk += " (+" + shortDuration(c.advanced) + ")"
	}
	who := st.Muted.Render("as ") + st.Accent.Render(c.whoLine())
	if sess := c.session(); sess != nil {
		left := sess.Expiration.Sub(c.now(now))
		if left > 0 {
			who += st.Muted.Render(" · expires in " + common.Clock(left))
		} else {
			who += st.Wrong.Render(" · expired")
		}
	}
	head := []string{common.Truncate(" "+who, w)}
	info := st.Muted.Render(" clock ") + st.Text.Render(clk)
	for _, m := range c.mfaCodes(now) {
		info += st.Muted.Render(" · MFA "+m.name+" ") + st.Key.Render(m.code) + st.Muted.Render(fmt.Sprintf(" (%ds)", m.left))
	}
	head = append(head, common.Truncate(info, w), st.Muted.Render(strings.Repeat("─", max(w, 1))))
	var foot []string
	if len(c.cands) > 0 {
		foot = append(foot, common.Truncate(" "+st.Muted.Render(strings.Join(c.cands, "  ")), w))
	}
	prompt := st.Accent.Render(" " + c.prompt())
	if c.input.Focused() {
		foot = append(foot, prompt+c.input.View())
	} else {
		foot = append(foot, prompt+st.Muted.Render(c.input.Value()+"  (: or enter to type)"))
	}
	outH := max(h-len(head)-len(foot), 1)
	var out []string
	for i := range c.out {
		e := &c.out[i]
		if e.lines == nil || e.linesW != w {
			e.lines, e.linesW = p.entryLines(*e, w), w
		}
		out = append(out, e.lines...)
	}
	end := max(len(out)-c.off, min(outH, len(out)))
	start := max(end-outH, 0)
	lines := append(head, out[start:end]...)
	for len(lines) < h-len(foot) {
		lines = append(lines, "")
	}
	lines = append(lines, foot...)
	return strings.Join(lines, "\n")
}

func (p *consolePane) entryLines(e consoleEntry, w int) []string {
	s := p.s
	st := s.sh.Styles
	var out []string
	switch e.kind {
	case conJSON:
		spans := highlightJSON(e.text)
		for i, l := range strings.Split(e.text, "\n") {
			var sp []codeSpan
			if i < len(spans) {
				sp = spans[i]
			}
			r := []rune(l)
			for len(r) > 0 || len(out) == 0 {
				n := common.TokenBreak(r, max(w-2, 4))
				out = append(out, " "+s.theme.codeLine(r[:n], clip(sp, n), 0, n, -1, -1))
				r = r[n:]
				sp = shift(sp, n)
				if len(r) == 0 {
					break
				}
			}
		}
		return out
	case conPrompt:
		for _, l := range common.WrapTokens(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Accent.Render(l))
		}
	case conError:
		for _, l := range common.WrapTokens(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Error.Render(l))
		}
	case conWhy:
		for _, l := range common.WrapTokens("why: "+e.text, max(w-4, 4)) {
			out = append(out, "   "+st.Muted.Render(l))
		}
	default:
		for _, l := range common.WrapTokens(e.text, max(w-2, 4)) {
			out = append(out, " "+st.Muted.Render(l))
		}
	}
	return out
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

func (s *Screen) focusPrompt() tea.Cmd {
	c := s.console()
	return c.input.Focus()
}

// update handles a key in the Console pane while its prompt does not
// have the keyboard: enter or e takes the prompt, the rest scroll.
func (p *consolePane) update(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	if key.Matches(msg, s.km.Edit) {
		return s.focusPrompt()
	}
	scrollPane(p, s.km, msg, s.pageSize())
	return nil
}
