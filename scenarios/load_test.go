package scenarios_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
	good := strings.Replace(readExample(t), "  - name: read-as-alice\n", "  - &again\n    name: read-as-alice\n", 1)
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
		{"bad clock", "difficulty: easy\n", "difficulty: easy\nclock: tomorrow\n", `s.yaml:5: clock "tomorrow" is not a time`},
		{"alias for a step", "\nchallenge:", "\n  - *again\nchallenge:", "a step is written out in full: a YAML alias (*again)"},
		{"second document", "difficulty: easy\n", "difficulty: easy\n---\nid: other\n", "a second YAML document starts here"},
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

// TestParseByteOrderMark: a byte-order mark from an editor is not an error.
func TestParseByteOrderMark(t *testing.T) {
	t.Parallel()
	if _, ps := scenarios.Parse("s.yaml", []byte("\xef\xbb\xbf"+readExample(t))); ps != nil {
		t.Errorf("Parse with a byte-order mark = %v", ps)
	}
}

// largeEstate is a scenario whose account holds n users.
func largeEstate(n int) []byte {
	var b strings.Builder
	b.WriteString("id: big\ntitle: Big\ntopics: [sts-overview]\ndifficulty: easy\nstory: x\nestate:\n  accounts:\n    \"111122223333\":\n      users:\n")
	for i := range n {
		fmt.Fprintf(&b, "        u%d: {}\n", i)
	}
	return []byte(b.String())
}

// TestParseRefusesHugeMappings: a mapping past AWS's 5,000 users per
// account is refused up front, naming its line, instead of keeping the YAML
// decoder busy for seconds (issue 12 item 9).
func TestParseRefusesHugeMappings(t *testing.T) {
	t.Parallel()
	_, ps := scenarios.Parse("s.yaml", largeEstate(100_000))
	if ps == nil || !strings.Contains(ps.Error(), "s.yaml:10: a mapping of 100000 entries: iamlab reads at most 5000") {
		t.Errorf("Parse(100,000 users) = %v", ps)
	}
}

// BenchmarkParseLargeEstate: a scenario with 100,000 users, answered (by
// refusal) well under a second.
func BenchmarkParseLargeEstate(b *testing.B) {
	src := largeEstate(100_000)
	for b.Loop() {
		scenarios.Parse("s.yaml", src)
	}
}

// TestLoadDirLearnerFolder: a learner's folder with a named pipe, a link to
// /dev/zero, a dangling link, an oversized file and a file of questions
// beside a good scenario: the scenario loads, each bad file is named by its
// full path, the question file is left to the content package, and nothing
// blocks (issue 12 items 8, 11 and 13).
func TestLoadDirLearnerFolder(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("good.yaml", readExample(t))
	write("questions.yaml", "# my questions\n- id: q1\n  question: x\n")
	write("huge.yaml", "id: h\n"+strings.Repeat("#", 5<<20)+"\n")
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{"zero.yaml": "/dev/zero", "dangling.yaml": filepath.Join(dir, "gone.yaml")} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	all, err := scenarios.LoadDir(dir)
	if len(all) != 1 || all[0].ID != "instance-role-removed" {
		t.Errorf("LoadDir loaded %d scenarios, want the good one", len(all))
	}
	msg := fmt.Sprint(err)
	for _, want := range []string{
		filepath.Join(dir, "pipe.yaml") + ": not a regular file (a named pipe)",
		filepath.Join(dir, "zero.yaml") + ": not a regular file (a character device)",
		filepath.Join(dir, "dangling.yaml") + ": a link that leads nowhere readable",
		filepath.Join(dir, "huge.yaml") + ": larger than 4 MB",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("LoadDir problems lack %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "questions.yaml") {
		t.Errorf("a question file was reported as a bad scenario:\n%s", msg)
	}
}

// smallScenario is a whole scenario in a few hundred bytes: an account, a
// user, a role behind an instance, a bucket policy, steps and a challenge.
const smallScenario = `id: s
title: T
topics: [sts-overview]
difficulty: easy
story: x
estate:
  accounts:
    "111122223333":
      users: {alice: {inlinePolicies: {a: '{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'}}}
      roles: {R: {trustPolicy: '{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'}}
      instanceProfiles: {R: {role: R}}
      instances: {i-0a1b2c3d: {instanceProfile: R}}
      buckets: {my-b: {policy: '{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-b/*"}]}'}}
steps:
  - {name: read, as: instance i-0a1b2c3d, run: aws s3api get-object --bucket my-b --key k, expect: NoSuchKey}
  - {name: who, as: alice, run: aws sts get-caller-identity, expect: Allow}
challenge: {goal: g, edit: [bucket/my-b], expect: {read: AccessDenied}, hints: [a, b, c], solution: {bucket/my-b: '{"Statement":[]}'}}
`

// FuzzParseScenario: no input panics the scenario decoder. The seeds are
// small and inputs bounded to 2 KB, and only a scenario of a few steps is
// run, so that each input takes well under a millisecond: with the 4 KB
// example as a seed the fuzzer spent its time minimizing and reported a
// few executions a second. The shipped scenarios are parsed and run by
// the package's tests.
func FuzzParseScenario(f *testing.F) {
	f.Add([]byte(smallScenario))
	f.Add([]byte("id: x\nsteps: [{run: aws sts get-caller-identity}]\n"))
	f.Add([]byte("estate: {accounts: {\"111122223333\": {users: {a: {}}}}}\n"))
	// The VPC endpoint, service principal, data perimeter and Identity
	// Center shapes of the estate and of steps.
	for _, name := range []string{"vpc-endpoint-only-bucket", "confused-deputy-cloudtrail", "data-perimeter-resource-org", "identity-center-permission-sets", "access-point-delegation"} {
		b, err := os.ReadFile("data/" + name + ".yaml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 2048 {
			return
		}
		s, _ := scenarios.Parse("f.yaml", src)
		if s != nil && s.Estate != nil && len(s.Estate.Accounts) > 0 && len(s.Steps) <= 4 {
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

// An estate file on its own loads as a scenario; its problems name the
// file's own lines.
func TestParseEstate(t *testing.T) {
	good := "accounts:\n  \"111122223333\":\n    users:\n      alice: {}\n"
	s, err := scenarios.ParseEstate("dir/team.yaml", []byte(good))
	if err != nil {
		t.Fatalf("ParseEstate: %v", err)
	}
	if s.ID != "team" || s.Estate.User("111122223333", "alice") == nil {
		t.Fatalf("ParseEstate = %s with %v, want team with alice", s.ID, s.Estate.Accounts)
	}
	bad := "accounts:\n  \"111122223333\":\n    users:\n      alice:\n        inlinePolicies:\n          p: \"{bad json\"\n"
	_, err = scenarios.ParseEstate("team.yaml", []byte(bad))
	if err == nil || !strings.HasPrefix(err.Error(), "team.yaml:6: ") {
		t.Fatalf("ParseEstate(bad) = %v, want a problem at team.yaml:6", err)
	}
}
