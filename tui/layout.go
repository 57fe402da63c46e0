package tui

import (
	tea "charm.land/bubbletea/v2"

	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Minimum terminal size; below it the app shows only a message.
const (
	minWidth  = 80
	minHeight = 24
)

// wrap word-wraps text to a width at spaces, and at the hyphens of
// ordinary words, but never inside a CLI flag, an ARN or a JSON token
// (codeLike): "--duration-seconds" is not split into "-" and
// "-duration-seconds". A word longer than the line is still broken, so
// nothing is cut. Every screen wraps its text with it: questions, options,
// explanations, errors, and the sandbox's steps and console should too.
func wrap(s string, width int) string {
	if width < 1 {
		width = 1
	}
	return restoreHyphens(ansi.Wrap(protectHyphens(s), width, ""))
}

// nbHyphen stands in for the hyphens of code-like words while text is
// wrapped: ansi.Wrap always breaks after "-", never after U+2011.
const nbHyphen = "\u2011"

// protectHyphens turns the hyphens of code-like words into nbHyphen.
func protectHyphens(s string) string {
	if !strings.Contains(s, "-") {
		return s
	}
	words := strings.SplitAfter(s, " ")
	for i, w := range words {
		if strings.Contains(w, "-") && codeLike(w) {
			words[i] = strings.ReplaceAll(w, "-", nbHyphen)
		}
	}
	return strings.Join(words, "")
}

// restoreHyphens undoes protectHyphens after wrapping.
func restoreHyphens(s string) string { return strings.ReplaceAll(s, nbHyphen, "-") }

// codeLike says whether a word is a CLI flag (--role-arn, -h), or has the
// punctuation of an ARN, a policy element, a path or JSON.
func codeLike(w string) bool {
	t := strings.TrimLeft(strings.TrimLeft(strings.TrimSpace(w), "([{'\"`“‘"), "-")
	if len(t) < len(strings.TrimSpace(w)) && t != "" && (t[0]|0x20 >= 'a' && t[0]|0x20 <= 'z') {
		return true // "-h", "--role-arn"; not "---" or a list's "-"
	}
	return strings.ContainsAny(w, ":/\"=`{}[]$*@_")
}

// wrapLines wraps text and returns its lines.
func wrapLines(s string, width int) []string {
	return strings.Split(wrap(s, width), "\n")
}

// fit makes s exactly w cells wide and h lines high: long lines are cut,
// short ones padded, missing lines added and extra ones dropped. Every screen
// view goes through it, so no screen can push the layout out of shape.
func fit(s string, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	lines := strings.Split(s, "\n")
	if len(lines) > h {
		lines = lines[:h]
	}
	var b strings.Builder
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i >= len(lines) {
			b.WriteString(strings.Repeat(" ", w))
			continue
		}
		b.WriteString(padRight(lines[i], w))
	}
	return b.String()
}

// width measures a line in cells. Lines made of SGR escapes and
// characters that are one cell wide whatever the terminal (ASCII, Latin-1,
// punctuation, arrows, box drawing, blocks and shapes), which is nearly
// every line the app draws, are counted directly; others go to
// ansi.StringWidth, which segments graphemes and is far slower.
func width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b && i+1 < len(s) && s[i+1] == '[':
			i += 2
			for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
				i++
			}
			i++
		case c >= 0x20 && c < 0x7f:
			n++
			i++
		case c < 0x80:
			return ansi.StringWidth(s)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		}
	}
	return n
}

// narrow says whether a rune is surely one cell wide.
func narrow(r rune) bool {
	switch {
	case r >= 0xa0 && r <= 0x2ff:
		return r != 0xad
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205e:
		return true
	case r >= 0x2190 && r <= 0x21ff, r >= 0x2500 && r <= 0x259f, r == '▸':
		return true
	}
	return false
}

// padRight cuts or pads a line to exactly w cells.
func padRight(line string, w int) string {
	lw := width(line)
	if lw > w {
		line = ansi.Truncate(line, w, "…")
		lw = width(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}

// truncate cuts text to n cells with an ellipsis.
func truncate(s string, n int) string { return ansi.Truncate(s, max(n, 1), "…") }

// window returns at most h lines of lines from offset, clamping offset.
func window[T any](lines []T, offset, h int) ([]T, int) {
	offset = clampInt(offset, 0, max(0, len(lines)-h))
	end := min(len(lines), offset+h)
	return lines[offset:end], offset
}

// wheelLines is how far one notch of the mouse wheel scrolls: 3 lines up
// or down, 0 for a sideways wheel.
func wheelLines(msg tea.MouseWheelMsg) int {
	switch msg.Button {
	case tea.MouseWheelUp:
		return -3
	case tea.MouseWheelDown:
		return 3
	}
	return 0
}

func clampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(hi, max(lo, v))
}

// bar draws a horizontal bar of width cells, filled to frac, with the
// percentage after it, so the figure does not rest on the colour.
func bar(st Styles, frac float64, width int) string {
	frac = max(0, min(1, frac))
	full := int(frac*float64(width) + 0.5)
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", width-full))
}

// pct formats a fraction as a whole percentage.
func pct(correct, answered int) string {
	if answered == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", (correct*100+answered/2)/answered)
}

// clock formats a remaining duration as h:mm:ss or m:ss.
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// center places a block in the middle of w×h (the caller fits it).
func center(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	bw := 0
	for _, l := range lines {
		bw = max(bw, width(l))
	}
	left := strings.Repeat(" ", max((w-bw)/2, 0))
	out := make([]string, 0, h)
	for range max((h-len(lines))/2, 0) {
		out = append(out, "")
	}
	for _, l := range lines {
		out = append(out, left+l)
	}
	return strings.Join(out, "\n")
}

// plural returns "1 question" or "3 questions".
func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// letter is an option's letter: 0 → "A".
func letter(i int) string { return string(rune('A' + i)) }
