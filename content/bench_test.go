package content_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"iamlab/content"
)

// largeNote writes a learner's folder holding one note of about size bytes,
// its body made of line repeated.
func largeNote(b *testing.B, size int, line string) string {
	b.Helper()
	dir := b.TempDir()
	body := "---\nid: big\ntitle: Big\n---\n" + strings.Repeat(line, size/len(line))
	if err := os.WriteFile(filepath.Join(dir, "big.md"), []byte(body), 0o600); err != nil {
		b.Fatal(err)
	}
	return dir
}

// benchmarkCheck loads dir and checks it, as `iamlab content check DIR`
// does (issue 12 item 9).
func benchmarkCheck(b *testing.B, dir string) {
	for b.Loop() {
		lib, err := content.LoadDir(dir)
		if lib == nil {
			b.Fatal(err)
		}
		lib.Check(content.Links{})
		_ = lib.PolicyBlocks()
	}
}

// BenchmarkCheckNoteOfLinks: a note of 4 MB (the most iamlab reads from a
// file) of links to other notes.
func BenchmarkCheckNoteOfLinks(b *testing.B) {
	benchmarkCheck(b, largeNote(b, 4<<20-100, "see [x](note:nowhere)\n"))
}

// BenchmarkCheckNoteOfFences: a note of 4 MB of fenced code blocks.
func BenchmarkCheckNoteOfFences(b *testing.B) {
	benchmarkCheck(b, largeNote(b, 4<<20-100, "```json\n{}\n```\n"))
}

// BenchmarkLoadHugeQuestionFile: a 100 MB question file is refused for its
// size before a byte of it is read.
func BenchmarkLoadHugeQuestionFile(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "q.yaml")
	if err := os.WriteFile(path, []byte("- id: x\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.Truncate(path, 100<<20); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := content.LoadDir(dir); err == nil || !strings.Contains(err.Error(), "larger than 4 MB") {
			b.Fatalf("LoadDir = %v, want the file refused for its size", err)
		}
	}
}
