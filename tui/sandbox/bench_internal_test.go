package sandbox

import (
	"strings"
	"testing"

	"iamlab/scenarios"
	"iamlab/tui/common"
	"iamlab/tui/internal/tuitest"
)

// BenchmarkSandboxKeystroke is one keystroke in the policy editor of
// assume-role-same-account (6 policies, 8 steps), from the key to the new
// frame at 120×40: the text highlighted, parsed and linted, every step run
// again, the steps table and the explanation drawn. Each key types one more
// space after "Sid": "AccountDecides",, so every text is new: none is
// served from a cache of parsed texts.
func BenchmarkSandboxKeystroke(b *testing.B) {
	hs := newHarness(b, 120, 40)
	openScenario(hs, "assume-role-same-account")
	sc := hs.s.sc
	if len(sc.policies) != 6 || len(sc.s.Steps) != 8 {
		b.Fatalf("scenario has %d policies and %d steps, want 6 and 8", len(sc.policies), len(sc.s.Steps))
	}
	editPolicy(hs, "role/AuditRole/trust")
	hs.press("ctrl+home", "down", "down", "down", "end") // after "Sid": "AccountDecides",
	benchTyping(b, hs)
}

// BenchmarkSandboxKeystrokeEvery is BenchmarkSandboxKeystroke in every
// built-in scenario, typing in the first policy its challenge names, or
// its first policy: the budget is 5 ms for the worst of them.
func BenchmarkSandboxKeystrokeEvery(b *testing.B) {
	all, err := tuitest.Scenarios()
	if err != nil {
		b.Fatal(err)
	}
	for _, it := range all {
		b.Run(it.ID, func(b *testing.B) {
			hs := newHarness(b, 120, 40)
			cmd := hs.s.openByID(it.ID)
			hs.run(cmd)
			hs.press("2", "e", "ctrl+home", "end") // after the opening {
			if !hs.s.Editing() {
				b.Fatal("e did not start the editor")
			}
			benchTyping(b, hs)
		})
	}
}

// benchTyping types a space per iteration where the editor's cursor is,
// and fails unless each one ran the steps again and drew a frame. Beside
// the wall time it reports the process's CPU time per keystroke, which a
// busy machine does not inflate.
func benchTyping(b *testing.B, hs *harness) {
	sc := hs.s.sc
	key := keyMsg("space")
	cpu := processCPU()
	for b.Loop() {
		before := sc.ws.Report()
		hs.send(key)
		if v := hs.s.View(); v == "" || sc.ws.Report() == before {
			b.Fatal("the keystroke did not run the steps and draw a frame")
		}
	}
	if used := processCPU() - cpu; used > 0 {
		b.ReportMetric(float64(used.Nanoseconds())/float64(b.N), "cpu-ns/op")
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
		cmd := hs.s.open(it)
		hs.run(cmd)
		if v := hs.s.View(); !strings.Contains(v, "AssumeRole") {
			b.Fatal("no first frame")
		}
		hs.s.sc = nil
	}
}
