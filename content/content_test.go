package content_test

import (
	"testing"

	"iamlab/content"
)

func TestBuiltinLoads(t *testing.T) {
	t.Parallel()
	lib, err := content.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	if len(lib.Notes) < 12 {
		t.Errorf("%d notes, want at least 12", len(lib.Notes))
	}
	if len(lib.Questions) < 100 {
		t.Errorf("%d questions, want at least 100", len(lib.Questions))
	}
	if ps := lib.Check(content.Links{}); len(ps) > 0 {
		t.Errorf("Check:\n%v", ps)
	}
}
