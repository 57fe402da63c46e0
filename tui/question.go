package tui

import (
	"slices"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"iamlab/content"
	"iamlab/tui/common"
)

// answer is the state of one question being answered. Its methods are pure:
// they return the next state, so scoring is tested without a terminal.
type answer struct {
	q       *content.Question
	picked  []bool
	cursor  int
	done    bool // submitted and shown with explanations
	shownAt time.Time
	// hint is a one-line message about the last pick ("pick two").
	hint string
}

func newAnswer(q *content.Question, now time.Time) answer {
	return answer{q: q, picked: make([]bool, len(q.Options)), shownAt: now}
}

// pick toggles option i. A choose-one question holds one pick; a choose-N
// question holds up to N, and refuses more with a hint.
func (a answer) pick(i int) answer {
	if a.done || i < 0 || i >= len(a.picked) {
		return a
	}
	a.picked = slices.Clone(a.picked)
	a.cursor = i
	a.hint = ""
	if a.q.Choose <= 1 {
		for j := range a.picked {
			a.picked[j] = j == i
		}
		return a
	}
	if !a.picked[i] && len(a.chosen()) >= a.q.Choose {
		a.hint = "You have picked " + numberWord(a.q.Choose) + ": unpick one first."
		return a
	}
	a.picked[i] = !a.picked[i]
	return a
}

// move moves the cursor among the options.
func (a answer) move(d int) answer {
	a.cursor = clampInt(a.cursor+d, 0, len(a.picked)-1)
	return a
}

// chosen returns the picked options' indexes.
func (a answer) chosen() []int {
	var out []int
	for i, p := range a.picked {
		if p {
			out = append(out, i)
		}
	}
	return out
}

// ready says whether the picks can be submitted: exactly Choose of them.
func (a answer) ready() bool { return len(a.chosen()) == max(a.q.Choose, 1) }

// submit ends the answer if it is ready, or explains what is missing.
func (a answer) submit() answer {
	if a.done {
		return a
	}
	if !a.ready() {
		a.hint = "Choose " + numberWord(max(a.q.Choose, 1)) + " options, then press enter."
		return a
	}
	a.done, a.hint = true, ""
	return a
}

// correct says whether the picks are exactly the right options: the exams
// give no partial credit.
func (a answer) correct() bool { return isCorrect(a.q, a.chosen()) }

func isCorrect(q *content.Question, chosen []int) bool {
	return slices.Equal(q.Correct(), chosen)
}

func numberWord(n int) string {
	switch n {
	case 1:
		return "one"
	case 2:
		return "two"
	case 3:
		return "three"
	}
	return "several"
}

// questionView is a question laid out at a width: its lines and, for
// mouse clicks, the lines each option occupies.
type questionView struct {
	lines []string
	// optionAt maps a line to the option drawn on it, -1 for none.
	optionAt []int
	// optionTop is the first line of each option.
	optionTop []int
	// resultTop is the line after the question text: the verdict once the
	// answer is revealed.
	resultTop int
}

// layoutQuestion draws the question text (rendered Markdown lines, or the
// source wrapped while the rendering is on its way), then the options:
// before the answer with check boxes and the cursor, after it with ✓ and ✗,
// each option's explanation and, when links is set, where to read more.
func layoutQuestion(st Styles, lib *content.Library, body []string, a answer, width int, reveal, links, enterAnswers bool) questionView {
	var v questionView
	add := func(opt int, lines ...string) {
		for _, l := range lines {
			v.lines = append(v.lines, l)
			v.optionAt = append(v.optionAt, opt)
		}
	}
	if body == nil {
		body = fallbackLines(a.q.Question, width)
		for i := range body {
			body[i] = "  " + body[i]
		}
	}
	add(-1, body...)
	add(-1, "")
	v.resultTop = len(v.lines)
	if reveal {
		if a.correct() {
			add(-1, "  "+st.Correct.Render("✓ Correct."))
		} else {
			letters := make([]string, 0, 3)
			for _, i := range a.q.Correct() {
				letters = append(letters, letter(i))
			}
			what := "✗ Not quite."
			if len(a.chosen()) == 0 {
				what = "✗ Not answered."
			}
			add(-1, "  "+st.Wrong.Render(what)+" "+st.Text.Render("The answer is "+strings.Join(letters, " and ")+"."))
		}
		if links {
			title := a.q.Topic
			if n, ok := lib.Note(a.q.Topic); ok {
				title = n.Title
			}
			add(-1, "  "+truncate(st.Muted.Render("Note: ")+st.Accent.Render(title)+st.Muted.Render(" (o opens it)"), width-2))
		}
		add(-1, "")
	} else {
		what := "Choose one."
		if enterAnswers {
			what = "Choose one: pick it, then press enter."
		}
		if a.q.Choose > 1 {
			what = "Choose " + numberWord(a.q.Choose) + ": pick them, then press enter."
		}
		add(-1, "  "+st.Muted.Render(what))
	}
	textW := max(width-11, 10)
	for i, o := range a.q.Options {
		v.optionTop = append(v.optionTop, len(v.lines))
		if reveal {
			add(i, revealedOption(st, a, i, o, textW)...)
			continue
		}
		mark := "[ ]"
		if a.picked[i] {
			mark = "[x]"
		}
		if a.q.Choose <= 1 {
			mark = "( )"
			if a.picked[i] {
				mark = "(•)"
			}
		}
		cur := "  "
		if i == a.cursor {
			cur = "› "
		}
		text := wrapLines(o.Text, textW)
		style := st.Text
		if a.picked[i] {
			style = st.Selected
		}
		inCode := false
		for j, t := range text {
			prefix := "           "
			if j == 0 {
				prefix = "  " + cur + mark + " " + letter(i) + "  "
			}
			body := codeSpans(t, style, st.Accent, &inCode)
			line := prefix + body
			if i == a.cursor && j == 0 {
				line = "  " + st.Cursor.Render(cur+mark+" "+letter(i)) + "  " + body
			}
			add(i, line)
		}
	}
	if a.hint != "" {
		add(-1, "", "  "+st.Warn.Render(a.hint))
	}
	if reveal && links {
		add(-1, "")
		add(-1, linkLines(st, lib, a.q, width)...)
	}
	return v
}

// revealedOption draws an option after the answer: ✓ for the right ones,
// ✗ for a wrong pick, words that say which was picked, then why.
func revealedOption(st Styles, a answer, i int, o content.Option, textW int) []string {
	mark, style, tag := "·", st.Muted, ""
	switch {
	case o.Correct && a.picked[i]:
		mark, style, tag = "✓", st.Correct, " (your pick, right)"
	case o.Correct:
		mark, style, tag = "✓", st.Correct, " (right answer)"
	case a.picked[i]:
		mark, style, tag = "✗", st.Wrong, " (your pick, wrong)"
	}
	box := "[ ]"
	if a.picked[i] {
		box = "[x]"
	}
	if a.q.Choose <= 1 {
		box = "( )"
		if a.picked[i] {
			box = "(•)"
		}
	}
	text := wrapLines(o.Text, textW)
	if last := len(text) - 1; tag != "" && lipgloss.Width(text[last]+tag) <= textW {
		text[last] += tag
	} else if tag != "" {
		text = append(text, strings.TrimSpace(tag))
	}
	var out []string
	inCode := false
	for j, t := range text {
		prefix := "           "
		if j == 0 {
			prefix = "  " + style.Render(mark) + " " + box + " " + letter(i) + "  "
		}
		out = append(out, prefix+codeSpans(t, style, st.Accent, &inCode))
	}
	inCode = false
	for _, t := range wrapLines(o.Why, textW) {
		out = append(out, "           "+codeSpans(t, st.Muted, st.Accent, &inCode))
	}
	if o.Correct {
		// The checks that `iamlab content check` ran: the engine's evidence.
		// Names of scenarios and steps break only at spaces, and the lines
		// after the first hang under the text after the ▸.
		for _, p := range o.Check {
			for j, t := range common.WrapTokens("▸ in "+a.q.Scenario+", "+p.String(), textW-2) {
				if j > 0 {
					t = "  " + t
				}
				out = append(out, "           "+st.Accent.Render(t))
			}
		}
	}
	return out
}

// codeSpans draws one wrapped line of an option, its `code` spans in
// code without the backticks; inCode carries a span over to the next line.
func codeSpans(line string, text, code lipgloss.Style, inCode *bool) string {
	if !strings.Contains(line, "`") && !*inCode {
		return text.Render(line)
	}
	var b strings.Builder
	for i, part := range strings.Split(line, "`") {
		if i > 0 {
			*inCode = !*inCode
		}
		if part == "" {
			continue
		}
		if *inCode {
			b.WriteString(code.Render(part))
		} else {
			b.WriteString(text.Render(part))
		}
	}
	return b.String()
}

// padTo pads s to n cells.
func padTo(s string, n int) string {
	if w := lipgloss.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// linkLines point from a question to its note, its scenario and the AWS
// documentation.
func linkLines(st Styles, lib *content.Library, q *content.Question, width int) []string {
	var out []string
	title := q.Topic
	if n, ok := lib.Note(q.Topic); ok {
		title = n.Title
	}
	out = append(out, wrapPrefixed(st, "Note", title+"  (o)", width)...)
	if q.Scenario != "" {
		out = append(out, wrapPrefixed(st, "Scenario", q.Scenario+"  (x runs it in the sandbox)", width)...)
	}
	if q.Docs != "" {
		out = append(out, wrapPrefixed(st, "Docs", q.Docs, width)...)
	}
	return out
}

func wrapPrefixed(st Styles, label, text string, width int) []string {
	lines := wrapLines(text, max(width-14, 10))
	for i, l := range lines {
		p := "            "
		if i == 0 {
			p = "  " + padTo(label+":", 10)
		}
		lines[i] = st.Muted.Render(p) + st.Accent.Render(l)
	}
	return lines
}

// questionKey is the Markdown cache key of a question's text.
func questionKey(q *content.Question, width int, dark bool) mdKey {
	return mdKey{ID: "q:" + q.ID, Width: width, Dark: dark}
}
