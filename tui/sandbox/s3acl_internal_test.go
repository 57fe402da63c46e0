package sandbox

import (
	"strings"
	"testing"
)

// The sandbox draws S3 ACLs as their own stage after the bucket policy,
// marked "denied here" where an object another account owns refused the
// bucket owner's analyst, and draws none once ACLs are off.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func TestExplainS3ACLStage(t *testing.T) {
	_, draw := scenarioExplainer(t, "cross-account-upload-object-ownership")
	denied := draw("analyst-read-plain")
	for _, want := range []string{"S3 access control list  ← denied here", "the object's ACL (the object belongs to account 444455556666)",
		"object owner: the object belongs to account 444455556666", "grant canonical user"} {
		if !strings.Contains(denied, want) {
			t.Errorf("explanation of analyst-read-plain lacks %q:\n%s", want, denied)
		}
	}
	if got := draw("analyst-read-with-acl"); !strings.Contains(got, "✓ grant canonical user") || strings.Contains(got, "denied here") {
		t.Errorf("explanation of analyst-read-with-acl:\n%s", got)
	}
	if got := draw("analyst-read-plain-again"); strings.Contains(got, "S3 access control list") {
		t.Errorf("with ACLs off, the explanation shows an ACL stage:\n%s", got)
	}
}
