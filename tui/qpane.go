package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// qpane shows one question in a scrolling area: the quiz, the exam and the
// review screens each hold one.
type qpane struct {
	ans    answer
	scroll int
	w, h   int
	// reveal shows the answer with explanations; links adds where to read
	// more.
	reveal, links bool
	// enterAnswers says enter answers a question (quiz and review), so the
	// instruction says so; in the exam enter moves on.
	enterAnswers bool
}

func (p *qpane) setSize(w, h int) { p.w, p.h = max(w, 1), max(h, 1) }

// mdWidth is the width question text is rendered at.
func (p qpane) mdWidth() int { return max(p.w-2, 20) }

// fetch asks for the question's rendering if it is not cached yet.
func (p qpane) fetch(sh *shared) tea.Cmd {
	if p.ans.q == nil {
		return nil
	}
	_, cmd := sh.MD.Get(questionKey(p.ans.q, p.mdWidth(), sh.Dark), p.ans.q.Question)
	return cmd
}

func (p qpane) layout(sh *shared) questionView {
	body := sh.MD.Lookup(questionKey(p.ans.q, p.mdWidth(), sh.Dark))
	return layoutQuestion(sh.Styles, sh.lib, body, p.ans, p.w, p.reveal, p.links, p.enterAnswers)
}

// scrollBy scrolls n lines, within the question.
func (p *qpane) scrollBy(sh *shared, n int) {
	if p.ans.q == nil {
		return
	}
	total := len(p.layout(sh).lines)
	p.scroll = clampInt(p.scroll+n, 0, max(0, total-p.h))
}

// follow scrolls so the option under the cursor is on screen.
func (p *qpane) follow(sh *shared) {
	if p.ans.q == nil {
		return
	}
	v := p.layout(sh)
	if p.ans.cursor >= len(v.optionTop) {
		return
	}
	top := v.optionTop[p.ans.cursor]
	end := top
	for end+1 < len(v.optionAt) && v.optionAt[end+1] == p.ans.cursor {
		end++
	}
	if end >= p.scroll+p.h {
		p.scroll = end - p.h + 1
	}
	if top < p.scroll {
		p.scroll = top
	}
}

// showResult scrolls to the verdict after an answer, unless it all fits.
func (p *qpane) showResult(sh *shared) {
	if p.ans.q == nil {
		return
	}
	v := p.layout(sh)
	p.scroll = clampInt(v.resultTop, 0, max(0, len(v.lines)-p.h))
}

// optionAt returns the option drawn at line y of the pane, or -1.
func (p qpane) optionAt(sh *shared, y int) int {
	if p.ans.q == nil || y < 0 || y >= p.h {
		return -1
	}
	v := p.layout(sh)
	row := p.scroll + y
	if row >= len(v.optionAt) {
		return -1
	}
	return v.optionAt[row]
}

// view draws the visible part, with a marker when more lies below.
func (p qpane) view(sh *shared) string {
	if p.ans.q == nil {
		return ""
	}
	v := p.layout(sh)
	vis, off := window(v.lines, p.scroll, p.h)
	out := append([]string(nil), vis...)
	if off+p.h < len(v.lines) && len(out) > 0 {
		out[len(out)-1] = sh.Styles.Muted.Render("  ↓ more below (j, pgdn or the wheel)")
	}
	return strings.Join(out, "\n")
}
