package ansi

import (
	"html"
	"strings"
)

// RenderContext holds the current rendering options and state.
type RenderContext struct {
	options Options

	blockStack *BlockStack
	table      *TableElement
}

// NewRenderContext returns a new RenderContext.
func NewRenderContext(options Options) RenderContext {
	return RenderContext{
		options:    options,
		blockStack: &BlockStack{},
		table:      &TableElement{},
	}
}

// SanitizeHTML sanitizes HTML content.
//
// iamlab: tags are dropped and their text kept, as bluemonday's strict
// policy did upstream, without linking bluemonday (its CSS and HTML
// packages cost several milliseconds of package init before main).
func (ctx RenderContext) SanitizeHTML(s string, trimSpaces bool) string {
	s = stripTags(s)
	if trimSpaces {
		s = strings.TrimSpace(s)
	}

	return html.UnescapeString(s)
}

// stripTags removes HTML tags and comments, and the contents of script and
// style elements.
func stripTags(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		lower := strings.ToLower(s)
		switch {
		case strings.HasPrefix(lower, "<!--"):
			end := strings.Index(s, "-->")
			if end < 0 {
				return b.String()
			}
			s = s[end+3:]
		case strings.HasPrefix(lower, "<script"), strings.HasPrefix(lower, "<style"):
			name := "</script"
			if strings.HasPrefix(lower, "<style") {
				name = "</style"
			}
			end := strings.Index(lower, name)
			if end < 0 {
				return b.String()
			}
			s = s[end:]
			if gt := strings.IndexByte(s, '>'); gt >= 0 {
				s = s[gt+1:]
			} else {
				return b.String()
			}
		default:
			gt := strings.IndexByte(s, '>')
			if gt < 0 {
				b.WriteString(s) // a lone "<" is text
				return b.String()
			}
			s = s[gt+1:]
		}
	}
	return b.String()
}
