package apiparam_test

import (
	"errors"
	"testing"

	"iamlab/engine/internal/apiparam"
)

// The messages read as AWS's ValidationError does, as the STS API model's
// constraints produce them.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
func TestConstraints(t *testing.T) {
	t.Parallel()
	session := apiparam.Pattern(`[\w+=,.@-]*`)
	tests := []struct {
		name  string
		check func(c *apiparam.Constraints)
		want  string
	}{
		{"all pass", func(c *apiparam.Constraints) { c.String("roleSessionName", "alice", false, 2, 64, session) }, ""},
		{"pattern", func(c *apiparam.Constraints) { c.String("roleSessionName", "a b", false, 2, 64, session) },
			`1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"two failures, one hidden", func(c *apiparam.Constraints) {
			c.Null("roleArn")
			c.String("tokenCode", "12", apiparam.Sensitive, 6, 6, nil)
		}, "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"range", func(c *apiparam.Constraints) { c.Int("durationSeconds", 899, 900, 43200) },
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"list length", func(c *apiparam.Constraints) { c.Len("policyArns", 11, 10) },
			"1 validation error detected: Value at 'policyArns' failed to satisfy constraint: Member must have length less than or equal to 10"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var c apiparam.Constraints
			tc.check(&c)
			if got := c.Message(); got != tc.want {
				t.Errorf("Message() = %q, want %q", got, tc.want)
			}
			err := c.Err(func(msg string) error { return errors.New(msg) })
			if (err == nil) != (tc.want == "") {
				t.Errorf("Err() = %v, want an error only for %q", err, tc.want)
			}
		})
	}
}
