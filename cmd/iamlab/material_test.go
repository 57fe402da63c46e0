package main

import (
	"slices"
	"testing"

	"iamlab/content"
	"iamlab/scenarios"
)

// seedTopics are the topics of shared/seed/aws-sts-iam-notes.md, each with
// the note that covers it and the scenario that shows it running (empty
// where the engine cannot show it: the directory services are not IAM
// policy evaluation).
var seedTopics = []struct {
	topic, note, scenario string
}{
	{"STS: temporary, limited credentials", "sts-overview", "role-chaining-one-hour"},
	{"AssumeRole, in one account or across accounts", "sts-assume-role", "assume-role-cross-account-external-id"},
	{"AssumeRoleWithSAML", "saml-federation", "saml-federation"},
	{"AssumeRoleWithWebIdentity", "web-identity-federation", "web-identity-federation"},
	{"GetSessionToken for MFA", "mfa-session-token", "mfa-get-session-token"},
	{"GetFederationToken", "federation-token", "get-federation-token-intersection"},
	{"GetCallerIdentity", "caller-identity-decode", "get-caller-identity-everywhere"},
	{"DecodeAuthorizationMessage", "caller-identity-decode", "decode-authorization-message"},
	{"Advanced IAM: explicit deny, allow, else deny", "policy-evaluation", "explicit-deny-wins"},
	{"IAM policies plus S3 bucket policies as a union", "identity-and-resource-policies", "bucket-policy-union-same-account"},
	{"Dynamic policies with ${aws:username}", "policy-variables", "home-folders-username"},
	{"Inline vs managed policies", "managed-vs-inline", "inline-deleted-with-user"},
	{"Managed policies: version control and rollback", "managed-vs-inline", "managed-policy-versions-rollback"},
	{"Directory services", "directory-services", ""},
	{"Sample question 1: instance role removed, reads still work", "ec2-roles-passrole", "instance-role-removed"},
	{"Sample question 2: ec2:* and iam:PassRole on RDS-*", "ec2-roles-passrole", "passrole-rds-prefix"},
}

// TestSeedCoverage fails when a topic of the seed lacks a note, at least
// three questions, or (where the engine can show it) a scenario.
func TestSeedCoverage(t *testing.T) {
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ids := builtinScenarios()
	for _, st := range seedTopics {
		if _, ok := lib.Note(st.note); !ok {
			t.Errorf("%s: no note %q", st.topic, st.note)
		}
		if n := len(lib.QuestionsFor(st.note)); n < 3 {
			t.Errorf("%s: %d questions on %q, want at least 3", st.topic, n, st.note)
		}
		if st.scenario != "" && ids[st.scenario] == nil {
			t.Errorf("%s: no scenario %q", st.topic, st.scenario)
		}
	}
}

// syllabusTopics are the identity-and-access topics of the exams beyond the
// seed (issue 15), each with its note and the scenarios that show it
// running; a scenario here must name the topic among its topics.
var syllabusTopics = []struct {
	note      string
	scenarios []string
}{
	{"identity-center", []string{"identity-center-permission-sets"}},
	{"access-analyzer", nil},
	{"confused-deputy-service-principals", []string{"confused-deputy-cloudtrail"}},
	{"data-perimeters", []string{"data-perimeter-resource-org", "vpc-endpoint-only-bucket"}},
	{"s3-access-control", []string{"block-public-access-restrict", "sse-kms-read-needs-decrypt"}},
	{"kms-authorization", []string{"kms-key-policy-required", "kms-grant-encryption-context", "kms-cross-account-key"}},
	{"workload-identities", []string{"eks-irsa-trust-sub"}},
	{"cognito", []string{"cognito-basic-flow-role-trust", "cognito-amr-multivalued"}},
	{"account-hygiene", []string{"revoke-older-sessions"}},
}

// TestSyllabusCoverage fails when a syllabus topic lacks its note, 15
// questions, or a scenario that shows it; and when fewer than half of all
// questions link a scenario (whose checks TestMaterialChecks runs).
func TestSyllabusCoverage(t *testing.T) {
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	byID := builtinScenarios()
	for _, st := range syllabusTopics {
		if _, ok := lib.Note(st.note); !ok {
			t.Errorf("no note %q", st.note)
		}
		if n := len(lib.QuestionsFor(st.note)); n < 15 {
			t.Errorf("%d questions on %q, want at least 15", n, st.note)
		}
		for _, id := range st.scenarios {
			s := byID[id]
			if s == nil {
				t.Errorf("%s: no scenario %q", st.note, id)
			} else if !slices.Contains(s.Topics, st.note) {
				t.Errorf("%s: scenario %q does not list the topic (topics %v)", st.note, id, s.Topics)
			}
		}
	}
	linked := 0
	for _, q := range lib.Questions {
		if q.Scenario != "" {
			linked++
		}
	}
	if 2*linked < len(lib.Questions) {
		t.Errorf("%d of %d questions link a scenario, want at least half", linked, len(lib.Questions))
	}
}

// TestMaterialChecks runs `iamlab content check` and `iamlab scenarios
// check` over the built-in material, so content cannot drift from the
// engine: every link resolves, every policy in a note parses, every
// scenario gives the outcomes it claims.
func TestMaterialChecks(t *testing.T) {
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range lib.Check(materialLinks(builtinScenarios())) {
		t.Error(p.Error())
	}
	all, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	notes := map[string]bool{}
	for _, n := range lib.Notes {
		notes[n.ID] = true
	}
	for _, s := range all {
		for _, topic := range s.Topics {
			if !notes[topic] {
				t.Errorf("%s: topic %q has no note", s.File, topic)
			}
		}
	}
}
