package learnerfile_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"iamlab/internal/learnerfile"
)

// TestReadFile: only a regular file of at most MaxSize is read; anything
// else is refused at once with its path and the reason in words, and a
// named pipe never blocks.
func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	os.WriteFile(path("ok.md"), []byte("hello"), 0o600)
	os.WriteFile(path("big.md"), nil, 0o600)
	os.Truncate(path("big.md"), learnerfile.MaxSize+1)
	syscall.Mkfifo(path("pipe.md"), 0o600)
	os.Symlink("/dev/zero", path("zero.md"))
	os.Symlink("nowhere.md", path("dangling.md"))
	os.Symlink("ok.md", path("link.md"))
	os.Mkdir(path("dir.md"), 0o700)
	tests := []struct{ name, want string }{
		{"ok.md", ""},
		{"link.md", ""},
		{"big.md", "larger than 4 MB"},
		{"pipe.md", "not a regular file (a named pipe)"},
		{"zero.md", "not a regular file (a character device)"},
		{"dangling.md", "a link that leads nowhere readable: does not exist"},
		{"dir.md", "not a regular file (a folder)"},
		{"missing.md", "does not exist"},
	}
	for _, tc := range tests {
		src, err := learnerfile.ReadFile(path(tc.name))
		switch {
		case tc.want == "" && (err != nil || string(src) != "hello"):
			t.Errorf("ReadFile(%s) = %q, %v", tc.name, src, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), path(tc.name)+": "+tc.want)):
			t.Errorf("ReadFile(%s) error = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestDecodeYAML: a byte-order mark is skipped, a second document is an
// error at its line, an empty file is no document.
func TestDecodeYAML(t *testing.T) {
	t.Parallel()
	if doc, err := learnerfile.DecodeYAML([]byte("\xef\xbb\xbfa: 1\n")); err != nil || len(doc.Content) != 1 {
		t.Errorf("DecodeYAML(BOM) = %v, %v", doc, err)
	}
	if _, err := learnerfile.DecodeYAML([]byte("a: 1\n---\nb: 2\n")); err == nil || !strings.Contains(err.Error(), "line 2: a second YAML document starts here") {
		t.Errorf("DecodeYAML(two documents) error = %v", err)
	}
	if doc, err := learnerfile.DecodeYAML(nil); err != nil || len(doc.Content) != 0 {
		t.Errorf("DecodeYAML(empty) = %v, %v", doc, err)
	}
}
