package scenarios_test

import (
	"strings"
	"testing"

	"iamlab/engine/estate"
	"iamlab/scenarios"
)

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

// Exec runs what the console runs, and refuses what it does not know.
func TestExecUnknown(t *testing.T) {
	all, _ := scenarios.Builtin()
	sb := all[0].NewSandbox()
	o := sb.Exec(estate.Caller{}, &scenarios.Command{Service: "iam", Operation: "launch-rockets", Args: map[string][]string{}})
	if o.Code != "ParamValidation" {
		t.Fatalf("Exec of an unknown command = %q, want ParamValidation", o.Code)
	}
	if scenarios.Known("iam", "launch-rockets") || !scenarios.Known("s3api", "get-bucket-policy") || !scenarios.Known("sts", "assume-role") {
		t.Fatal("Known disagrees with the command table")
	}
}
