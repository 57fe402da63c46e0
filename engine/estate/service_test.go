package estate_test

import (
	"slices"
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// TestServicePrincipalCall checks a service principal's request: it
// carries aws:SourceArn, aws:SourceAccount and, for a member account,
// aws:SourceOrgID and aws:SourceOrgPaths; SCPs do not apply to it and
// RCPs do.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_examples.html
func TestServicePrincipalCall(t *testing.T) {
	t.Parallel()
	e := world(t)
	c := call(estate.Caller{Service: "cloudtrail.amazonaws.com", SourceARN: "arn:aws:cloudtrail:us-east-1:222222222222:trail/main"})
	d := e.Authorize(c, "s3:PutObject", "arn:aws:s3:::team-bucket/AWSLogs/x")
	if d.Identity == nil || d.Identity.Kind != estate.KindService {
		t.Fatalf("Authorize as a service: identity %+v, want a service principal", d.Identity)
	}
	want := map[string]string{
		"aws:SourceArn":     "arn:aws:cloudtrail:us-east-1:222222222222:trail/main",
		"aws:SourceAccount": "222222222222", // from the ARN when not given
		"aws:SourceOrgID":   "o-sandbox01",
	}
	for k, v := range want {
		if got, _ := d.Request.Context.Get(k); !slices.Equal(got, []string{v}) {
			t.Errorf("service call: %s = %v, want %q", k, got, v)
		}
	}
	if p, _ := d.Request.Context.Get("aws:SourceOrgPaths"); len(p) != 1 {
		t.Errorf("service call: aws:SourceOrgPaths = %v, want the account's path", p)
	}
	if len(d.Request.Organization.SCPs) != 0 {
		t.Errorf("service call: SCPs %v given, want none: SCPs do not apply to service principals", d.Request.Organization.SCPs)
	}
	if len(d.Request.Organization.RCPs) == 0 {
		t.Errorf("service call: no RCPs given, want the bucket account's: RCPs apply to service principals")
	}
	if _, err := e.Resolve(estate.Caller{Service: "cloudtrail"}, now); err == nil {
		t.Errorf("Resolve(service cloudtrail) = nil error, want a validation error")
	}
}

// TestServiceLinkedRoleSkipsRCPs: RCPs do not apply to calls by
// service-linked roles, while they apply to other roles' sessions.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
func TestServiceLinkedRoleSkipsRCPs(t *testing.T) {
	t.Parallel()
	e := world(t)
	for _, tc := range []struct {
		instance string
		wantRCPs bool
	}{{"i-0aaaaaaaaaaaaaaa4", false}, {"i-0aaaaaaaaaaaaaaa1", true}} {
		d := e.Authorize(call(estate.Caller{Instance: tc.instance}), "s3:GetObject", "arn:aws:s3:::team-bucket/public/index.html")
		if got := len(d.Request.Organization.RCPs) > 0; got != tc.wantRCPs {
			t.Errorf("Authorize(instance %s): RCPs given = %v, want %v", tc.instance, got, tc.wantRCPs)
		}
	}
}

// TestForwardAccessSession: a call a service forwards carries
// aws:ViaAWSService true and aws:CalledVia*, a direct call false.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
func TestForwardAccessSession(t *testing.T) {
	t.Parallel()
	e := world(t)
	c := call(user(alice))
	d := e.Authorize(c, "s3:GetObject", "arn:aws:s3:::team-bucket/public/index.html")
	if v, _ := d.Request.Context.Get("aws:ViaAWSService"); !slices.Equal(v, []string{"false"}) {
		t.Errorf("direct call: aws:ViaAWSService = %v, want false", v)
	}
	c.CalledVia = []string{"cloudformation.amazonaws.com", "lambda.amazonaws.com"}
	d = e.Authorize(c, "s3:GetObject", "arn:aws:s3:::team-bucket/public/index.html")
	for k, v := range map[string][]string{
		"aws:ViaAWSService":  {"true"},
		"aws:CalledVia":      {"cloudformation.amazonaws.com", "lambda.amazonaws.com"},
		"aws:CalledViaFirst": {"cloudformation.amazonaws.com"},
		"aws:CalledViaLast":  {"lambda.amazonaws.com"},
	} {
		if got, _ := d.Request.Context.Get(k); !slices.Equal(got, v) {
			t.Errorf("forwarded call: %s = %v, want %v", k, got, v)
		}
	}
	if d.Result.Decision != engine.Allow {
		t.Errorf("forwarded call: %v, want Allow", d.Result.Decision)
	}
}
