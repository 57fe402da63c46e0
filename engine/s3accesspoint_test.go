package engine_test

import (
	"strings"
	"testing"

	"iamlab/engine"
)

// TestDecodeAccessPointErrors: a bad accessPoint names its field and says
// what was expected.
func TestDecodeAccessPointErrors(t *testing.T) {
	t.Parallel()
	const arn = `"arn:aws:s3:us-east-1:111122223333:accesspoint/analytics"`
	tests := []struct {
		name, accessPoint, want string
	}{
		{"not an object", `"analytics"`, "accessPoint: must be an object"},
		{"bucket ARN", `{"arn": "arn:aws:s3:::shared-data"}`, "accessPoint.arn: must be an access point's ARN"},
		{"no name", `{"arn": "arn:aws:s3:us-east-1:111122223333:accesspoint/"}`, "accessPoint.arn: must be an access point's ARN"},
		{"other access point's object", `{"arn": ` + arn + `, "resource": "arn:aws:s3:us-east-1:111122223333:accesspoint/other/object/k"}`, "accessPoint.resource: must be the access point's ARN or ARN/object/KEY"},
		{"other account", `{"arn": ` + arn + `, "account": "444455556666"}`, "accessPoint.account: must be the account in the access point's ARN"},
		{"bad origin", `{"arn": ` + arn + `, "networkOrigin": "Intranet"}`, `accessPoint.networkOrigin: must be "Internet" or "VPC"`},
		{"VPC origin without VPC", `{"arn": ` + arn + `, "networkOrigin": "VPC"}`, "accessPoint.vpc: must be the VPC ID"},
		{"VPC on an internet access point", `{"arn": ` + arn + `, "vpc": "vpc-0aa11bb2"}`, `accessPoint.vpc: only an access point whose networkOrigin is "VPC"`},
		{"unknown field", `{"arn": ` + arn + `, "alias": "x"}`, "accessPoint.alias: unknown field"},
		{"number", `{"arn": 7}`, "accessPoint.arn: must be a string"},
		{"policy without principal is fine, bad policy is not", `{"arn": ` + arn + `, "policy": {"Statement": [{"Effect": "Maybe"}]}}`, "accessPoint.policy"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := `{"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::shared-data/k"}, "accessPoint": ` + tc.accessPoint + `}`
			_, err := engine.DecodeRequest([]byte(src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("DecodeRequest(%s) = %v, want an error containing %q", tc.accessPoint, err, tc.want)
			}
		})
	}
}

// TestAccessPointTrace: the access point's side is traced as its own
// stages, before the bucket's, and its network origin check first.
func TestAccessPointTrace(t *testing.T) {
	t.Parallel()
	pol, err := engine.ParsePolicy([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	req := engine.Request{
		Principal: &engine.Principal{ARN: "arn:aws:iam::111122223333:user/alice", IdentityPolicies: []*engine.Policy{pol}},
		Action:    "s3:ListBucket",
		Resource:  engine.Resource{ARN: "arn:aws:s3:::shared-data", Account: "111122223333"},
		AccessPoint: &engine.AccessPoint{ARN: "arn:aws:s3:us-east-1:111122223333:accesspoint/analytics",
			NetworkOrigin: engine.NetworkOriginVPC, VPC: "vpc-0aa11bb2"},
	}
	res := engine.Evaluate(req)
	if res.Decision != engine.ImplicitDeny || res.Denial != engine.AccessPointPolicy {
		t.Fatalf("Evaluate(VPC access point from the internet) = %v at %v, want ImplicitDeny at the access point", res.Decision, res.Denial)
	}
	if got := res.Trace[0]; got.Type != engine.AccessPointPolicy || !got.Matched || got.Sid != "NetworkOrigin" {
		t.Errorf("first step = %+v, want the matched NetworkOrigin check", got)
	}
	if got := engine.OfType(res.Trace, engine.AccessPointIdentity); len(got) != 1 || !got[0].Matched {
		t.Errorf("access point identity steps = %+v, want one matched", got)
	}
	req.VPCEndpoint = &engine.VPCEndpoint{ID: "vpce-1a2b3c4d", VPC: "vpc-0aa11bb2"}
	if res := engine.Evaluate(req); res.Decision != engine.Allow {
		t.Errorf("Evaluate(VPC access point from its VPC) = %v (%s), want Allow", res.Decision, res.Reason())
	}
}

// TestLintAccessPointPolicies: AWS's own access point examples lint clean:
// the catalog knows s3:DataAccessPointAccount, s3:DataAccessPointArn and
// s3:AccessPointNetworkOrigin, and access point ARNs (TestLint flags a
// misspelt one).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func TestLintAccessPointPolicies(t *testing.T) {
	t.Parallel()
	for _, src := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*","Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Alice"},"Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:us-west-2:111122223333:accesspoint/my-access-point/object/Alice/*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringNotEquals":{"s3:AccessPointNetworkOrigin":"VPC"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringLike":{"s3:DataAccessPointArn":"arn:aws:s3:us-west-2:111122223333:accesspoint/*"}}}]}`,
	} {
		p, err := engine.ParsePolicy([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range engine.Lint(p, engine.PlacementResource) {
			if strings.HasPrefix(f.Code, "unknown") || strings.Contains(strings.ToLower(f.Message), "accesspoint") {
				t.Errorf("Lint(%s): %s %s", src, f.Code, f.Message)
			}
		}
	}
}

// BenchmarkEvaluateAccessPoint: the typical request of BenchmarkEvaluate
// made through an access point with a policy and a delegating bucket
// policy, for the layer's own cost beside BenchmarkEvaluate's.
func BenchmarkEvaluateAccessPoint(b *testing.B) {
	req := typicalRequest(b)
	req.AccessPoint = &engine.AccessPoint{ARN: "arn:aws:s3:us-east-1:111122223333:accesspoint/home",
		Resource: "arn:aws:s3:us-east-1:111122223333:accesspoint/home/object/home/alice/notes.txt",
		Policy: mustParse(b, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"},
			"Action": "s3:GetObject", "Resource": "arn:aws:s3:us-east-1:111122223333:accesspoint/home/object/home/${aws:username}/*"}]}`)}
	if res := engine.Evaluate(req); res.Decision != engine.Allow {
		b.Fatalf("typical request through an access point: %v (%s)", res.Decision, res.Reason())
	}
	b.ReportAllocs()
	for b.Loop() {
		engine.Evaluate(req)
	}
}
