package sandbox

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"iamlab/scenarios"
	"iamlab/tui/common"
)

// BenchmarkSandboxKeystroke is one keystroke in the policy editor of
// assume-role-same-account (6 policies, 8 steps), from the key to the new
// frame at 120×40: the text highlighted, parsed and linted, every step run
// again through Scenario.Run, the steps table and the explanation drawn.
// The keys alternate a space and backspace, so every one re-runs.
func BenchmarkSandboxKeystroke(b *testing.B) {
	hs := newHarness(b, 120, 40)
	openScenario(hs, "assume-role-same-account")
	sc := hs.s.sc
	if len(sc.policies) != 6 || len(sc.s.Steps) != 8 {
		b.Fatalf("scenario has %d policies and %d steps, want 6 and 8", len(sc.policies), len(sc.s.Steps))
	}
	editPolicy(hs, "role/AuditRole/trust")
	hs.press("ctrl+home", "down", "down", "down", "end") // after "Sid": "AccountDecides",
	keys := []tea.KeyPressMsg{keyMsg("space"), keyMsg("backspace")}
	runs := 0
	for b.Loop() {
		before := sc.report
		hs.send(keys[runs%2])
		if v := hs.s.View(); v == "" || sc.report == before {
			b.Fatal("the keystroke did not run the steps and draw a frame")
		}
		runs++
	}
}

// BenchmarkSandboxOpen opens assume-role-same-account from the list and
// draws its first frame, the story rendered by Glamour (renderer built,
// rendering not cached), the steps run as shipped, the policies listed
// and highlighted.
func BenchmarkSandboxOpen(b *testing.B) {
	hs := newHarness(b, 120, 40)
	var it *scenarios.Scenario
	for _, s := range hs.s.all {
		if s.ID == "assume-role-same-account" {
			it = s
		}
	}
	pool := hs.sh.MD.Pool()
	for b.Loop() {
		hs.sh.MD = common.NewMarkdownWith(pool)
		s, cmd := hs.s.open(it)
		*hs.s = s
		hs.run(cmd)
		if v := hs.s.View(); !strings.Contains(v, "AssumeRole") {
			b.Fatal("no first frame")
		}
		hs.s.sc = nil
	}
}
