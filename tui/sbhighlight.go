package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// Policy JSON is highlighted by jsonLexer with GitHub's
// colours, token by token, so the editor can put its cursor and markers
// between the colours and scroll sideways without cutting an escape
// sequence in half.

// codeSpan is a run of one token type within a line, in runes.
type codeSpan struct {
	start, end int
	kind       chroma.TokenType
}

// highlightJSON splits text into lines of token runs. Invalid JSON still
// gets colours: Chroma marks what it cannot read as errors and goes on.
func highlightJSON(text string) [][]codeSpan {
	out := make([][]codeSpan, 1, strings.Count(text, "\n")+1)
	it, err := jsonLexer().Tokenise(nil, text)
	if err != nil {
		return out
	}
	col := 0
	for tok := it(); tok != chroma.EOF; tok = it() {
		v := tok.Value
		for {
			i := strings.IndexByte(v, '\n')
			part := v
			if i >= 0 {
				part = v[:i]
			}
			n := len([]rune(part))
			if n > 0 {
				line := &out[len(out)-1]
				if k := len(*line); k > 0 && (*line)[k-1].kind == tok.Type && (*line)[k-1].end == col {
					(*line)[k-1].end += n
				} else {
					*line = append(*line, codeSpan{col, col + n, tok.Type})
				}
				col += n
			}
			if i < 0 {
				break
			}
			out = append(out, nil)
			col = 0
			v = v[i+1:]
		}
	}
	return out
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

func newCodeTheme(dark bool, st Styles) codeTheme {
	cs := policyCodeStyle(dark)
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
