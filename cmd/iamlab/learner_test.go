package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"iamlab/scenarios"
)

// learnerFolder is a learner's folder with a good question on a built-in
// topic, a note and a scenario whose texts carry escape sequences, a named
// pipe, and a note whose id is a built-in one.
func learnerFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	scenario, err := os.ReadFile("../../scenarios/data/instance-role-removed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"q.yaml": `- id: my-own-question
  question: Which element says whether a statement allows or denies?
  choose: 1
  options:
    - {text: Effect, correct: true, why: Effect is Allow or Deny.}
    - {text: Action, correct: false, why: Action names operations.}
    - {text: Resource, correct: false, why: Resource names what is acted on.}
    - {text: Sid, correct: false, why: Sid is only a label.}
  topic: policy-language
  domains: {SCS-C03: "Identity and Access Management"}
  difficulty: easy
`,
		"evil.md":  "---\nid: evil\ntitle: \"Evil \\e]52;c;cm0gLXJmIH4=\\a\\e]0;pwned\\a\"\n---\nBody \x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ and \x1b[2J clear.\n",
		"clash.md": "---\nid: sts-overview\ntitle: Mine\n---\nmy text\n",
		"mine.yaml": strings.Replace(strings.Replace(string(scenario), "id: instance-role-removed", "id: my-scenario", 1),
			`title: "The instance role is gone, but reads still work"`, `title: "Mine \e]0;pwned\a"`, 1),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func noEscapes(t *testing.T, what, s string) {
	t.Helper()
	if strings.ContainsAny(s, "\x1b\a\u009b") {
		t.Errorf("%s reaches the terminal with control characters: %q", what, s)
	}
}

// TestContentCheckLearnerFolder: a learner's folder is checked against the
// built-in material (a question on a built-in topic passes), a clash and a
// pipe are named by full path, and nothing printed carries an escape
// sequence (issue 12 items 3, 8, 11, 12, 16).
func TestContentCheckLearnerFolder(t *testing.T) {
	dir := learnerFolder(t)
	code, out, errOut := runCmd(t, "content", "check", dir)
	if code != exitFailure {
		t.Errorf("content check exit %d, want %d (the clash and the pipe)", code, exitFailure)
	}
	for _, want := range []string{
		filepath.Join(dir, "clash.md") + `:2: note id "sts-overview" is already used by the built-in note`,
		filepath.Join(dir, "pipe.yaml") + ": not a regular file (a named pipe)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("content check output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "my-own-question") || strings.Contains(out, "has no note") {
		t.Errorf("a valid question on a built-in topic failed:\n%s", out)
	}
	noEscapes(t, "content check", out+errOut)
}

// TestNotesLearnerFolder: `iamlab notes --content DIR` says which files
// were left out, lists the learner's notes without their escape sequences,
// and prints a note the same way.
func TestNotesLearnerFolder(t *testing.T) {
	dir := learnerFolder(t)
	code, out, errOut := runCmd(t, "notes", "--content", dir)
	if code != exitOK || !strings.Contains(out, "evil") {
		t.Fatalf("notes exit %d:\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, filepath.Join(dir, "pipe.yaml")) || !strings.Contains(errOut, filepath.Join(dir, "clash.md")) {
		t.Errorf("notes dropped the notice about the learner's folder: %q", errOut)
	}
	noEscapes(t, "notes list", out+errOut)
	code, out, errOut = runCmd(t, "notes", "--content", dir, "evil")
	if code != exitOK || !strings.Contains(out, "clear.") {
		t.Fatalf("notes evil exit %d:\n%s%s", code, out, errOut)
	}
	noEscapes(t, "a rendered note", out)
}

// TestScenariosListLearnerFolder: learner scenarios load, in `scenarios
// list DIR`, with their titles made safe (issue 12 items 13, 16).
func TestScenariosListLearnerFolder(t *testing.T) {
	dir := learnerFolder(t)
	code, out, errOut := runCmd(t, "scenarios", "list", dir)
	if !strings.Contains(out, "my-scenario") || code != exitOK {
		t.Errorf("scenarios list exit %d lacks the learner's scenario:\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, "a question file") || strings.Contains(out+errOut, "q.yaml") {
		t.Errorf("the question file was reported as a scenario:\n%s%s", out, errOut)
	}
	noEscapes(t, "scenarios list", out+errOut)

	t.Setenv("XDG_CONFIG_HOME", filepath.Dir(dir))
	if err := os.Rename(dir, filepath.Join(filepath.Dir(dir), "iamlab")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCmd(t, "scenarios", "list")
	if !strings.Contains(out, "my-scenario") || !strings.Contains(out, "instance-role-removed") {
		t.Errorf("scenarios list (config folder) exit %d lacks built-in or learner scenarios:\n%s%s", code, out, errOut)
	}
}

// TestProgressExportDamaged: `progress export` on a damaged store exits
// non-zero with the reason and leaves the folder as it was (issue 12 item
// 4).
func TestProgressExportDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "progress.db")
	if err := os.WriteFile(path, []byte("this is not a database, whatever its name says"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "progress", "export", "--data-dir", dir)
	if code != exitFailure || out != "" || !strings.Contains(errOut, "it is not a SQLite database") {
		t.Errorf("export exit %d, stdout %q, stderr %q; want exit 1 saying the file is not a database", code, out, errOut)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("export changed the folder: %v", entries)
	}
}

// TestNotesHugeNote: `iamlab notes` on a 4 MB note answers at once (it is
// too large to render and is printed as written) (issue 12 item 9).
func TestNotesHugeNote(t *testing.T) {
	dir := t.TempDir()
	body := "---\nid: big\ntitle: Big\n---\n" + strings.Repeat("a line of a paragraph that goes on\n", 4<<20/36)
	if err := os.WriteFile(filepath.Join(dir, "big.md"), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "notes", "--content", dir, "big")
	if code != exitOK || !strings.HasPrefix(out, "# Big\n") {
		t.Errorf("notes big exit %d, %d bytes out, stderr %q", code, len(out), errOut)
	}
}

// TestAppScenariosIncludeLearners: the app's scenarios are the built-in
// ones and the learner's, a learner scenario with a built-in id left out
// (issue 12 item 13).
func TestAppScenariosIncludeLearners(t *testing.T) {
	dir := learnerFolder(t)
	own, notices := learnerScenarios(dir)
	if len(own) != 1 || own[0].ID != "my-scenario" {
		t.Fatalf("learnerScenarios = %d scenarios, notices %q", len(own), notices)
	}
	src, err := os.ReadFile(filepath.Join(dir, "mine.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	clash, ps := scenarios.Parse("clash.yaml", []byte(strings.Replace(string(src), "id: my-scenario", "id: instance-role-removed", 1)))
	if clash == nil {
		t.Fatal(ps)
	}
	all, err := withBuiltinScenarios(append(own, clash))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, s := range all {
		ids[s.ID] = s.Title
	}
	if _, ok := ids["my-scenario"]; !ok {
		t.Error("the learner's scenario is missing from the app's")
	}
	if strings.HasPrefix(ids["instance-role-removed"], "Mine") {
		t.Error("a learner scenario replaced a built-in one")
	}
}
