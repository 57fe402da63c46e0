package estate_test

import (
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// TestVPCEndpoint checks calls through a VPC endpoint: its policy must
// allow, its keys replace aws:SourceIp, and only its own service's calls go
// through it.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func TestVPCEndpoint(t *testing.T) {
	t.Parallel()
	e := world(t)
	doc, err := estate.NewDocument(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/public/*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	e.Accounts["222222222222"].VPCEndpoints = map[string]*estate.VPCEndpoint{
		"vpce-1a2b3c4d": {VPC: "vpc-0aa11bb2", Service: "s3", Policy: doc},
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	via := func(id string) estate.Call {
		c := call(user(alice))
		c.VPCEndpoint = id
		return c
	}
	tests := []struct {
		name     string
		c        estate.Call
		action   string
		resource string
		want     engine.Decision
		denial   engine.PolicyType
		code     string
	}{
		{"the endpoint policy allows and the identity policy grants", via("vpce-1a2b3c4d"), "s3:GetObject", "arn:aws:s3:::team-bucket/public/index.html", engine.Allow, 0, ""},
		{"the endpoint policy does not allow another prefix", via("vpce-1a2b3c4d"), "s3:GetObject", "arn:aws:s3:::team-bucket/private/secret.txt", engine.ImplicitDeny, engine.EndpointPolicy, "AccessDenied"},
		{"the same call over the public endpoint", call(user(alice)), "s3:GetObject", "arn:aws:s3:::team-bucket/private/secret.txt", engine.Allow, 0, ""},
		{"another service's call does not go through an s3 endpoint", via("vpce-1a2b3c4d"), "iam:ListUsers", "*", engine.Allow, 0, ""},
		{"an endpoint that does not exist", via("vpce-00000000"), "s3:GetObject", "arn:aws:s3:::team-bucket/public/index.html", engine.ImplicitDeny, 0, "InvalidVpcEndpointId.NotFound"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.Authorize(tc.c, tc.action, tc.resource)
			if got := code(errOf(d)); got != tc.code {
				t.Fatalf("Authorize(%s) error code = %q, want %q (%v)", tc.name, got, tc.code, d.Err)
			}
			if tc.code == "InvalidVpcEndpointId.NotFound" {
				return
			}
			if d.Result.Decision != tc.want || d.Result.Denial != tc.denial {
				t.Errorf("Authorize(%s) = %v by %v, want %v by %v", tc.name, d.Result.Decision, d.Result.Denial, tc.want, tc.denial)
			}
			through := d.Request.VPCEndpoint != nil
			if _, hasIP := d.Request.Context.Get("aws:SourceIp"); hasIP == through {
				t.Errorf("Authorize(%s): aws:SourceIp present = %v with endpoint %v", tc.name, hasIP, through)
			}
		})
	}
}
