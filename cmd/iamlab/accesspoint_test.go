package main

import (
	"bytes"
	"strings"
	"testing"
)

// A request through an S3 access point is traced as the access point's
// layers before the bucket's, and a VPC access point refusing a request
// from the internet is the layer marked "denied here".
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
func TestEvalExplainAccessPointDeniedHere(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]},
		"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"},
		"accessPoint": {"arn": "arn:aws:s3:us-east-1:111122223333:accesspoint/ap", "resource": "arn:aws:s3:us-east-1:111122223333:accesspoint/ap/object/k", "networkOrigin": "VPC", "vpc": "vpc-0aa11bb2"}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := out.String()
	for _, want := range []string{
		"the access point takes requests only from its VPC",
		"  S3 access point (network origin and access point policy)  ← denied here\n",
		"    ✗ check NetworkOrigin (Deny): the access point's network origin is VPC, and the request did not come from its VPC\n",
		"  identity-based policy 1, on the access point's ARN\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("--explain output lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "S3 access point") > strings.Index(got, "  identity-based policy 1\n") {
		t.Errorf("the access point's layers should come before the bucket's:\n%s", got)
	}
}
