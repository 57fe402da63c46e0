package serve

import (
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// The deciding step names a statement as every explanation does: by its
// Sid, else counted from 1 (engine.StatementName).
func TestDescribeRefCountsFromOne(t *testing.T) {
	d := &estate.Decision{Sources: estate.PolicySources{Identity: []estate.PolicyRef{{Owner: "user/alice", Inline: "read"}}}}
	for _, c := range []struct {
		ref  engine.StatementRef
		want string
	}{
		{engine.StatementRef{Type: engine.IdentityPolicy, Statement: 0}, "identity inline policy read of user/alice statement 1"},
		{engine.StatementRef{Type: engine.IdentityPolicy, Statement: 2, Sid: "Reports"}, `identity inline policy read of user/alice statement "Reports"`},
	} {
		if got := describeRef(d, c.ref); got != c.want {
			t.Errorf("describeRef(%+v) = %q, want %q", c.ref, got, c.want)
		}
	}
}
