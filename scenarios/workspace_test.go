package scenarios_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"iamlab/engine"
	"iamlab/scenarios"
)

func builtin(t *testing.T, id string) *scenarios.Scenario {
	t.Helper()
	all, err := scenarios.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no built-in scenario %s", id)
	return nil
}

var at = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// TestWorkspaceSolved: the challenge is solved by the reference solution
// and by nothing less; a draft that does not parse, or an edit of a policy
// the challenge does not name, leaves it unsolved.
func TestWorkspaceSolved(t *testing.T) {
	t.Parallel()
	s := builtin(t, "instance-role-removed")
	sol := s.Challenge.Solution["bucket/my-bucket"]
	var other, otherText, shipped string
	for _, p := range s.Policies() {
		if p.Address == "bucket/my-bucket" {
			shipped = p.Text
		} else {
			other, otherText = p.Address, p.Text
		}
	}
	tests := []struct {
		name   string
		edits  [][2]string // address, text, in order
		solved bool
		stale  bool
	}{
		{name: "as shipped"},
		{name: "reference solution", edits: [][2]string{{"bucket/my-bucket", sol}}, solved: true},
		{name: "solution then a stray character", edits: [][2]string{{"bucket/my-bucket", sol}, {"bucket/my-bucket", sol + "x"}}, stale: true},
		{name: "solution and an edit the challenge does not name",
			edits: [][2]string{{"bucket/my-bucket", sol}, {other, otherText + " "}}},
		{name: "solution typed, then taken back", edits: [][2]string{{"bucket/my-bucket", sol}, {"bucket/my-bucket", shipped}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := scenarios.NewWorkspace(s)
			for _, e := range tc.edits {
				w.Set(e[0], e[1])
			}
			if got := w.Solved(); got != tc.solved {
				t.Errorf("Solved() = %v, want %v (goals %+v, off limits %v)", got, tc.solved, w.Goals(), w.OffLimits())
			}
			if got := w.Stale(); got != tc.stale {
				t.Errorf("Stale() = %v, want %v", got, tc.stale)
			}
		})
	}
}

// TestWorkspaceDraftErrors: a draft that does not parse keeps the last
// outcomes and says where it is wrong; taking the error back runs again.
func TestWorkspaceDraftErrors(t *testing.T) {
	t.Parallel()
	s := builtin(t, "instance-role-removed")
	w := scenarios.NewWorkspace(s)
	const addr = "bucket/my-bucket"
	emptied := `{"Version": "2012-10-17", "Statement": []}`
	if !w.Set(addr, emptied) {
		t.Fatal("Set(valid text) did not run the steps")
	}
	if v := w.Report().Outcome("read-without-role").Verdict(); v != "ImplicitDeny" {
		t.Fatalf("read-without-role = %s without the bucket policy's statement, want ImplicitDeny", v)
	}
	if ch := w.Changes(); len(ch) != 1 || ch[0].Was != "Allow" || ch[0].Now != "ImplicitDeny" {
		t.Errorf("Changes() = %+v, want one step Allow → ImplicitDeny", ch)
	}
	before := w.Report()
	if w.Set(addr, "{\n  \"Version\": x\n}") {
		t.Fatal("Set(invalid text) ran the steps")
	}
	var ie *engine.InputError
	if err := w.Err(addr); !errors.As(err, &ie) || ie.Pos.Line != 2 {
		t.Fatalf("Err() = %v, want a parse error on line 2", err)
	}
	if w.Report() != before || !w.Stale() || w.Lint(addr) != nil {
		t.Error("an invalid draft should keep the last outcomes, marked stale, without lint")
	}
	if w.Set(addr, emptied); w.Stale() || w.Err(addr) != nil {
		t.Error("the valid text again should clear the error")
	}
	if w.Set(addr, emptied) {
		t.Error("Set with the same text should not run the steps again")
	}
}

// TestWorkspaceVersions: only customer managed policies have versions in
// AWS; they keep at most five, and a version can be restored.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
func TestWorkspaceVersions(t *testing.T) {
	t.Parallel()
	t.Run("bucket policy has none", func(t *testing.T) {
		t.Parallel()
		w := scenarios.NewWorkspace(builtin(t, "instance-role-removed"))
		w.Set("bucket/my-bucket", `{"Version": "2012-10-17", "Statement": []}`)
		if w.HasVersions("bucket/my-bucket") || len(w.Versions("bucket/my-bucket")) != 0 {
			t.Error("a bucket policy should have no versions")
		}
		if _, err := w.SaveVersion("bucket/my-bucket", at); err == nil || !strings.Contains(err.Error(), "only customer managed policies have versions") {
			t.Errorf("SaveVersion(bucket policy) = %v, want a refusal naming managed policies", err)
		}
		if u := w.Unsaved(); len(u) != 0 {
			t.Errorf("Unsaved() = %v: a bucket policy's draft is all there is", u)
		}
	})
	t.Run("managed policy", func(t *testing.T) {
		t.Parallel()
		const addr = "policy/DevBoundary"
		w := scenarios.NewWorkspace(builtin(t, "boundary-caps-admin"))
		shipped := w.Text(addr)
		texts := []string{}
		for i := range 7 {
			text := strings.Replace(shipped, `"DevBuckets"`, `"DevBuckets`+string(rune('a'+i))+`"`, 1)
			texts = append(texts, text)
			w.Set(addr, text)
			if u := w.Unsaved(); len(u) != 1 || u[0] != addr {
				t.Fatalf("Unsaved() = %v after an edit, want [%s]", u, addr)
			}
			if _, err := w.SaveVersion(addr, at); err != nil {
				t.Fatal(err)
			}
		}
		vs := w.Versions(addr)
		if len(vs) != scenarios.MaxVersions || vs[0].ID != "v4" || vs[4].ID != "v8" {
			t.Fatalf("after eight versions, kept %+v, want v4..v8", vs)
		}
		if msg, err := w.RestoreVersion(addr, 0); err != nil || w.Text(addr) != texts[2] || !strings.Contains(msg, "v4") {
			t.Errorf("RestoreVersion(0) = %q, %v; text is v4's: %v", msg, err, w.Text(addr) == texts[2])
		}
		if u := w.Unsaved(); len(u) != 0 {
			t.Errorf("a restored version is saved, yet %v are unsaved", u)
		}
		w.Set(addr, "{")
		if _, err := w.SaveVersion(addr, at); err == nil || !strings.Contains(err.Error(), "MalformedPolicyDocument") {
			t.Errorf("SaveVersion(invalid) = %v, want MalformedPolicyDocument", err)
		}
	})
}

// memStore is a progress store in memory.
type memStore struct {
	states map[string][]byte
	solved map[string]time.Time
}

func (m *memStore) SaveSandbox(id string, b []byte) error { m.states[id] = b; return nil }
func (m *memStore) LoadSandbox(id string) ([]byte, bool, error) {
	b, ok := m.states[id]
	return b, ok, nil
}
func (m *memStore) MarkSolved(id string, at time.Time) error { m.solved[id] = at; return nil }

// TestWorkspaceSaveLoad: drafts (even invalid ones), versions, hints and
// history come back on the next visit; an invalid draft runs with its last
// version that parses.
func TestWorkspaceSaveLoad(t *testing.T) {
	t.Parallel()
	s := builtin(t, "boundary-caps-admin")
	const addr = "policy/DevBoundary"
	p := &memStore{states: map[string][]byte{}, solved: map[string]time.Time{}}
	w := scenarios.NewWorkspace(s)
	w.Set(addr, s.Challenge.Solution[addr])
	if _, err := w.SaveVersion(addr, at); err != nil {
		t.Fatal(err)
	}
	w.Set(addr, s.Challenge.Solution[addr]+"}")
	w.NextHint()
	w.SetHistory([]string{"aws sts get-caller-identity"})
	if err := w.Save(p); err != nil {
		t.Fatal(err)
	}
	back := scenarios.NewWorkspace(s)
	if err := back.Load(p); err != nil {
		t.Fatal(err)
	}
	if back.Text(addr) != w.Text(addr) || back.Err(addr) == nil {
		t.Errorf("the invalid draft did not come back as it was")
	}
	if vs := back.Versions(addr); len(vs) != 2 || vs[1].Text != s.Challenge.Solution[addr] {
		t.Errorf("versions came back as %+v", vs)
	}
	if back.Edits()[addr] != s.Challenge.Solution[addr] {
		t.Error("the run should use the last version that parses")
	}
	if back.Hints() != 1 || len(back.History()) != 1 {
		t.Errorf("hints %d, history %v", back.Hints(), back.History())
	}
	if err := back.Restore([]byte("{")); err == nil || !strings.Contains(err.Error(), s.ID) {
		t.Errorf("Restore(damaged) = %v, want an error naming the scenario", err)
	}
}

// TestWorkspaceRestoreRunsDraftInUse: restore v1, type a stray character,
// quit and come back: the run is v1's (the last valid text of the draft in
// use), not the newest saved version's (issue 13, app item 3).
func TestWorkspaceRestoreRunsDraftInUse(t *testing.T) {
	t.Parallel()
	s := builtin(t, "boundary-caps-admin")
	const addr = "policy/DevBoundary"
	w := scenarios.NewWorkspace(s)
	v1 := w.Text(addr)
	w.Set(addr, s.Challenge.Solution[addr])
	if _, err := w.SaveVersion(addr, at); err != nil {
		t.Fatal(err)
	}
	if _, err := w.RestoreVersion(addr, 0); err != nil || w.Text(addr) != v1 {
		t.Fatalf("RestoreVersion(0) = %v; text is v1's: %v", err, w.Text(addr) == v1)
	}
	w.Set(addr, v1+"x")
	state, err := w.State()
	if err != nil {
		t.Fatal(err)
	}
	back := scenarios.NewWorkspace(s)
	if err := back.Restore(state); err != nil {
		t.Fatal(err)
	}
	if back.Err(addr) == nil || back.Text(addr) != v1+"x" {
		t.Fatalf("the draft that does not parse should come back as it was")
	}
	if text, edited := back.Edits()[addr]; edited {
		t.Errorf("after the restart the steps run with %q, want v1 (the shipped text)", text)
	}
	for i := range s.Steps {
		name := s.Steps[i].Name
		if got, was := back.Report().Outcome(name).Verdict(), w.Report().Outcome(name).Verdict(); got != was {
			t.Errorf("after the restart %s = %s, want %s as before quitting", name, got, was)
		}
	}
}
