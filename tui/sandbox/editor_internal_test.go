package sandbox

import (
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/charmbracelet/x/ansi"

	"iamlab/tui/common"
	"iamlab/tui/internal/tuitest"

	"strings"
	"testing"
)

// The policy editor's buffer, edit by edit.
func TestEditBuffer(t *testing.T) {
	t.Parallel()
	type op func(b *editBuffer)
	typ := func(s string) op { return func(b *editBuffer) { b.insert(s) } }
	for _, tc := range []struct {
		name     string
		start    string
		ops      []op
		want     string
		row, col int
	}{
		{"typing", "", []op{typ("ab")}, "ab", 0, 2},
		{"newline keeps the indentation", "  ab", []op{func(b *editBuffer) { b.end() }, typ("\nc")}, "  ab\n  c", 1, 3},
		{"newline after a brace indents", `{`, []op{func(b *editBuffer) { b.end() }, typ("\n\"a\"")}, "{\n  \"a\"", 1, 5},
		{"a closing brace dedents", "{", []op{func(b *editBuffer) { b.end() }, typ("\n}")}, "{\n}", 1, 1},
		{"newline in the middle of a line", `{"a": 1}`, []op{func(b *editBuffer) { b.col = 1 }, typ("\n")}, "{\n  \"a\": 1}", 1, 2},
		{"backspace joins lines", "ab\ncd", []op{func(b *editBuffer) { b.row, b.col = 1, 0 }, func(b *editBuffer) { b.backspace() }}, "abcd", 0, 2},
		{"delete joins lines", "ab\ncd", []op{func(b *editBuffer) { b.end() }, func(b *editBuffer) { b.deleteForward() }}, "abcd", 0, 2},
		{"kill to the end of the line", "abcd", []op{func(b *editBuffer) { b.col = 1 }, func(b *editBuffer) { b.killLine() }}, "a", 0, 1},
		{"tab is two spaces", "", []op{typ("\t")}, "  ", 0, 2},
		{"paste keeps its own indentation", "[]", []op{func(b *editBuffer) { b.col = 1 }, func(b *editBuffer) { b.paste("\n    1,\n  2\n") }}, "[\n    1,\n  2\n]", 3, 0},
		{"up and down keep the column", "abcd\nx\nabcd", []op{func(b *editBuffer) { b.end() }, func(b *editBuffer) { b.moveVert(1) }, func(b *editBuffer) { b.moveVert(1) }}, "abcd\nx\nabcd", 2, 4},
		{"home goes to the indentation, then column 0", "   ab", []op{func(b *editBuffer) { b.end(); b.home() }}, "   ab", 0, 3},
		{"word right", `"Effect": "Allow"`, []op{func(b *editBuffer) { b.wordRight(); b.wordRight() }}, `"Effect": "Allow"`, 0, 16},
		{"undo takes a word back", "", []op{typ("ab cd"), func(b *editBuffer) { b.undoEdit() }}, "ab ", 0, 3},
		{"undo twice", "", []op{typ("ab cd"), func(b *editBuffer) { b.undoEdit(); b.undoEdit(); b.undoEdit() }}, "", 0, 0},
		{"redo", "", []op{typ("ab cd"), func(b *editBuffer) { b.undoEdit(); b.redoEdit() }}, "ab cd", 0, 5},
		{"an edit after undo drops the redo", "", []op{typ("ab"), func(b *editBuffer) { b.undoEdit() }, typ("x"), func(b *editBuffer) { b.redoEdit() }}, "x", 0, 1},
		{"replace is one undo step", "abc", []op{func(b *editBuffer) { b.replace("xyz\nw"); b.undoEdit() }}, "abc", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newEditBuffer(tc.start)
			for _, o := range tc.ops {
				o(b)
			}
			if got := b.text(); got != tc.want || b.row != tc.row || b.col != tc.col {
				t.Errorf("text %q at %d:%d, want %q at %d:%d", got, b.row, b.col, tc.want, tc.row, tc.col)
			}
		})
	}
}

func TestEditBufferScroll(t *testing.T) {
	t.Parallel()
	b := newEditBuffer(strings.Repeat("line\n", 50) + strings.Repeat("x", 100))
	b.docEnd()
	b.scrollTo(10, 40)
	if b.top != 41 || b.left <= 60 {
		t.Errorf("at the end, view from line %d column %d; want line 41 and the cursor's column in view", b.top, b.left)
	}
	b.moveVert(-5)
	b.scrollTo(10, 40)
	if b.top != 41 {
		t.Errorf("moving inside the view scrolled it to %d", b.top)
	}
	b.docStart()
	b.scrollTo(10, 40)
	if b.top != 0 || b.left != 0 {
		t.Errorf("at the start, view from %d:%d", b.top, b.left)
	}
}

func TestHighlightJSON(t *testing.T) {
	t.Parallel()
	text := "{\n  \"Effect\": \"Allow\",\n  \"n\": 1\n}"
	spans := highlightJSON(text)
	if len(spans) != 4 {
		t.Fatalf("highlightJSON gave %d lines, want 4", len(spans))
	}
	for i, line := range strings.Split(text, "\n") {
		n := len([]rune(line))
		end := 0
		for _, sp := range spans[i] {
			if sp.start < end || sp.end > n {
				t.Errorf("line %d: span %+v out of order or past the line (%d runes)", i+1, sp, n)
			}
			end = sp.end
		}
	}
	theme := newCodeTheme(true, common.NewStyles(true))
	line := []rune(strings.Split(text, "\n")[1])
	if got := ansi.Strip(theme.codeLine(line, spans[1], 0, 80, -1, -1)); got != string(line) {
		t.Errorf("codeLine drew %q, want %q", got, string(line))
	}
	if got := ansi.Strip(theme.codeLine(line, spans[1], 4, 6, 5, -1)); got != `ffect"` {
		t.Errorf("codeLine from column 4, 6 wide, drew %q", got)
	}
	if got := ansi.Strip(theme.codeLine(line, spans[1], 0, 80, len(line), -1)); got != string(line)+" " {
		t.Errorf("a cursor past the end should draw a cell, got %q", got)
	}
}

// TestHighlightAgreesWithChroma: every built-in policy, and a few broken
// ones, get the colours Chroma's JSON lexer would give them, rune by rune.
func TestHighlightAgreesWithChroma(t *testing.T) {
	all, err := tuitest.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{`{"a": [1, -2.5e3, true, null]}`, "{\n  \"Sid\": \"x\\\"y\",\n  \"n\": 1\n}"}
	for _, s := range all {
		for _, p := range s.Policies() {
			texts = append(texts, p.Text)
		}
	}
	theme := newCodeTheme(true, common.NewStyles(true))
	lexer := lexers.Get("json")
	for _, text := range texts {
		want := map[[2]int]sgr{} // line, column → colour
		it, err := lexer.Tokenise(nil, text)
		if err != nil {
			t.Fatal(err)
		}
		line, col := 0, 0
		for tok := it(); tok != chroma.EOF; tok = it() {
			for _, r := range tok.Value {
				if r == '\n' {
					line, col = line+1, 0
					continue
				}
				want[[2]int{line, col}] = theme.style(tok.Type)
				col++
			}
		}
		for i, spans := range highlightJSON(text) {
			for _, sp := range spans {
				for c := sp.start; c < sp.end; c++ {
					if w, ok := want[[2]int{i, c}]; ok && w != theme.style(sp.kind) && sp.kind != chroma.Text {
						t.Fatalf("line %d column %d of\n%s\nis %v, Chroma says otherwise", i+1, c+1, text, sp.kind)
					}
				}
			}
		}
	}
}
