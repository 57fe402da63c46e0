package common

import (
	"regexp"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"

	"iamlab/content"
	"iamlab/scenarios"
)

// TestJSONLexerAgreesWithChroma checks jsonLexer against chroma's own JSON
// lexer (which the app no longer links, for its start-up cost) on every
// built-in policy, every JSON block of the notes and some broken JSON, so
// the editor's and the notes' colours are what they were.
func TestJSONLexerAgreesWithChroma(t *testing.T) {
	texts := []string{`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",, }`, `{"a": [1, -2.5e3, true, null, "x\"y"]}`, `{ "unterminated`, `]]{`}
	scens, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scens {
		for _, p := range s.Policies() {
			texts = append(texts, p.Text)
		}
	}
	fence := regexp.MustCompile("(?s)```json\n(.*?)```")
	for _, n := range lib.Notes {
		for _, m := range fence.FindAllStringSubmatch(n.Body, -1) {
			texts = append(texts, m[1])
		}
	}
	theirs := lexers.Get("json")
	for _, text := range texts {
		got, want := tokens(t, jsonLexer(), text), tokens(t, theirs, text)
		if len(got) != len(want) {
			t.Fatalf("jsonLexer gives %d tokens for %q, chroma's JSON lexer %d", len(got), text, len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("token %d of %q: jsonLexer %v, chroma's JSON lexer %v", i, text, got[i], want[i])
			}
		}
	}
}

func tokens(t *testing.T, l chroma.Lexer, text string) []chroma.Token {
	t.Helper()
	it, err := l.Tokenise(nil, text)
	if err != nil {
		t.Fatal(err)
	}
	return it.Tokens()
}
