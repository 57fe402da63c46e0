package tui

import (
	"iamlab/tui/common"

	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"iamlab/content"
)

func TestAnswerPick(t *testing.T) {
	t.Parallel()
	q2 := &content.Question{ID: "q2", Choose: 2, Options: []content.Option{{Correct: true}, {}, {Correct: true}, {}, {}}}
	q1 := &content.Question{ID: "q1", Choose: 1, Options: []content.Option{{}, {Correct: true}, {}, {}}}
	tests := []struct {
		name      string
		q         *content.Question
		picks     []int
		want      []int
		wantReady bool
		wantRight bool
		wantHint  string
	}{
		{"one pick of one", q1, []int{1}, []int{1}, true, true, ""},
		{"choose one replaces", q1, []int{0, 2}, []int{2}, true, false, ""},
		{"two right", q2, []int{0, 2}, []int{0, 2}, true, true, ""},
		{"order does not matter", q2, []int{2, 0}, []int{0, 2}, true, true, ""},
		{"one of two", q2, []int{0}, []int{0}, false, false, ""},
		{"third pick refused", q2, []int{0, 1, 2}, []int{0, 1}, true, false, "unpick one first"},
		{"unpick", q2, []int{0, 1, 1, 2}, []int{0, 2}, true, true, ""},
		{"out of range ignored", q2, []int{-1, 9}, nil, false, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newAnswer(tc.q, testStart)
			for _, i := range tc.picks {
				a = a.pick(i)
			}
			if got := a.chosen(); !slices.Equal(got, tc.want) {
				t.Errorf("picks %v: chosen() = %v, want %v", tc.picks, got, tc.want)
			}
			if a.ready() != tc.wantReady || a.correct() != tc.wantRight {
				t.Errorf("picks %v: ready %v right %v, want %v %v", tc.picks, a.ready(), a.correct(), tc.wantReady, tc.wantRight)
			}
			if !strings.Contains(a.hint, tc.wantHint) {
				t.Errorf("picks %v: hint %q, want %q", tc.picks, a.hint, tc.wantHint)
			}
			s := a.submit()
			if s.done != tc.wantReady {
				t.Errorf("picks %v: submit() done = %v, want %v", tc.picks, s.done, tc.wantReady)
			}
		})
	}
}

func TestShareOut(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sizes []int
		n     int
		want  []int
	}{
		{"even", []int{10, 10, 10, 10}, 20, []int{5, 5, 5, 5}},
		{"weighted by size", []int{30, 10, 10}, 10, []int{6, 2, 2}},
		{"largest remainder", []int{5, 5, 5}, 10, []int{4, 3, 3}},
		{"bank smaller than the exam", []int{3, 4, 5, 6}, 65, []int{3, 4, 5, 6}},
		{"empty topics", []int{0, 12, 0, 8}, 5, []int{0, 3, 0, 2}},
		{"nothing", []int{0, 0}, 65, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := shareOut(tc.sizes, tc.n)
			if !slices.Equal(got, tc.want) {
				t.Errorf("shareOut(%v, %d) = %v, want %v", tc.sizes, tc.n, got, tc.want)
			}
			sum, total := 0, 0
			for i := range got {
				sum += got[i]
				total += tc.sizes[i]
				if got[i] > tc.sizes[i] {
					t.Errorf("share %d of pool %d exceeds its %d", got[i], i, tc.sizes[i])
				}
			}
			if sum != min(tc.n, total) {
				t.Errorf("shares sum to %d, want %d", sum, min(tc.n, total))
			}
		})
	}
}

// TestDrawExamAcrossTopics: every topic of the bank gives questions to a
// full attempt, and two attempts draw different questions (issue 13, Exams).
func TestDrawExamAcrossTopics(t *testing.T) {
	t.Parallel()
	lib := library(t)
	for _, e := range content.Exams() {
		pools := topicPools(lib, e)
		one := drawExam(lib, e, 20, rand.New(rand.NewPCG(1, 2)))
		two := drawExam(lib, e, 20, rand.New(rand.NewPCG(3, 4)))
		topics := map[string]bool{}
		for _, q := range one {
			topics[q.Topic] = true
		}
		if len(pools) >= 20 && len(topics) < 15 || len(topics) < min(len(pools), 20)*3/4 {
			t.Errorf("drawExam(%s, 20) covers %d of the bank's %d topics", e.Code, len(topics), len(pools))
		}
		same := 0
		for _, q := range one {
			if slices.Contains(two, q) {
				same++
			}
		}
		if same == len(one) {
			t.Errorf("two draws of %s hold the same %d questions", e.Code, same)
		}
	}
}

func TestDrawExam(t *testing.T) {
	t.Parallel()
	lib := library(t)
	for _, e := range content.Exams() {
		for _, n := range examLengths {
			qs := drawExam(lib, e, n, rand.New(rand.NewPCG(1, 2)))
			seen := map[string]bool{}
			for _, q := range qs {
				if seen[q.ID] {
					t.Errorf("drawExam(%s, %d) draws %s twice", e.Code, n, q.ID)
				}
				seen[q.ID] = true
				if q.Domains[e.Code] == "" {
					t.Errorf("drawExam(%s, %d) drew %s, which has no %s domain", e.Code, n, q.ID, e.Code)
				}
			}
			if len(qs) > n || len(qs) == 0 {
				t.Errorf("drawExam(%s, %d) drew %d", e.Code, n, len(qs))
			}
		}
	}
}

func TestScoreExam(t *testing.T) {
	t.Parallel()
	dva, _ := content.ExamByCode("DVA-C02")
	q := func(dom string, right bool) examItem {
		qq := &content.Question{Choose: 1, Options: []content.Option{{Correct: true}, {}}, Domains: map[string]string{"DVA-C02": dom}}
		a := newAnswer(qq, testStart)
		if right {
			a = a.pick(0)
		} else {
			a = a.pick(1)
		}
		return examItem{ans: a}
	}
	items := []examItem{q("Security", true), q("Security", true), q("Deployment", false), q("Deployment", true)}
	r := scoreExam(dva, items)
	if r.right != 3 || r.score != 775 || !r.passed {
		t.Errorf("scoreExam = %d right, score %d, passed %v; want 3, 775, true", r.right, r.score, r.passed)
	}
	if d := r.domains[1]; d.name != "Security" || d.right != 2 || d.total != 2 {
		t.Errorf("Security domain = %+v", d)
	}
	if r := scoreExam(dva, items[2:3]); r.score != 100 || r.passed {
		t.Errorf("all wrong scores %d passed %v, want 100 false", r.score, r.passed)
	}
	if d := examDuration(dva, 10); d != 20*time.Minute {
		t.Errorf("examDuration(DVA-C02, 10) = %v, want 20m", d)
	}
	if d := examDuration(dva, 65); d != 130*time.Minute {
		t.Errorf("examDuration(DVA-C02, 65) = %v, want 130m", d)
	}
}

func TestPagerFind(t *testing.T) {
	t.Parallel()
	st := common.NewStyles(true)
	var p pager
	p.setSize(40, 3)
	p.setLines([]string{st.Title.Render("Deny wins"), "an explicit deny", "", "allow", "DENY again", "end"})
	if n := p.find("deny"); n != 3 {
		t.Fatalf("find(deny) = %d, want 3", n)
	}
	if m := p.matches[1]; m != (match{1, 12, 16}) {
		t.Errorf("second hit = %+v, want line 1 cells 12–16", m)
	}
	p.next(1)
	p.next(1)
	if p.current != 2 || p.offset == 0 {
		t.Errorf("after two next: hit %d offset %d", p.current, p.offset)
	}
	p.next(1)
	if p.current != 0 {
		t.Errorf("next wraps to hit 0, got %d", p.current)
	}
	if got := ansiStrip(p.view(st)); !strings.Contains(got, "Deny wins") {
		t.Errorf("view lost the text: %q", got)
	}
	p.bottom()
	if p.offset != 3 || p.percent() != 100 {
		t.Errorf("bottom: offset %d percent %d", p.offset, p.percent())
	}
}

func TestRenderNote(t *testing.T) {
	lib := library(t)
	n, _ := lib.Note("policy-evaluation")
	var plain bytes.Buffer
	if err := RenderNote(&plain, n, 80, true); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(plain.String(), "# "+n.Title+"\n\n") || !strings.Contains(plain.String(), "```json") || strings.Contains(plain.String(), "\x1b[") {
		t.Errorf("plain RenderNote should be the Markdown text:\n%.300s", plain.String())
	}
	t.Setenv("NO_COLOR", "")
	var styled bytes.Buffer
	if err := RenderNote(&styled, n, 60, false); err != nil {
		t.Fatal(err)
	}
	out := styled.String()
	if !strings.Contains(out, "\x1b[") || strings.Contains(out, "```") {
		t.Fatalf("RenderNote should render Markdown with colour:\n%.300s", out)
	}
	// Chroma colours the JSON: a key such as "Effect" sits in its own
	// colour sequence.
	if !strings.Contains(out, "\"Effect\"\x1b[") && !strings.Contains(out, "m\"Effect\"") {
		t.Errorf("JSON keys are not highlighted:\n%q", out[strings.Index(out, "Effect")-40:][:80])
	}
	for _, l := range strings.Split(ansiStrip(out), "\n") {
		if w := width(l); w > 60 && !strings.Contains(l, "arn:") {
			t.Errorf("line wider than 60: %q", l)
		}
	}
	t.Setenv("NO_COLOR", "1")
	var nocolor bytes.Buffer
	if err := RenderNote(&nocolor, n, 60, false); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(nocolor.String(), "\x1b[38") {
		t.Error("NO_COLOR output still has colours")
	}
}

// TestProgram runs the real program loop, as a new user would: the home
// screen appears, ? shows the help, q leaves.
func TestProgram(t *testing.T) {
	a := New(Deps{Library: library(t), Progress: newMemProgress(), Now: func() time.Time { return testStart }})
	tm := teatest.NewTestModel(t, a, teatest.WithInitialTermSize(80, 24),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	waitFor := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	waitFor("Spaced repetition")
	tm.Type("?")
	waitFor("suspend")
	tm.Type("q")
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	if a.fatal != nil {
		t.Fatal(a.fatal)
	}
}

// After the answer, a keyed option shows the scenario run that proves it:
// what `iamlab content check` ran against the engine.
func TestRevealShowsTheEngineEvidence(t *testing.T) {
	q := &content.Question{ID: "q", Choose: 1, Scenario: "instance-role-removed", Options: []content.Option{
		{Text: "reads work", Why: "public read", Correct: true, Check: content.Probes{{Step: "read-without-role", Outcome: "Allow"}}},
		{Text: "the role lingers", Why: "no", Check: content.Probes{{Step: "write-without-role", Outcome: "Allow"}}},
	}}
	a := newAnswer(q, time.Time{}).pick(0).submit()
	got := ansi.Strip(strings.Join(layoutQuestion(common.NewStyles(true), &content.Library{}, []string{"q"}, a, 100, true, false, false).lines, "\n"))
	if !strings.Contains(got, "▸ in instance-role-removed, step read-without-role gives Allow") {
		t.Errorf("the keyed option's evidence is missing:\n%s", got)
	}
	if strings.Contains(got, "write-without-role") {
		t.Errorf("a wrong option's claim is shown as if it held:\n%s", got)
	}
}

// Evidence that wraps breaks at spaces, never inside a scenario's or a
// step's name, and stays within the width: its lines hang under the text
// after the ▸.
func TestRevealEvidenceWrapsWithinWidth(t *testing.T) {
	q := &content.Question{ID: "q", Choose: 1, Scenario: "a-scenario-with-a-rather-long-name", Options: []content.Option{
		{Text: "reads work", Why: "public read", Correct: true, Check: content.Probes{{Step: "read-without-the-instance-role-x", Outcome: "Allow"}}},
	}}
	a := newAnswer(q, time.Time{}).pick(0).submit()
	const width = 50
	lines := layoutQuestion(common.NewStyles(true), &content.Library{}, []string{"q"}, a, width, true, false, false).lines
	var evidence []string
	for _, l := range lines {
		l = ansi.Strip(l)
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("line %q is %d cells wide, over %d", l, w, width)
		}
		if strings.Contains(l, "▸") || len(evidence) > 0 && strings.HasPrefix(l, strings.Repeat(" ", 13)) {
			evidence = append(evidence, strings.TrimSpace(l))
		}
	}
	if got := strings.Join(evidence, " "); got != "▸ in a-scenario-with-a-rather-long-name, step read-without-the-instance-role-x gives Allow" {
		t.Errorf("the evidence reads %q", got)
	}
}

// Options are plain text with `code` spans: the backticks go, and a span
// that wraps onto the next line stays code there.
func TestOptionCodeSpans(t *testing.T) {
	plain, code := lipgloss.NewStyle(), lipgloss.NewStyle().Bold(true)
	inCode := false
	got := []string{
		codeSpans("Allow `s3:GetObject` on `arn:aws:s3:::b/*", plain, code, &inCode),
		"",
	}
	if !inCode {
		t.Fatal("an open span should carry to the next line")
	}
	got[1] = codeSpans("x` only", plain, code, &inCode)
	want := []string{"Allow " + code.Render("s3:GetObject") + " on " + code.Render("arn:aws:s3:::b/*"), code.Render("x") + " only"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
	if inCode {
		t.Error("the span closed on the second line")
	}
}
