package sandbox

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"iamlab/scenarios/serve"
	"iamlab/tui/common"
)

// livePane is the Live pane, there once S serves the scenario: how to
// reach the endpoint (the export lines), each request it answered as it
// arrives, newest last and followed, and the selected one's explanation,
// drawn as the steps' are (explainOutcome). Up and down pick a request;
// the explanation scrolls; enter gives it the whole pane.
type livePane struct {
	s *Screen
	// started is set once S was pressed in this visit: the tab shows from
	// then on; starting while the server is being started.
	started, starting bool
	// feed is the feed of the last server started (the scenario's
	// serving, until it stops): the list shows its requests.
	feed *liveFeed

	events []serve.Event
	// dropped counts requests not listed: more than maxLiveEvents.
	dropped int
	sel     int
	// pinned is set once the learner picks a request; until then the
	// newest is selected.
	pinned  bool
	zoom    bool
	explain scroller
	memo    liveMemo
}

// liveMemo keeps the last explanation drawn.
type liveMemo struct {
	seq   int64
	w     int
	dark  bool
	lines []string
}

// serving shows a server that just started.
func (p *livePane) serving(l *liveServer) {
	p.feed = l.feed
	p.events, p.dropped, p.sel, p.pinned, p.zoom = nil, 0, 0, false, false
	p.explain.off = 0
	p.memo = liveMemo{}
}

// add lists requests that arrived, keeping the last maxLiveEvents.
func (p *livePane) add(evs []serve.Event, dropped int) {
	p.events = append(p.events, evs...)
	p.dropped += dropped
	if n := len(p.events) - maxLiveEvents; n > 0 {
		p.events = append(p.events[:0], p.events[n:]...)
		p.dropped += n
		p.sel -= n
	}
	if !p.pinned || p.sel < 0 {
		p.sel = len(p.events) - 1
		p.explain.off = 0
	}
	p.sel = common.ClampInt(p.sel, 0, max(len(p.events)-1, 0))
}

func (p *livePane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	short := []key.Binding{k.Serve, k.Down, k.Expand, k.Tab, k.Back}
	return paneKeys{short: short, k: k, versioned: p.s.selectedVersioned(), own: []key.Binding{k.Up, helpAs(k.Expand, "the explanation fills the pane, or not")}}
}

// update picks a request (the explanation follows), scrolls the
// explanation, and gives it the whole pane or gives it back.
func (p *livePane) update(msg tea.KeyPressMsg) tea.Cmd {
	s := p.s
	k := s.km
	if sel, ok := pick(k, msg, p.sel, len(p.events)); ok {
		// The bottom is the newest: the list follows it again.
		p.sel, p.pinned, p.explain.off = sel, !key.Matches(msg, k.Bottom), 0
		return nil
	}
	switch {
	case key.Matches(msg, k.Expand):
		p.zoom = !p.zoom
		p.explain.off = 0
	case key.Matches(msg, k.PageUp):
		p.scroll(-s.pageSize())
	case key.Matches(msg, k.PageDown):
		p.scroll(s.pageSize())
	}
	return nil
}

func (p *livePane) scroll(d int) {
	w := p.s.paneWidth(paneLive)
	p.explain.by(d, max(len(p.explanation(w))-p.explainHeight(p.s.paneHeight(), len(p.head(w))), 0))
}

// head is what the pane shows above the list: whether it serves, and
// while it does, the lines that point a shell at it.
func (p *livePane) head(w int) []string {
	st := p.s.sh.Styles
	wrap := func(style func(...string) string, text string) []string { return wrapped(style, text, w, " ") }
	count := common.Plural(len(p.events)+p.dropped, "request", "requests")
	switch {
	case p.starting:
		return wrap(st.Muted.Render, "Starting the endpoint…")
	case p.s.sc.serving == nil:
		return wrap(st.Muted.Render, "○ Not serving: stopped after "+count+". S serves the scenario again (new port, new files).")
	}
	l := p.s.sc.serving
	lines := wrap(st.Correct.Render, "● Serving this scenario at "+l.endpoint+" · "+count)
	lines = append(lines, wrap(st.Muted.Render, "In another terminal, source the file or paste the lines:")...)
	shell := ". " + l.envFile + "\n" + l.env.Exports() + l.env.ProfileLine()
	for _, serial := range l.mfa {
		// As iamlab serve says it: the codes follow the wall clock.
		shell += "# MFA: aws sts get-session-token --serial-number " + serial + " --token-code $(iamlab totp " + serial + " --scenario " + l.id + ") --profile USER\n"
	}
	for _, e := range strings.Split(strings.TrimSuffix(shell, "\n"), "\n") {
		for _, part := range shellLines(e, w-1) {
			lines = append(lines, " "+st.Text.Render(part))
		}
	}
	return lines
}

// shellLines breaks a shell line that is wider than w into lines that
// end in a backslash, after a / where there is one: pasted into a shell,
// they are still the one line. A comment goes on as comments instead: a
// backslash does not continue one.
func shellLines(line string, w int) []string {
	if strings.HasPrefix(line, "#") {
		var out []string
		for _, l := range common.WrapTokens(strings.TrimPrefix(line, "# "), max(w-2, 10)) {
			out = append(out, "# "+l)
		}
		return out
	}
	var out []string
	r := []rune(line)
	for len(r) > w && w > 8 {
		cut := w - 1
		for i := cut; i > w/2; i-- {
			if r[i-1] == '/' || r[i-1] == '=' {
				cut = i
				break
			}
		}
		out = append(out, string(r[:cut])+"\\")
		r = r[cut:]
	}
	return append(out, string(r))
}

// listRows is how many rows the list of requests takes, with its
// header, in a pane h lines high below a head of n lines.
func (p *livePane) listRows(h, n int) int {
	room := h - n - 2 // the rules
	return common.ClampInt(len(p.events)+1, 2, max(room/2, 2))
}

// explainHeight is how many lines the explanation gets in a pane h lines
// high below a head of n lines.
func (p *livePane) explainHeight(h, n int) int {
	if p.zoom {
		return max(h-1, 1)
	}
	return max(h-n-p.listRows(h, n)-2, 1)
}

func (p *livePane) view(w, h int) string {
	st := p.s.sh.Styles
	rule := st.Muted.Render(strings.Repeat("─", max(w, 1)))
	if p.zoom && len(p.events) > 0 {
		title := fmt.Sprintf(" Request %d of %d · enter shows the list", p.sel+1, len(p.events))
		ex, _ := common.Window(p.explanation(w), p.explain.off, max(h-1, 1))
		return strings.Join(append([]string{st.Muted.Render(common.Truncate(title, w))}, ex...), "\n")
	}
	lines := p.head(w)
	n := len(lines)
	lines = append(lines, rule)
	lines = append(lines, p.table(w, p.listRows(h, n))...)
	lines = append(lines, rule)
	ex, _ := common.Window(p.explanation(w), p.explain.off, p.explainHeight(h, n))
	lines = append(lines, ex...)
	return strings.Join(lines, "\n")
}

// table is the list of requests, rows lines with its header, the
// selected one in view.
func (p *livePane) table(w, rows int) []string {
	s := p.s
	st := s.sh.Styles
	timeW, decW := 8, 15
	if w >= 100 {
		decW = 24
	}
	whoW := common.ClampInt(w/5, 10, 32)
	reqW := max(w-2-timeW-whoW-decW-3, 10)
	head := "  " + common.PadRight("time", timeW) + " " + common.PadRight("principal", whoW) + " " +
		common.PadRight("action on resource", reqW) + " decision"
	lines := []string{st.Muted.Render(common.Truncate(head, w))}
	if len(p.events) == 0 {
		return append(lines, " "+st.Muted.Render(common.Truncate("No request yet: run an AWS CLI command in another terminal.", w-1)))
	}
	n := rows - 1
	first := common.ClampInt(p.sel-n/2, 0, max(len(p.events)-n, 0))
	if !p.pinned {
		first = max(len(p.events)-n, 0)
	}
	for i := first; i < first+n && i < len(p.events); i++ {
		ev := &p.events[i]
		mark := "  "
		if i == p.sel {
			mark = "› "
		}
		row := mark + common.PadRight(ev.Time.Format("15:04:05"), timeW) + " " +
			common.PadRight(common.Truncate(eventWho(ev), whoW), whoW) + " " +
			common.PadRight(common.Truncate(eventRequest(ev), reqW), reqW) + " " +
			common.Truncate(verdictMark(st, ev.Decision), decW)
		row = common.PadRight(row, w)
		if i == p.sel && s.sc.focus == paneLive {
			row = st.Cursor.Render(ansi.Strip(row))
		}
		lines = append(lines, row)
	}
	return lines
}

// explanation is the selected request's explanation at width w.
func (p *livePane) explanation(w int) []string {
	if len(p.events) == 0 {
		return p.firstSteps(w)
	}
	ev := &p.events[common.ClampInt(p.sel, 0, len(p.events)-1)]
	if m := p.memo; m.lines != nil && m.seq == ev.Seq && m.w == w && m.dark == p.s.sh.Dark {
		return m.lines
	}
	lines := p.s.explainEvent(ev, w)
	p.memo = liveMemo{seq: ev.Seq, w: w, dark: p.s.sh.Dark, lines: lines}
	return lines
}

// firstSteps says how to make a first request while there is none.
func (p *livePane) firstSteps(w int) []string {
	st := p.s.sh.Styles
	l := p.s.sc.serving
	if l == nil {
		return nil
	}
	profile := "NAME"
	if ps := l.env.Profiles; len(ps) > 0 {
		profile = ps[0].Name
	}
	lines := wrapped(st.Muted.Render, "Each request the endpoint answers shows here with its decision, explained as the steps are. Try:", w, " ")
	return append(lines, "   "+st.Text.Render(common.Truncate("aws sts get-caller-identity --profile "+profile, w-3)))
}

// explainEvent draws one request: when and who, the decision and the
// HTTP status, then what the call did, as a step's explanation does.
func (s *Screen) explainEvent(ev *serve.Event, w int) []string {
	st := s.sh.Styles
	var lines []string
	add := func(style func(...string) string, text string) {
		lines = append(lines, wrapped(style, text, w, "")...)
	}
	add(st.Title.Render, fmt.Sprintf("Request %d · %s · %s %s", ev.Seq, ev.Time.Format("15:04:05"), ev.Service, ev.Operation))
	who := ev.Principal
	switch {
	case who == "":
		who = "no one yet: refused before the caller was identified"
	case who == "anonymous":
		who = "anonymous (unsigned: no credentials)"
	}
	add(st.Muted.Render, "as "+who)
	head := verdictMark(st, ev.Decision) + st.Muted.Render(fmt.Sprintf("   HTTP %d", ev.Status))
	if ev.Code != "" && ev.Code != ev.Decision {
		head += st.Muted.Render(" · " + ev.Code)
	}
	lines = append(lines, head)
	if ev.Outcome != nil {
		return append(lines, s.explainOutcome(ev.Outcome, w)...)
	}
	if ev.Message != "" {
		lines = append(lines, s.awsSays(ev.Message, w)...)
	}
	return lines
}

// eventWho is who made a request, shortened for the list.
func eventWho(ev *serve.Event) string {
	if ev.Principal == "" {
		return "-"
	}
	return shortARN(ev.Principal)
}

// eventRequest is the action a request was authorized as, on its
// resource, or its operation when it never reached an authorization.
func eventRequest(ev *serve.Event) string {
	switch {
	case ev.Action != "" && ev.Resource != "" && ev.Resource != "*":
		return ev.Action + " " + shortARN(ev.Resource)
	case ev.Action != "":
		return ev.Action
	case ev.Service == "":
		return ev.Operation
	}
	return ev.Service + ":" + ev.Operation
}
