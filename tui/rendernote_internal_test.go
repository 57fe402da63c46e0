package tui

import (
	"bytes"
	"strings"
	"testing"

	"iamlab/content"
)

// TestRenderNoteHuge: a note over the size iamlab renders is written as its
// text, at once, even to a terminal (issue 12 item 9).
func TestRenderNoteHuge(t *testing.T) {
	t.Parallel()
	n := &content.Note{ID: "big", Title: "Big", Body: strings.Repeat("```json\n{}\n```\n", 4<<20/15)}
	var out bytes.Buffer
	if err := RenderNote(&out, n, 100, false); err != nil || !strings.HasPrefix(out.String(), "# Big\n\n```json\n{}\n```\n") {
		t.Errorf("RenderNote(4 MB) = %v, output starts %q", err, out.String()[:min(out.Len(), 40)])
	}
}
