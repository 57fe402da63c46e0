package scenarios_test

import (
	"encoding/json"
	"testing"

	"iamlab/engine"
)

// The object ownership scenario shows what its notes claim: the analyst's
// denial is laid at the object's ACL, and get-object-acl names the
// supplier's account as the owner, in the CLI's JSON shape.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func TestObjectOwnershipScenarioExplains(t *testing.T) {
	t.Parallel()
	s := builtin(t, "cross-account-upload-object-ownership")
	r := s.Run(nil)
	denied := r.Outcome("analyst-read-plain")
	if denied == nil || denied.Denied == nil || denied.Denied.Result.Denial != engine.S3ACL {
		t.Fatalf("analyst-read-plain denial = %+v, want laid at the S3 ACL stage", denied)
	}
	var acl struct {
		Owner  struct{ ID string }
		Grants []struct {
			Grantee    struct{ ID, Type string }
			Permission string
		}
	}
	out := r.Outcome("supplier-reads-acl")
	if err := json.Unmarshal([]byte(out.Output), &acl); err != nil {
		t.Fatalf("get-object-acl output %q: %v", out.Output, err)
	}
	supplier := engine.CanonicalUserID("444455556666")
	if acl.Owner.ID != supplier || len(acl.Grants) != 1 || acl.Grants[0].Grantee.ID != supplier ||
		acl.Grants[0].Grantee.Type != "CanonicalUser" || acl.Grants[0].Permission != "FULL_CONTROL" {
		t.Errorf("get-object-acl = %s, want the supplier's canonical ID as owner with FULL_CONTROL alone", out.Output)
	}
}
