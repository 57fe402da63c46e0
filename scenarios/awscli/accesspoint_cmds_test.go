package awscli_test

import (
	"strings"
	"testing"
)

// TestAccessPointCommands: the S3 Control commands create an access point
// and manage its policy, and the s3api object commands reach the bucket
// through it, as the real CLI's --bucket ARN does.
// https://docs.aws.amazon.com/cli/latest/reference/s3control/create-access-point.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func TestAccessPointCommands(t *testing.T) {
	t.Parallel()
	const ap = "arn:aws:s3:us-east-1:111122223333:accesspoint/docs-ap"
	steps := []struct {
		as, line, code string
		has            []string
	}{
		{"root", "aws s3control create-access-point --account-id 111122223333 --name docs-ap --bucket team-docs", "", []string{`"AccessPointArn": "` + ap + `"`}},
		{"root", "aws s3control get-access-point --account-id 111122223333 --name docs-ap", "", []string{`"NetworkOrigin": "Internet"`, `"Bucket": "team-docs"`}},
		{"root", "aws s3control get-access-point-policy --account-id 111122223333 --name docs-ap", "NoSuchAccessPointPolicy", nil},
		// ana may read and list any resource: within one account her IAM
		// policy is enough for both the access point and the bucket.
		{"ana", "aws s3api get-object --bucket " + ap + " --key specs/api.md api.md", "", []string{`"ContentLength": 11`}},
		{"ana", "aws s3api list-objects-v2 --bucket " + ap + " --prefix specs/", "", []string{`"Key": "specs/api.md"`, `"Size": 11`}},
		{"root", `aws s3control put-access-point-policy --account-id 111122223333 --name docs-ap --policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "` + ap + `/object/specs/*"}]}'`, "", nil},
		{"ana", "aws s3api get-object --bucket " + ap + " --key specs/api.md api.md", "AccessDenied", []string{"explicit deny"}},
		// The access point's policy does not change the bucket's behaviour.
		{"ana", "aws s3api get-object --bucket team-docs --key specs/api.md api.md", "", nil},
		{"root", "aws s3control get-access-point-policy --account-id 111122223333 --name docs-ap", "", []string{`"Policy"`, "object/specs/*"}},
		{"ana", "aws s3control delete-access-point-policy --account-id 111122223333 --name docs-ap", "AccessDenied", nil},
		{"root", "aws s3control delete-access-point-policy --account-id 111122223333 --name docs-ap", "", nil},
		{"ana", "aws s3api get-object --bucket " + ap + " --key specs/api.md api.md", "", nil},
		{"root", "aws s3control create-access-point --account-id 111122223333 --name vpc-ap --bucket team-docs --vpc-configuration VpcId=vpc-0aa11bb2", "", nil},
		{"ana", "aws s3api get-object --bucket arn:aws:s3:us-east-1:111122223333:accesspoint/vpc-ap --key specs/api.md api.md", "AccessDenied", []string{"AccessDenied"}},
		{"root", "aws s3control create-access-point --account-id 111122223333 --name bad --bucket team-docs --vpc-configuration Vpc=x", "ParamValidation", []string{"--vpc-configuration"}},
		{"ana", "aws s3api get-object --bucket arn:aws:s3:us-east-1:111122223333:accesspoint/nope --key k k", "NoSuchAccessPoint", nil},
		{"root", "aws s3api delete-object --bucket " + ap + " --key specs/api.md", "", nil},
		{"ana", "aws s3api get-object --bucket team-docs --key specs/api.md api.md", "NoSuchKey", nil},
	}
	sb := sandbox(t)
	for _, st := range steps {
		o := sb.Run(st.as, st.line)
		if o.Code != st.code {
			t.Fatalf("Run(%q) code = %q, want %q (%s)", st.line, o.Code, st.code, o.Message)
		}
		for _, h := range st.has {
			if !strings.Contains(o.Output+o.Message, h) {
				t.Errorf("Run(%q) = %q, want %q", st.line, o.Output+o.Message, h)
			}
		}
	}
}

// TestEndpointURL: --endpoint-url http://... sends the call without TLS,
// so aws:SecureTransport is false; https:// and no option send it with TLS.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
func TestEndpointURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ opt, want, code string }{
		{"", "true", ""},
		{" --endpoint-url https://s3.us-east-1.amazonaws.com", "true", ""},
		{" --endpoint-url http://s3.us-east-1.amazonaws.com", "false", ""},
		{" --endpoint-url s3.amazonaws.com", "", "ParamValidation"},
		{" --endpoint-url ftp://s3.amazonaws.com", "", "ParamValidation"},
	}
	for _, tc := range tests {
		o := sandbox(t).Run("ana", "aws s3api get-object --bucket team-docs --key specs/api.md api.md"+tc.opt)
		if o.Code != tc.code {
			t.Fatalf("get-object%s: code %q, want %q (%s)", tc.opt, o.Code, tc.code, o.Message)
		}
		if tc.code != "" {
			continue
		}
		v, _ := o.Checks[0].Request.Context.Get("aws:SecureTransport")
		if len(v) != 1 || v[0] != tc.want {
			t.Errorf("get-object%s: aws:SecureTransport = %v, want %s", tc.opt, v, tc.want)
		}
	}
}
