package sandbox

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
)

// A call's output shows under its heading as the JSON it is, indented,
// its first 12 lines and then an ellipsis.
func TestExplainOutputFirstLines(t *testing.T) {
	hs := newHarness(t, 100, 40)
	var b strings.Builder
	b.WriteString("{\n")
	for i := range 20 {
		fmt.Fprintf(&b, "  \"Key%d\": %d,\n", i, i)
	}
	b.WriteString("  \"Last\": true\n}")
	lines := hs.s.explainOutcome(&scenarios.Outcome{Result: awscli.Result{Output: b.String()}}, 60)
	got := ansi.Strip(strings.Join(lines, "\n"))
	want := "\nOutput\n  {\n"
	for i := range 11 {
		want += fmt.Sprintf("    \"Key%d\": %d,\n", i, i)
	}
	want += "  …"
	if got != want {
		t.Errorf("explainOutcome(output) =\n%s\nwant\n%s", got, want)
	}
}
