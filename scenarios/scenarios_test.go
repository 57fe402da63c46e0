package scenarios_test

import (
	"testing"

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
