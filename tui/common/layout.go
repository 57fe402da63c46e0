package common

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// Wrap word-wraps text to a width at spaces, and at the hyphens of
// ordinary words, but never inside a CLI flag, an ARN or a JSON token
// (codeLike): "--duration-seconds" is not split into "-" and
// "-duration-seconds". A word longer than the line is still broken, so
// nothing is cut. Every screen wraps its text with it: questions, options,
// explanations, errors, the sandbox's steps and console.
func Wrap(s string, width int) string {
	if width < 1 {
		width = 1
	}
	return restoreHyphens(ansi.Wrap(protectHyphens(s), width, ""))
}

// nbHyphen stands in for the hyphens of code-like words while text is
// wrapped: ansi.Wrap always breaks after "-", never after U+2011.
const nbHyphen = "\u2011"

// protectHyphens turns the hyphens of code-like words into non-breaking
// ones for a wrapper that breaks after "-" (ansi.Wrap, Glamour); undo it
// with restoreHyphens on the wrapped text.
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

// WrapLines wraps text and returns its lines.
func WrapLines(s string, width int) []string {
	return strings.Split(Wrap(s, width), "\n")
}

// WrapTokens wraps plain text at spaces only, so a CLI flag
// (--duration-seconds), an ARN or a JSON token is never split at a hyphen
// or a colon; a token wider than the line is cut where it must be.
func WrapTokens(s string, width int) []string {
	width = max(width, 1)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		// Split at single spaces, so runs of spaces stay as they were.
		line, lw := "", -1
		for _, word := range strings.Split(para, " ") {
			ww := ansi.StringWidth(word)
			switch {
			case lw < 0:
			case lw+1+ww <= width:
				line, lw = line+" "+word, lw+1+ww
				continue
			default:
				out = append(out, line)
			}
			for ww > width {
				out = append(out, ansi.Truncate(word, width, ""))
				word = ansi.TruncateLeft(word, width, "")
				ww = ansi.StringWidth(word)
			}
			line, lw = word, ww
		}
		out = append(out, strings.TrimRight(line, " "))
	}
	return out
}

// TokenBreak is where to end a line of at most width runes of r: after its
// last space within the width, or at the width when there is none.
func TokenBreak(r []rune, width int) int {
	if len(r) <= width {
		return len(r)
	}
	for i := width; i > 0; i-- {
		if r[i-1] == ' ' {
			return i
		}
	}
	return width
}

// Fit makes s exactly w cells wide and h lines high: long lines are cut,
// short ones padded, missing lines added and extra ones dropped. Every screen
// view goes through it, so no screen can push the layout out of shape.
func Fit(s string, w, h int) string {
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
		b.WriteString(PadRight(lines[i], w))
	}
	return b.String()
}

// Width measures a line in cells. Lines made of SGR escapes and
// characters that are one cell wide whatever the terminal (ASCII, Latin-1,
// punctuation, arrows, box drawing, blocks and shapes), which is nearly
// every line the app draws, are counted directly; others go to
// ansi.StringWidth, which segments graphemes and is far slower.
func Width(s string) int {
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

// PadRight cuts or pads a line to exactly w cells.
func PadRight(line string, w int) string {
	lw := Width(line)
	if lw > w {
		line = ansi.Truncate(line, w, "…")
		lw = Width(line)
	}
	if lw < w {
		line += strings.Repeat(" ", w-lw)
	}
	return line
}

// Truncate cuts text to n cells with an ellipsis.
func Truncate(s string, n int) string { return ansi.Truncate(s, max(n, 1), "…") }

// Window returns at most h lines of lines from offset, clamping offset.
func Window[T any](lines []T, offset, h int) ([]T, int) {
	offset = ClampInt(offset, 0, max(0, len(lines)-h))
	end := min(len(lines), offset+h)
	return lines[offset:end], offset
}

// WheelLines is how far one notch of the mouse wheel scrolls: 3 lines up
// or down, 0 for a sideways wheel.
func WheelLines(msg tea.MouseWheelMsg) int {
	switch msg.Button {
	case tea.MouseWheelUp:
		return -3
	case tea.MouseWheelDown:
		return 3
	}
	return 0
}

// ClampInt keeps v within lo and hi (lo when the range is empty).
func ClampInt(v, lo, hi int) int {
	if hi < lo {
		return lo
	}
	return min(hi, max(lo, v))
}

// Center places a block in the middle of w×h (the caller fits it).
func Center(s string, w, h int) string {
	lines := strings.Split(s, "\n")
	bw := 0
	for _, l := range lines {
		bw = max(bw, Width(l))
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

// Plural returns "1 question" or "3 questions".
func Plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Clock formats a remaining duration as h:mm:ss or m:ss.
func Clock(d time.Duration) string {
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
