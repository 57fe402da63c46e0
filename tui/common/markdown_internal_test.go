package common

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestJoinSoftBreaks(t *testing.T) {
	t.Parallel()
	in := "# Title\n\nA paragraph\nover two lines.\n\n- item one\n  continues here\n- item two\n\n```json\n{\n  \"a\": 1\n}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhard  \nbreak\n"
	want := "# Title\n\nA paragraph over two lines.\n\n- item one continues here\n- item two\n\n```json\n{\n  \"a\": 1\n}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhard  \nbreak\n"
	if got := joinSoftBreaks(in); got != want {
		t.Errorf("joinSoftBreaks:\n%s\nwant:\n%s", got, want)
	}
}

// joinSoftBreaksByConcat is joinSoftBreaks as it was, joining by string
// concatenation: the reference the faster one must agree with.
func joinSoftBreaksByConcat(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	inFence := false
	for _, l := range lines {
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
			out = append(out, l)
			continue
		}
		if inFence || len(out) == 0 || trimmed == "" || blockStart.MatchString(l) {
			out = append(out, l)
			continue
		}
		prev := out[len(out)-1]
		pt := strings.TrimSpace(prev)
		if pt == "" || strings.HasPrefix(pt, "#") || strings.HasPrefix(pt, "|") || strings.HasPrefix(pt, "```") ||
			strings.HasSuffix(prev, "  ") || strings.HasSuffix(prev, "\\") || strings.HasPrefix(pt, "---") {
			out = append(out, l)
			continue
		}
		out[len(out)-1] = strings.TrimRight(prev, " ") + " " + trimmed
	}
	return strings.Join(out, "\n")
}

// TestJoinSoftBreaksAgrees: on random Markdown made of the lines that
// matter, joinSoftBreaks gives what the concatenating version gave.
func TestJoinSoftBreaksAgrees(t *testing.T) {
	t.Parallel()
	pieces := []string{"text", "more text  ", "ends with \\", "", "  ", "# head", "- item", "1. one", "> quote", "| a | b |",
		"```json", "```", "---", "  indented", "tail ", "x\t", "***", "\t"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var lines []string
		for range rng.IntN(12) {
			lines = append(lines, pieces[rng.IntN(len(pieces))])
		}
		md := strings.Join(lines, "\n")
		if got, want := joinSoftBreaks(md), joinSoftBreaksByConcat(md); got != want {
			t.Fatalf("joinSoftBreaks(%q) =\n%q\nwant\n%q", md, got, want)
		}
	}
}

// BenchmarkJoinSoftBreaks: a 4 MB note (the most iamlab reads from a
// file) of one paragraph, as `iamlab notes` and the notes screen render it
// (issue 12 item 9).
func BenchmarkJoinSoftBreaks(b *testing.B) {
	md := strings.Repeat("a line of a paragraph that goes on\n", 4<<20/35)
	for b.Loop() {
		joinSoftBreaks(md)
	}
}

// TestRenderRefusesHugeText: text over MaxRender is shown as written, with
// an error that names the limit, instead of keeping Glamour busy for
// minutes (issue 12 item 9).
func TestRenderRefusesHugeText(t *testing.T) {
	t.Parallel()
	src := strings.Repeat("```json\n{}\n```\n", MaxRender/15+1)
	lines, err := NewRendererPool().Render(src, 80, true)
	if err == nil || !strings.Contains(err.Error(), "over the 32 KB iamlab renders") {
		t.Errorf("Render(%d KB) error = %v", len(src)>>10, err)
	}
	if len(lines) < 3 || lines[0] != "```json" {
		t.Errorf("Render(%d KB) lines start %q, want the text as written", len(src)>>10, lines[:min(len(lines), 3)])
	}
}

// BenchmarkRenderHugeNote: a 4 MB note of code blocks, refused by size.
func BenchmarkRenderHugeNote(b *testing.B) {
	src := strings.Repeat("```json\n{}\n```\n", 4<<20/15)
	p := NewRendererPool()
	for b.Loop() {
		p.Render(src, 100, true)
	}
}
