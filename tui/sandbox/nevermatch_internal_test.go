package sandbox

import (
	"strings"
	"testing"
)

// The sandbox's explanation of a statement that missed says what lint
// knows: the seed's arn:aws:iam:::role/RDS-* can never match, because its
// account field is empty. Statements are named as everywhere a person
// reads: by Sid.
func TestSandboxExplainsPatternThatCanNeverMatch(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "passrole-rds-prefix")
	hs.press("3")
	selectStep(hs, "launch-rds-app")
	// The explanation sits below AWS's encoded message: scroll through it.
	var seen strings.Builder
	for range 6 {
		seen.WriteString(rightPane(hs.screen()))
		hs.press("ctrl+d")
	}
	screen := strings.Join(strings.Fields(seen.String()), " ")
	for _, want := range []string{`statement "Passrole" (Allow): Resource`, "can never match: its account field is empty"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the explanation of launch-rds-app lacks %q:\n%s", want, seen.String())
		}
	}
}

// rightPane keeps what a screen shows right of the first pane border, so
// wrapped lines of the steps pane join up without the editor's text.
func rightPane(screen string) string {
	var b strings.Builder
	for _, line := range strings.Split(screen, "\n") {
		if _, right, ok := strings.Cut(line, "│"); ok {
			b.WriteString(right + "\n")
		}
	}
	return b.String()
}
