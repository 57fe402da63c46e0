package content

import (
	"fmt"
	"strings"
	"testing"
)

// outcomes is a scenario whose steps give fixed outcomes.
func outcomes(m map[string]string) func(string, Probe) (bool, string, error) {
	return func(_ string, p Probe) (bool, string, error) {
		got, ok := m[p.Step]
		if !ok {
			return false, "", fmt.Errorf("no step named %s", p.Step)
		}
		return got == p.Outcome, got, nil
	}
}

func TestCheckAnswersAgainstScenario(t *testing.T) {
	src := `
- id: q
  question: Which read works?
  choose: 1
  options:
    - {text: a, why: a, correct: %s, check: {step: read-public, outcome: Allow}}
    - {text: b, why: b, correct: %s, check: [{step: read-public, outcome: Allow}, {step: read-private, outcome: Allow}]}
    - {text: c, why: c, correct: false}
    - {text: d, why: d, correct: false, check: {step: nothing, outcome: Allow}}
  topic: t
  domains: {SAA-C03: "Design Secure Architectures"}
  difficulty: easy
  scenario: s
  docs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
`
	steps := map[string]string{"read-public": "Allow", "read-private": "ImplicitDeny"}
	for _, tc := range []struct {
		name, a, b string
		want       []string
	}{
		{"keyed answer agrees", "true", "false", []string{"option 4: check cannot run: no step named nothing"}},
		{"keyed answer disagrees", "false", "true", []string{
			"option 1 is keyed wrong, but every check of it holds in scenario s",
			"option 2 is keyed correct, but in scenario s step read-private gives ImplicitDeny, not Allow",
			"option 4: check cannot run",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qs, ps := parseQuestions("quiz/t.yaml", []byte(fmt.Sprintf(src, tc.a, tc.b)))
			if len(ps) > 0 || len(qs) != 1 {
				t.Fatalf("parse: %v", ps)
			}
			got := qs[0].checkAnswers(outcomes(steps))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(got), len(tc.want), got)
			}
			for i, w := range tc.want {
				if !strings.Contains(got[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to say %q", i, got[i].Error(), w)
				}
			}
		})
	}
}

func TestKeyedOptionNeedsACheck(t *testing.T) {
	q := &Question{ID: "q", Scenario: "s", File: "quiz/t.yaml", Options: []Option{{Text: "a", Correct: true}, {Text: "b"}}}
	got := q.checkAnswers(outcomes(nil))
	if len(got) != 1 || !strings.Contains(got[0].Error(), "option 1 is keyed correct but has no check") {
		t.Errorf("got %v", got)
	}
}

func TestCheckFieldsAreChecked(t *testing.T) {
	src := `
- id: q
  question: Which?
  choose: 1
  options:
    - {text: a, why: a, correct: true, check: {stepp: read, outcome: Allow}}
    - {text: b, why: b, correct: false}
    - {text: c, why: c, correct: false}
    - {text: d, why: d, correct: false}
  topic: t
  domains: {SAA-C03: "Design Secure Architectures"}
  difficulty: easy
  scenario: s
`
	_, ps := parseQuestions("quiz/t.yaml", []byte(src))
	if len(ps) == 0 || !strings.Contains(ps[0].Error(), `unknown field "stepp" in a check`) || ps[0].Line != 6 {
		t.Errorf("got %v, want the unknown field named at line 6", ps)
	}
}
