package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

func (a *App) tooSmall() bool { return a.width < minWidth || a.height < minHeight }

// View draws the app. It never panics: a failure to draw shows a message.
func (a *App) View() (v tea.View) {
	defer func() {
		if r := recover(); r != nil {
			v = tea.NewView(fmt.Sprintf("iamlab could not draw this screen (%v).\nPress esc to go back or ctrl+c to quit.", r))
			v.AltScreen = true
		}
	}()
	v = tea.NewView(a.render())
	v.AltScreen = true
	v.WindowTitle = "iamlab · " + a.screens[a.active()].title
	if a.mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

// render returns the whole screen as text.
func (a *App) render() string {
	if a.width == 0 || a.height == 0 {
		return ""
	}
	st := a.sh.Styles
	if a.tooSmall() {
		msg := fmt.Sprintf("Terminal too small: %d×%d.\niamlab needs at least %d×%d.\n\nMake the window larger, or press q to quit.",
			a.width, a.height, minWidth, minHeight)
		if a.confirmQuit {
			msg = "Quit now? Edits are not saved as versions; your drafts are kept either way.\n\ny quits · n stays"
		}
		return fit(center(st.Warn.Render(wrap(msg, max(a.width-2, 1))), a.width, a.height), a.width, a.height)
	}
	cur := a.screens[a.active()]
	w, bodyH := a.bodySize()
	var body string
	switch {
	case a.quitting:
		body = center(st.Muted.Render("saving…"), w, bodyH)
	case a.confirmQuit:
		names := a.keep.Unsaved()
		body = center(st.Dialog.Render(st.Warn.Render("You have edits not saved as a version:")+"\n"+
			wrap(strings.Join(names, ", "), max(w-12, 20))+"\n\n"+
			"Your drafts are kept for next time either way.\n\n"+
			st.Key.Render("s")+" save them as versions and quit   "+st.Key.Render("y")+" quit   "+st.Key.Render("n")+" keep editing"), w, bodyH)
	case a.showHelp:
		km := combined{cur.keys(), a.keys}
		var all []key.Binding
		for _, g := range km.FullHelp() {
			all = append(all, g...)
			all = append(all, key.Binding{})
		}
		full := a.memo("full", all, func() string { return a.fullHelp(km, w-8) })
		body = center(st.Dialog.Render(st.Title.Render(cur.title+": keys")+"\n\n"+full+"\n\n"+
			st.Muted.Render("? or esc closes this help")), w, bodyH)
	default:
		body = cur.view()
	}
	parts := []string{padRight(a.header(cur.title), w)}
	for _, l := range a.bannerLines() {
		parts = append(parts, padRight(l, w))
	}
	parts = append(parts, fit(body, w, bodyH), padRight(a.footer(cur), w))
	return strings.Join(parts, "\n")
}

func (a *App) header(title string) string {
	st := a.sh.Styles
	left := st.HeaderTitle.Render(" iamlab ") + st.Header.Render("› "+title+" ")
	var info []string
	if d := a.exam.remaining(); d > 0 && a.active() != examID {
		info = append(info, "exam ⏱ "+clock(d))
	}
	if !a.mouse {
		info = append(info, "mouse off (v)")
	}
	right := st.HeaderInfo.Render(strings.Join(info, " · ") + " ")
	gap := max(a.width-lipgloss.Width(left)-lipgloss.Width(right), 0)
	return left + st.Header.Render(strings.Repeat(" ", gap)) + right
}

// bannerLines are the notices and the last error, wrapped, at most three
// lines, with how to dismiss them.
func (a *App) bannerLines() []string {
	if len(a.banner) == 0 || a.width == 0 {
		return nil
	}
	st := a.sh.Styles
	style, mark := st.Banner, "! "
	if a.bannerIsError {
		style, mark = st.Error, "✗ "
	}
	text := mark + strings.Join(a.banner, " · ") + "  (esc dismisses)"
	lines := wrapLines(text, max(a.width-2, 10))
	if len(lines) > 3 {
		lines = lines[:3]
	}
	for i, l := range lines {
		lines[i] = " " + style.Render(l)
	}
	return lines
}

// footer is the short help: the screen's keys on the left, cut to fit,
// and the global ones on the right, always shown; while the screen takes
// typed text, only those that a text field does not take.
func (a *App) footer(cur screen) string {
	if a.showHelp || a.confirmQuit {
		return ""
	}
	global := a.keys.ShortHelp()
	if cur.typing() {
		// ? and q would be typed into the field, not obeyed.
		global = []key.Binding{a.keys.ForceQuit}
	}
	return a.memo("f", append(cur.keys().ShortHelp(), global...), func() string { return a.drawFooter(cur, global) })
}

// memo returns a drawing of bindings from the memo, or draws and keeps it.
func (a *App) memo(kind string, bindings []key.Binding, draw func() string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %d %t", kind, a.width, a.sh.Dark)
	for _, k := range bindings {
		h := k.Help()
		b.WriteString("\x00" + h.Key + "\x01" + h.Desc)
	}
	id := b.String()
	if s, ok := a.helpMemo[id]; ok {
		return s
	}
	if a.helpMemo == nil || len(a.helpMemo) > 200 {
		a.helpMemo = map[string]string{}
	}
	s := draw()
	a.helpMemo[id] = s
	return s
}

func (a *App) drawFooter(cur screen, globalKeys []key.Binding) string {
	h := a.help
	h.SetWidth(0)
	global := h.ShortHelpView(globalKeys)
	avail := a.width - lipgloss.Width(global) - 4
	var left string
	keys := cur.keys().ShortHelp()
	for n := len(keys); n > 0; n-- {
		left = h.ShortHelpView(keys[:n])
		if n < len(keys) {
			left += h.Styles.Ellipsis.Render(" …")
		}
		if lipgloss.Width(left) <= avail {
			break
		}
		left = ""
	}
	gap := max(a.width-2-lipgloss.Width(left)-lipgloss.Width(global), 1)
	return " " + left + strings.Repeat(" ", gap) + global
}

// fullHelp lays the key map out in as many columns side by side as fit,
// the rest in rows below.
func (a *App) fullHelp(km help.KeyMap, width int) string {
	h := a.help
	h.SetWidth(0)
	groups := km.FullHelp()
	for per := len(groups); per > 1; per-- {
		var rows []string
		fits := true
		for i := 0; i < len(groups); i += per {
			row := h.FullHelpView(groups[i:min(i+per, len(groups))])
			fits = fits && lipgloss.Width(row) <= width
			rows = append(rows, row)
		}
		if fits {
			return strings.Join(rows, "\n\n")
		}
	}
	// Groups too wide to go evenly: as many side by side as fit, in order.
	var rows []string
	for i := 0; i < len(groups); {
		n := 1
		for i+n < len(groups) && lipgloss.Width(h.FullHelpView(groups[i:i+n+1])) <= width {
			n++
		}
		rows = append(rows, h.FullHelpView(groups[i:i+n]))
		i += n
	}
	return strings.Join(rows, "\n\n")
}
