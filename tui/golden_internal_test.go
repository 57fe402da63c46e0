package tui

import (
	"fmt"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/golden"

	"iamlab/content"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// goldenCases put the app in each screen's states. Each is drawn at 80×24
// and 120×40, colours stripped, and compared with
// testdata/TestGolden/<name>_<size>.golden (go test ./tui -update rewrites
// them).
var goldenCases = []struct {
	name  string
	seed  bool
	setup func(hs *harness)
}{
	{"home_new", false, func(hs *harness) {}},
	{"home", true, func(hs *harness) {}},
	{"home_banner", false, nil},
	{"help", true, func(hs *harness) { hs.press("?") }},
	{"notes_list", false, func(hs *harness) { hs.press("n") }},
	{"notes_filter", false, func(hs *harness) { hs.press("n", "/"); hs.typeText("fed") }},
	{"notes_reader", false, func(hs *harness) { hs.press("n", "j", "j", "j", "j", "j", "j", "j", "enter") }},
	{"notes_reader_scrolled", false, func(hs *harness) { hs.press("n", "j", "j", "j", "j", "j", "j", "j", "enter", "f", "j", "j") }},
	{"notes_search", false, func(hs *harness) {
		hs.press("n", "j", "j", "j", "j", "j", "j", "j", "enter", "/")
		hs.typeText("deny")
		hs.press("enter", "n")
	}},
	{"notes_scenarios", false, func(hs *harness) { hs.press("n", "j", "j", "j", "j", "j", "j", "j", "j", "j", "enter", "s") }},
	{"notes_light", false, func(hs *harness) {
		hs.send(tea.BackgroundColorMsg{Color: color.White})
		hs.press("n", "enter")
	}},
	{"quiz_question", false, func(hs *harness) { hs.press("u") }},
	{"quiz_answered", false, func(hs *harness) {
		hs.press("u")
		for hs.app.quiz.pane.ans.q.Choose != 1 {
			hs.press("s")
		}
		hs.press(wrongKey(hs.app.quiz.pane.ans.q), "enter")
	}},
	{"quiz_choose_two", false, func(hs *harness) {
		hs.press("u")
		q := findQuestion(hs.tb, func(q *content.Question) bool { return q.Choose == 2 })
		hs.app.quiz.deck, hs.app.quiz.pos = []*content.Question{q}, 0
		hs.app.quiz.showCurrent()
		hs.send(refreshMsg{})
		hs.press(correctKeys(q)[0])
	}},
	{"quiz_filter", false, func(hs *harness) { hs.press("u", "/", "l", "l", "j", "l", "j", "l") }},
	{"exam_setup", false, func(hs *harness) { hs.press("e") }},
	{"exam_running", false, func(hs *harness) { hs.press("e", "h", "h", "enter", "b", "m") }},
	{"exam_map", false, func(hs *harness) { hs.press("e", "h", "h", "enter", "b", "n", "m", "tab", "l") }},
	{"exam_confirm", false, func(hs *harness) { hs.press("e", "h", "h", "enter", "b", "S") }},
	{"exam_results", false, func(hs *harness) {
		hs.press("e", "h", "h", "enter")
		answerExam(hs, 6)
		hs.press("S", "y")
	}},
	{"exam_timeout", false, func(hs *harness) {
		hs.press("e", "h", "h", "enter", "a")
		hs.clock.advance(21 * time.Minute)
		hs.send(examTickMsg{gen: hs.app.exam.gen})
	}},
	{"exam_review", false, func(hs *harness) {
		hs.press("e", "h", "h", "enter", "a", "S", "y", "r", "n")
	}},
	{"review_empty", false, func(hs *harness) { hs.press("r") }},
	{"review_question", true, func(hs *harness) { hs.press("r") }},
	{"review_rating", true, func(hs *harness) { hs.press("r", "a", "enter") }},
	{"review_leech", false, func(hs *harness) {
		q := findQuestion(hs.tb, func(q *content.Question) bool { return q.Scenario != "" && q.Choose == 1 })
		for i := range leechAt {
			_ = hs.prog.RecordAnswer(store.Answer{QuestionID: q.ID, Topic: q.Topic, Domains: q.Domains,
				At: testStart.Add(-time.Duration(leechAt-i) * 24 * time.Hour), Rating: srs.Again})
		}
		hs.press("r")
	}},
	{"progress_topics", true, func(hs *harness) { hs.press("p") }},
	{"progress_domains", true, func(hs *harness) { hs.press("p", "tab") }},
	{"progress_due", true, func(hs *harness) { hs.press("p", "tab", "tab") }},
	{"progress_calendar", true, func(hs *harness) { hs.press("p", "tab", "tab", "tab") }},
	{"progress_history", true, func(hs *harness) {
		hs.press("e", "h", "h", "enter", "a", "S", "y", "esc", "p", "shift+tab")
	}},
	{"sandbox", false, func(hs *harness) { hs.press("s") }},
	{"sandbox_filtered", true, func(hs *harness) { hs.press("s", "d", "d") }},
	{"sandbox_scenario", false, func(hs *harness) { openScenario(hs, "instance-role-removed") }},
	{"sandbox_policies", false, func(hs *harness) { openScenario(hs, "instance-role-removed"); hs.press("2") }},
	{"sandbox_edited", false, func(hs *harness) {
		openScenario(hs, "instance-role-removed")
		editChallengePolicy(hs, "bucket/my-bucket")
		removeReadStatement(hs)
	}},
	{"sandbox_edited_steps", false, func(hs *harness) {
		openScenario(hs, "instance-role-removed")
		editChallengePolicy(hs, "bucket/my-bucket")
		removeReadStatement(hs)
		hs.press("esc", "3")
	}},
	{"sandbox_invalid", false, func(hs *harness) {
		openScenario(hs, "instance-role-removed")
		editChallengePolicy(hs, "bucket/my-bucket")
		hs.press("down", "down", "down", "end")
		hs.typeText("x")
	}},
	{"sandbox_versions", false, func(hs *harness) {
		openScenario(hs, "boundary-caps-admin")
		editChallengePolicy(hs, "policy/DevBoundary")
		hs.press("down", "down", "down", "down", "end", "left", "left")
		hs.typeText("2")
		hs.press("ctrl+s", "esc", "V")
	}},
	{"sandbox_challenge", false, func(hs *harness) { openScenario(hs, "instance-role-removed"); hs.press("5", "h") }},
	{"sandbox_console", false, func(hs *harness) {
		openScenario(hs, "mfa-get-session-token")
		hs.press("4")
		hs.typeText("aws sts get-caller-identity")
		hs.press("enter")
		hs.typeText("aws sts get-se")
		hs.press("tab")
	}},
	{"sandbox_quit_confirm", false, func(hs *harness) {
		openScenario(hs, "boundary-caps-admin")
		editChallengePolicy(hs, "policy/DevBoundary")
		hs.typeText(" ")
		hs.press("esc", "q")
	}},
	{"quit_saving", false, func(hs *harness) { hs.press("e", "h", "h", "enter", "q") }},
	{"mouse_off", false, func(hs *harness) { hs.press("v") }},
}

// answerExam answers the first n questions of the running exam rightly,
// moving on after each.
func answerExam(hs *harness, n int) {
	for i := 0; i < n && i < len(hs.app.exam.items); i++ {
		hs.press(correctKeys(hs.app.exam.items[hs.app.exam.cur].ans.q)...)
		hs.press("n")
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		for _, size := range [][2]int{{80, 24}, {120, 40}} {
			t.Run(fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1]), func(t *testing.T) {
				var opts []harnessOpt
				if tc.setup == nil {
					opts = append(opts, withNotices("The progress store was damaged and set aside as /home/me/.local/state/iamlab/progress.db.broken-1."))
				}
				hs := newHarness(t, size[0], size[1], opts...)
				if tc.seed {
					hs.seed(t)
					hs.send(shownMsg{})
				}
				if tc.setup != nil {
					tc.setup(hs)
				}
				hs.checkShape()
				golden.RequireEqual(t, hs.screen())
			})
		}
	}
}

func TestTooSmall(t *testing.T) {
	for _, size := range [][2]int{{79, 24}, {80, 23}, {40, 10}, {1, 1}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			hs := newHarness(t, size[0], size[1])
			if got := hs.screen(); !strings.Contains(got, "Terminal too small") && size[0] > 30 {
				t.Errorf("View() at %dx%d = %q, want the too-small message", size[0], size[1], got)
			}
			// Keys do not act on the hidden screen: only quit and resize do.
			hs.press("n", "j", "enter", "?", "v", "esc")
			if hs.active() != homeID || hs.app.showHelp || !hs.app.mouse || hs.app.home.cursor != 0 {
				t.Errorf("keys acted on the hidden screen: active %v, help %v, mouse %v, home cursor %d",
					hs.active(), hs.app.showHelp, hs.app.mouse, hs.app.home.cursor)
			}
			hs.resize(100, 30)
			if got := hs.screen(); strings.Contains(got, "too small") || !strings.Contains(got, "Spaced repetition") {
				t.Errorf("View() after growing should be the home screen:\n%s", got)
			}
			hs.checkShape()
			hs.resize(size[0], size[1])
			hs.press("q")
			if !hs.quit {
				t.Error("q on the too-small screen did not quit")
			}
		})
	}
	t.Run("golden", func(t *testing.T) {
		hs := newHarness(t, 60, 20)
		golden.RequireEqual(t, hs.screen())
	})
}

func TestViewFields(t *testing.T) {
	hs := newHarness(t, 80, 24)
	v := hs.app.View()
	if !v.AltScreen || v.MouseMode != tea.MouseModeCellMotion || !strings.Contains(v.WindowTitle, "Home") {
		t.Errorf("View() = AltScreen %v, MouseMode %v, WindowTitle %q; want alt screen, cell motion, Home", v.AltScreen, v.MouseMode, v.WindowTitle)
	}
	hs.press("v")
	if v := hs.app.View(); v.MouseMode != tea.MouseModeNone {
		t.Errorf("after v, MouseMode = %v, want none (so text can be selected)", v.MouseMode)
	}
}
