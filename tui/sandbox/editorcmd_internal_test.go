package sandbox

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestEditorArgs: $EDITOR is split as a shell splits it (issue 12 item 17).
func TestEditorArgs(t *testing.T) {
	t.Setenv("IAMLAB_TEST_EDITOR_DIR", "/opt/eds")
	tests := []struct {
		editor string
		want   []string
	}{
		{"vim", []string{"vim"}},
		{"code --wait", []string{"code", "--wait"}},
		{`'/Applications/My Editor/ed' --wait`, []string{"/Applications/My Editor/ed", "--wait"}},
		{`"/opt/my editor/ed" -n`, []string{"/opt/my editor/ed", "-n"}},
		{`/opt/my\ editor/ed`, []string{"/opt/my editor/ed"}},
		{`$IAMLAB_TEST_EDITOR_DIR/ed`, []string{"/opt/eds/ed"}},
		{"  ", []string{"vi"}},
	}
	for _, tc := range tests {
		got, err := editorArgs(tc.editor)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("editorArgs(%q) = %q, %v, want %q", tc.editor, got, err, tc.want)
		}
	}
	for _, bad := range []string{`'unclosed`, `ed $(rm -rf /tmp/x)`} {
		if _, err := editorArgs(bad); err == nil {
			t.Errorf("editorArgs(%q) succeeded", bad)
		}
	}
}

// TestPolicyEditWithSpaceInPath: an editor whose path has a space runs, with
// no shell in between, and its change comes back.
func TestPolicyEditWithSpaceInPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "my editor")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(dir, "ed.sh")
	// The editor replaces the file's text with its first argument.
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > \"$2\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	pe := &policyEdit{editor: `'` + script + `' '{"Statement": []}'`, name: "bucket/b", text: "old"}
	if err := pe.Run(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if strings.TrimSpace(pe.text) != `{"Statement": []}` {
		t.Errorf("text back from the editor = %q", pe.text)
	}
}
