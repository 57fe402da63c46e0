package scenarios_test

import (
	"os"
	"strings"
	"testing"

	"iamlab/scenarios"
)

func readExample(t testing.TB) string {
	b, err := os.ReadFile("data/instance-role-removed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParseProblems: every problem names the file and line.
func TestParseProblems(t *testing.T) {
	t.Parallel()
	good := readExample(t)
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown field", "difficulty: easy\n", "difficulty: easy\nlevel: 2\n", "s.yaml:5: unknown field \"level\""},
		{"bad difficulty", "difficulty: easy", "difficulty: trivial", "s.yaml:4: difficulty must be easy, medium or hard"},
		{"policy does not parse", `"Sid": "PublicRead",`, `"Sid": "PublicRead", "Effect": "Permit",`, "s.yaml:62: estate.accounts[\"111122223333\"].buckets[\"my-bucket\"].policy: "},
		{"unknown command", "aws s3api get-object --bucket my-bucket --key report.csv report.csv\n    expect: Allow\n    note: The role's", "aws s3api fetch-object --bucket my-bucket --key report.csv report.csv\n    expect: Allow\n    note: The role's", "run: unknown command aws s3api fetch-object; did you mean aws s3api get-object?"},
		{"unknown caller", "as: alice\n    run: aws iam", "as: mallory\n    run: aws iam", "as: there is no user mallory in account 111122223333"},
		{"unknown step field", "    note: The role's policy", "    notes: The role's policy", "unknown field \"notes\" in a step"},
		{"challenge names a missing step", "read-as-alice: Allow\n  hints", "read-as-bob: Allow\n  hints", "challenge expect names step \"read-as-bob\", which does not exist"},
		{"bad expect", "expect: ImplicitDeny", "expect: denied", "expect \"denied\" is not an outcome"},
		{"bad yaml", "title: \"The", "title: [The", "s.yaml:1: did not find expected"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(good, tc.old, tc.new, 1)
			if src == good {
				t.Fatalf("the test's replacement %q does not apply", tc.old)
			}
			_, ps := scenarios.Parse("s.yaml", []byte(src))
			if ps == nil || !strings.Contains(ps.Error(), tc.want) {
				t.Errorf("Parse problems = %v, want %q", ps, tc.want)
			}
		})
	}
}

// FuzzParseScenario: no input panics the scenario decoder.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(readExample(f)))
	f.Add([]byte("id: x\nsteps: [{run: aws sts get-caller-identity}]\n"))
	f.Add([]byte("estate: {accounts: {\"111122223333\": {users: {a: {}}}}}\n"))
	// The VPC endpoint, service principal, data perimeter and Identity
	// Center shapes of the estate and of steps.
	for _, name := range []string{"vpc-endpoint-only-bucket", "confused-deputy-cloudtrail", "data-perimeter-resource-org", "identity-center-permission-sets"} {
		b, err := os.ReadFile("data/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, _ := scenarios.Parse("f.yaml", src)
		if s != nil && s.Estate != nil && len(s.Estate.Accounts) > 0 && len(s.Steps) < 20 {
			s.Run(nil)
		}
	})
}

// BenchmarkRun is one re-run of a scenario, as the sandbox does on each
// keystroke in its policy editor.
func BenchmarkRun(b *testing.B) {
	all, err := scenarios.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range all {
		if s.ID != "instance-role-removed" {
			continue
		}
		edit := map[string]string{"bucket/my-bucket": s.Challenge.Solution["bucket/my-bucket"]}
		b.ReportAllocs()
		for b.Loop() {
			s.Run(edit)
		}
	}
}

// BenchmarkRunFederation re-runs the scenarios whose steps carry signed
// tokens and assertions, which are minted once per clock time.
func BenchmarkRunFederation(b *testing.B) {
	all, err := scenarios.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	for _, s := range all {
		if s.ID != "saml-federation" && s.ID != "web-identity-federation" {
			continue
		}
		b.Run(s.ID, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Run(nil)
			}
		})
	}
}
