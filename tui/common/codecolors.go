package common

import (
	"sync"

	"github.com/alecthomas/chroma/v2"
)

// Code colours without chroma's lexers and styles packages: their package
// init parses every embedded lexer and style (about 20 ms before main runs,
// GODEBUG=inittrace=1), and iamlab only ever highlights JSON. The Glamour
// copy in third_party/glamour highlights notes' code blocks over what
// markdown.go registers from here; the sandbox's editor takes its colours
// from PolicyCodeStyle.

// jsonLexer tokenises JSON as chroma's own JSON lexer does (MIT; the same
// states and token types), so object keys are NameTag and values keep their
// literal types. What it cannot read comes out as Error tokens.
var jsonLexer = sync.OnceValue(func() chroma.Lexer {
	return chroma.MustNewLexer(&chroma.Config{
		Name:         "JSON",
		Aliases:      []string{"json"},
		DotAll:       true,
		NotMultiline: true,
	}, jsonRules)
})

func jsonRules() chroma.Rules {
	const str = `"(\\\\|\\"|[^"])*"`
	return chroma.Rules{
		"root":       {chroma.Include("value")},
		"whitespace": {{Pattern: `\s+`, Type: chroma.Text}},
		"simplevalue": {
			{Pattern: `(true|false|null)\b`, Type: chroma.KeywordConstant},
			{Pattern: `-?(0|[1-9]\d*)(\.\d+[eE](\+|-)?\d+|[eE](\+|-)?\d+|\.\d+)`, Type: chroma.LiteralNumberFloat},
			{Pattern: `-?(0|[1-9]\d*)`, Type: chroma.LiteralNumberInteger},
			{Pattern: str, Type: chroma.LiteralStringDouble},
		},
		"objectattribute": {
			chroma.Include("value"),
			{Pattern: `:`, Type: chroma.Punctuation},
			{Pattern: `,`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
			{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(2)},
		},
		"objectvalue": {
			chroma.Include("whitespace"),
			{Pattern: str, Type: chroma.NameTag, Mutator: chroma.Push("objectattribute")},
			{Pattern: `\}`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
		},
		"arrayvalue": {
			chroma.Include("whitespace"),
			chroma.Include("value"),
			{Pattern: `,`, Type: chroma.Punctuation},
			{Pattern: `\]`, Type: chroma.Punctuation, Mutator: chroma.Pop(1)},
		},
		"value": {
			chroma.Include("whitespace"),
			chroma.Include("simplevalue"),
			{Pattern: `\{`, Type: chroma.Punctuation, Mutator: chroma.Push("objectvalue")},
			{Pattern: `\[`, Type: chroma.Punctuation, Mutator: chroma.Push("arrayvalue")},
		},
	}
}

// PolicyCodeStyle is GitHub's light or dark colours for the token types
// JSON has, as chroma's "github" and "github-dark" styles give them.
func PolicyCodeStyle(dark bool) *chroma.Style {
	if dark {
		return chroma.MustNewStyle("policy-dark", chroma.StyleEntries{
			chroma.Text: "#e6edf3", chroma.Punctuation: "#e6edf3", chroma.NameTag: "#7ee787",
			chroma.LiteralString: "#a5d6ff", chroma.LiteralNumber: "#a5d6ff",
			chroma.KeywordConstant: "#79c0ff", chroma.Error: "#f85149",
		})
	}
	return chroma.MustNewStyle("policy-light", chroma.StyleEntries{
		chroma.Punctuation: "#1f2328", chroma.NameTag: "#0550ae",
		chroma.LiteralString: "#0a3069", chroma.LiteralNumber: "#0550ae",
		chroma.KeywordConstant: "#cf222e", chroma.Error: "#f6f8fa bg:#82071e",
	})
}
