package estate_test

import (
	"slices"
	"testing"
)

// TestPerimeterKeys checks the organization keys of data-perimeter
// policies: the OU paths of the principal's and the resource's accounts,
// the resource's organization and account, and their absence for an
// account outside the organization.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func TestPerimeterKeys(t *testing.T) {
	t.Parallel()
	e := world(t)
	root := e.Organization.Root
	workloads := e.Organization.Root.Units["Workloads"].ID
	sandbox := e.Organization.Root.Units["Sandbox"].ID
	org := "o-sandbox01/" + root.ID + "/"
	tests := []struct {
		name, caller, resource string
		want                   map[string]string // "" means absent
	}{
		{"a member in an OU reads its own account's bucket", alice, "arn:aws:s3:::team-bucket/public/index.html", map[string]string{
			"aws:PrincipalOrgPaths": org + workloads + "/", "aws:ResourceOrgPaths": org + workloads + "/",
			"aws:ResourceOrgID": "o-sandbox01", "aws:PrincipalOrgID": "o-sandbox01"}},
		{"another OU's principal", sam, "arn:aws:s3:::team-bucket/public/index.html", map[string]string{
			"aws:PrincipalOrgPaths": org + sandbox + "/", "aws:ResourceOrgPaths": org + workloads + "/"}},
		{"the management account sits in the root", admin1, "arn:aws:s3:::team-bucket/public/index.html", map[string]string{
			"aws:PrincipalOrgPaths": org}},
		{"an account outside the organization has no org keys", partner, "arn:aws:s3:::team-bucket/public/index.html", map[string]string{
			"aws:PrincipalOrgPaths": "", "aws:PrincipalOrgID": "", "aws:ResourceOrgID": "o-sandbox01"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.Authorize(call(user(tc.caller)), "s3:GetObject", tc.resource)
			for k, want := range tc.want {
				got, ok := d.Request.Context.Get(k)
				switch {
				case want == "" && ok:
					t.Errorf("Authorize(%s): %s = %v, want absent", tc.name, k, got)
				case want != "" && !slices.Equal(got, []string{want}):
					t.Errorf("Authorize(%s): %s = %v, want %q", tc.name, k, got, want)
				}
			}
			if d.Request.Resource.Account != "222222222222" {
				t.Errorf("Authorize(%s): resource account %q, want the bucket owner's (aws:ResourceAccount)", tc.name, d.Request.Resource.Account)
			}
		})
	}
}
