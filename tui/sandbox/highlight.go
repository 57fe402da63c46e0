package sandbox

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"

	"iamlab/tui/common"
)

// Policy JSON is highlighted token by token, with Chroma's token types and
// GitHub's colours, so the editor can put its cursor and markers between
// the colours and scroll sideways without cutting an escape sequence in
// half. The tokens come from a small scanner of JSON's few token kinds
// rather than Chroma's regular-expression lexer, which took most of a
// keystroke's time on a long policy; a test checks that both agree.

// codeSpan is a run of one token type within a line, in runes.
type codeSpan struct {
	start, end int
	kind       chroma.TokenType
}

// clip keeps the spans that start before n; shift moves the rest left by
// n, for wrapping a long line.
func clip(sp []codeSpan, n int) []codeSpan {
	var out []codeSpan
	for _, x := range sp {
		if x.start < n {
			x.end = min(x.end, n)
			out = append(out, x)
		}
	}
	return out
}

func shift(sp []codeSpan, n int) []codeSpan {
	var out []codeSpan
	for _, x := range sp {
		if x.end > n {
			x.start, x.end = max(x.start-n, 0), x.end-n
			out = append(out, x)
		}
	}
	return out
}

// highlightJSON splits text into lines of token runs. Invalid JSON still
// gets colours: what is not JSON is marked as an error and the scan goes
// on.
func highlightJSON(text string) [][]codeSpan {
	out := make([][]codeSpan, 1, strings.Count(text, "\n")+1)
	rs := []rune(text)
	col := 0
	add := func(kind chroma.TokenType, n int) {
		line := &out[len(out)-1]
		if k := len(*line); k > 0 && (*line)[k-1].kind == kind && (*line)[k-1].end == col {
			(*line)[k-1].end += n
		} else {
			*line = append(*line, codeSpan{col, col + n, kind})
		}
		col += n
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r == '\n':
			out = append(out, nil)
			col = 0
			i++
		case r == ' ' || r == '\t' || r == '\r':
			j := i
			for j < len(rs) && (rs[j] == ' ' || rs[j] == '\t' || rs[j] == '\r') {
				j++
			}
			add(chroma.Text, j-i)
			i = j
		case strings.ContainsRune("{}[],:", r):
			add(chroma.Punctuation, 1)
			i++
		case r == '"':
			j := i + 1
			for j < len(rs) && rs[j] != '"' && rs[j] != '\n' {
				if rs[j] == '\\' && j+1 < len(rs) && rs[j+1] != '\n' {
					j++
				}
				j++
			}
			if j >= len(rs) || rs[j] != '"' {
				add(chroma.Error, 1) // an unclosed quote
				i++
				continue
			}
			j++
			kind := chroma.LiteralStringDouble
			k := j
			for k < len(rs) && (rs[k] == ' ' || rs[k] == '\t' || rs[k] == '\r' || rs[k] == '\n') {
				k++
			}
			if k < len(rs) && rs[k] == ':' {
				kind = chroma.NameTag
			}
			add(kind, j-i)
			i = j
		case r == '-' || (r >= '0' && r <= '9'):
			j, float := scanNumber(rs, i)
			if j == i {
				add(chroma.Error, 1)
				i++
				continue
			}
			kind := chroma.LiteralNumberInteger
			if float {
				kind = chroma.LiteralNumberFloat
			}
			add(kind, j-i)
			i = j
		default:
			if w := keyword(rs[i:]); w > 0 {
				add(chroma.KeywordConstant, w)
				i += w
				continue
			}
			add(chroma.Error, 1)
			i++
		}
	}
	return out
}

// scanNumber reads a JSON number from rs[i:], returning where it ends
// (i when there is none) and whether it has a fraction or an exponent.
func scanNumber(rs []rune, i int) (int, bool) {
	digits := func(j int) int {
		for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
			j++
		}
		return j
	}
	j := i
	if rs[j] == '-' {
		j++
	}
	k := digits(j)
	if k == j {
		return i, false
	}
	j, float := k, false
	if j+1 < len(rs) && rs[j] == '.' && digits(j+1) > j+1 {
		j, float = digits(j+1), true
	}
	if j < len(rs) && (rs[j] == 'e' || rs[j] == 'E') {
		k := j + 1
		if k < len(rs) && (rs[k] == '+' || rs[k] == '-') {
			k++
		}
		if e := digits(k); e > k {
			j, float = e, true
		}
	}
	return j, float
}

// keyword is the length of the JSON literal rs starts with, or 0.
func keyword(rs []rune) int {
	for _, w := range [...]string{"true", "false", "null"} {
		if len(rs) >= len(w) && string(rs[:len(w)]) == w {
			return len(w)
		}
	}
	return 0
}

// sgr is a style as the escape sequences before and after its text, so a
// run costs two string appends rather than a Lip Gloss render.
type sgr struct{ pre, post string }

func sgrOf(s lipgloss.Style) sgr {
	r := s.Render("x")
	i := strings.Index(r, "x")
	if i < 0 {
		return sgr{}
	}
	return sgr{r[:i], r[i+1:]}
}

func (g sgr) wrap(s string) string {
	if g.pre == "" {
		return s
	}
	return g.pre + s + g.post
}

// codeTheme maps token types to styles for one background.
type codeTheme struct {
	tokens map[chroma.TokenType]sgr
	text   sgr
	cursor sgr
	errAt  sgr
}

func newCodeTheme(dark bool, st common.Styles) codeTheme {
	cs := common.PolicyCodeStyle(dark)
	t := codeTheme{tokens: map[chroma.TokenType]sgr{}}
	for _, tt := range []chroma.TokenType{chroma.Text, chroma.Punctuation, chroma.NameTag, chroma.LiteralString,
		chroma.LiteralStringDouble, chroma.LiteralNumber, chroma.LiteralNumberInteger, chroma.LiteralNumberFloat,
		chroma.KeywordConstant, chroma.Error} {
		e := cs.Get(tt)
		s := lipgloss.NewStyle()
		if e.Colour.IsSet() {
			s = s.Foreground(lipgloss.Color(e.Colour.String()))
		}
		if e.Bold == chroma.Yes {
			s = s.Bold(true)
		}
		if tt == chroma.Error {
			s = st.Error.Bold(false)
		}
		t.tokens[tt] = sgrOf(s)
	}
	t.text = t.tokens[chroma.Text]
	t.cursor = sgrOf(lipgloss.NewStyle().Reverse(true))
	t.errAt = sgrOf(st.Error.Underline(true))
	return t
}

func (t codeTheme) style(k chroma.TokenType) sgr {
	if g, ok := t.tokens[k]; ok {
		return g
	}
	if g, ok := t.tokens[k.Category()]; ok {
		return g
	}
	return t.text
}

// codeBlock draws a read-only JSON text, one line per line of text, each
// cut to width cells.
func (t codeTheme) codeBlock(text string, width int) []string {
	spans := highlightJSON(text) // one entry per line of text
	lines := strings.Split(text, "\n")
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = t.codeLine([]rune(l), spans[i], 0, width, -1, -1)
	}
	return out
}

// codeLine draws width cells of a line from column left, coloured by its
// spans, with the cursor (cursor ≥ 0) shown reversed and the column of a
// parse error (errCol ≥ 0) underlined. Policies are ASCII but for their
// string values; a rune is taken to be one cell.
func (t codeTheme) codeLine(line []rune, spans []codeSpan, left, width, cursor, errCol int) string {
	var b strings.Builder
	end := min(len(line), left+width)
	si := 0
	for c := left; c < end; {
		for si < len(spans) && spans[si].end <= c {
			si++
		}
		g, stop := t.text, end
		if si < len(spans) && spans[si].start <= c {
			g, stop = t.style(spans[si].kind), min(end, spans[si].end)
		} else if si < len(spans) {
			stop = min(end, spans[si].start)
		}
		// The cursor and the error column break a run.
		for _, mark := range [2]int{cursor, errCol} {
			if mark >= c && mark < stop {
				if mark == c {
					stop = c + 1
					if mark == cursor {
						g = t.cursor
					} else {
						g = t.errAt
					}
				} else {
					stop = mark
				}
			}
		}
		b.WriteString(g.wrap(string(line[c:stop])))
		c = stop
	}
	if cursor >= end && cursor < left+width && cursor >= left {
		b.WriteString(t.cursor.wrap(" "))
	}
	return b.String()
}
