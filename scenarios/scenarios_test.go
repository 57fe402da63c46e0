package scenarios_test

import (
	"testing"

	"iamlab/engine/estate"
	"iamlab/scenarios"
)

// TestBuiltinScenarios: every built-in scenario loads, shows what it
// claims, and its challenge is unsolved as shipped and solved by its
// reference solution.
func TestBuiltinScenarios(t *testing.T) {
	t.Parallel()
	all, err := scenarios.Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	for _, s := range all {
		t.Run(s.ID, func(t *testing.T) {
			t.Parallel()
			for _, f := range s.Check() {
				t.Error(f)
			}
		})
	}
}

// Exec runs the command the console would, and refuses, as the console's
// runner does, one the sandbox does not know.
func TestExecUnknown(t *testing.T) {
	all, _ := scenarios.Builtin()
	sb := all[0].NewSandbox()
	o := sb.Exec(estate.Caller{}, &scenarios.Command{Service: "iam", Operation: "launch-rockets", Args: map[string][]string{}})
	if o.Code != "ParamValidation" {
		t.Fatalf("Exec of an unknown command = %q, want ParamValidation", o.Code)
	}
}
