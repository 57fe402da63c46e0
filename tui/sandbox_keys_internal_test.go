package tui

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"iamlab/tui/internal/tuitest"
)

// The sandbox driven through the app by keys alone, as the golden files
// and the quit question need; tui/sandbox tests the screen itself.

// openScenario goes to the sandbox and opens a scenario by filtering the
// list for its id.
func openScenario(hs *harness, id string) {
	hs.tb.Helper()
	hs.press("s", "/")
	hs.typeText(id)
	hs.press("enter", "enter")
	if got := hs.app.sandbox.OpenID(); got != id {
		hs.tb.Fatalf("scenario %s did not open:\n%s", id, hs.screen())
	}
}

// editChallengePolicy opens the editor on the policy the open scenario's
// challenge names first: the Policies pane starts on it.
func editChallengePolicy(hs *harness, addr string) {
	hs.tb.Helper()
	hs.press("2", "e")
	if !hs.app.sandbox.Editing() || !strings.Contains(hs.screen(), addr) {
		hs.tb.Fatalf("e did not start the editor on %s:\n%s", addr, hs.screen())
	}
}

func removeReadStatement(hs *harness) { tuitest.RemoveReadStatement(hs.press) }

// TestQuitAsksForSandboxEdits: quitting with a managed policy edited but
// not saved as a version asks first; s saves the versions, writes and quits.
func TestQuitAsksForSandboxEdits(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "boundary-caps-admin")
	editChallengePolicy(hs, "policy/DevBoundary")
	hs.press("ctrl+home", "down", "down", "down", "down", "end", "left", "left")
	hs.typeText("XY")
	hs.press("esc", "q")
	if hs.quit || !strings.Contains(hs.screen(), "You have edits not saved as a version") {
		t.Fatalf("q with unsaved edits should ask:\n%s", hs.screen())
	}
	hs.press("n")
	if hs.app.confirmQuit {
		t.Fatal("n should cancel")
	}
	hs.press("q", "s")
	if !hs.quit {
		t.Fatal("s should save and quit")
	}
	var st struct {
		Versions map[string][]struct{ Text string }
	}
	if err := json.Unmarshal(hs.prog.States["boundary-caps-admin"], &st); err != nil {
		t.Fatal(err)
	}
	if vs := st.Versions["policy/DevBoundary"]; len(vs) != 2 || !strings.Contains(vs[1].Text, "DevBucketsXY") {
		t.Errorf("the saved state's versions are %+v", vs)
	}
}

// TestSandboxHelpListsEditorAndConsoleKeys: in an open scenario, ? lists
// what the keys do in the editor and at the console's prompt, where ?
// itself types a character (issue 13, app item 8).
func TestSandboxHelpListsEditorAndConsoleKeys(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "boundary-caps-admin")
	hs.press("2", "?")
	s := hs.screen()
	for _, want := range []string{"ctrl+s", "ctrl+z", "undo (not suspend)", "ctrl+o", "act as the session", "ctrl+t", "console: complete"} {
		if !strings.Contains(s, want) {
			t.Errorf("the help lacks %q:\n%s", want, s)
		}
	}
}

// Quitting the app while the sandbox serves a scenario (S) stops the
// endpoint: its port no longer answers and its AWS CLI files are gone.
func TestQuitStopsServing(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "instance-role-removed")
	hs.press("S")
	screen := hs.screen()
	host := regexp.MustCompile(`Serving this scenario at http://(127\.0\.0\.1:\d+)`).FindStringSubmatch(screen)
	env := regexp.MustCompile(`\. (/\S+/env)`).FindStringSubmatch(screen)
	if host == nil || env == nil {
		t.Fatalf("S shows no endpoint or env file:\n%s", screen)
	}
	c, err := net.DialTimeout("tcp", host[1], time.Second)
	if err != nil {
		t.Fatalf("the endpoint %s does not answer: %v", host[1], err)
	}
	c.Close()
	hs.press("q")
	if !hs.quit {
		t.Fatalf("q did not quit:\n%s", hs.screen())
	}
	if c, err := net.DialTimeout("tcp", host[1], time.Second); err == nil {
		c.Close()
		t.Errorf("%s still answers after quitting", host[1])
	}
	if _, err := os.Stat(filepath.Dir(env[1])); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there after quitting (%v)", filepath.Dir(env[1]), err)
	}
}

// TestQuitSavesSandboxEditsDuringExam: the quit question offers s while an
// exam runs too, and s saves the versions and quits; the exam is kept as
// its draft.
func TestQuitSavesSandboxEditsDuringExam(t *testing.T) {
	hs := newHarness(t, 80, 24)
	startExam(hs)
	hs.press("esc")
	openScenario(hs, "boundary-caps-admin")
	editChallengePolicy(hs, "policy/DevBoundary")
	hs.press("ctrl+home", "down", "down", "down", "down", "end", "left", "left")
	hs.typeText("XY")
	hs.press("esc", "q")
	if !strings.Contains(hs.screen(), "s save them as versions and quit") {
		t.Fatalf("q with unsaved edits during an exam should offer s:\n%s", hs.screen())
	}
	hs.press("s")
	if !hs.quit {
		t.Fatalf("s should save and quit:\n%s", hs.screen())
	}
	if !strings.Contains(string(hs.prog.States["boundary-caps-admin"]), "DevBucketsXY") {
		t.Error("the edit was not saved")
	}
	if _, ok, _ := hs.prog.ExamDraft(); !ok {
		t.Error("the exam under way was not kept")
	}
}
