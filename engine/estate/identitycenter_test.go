package estate_test

import (
	"strings"
	"testing"

	"iamlab/engine/estate"
)

// TestIdentityCenterProvisioning: an assigned permission set becomes a
// role AWSReservedSSO_<set>_<suffix> under
// /aws-reserved/sso.amazonaws.com/<Region>/, trusted by the account's SAML
// provider, and a user's session is named after the user.
// https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
func TestIdentityCenterProvisioning(t *testing.T) {
	t.Parallel()
	e := world(t)
	boundary := "arn:aws:iam::aws:policy/AmazonS3FullAccess"
	inline, err := estate.NewDocument(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	e.IdentityCenter = &estate.IdentityCenter{
		Region: "eu-west-2",
		Users:  []string{"dana"},
		PermissionSets: map[string]*estate.PermissionSet{
			"DataReader": {ManagedPolicies: []string{"AmazonS3ReadOnlyAccess"}, InlinePolicy: inline, PermissionsBoundary: boundary},
		},
		Assignments: []estate.Assignment{{User: "dana", PermissionSet: "DataReader", Account: "222222222222"}},
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	name := estate.SSORoleName("DataReader", "222222222222")
	r := e.Role("222222222222", name)
	if r == nil || !strings.HasPrefix(name, "AWSReservedSSO_DataReader_") {
		t.Fatalf("no role %s provisioned", name)
	}
	if r.Path != "/aws-reserved/sso.amazonaws.com/eu-west-2/" || r.PermissionsBoundary != boundary || len(r.InlinePolicies) != 1 {
		t.Errorf("role %s: path %q, boundary %q, %d inline policies; want the set's", name, r.Path, r.PermissionsBoundary, len(r.InlinePolicies))
	}
	if !strings.Contains(r.TrustPolicy.Text(), ":saml-provider/AWSSSO_") || !strings.Contains(r.TrustPolicy.Text(), "sts:AssumeRoleWithSAML") {
		t.Errorf("role %s trust policy %s: want the account's Identity Center SAML provider", name, r.TrustPolicy.Text())
	}
	c := estate.Caller{IdentityCenterUser: "dana", PermissionSet: "DataReader", TargetAccount: "222222222222"}
	d := e.Authorize(call(c), "s3:GetObject", "arn:aws:s3:::team-bucket/private/secret.txt")
	if !d.Allowed() {
		t.Errorf("dana with DataReader: %v, want Allow", d.Err)
	}
	if want := "arn:aws:sts::222222222222:assumed-role/" + name + "/dana"; d.Identity == nil || d.Identity.ARN != want {
		t.Errorf("dana's session ARN = %v, want %s", d.Identity, want)
	}
	if d := e.Authorize(call(c), "s3:PutObject", "arn:aws:s3:::team-bucket/x"); d.Allowed() {
		t.Errorf("dana with DataReader writes: allowed, want denied by the set's policies")
	}
	c.PermissionSet = "Admin"
	if _, err := e.Resolve(c, now); code(err) != "ForbiddenException" {
		t.Errorf("Resolve(unassigned set) = %v, want ForbiddenException", err)
	}
}
