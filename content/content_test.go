package content_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const learnerQuestion = `- id: %s
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
`

// TestLearnerClashKeepsBuiltin: a learner note or question with a built-in
// id is an error at the learner's file and line, and the built-in item
// stays (issue 12 item 3).
func TestLearnerClashKeepsBuiltin(t *testing.T) {
	t.Parallel()
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	builtinNote, _ := lib.Note("sts-overview")
	builtinQ := lib.Questions[0]
	dir := writeFiles(t, map[string]string{
		"mine.md":   "---\ntitle: Mine\nid: sts-overview\n---\nmy text\n",
		"mine.yaml": fmt.Sprintf(learnerQuestion, builtinQ.ID),
	})
	own, err := content.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	notes, questions := len(lib.Notes), len(lib.Questions)
	err = lib.Merge(own)
	for _, want := range []string{
		filepath.Join(dir, "mine.md") + `:3: note id "sts-overview" is already used by the built-in note`,
		filepath.Join(dir, "mine.yaml") + fmt.Sprintf(`:1: question id %q is already used by the built-in question`, builtinQ.ID),
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Merge error = %v, want %q", err, want)
		}
	}
	if n, _ := lib.Note("sts-overview"); n != builtinNote {
		t.Errorf("the learner's note replaced the built-in one")
	}
	if q, _ := lib.Question(builtinQ.ID); q != builtinQ {
		t.Errorf("the learner's question replaced the built-in one")
	}
	if len(lib.Notes) != notes || len(lib.Questions) != questions {
		t.Errorf("after Merge: %d notes, %d questions, want %d, %d", len(lib.Notes), len(lib.Questions), notes, questions)
	}
}

// TestLoadDirLearnerFolder: bad files are named by full path, the rest
// loads, scenarios are left alone, nothing blocks (issue 12 items 8, 11,
// 13, 15).
func TestLoadDirLearnerFolder(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"bom.md":      "\xef\xbb\xbf---\nid: mine\ntitle: Mine\n---\ntext\n",
		"q.yaml":      fmt.Sprintf(learnerQuestion, "my-q"),
		"two.yaml":    fmt.Sprintf(learnerQuestion, "my-q2") + "---\n- id: hidden\n",
		"scen.yaml":   "id: s\nestate: {}\nsteps: []\n",
		"secret.yaml": fmt.Sprintf(learnerQuestion, "unreadable"),
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.md"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop.md", filepath.Join(dir, "loop.md")); err != nil {
		t.Fatal(err)
	}
	lib, err := content.LoadDir(dir)
	if lib == nil {
		t.Fatalf("LoadDir = nil, %v", err)
	}
	if _, ok := lib.Note("mine"); !ok {
		t.Error("the note with a byte-order mark did not load")
	}
	if _, ok := lib.Question("my-q"); !ok {
		t.Error("the good question did not load")
	}
	msg := fmt.Sprint(err)
	for _, want := range []string{
		filepath.Join(dir, "pipe.md") + ": not a regular file (a named pipe)",
		filepath.Join(dir, "zero.yaml") + ": not a regular file (a character device)",
		filepath.Join(dir, "loop.md") + ": a link that leads nowhere readable: the links loop",
		filepath.Join(dir, "two.yaml") + ":12: a second YAML document starts here",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("LoadDir problems lack %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "scen.yaml") {
		t.Errorf("a scenario was reported as a bad question file:\n%s", msg)
	}
}

// TestCheckBrokenLinks: each broken link is reported at its line, up to
// twenty a note, and the rest are counted.
func TestCheckBrokenLinks(t *testing.T) {
	t.Parallel()
	body := "---\nid: n\ntitle: N\n---\nsee [ok](note:n) and [x](note:gone)\n" + strings.Repeat("[y](note:nope)\n", 25)
	lib, err := content.LoadDir(writeFiles(t, map[string]string{"n.md": body}))
	if err != nil {
		t.Fatal(err)
	}
	ps := lib.Check(content.Links{})
	if len(ps) != 21 || ps[0].Line != 5 || ps[1].Line != 6 || !strings.Contains(ps[20].Message, "has 6 more links") {
		t.Errorf("Check = %v", ps)
	}
}
