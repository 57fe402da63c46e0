package content

import (
	"strings"
	"testing"
	"testing/fstest"
)

const goodQuestion = `- id: demo-one
  question: |
    Which element says whether a statement allows or denies?
  choose: 1
  options:
    - text: Effect
      correct: true
      why: Effect is Allow or Deny.
    - text: Action
      correct: false
      why: Action names operations.
    - text: Resource
      correct: false
      why: Resource names what is acted on.
    - text: Sid
      correct: false
      why: Sid is only a label.
  topic: demo
  domains: {SCS-C03: "Identity and Access Management"}
  difficulty: easy
  docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html
`

const goodNote = "---\nid: demo\ntitle: Demo\ntags: [x]\norder: 1\n---\n\n# Demo\n\nSee [the other](note:demo).\n\n```json\n{\"Version\": \"2012-10-17\", \"Statement\": []}\n```\n"

// TestLoadProblems: every problem names its file and line.
func TestLoadProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"wrong count of correct options", map[string]string{"q.yaml": strings.Replace(goodQuestion, "  choose: 1", "  choose: 2", 1)},
			`q.yaml:5: question "demo-one": choose is 2 but 1 options are marked correct`},
		{"unknown field", map[string]string{"q.yaml": strings.Replace(goodQuestion, "  difficulty: easy", "  difficulty: easy\n  level: 3", 1)},
			`q.yaml:21: unknown field "level" in a question`},
		{"bad domain", map[string]string{"q.yaml": strings.Replace(goodQuestion, "Identity and Access Management", "IAM", 1)},
			`q.yaml:19: question "demo-one": SCS-C03 has no domain "IAM"`},
		{"bad difficulty", map[string]string{"q.yaml": strings.Replace(goodQuestion, "difficulty: easy", "difficulty: trivial", 1)},
			`q.yaml:20: question "demo-one": difficulty must be easy, medium or hard`},
		{"too few options", map[string]string{"q.yaml": strings.Replace(goodQuestion, "    - text: Sid\n      correct: false\n      why: Sid is only a label.\n", "", 1)},
			`has 4 to 4 options, not 3`},
		{"duplicate id", map[string]string{"a.yaml": goodQuestion, "b.yaml": goodQuestion, "n.md": goodNote},
			`b.yaml:1: question id "demo-one" is already used at a.yaml:1`},
		{"broken YAML", map[string]string{"q.yaml": "- id: [unclosed\n"}, `q.yaml:`},
		{"note without front matter", map[string]string{"n.md": "# Just text\n"}, `n.md:1: a note starts with front matter`},
		{"note front matter unknown key", map[string]string{"n.md": "---\nid: x\ntitle: X\nauthor: me\n---\nbody\n"}, `n.md:4: front matter: field author not found`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			fsys := fstest.MapFS{}
			for name, text := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(text)}
			}
			_, err := load(fsys, ".", "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("load() error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestCheckLinks(t *testing.T) {
	t.Parallel()
	q := strings.Replace(goodQuestion, "  difficulty: easy", "  difficulty: easy\n  scenario: nowhere", 1)
	q = strings.Replace(q, "topic: demo", "topic: missing-note", 1)
	note := strings.Replace(goodNote, "note:demo", "note:gone", 1)
	lib, err := load(fstest.MapFS{"q.yaml": {Data: []byte(q)}, "n.md": {Data: []byte(note)}}, ".", "")
	if err != nil {
		t.Fatal(err)
	}
	ps := lib.Check(Links{Scenario: func(string) bool { return false }, Policy: func([]byte) error { return nil }})
	got := ps.Error()
	for _, want := range []string{`q.yaml:1: question "demo-one": topic "missing-note" has no note`, `q.yaml:1: question "demo-one": scenario "nowhere" does not exist`, `n.md:10: note "demo" links to note "gone"`} {
		if !strings.Contains(got, want) {
			t.Errorf("Check() = %v, want %q", got, want)
		}
	}
	if blocks := lib.PolicyBlocks(); len(blocks) != 1 || blocks[0].Line != 13 {
		t.Errorf("PolicyBlocks() = %+v, want one block on line 13", blocks)
	}
}

// FuzzParseQuestions: no input panics the question decoder.
func FuzzParseQuestions(f *testing.F) {
	f.Add([]byte(goodQuestion))
	f.Add([]byte("- id: x\n  options: [1, 2]\n"))
	f.Add([]byte("{a: b}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		qs, ps := parseQuestions("f.yaml", src)
		for _, p := range ps {
			if p.Message == "" {
				t.Fatal("empty problem message")
			}
		}
		_ = qs
	})
}

// FuzzParseNote: no input panics the note decoder.
func FuzzParseNote(f *testing.F) {
	f.Add([]byte(goodNote))
	f.Add([]byte("---\n---\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		if n, _ := parseNote("f.md", src); n != nil {
			n.CodeBlocks()
		}
	})
}
