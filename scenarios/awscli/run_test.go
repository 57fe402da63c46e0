package awscli_test

import (
	"strings"
	"testing"

	"iamlab/scenarios"
)

// estateYAML is a small account: ana may read and list the bucket
// team-docs and describe instances; its bucket policy lets anyone read
// public/.
const estateYAML = `id: awscli-test
title: awscli test
topics: [test]
difficulty: easy
story: A test estate.
account: "111122223333"
estate:
  accounts:
    "111122223333":
      users:
        ana:
          inlinePolicies:
            read: |
              {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket", "s3:ListAllMyBuckets", "ec2:DescribeInstances"], "Resource": "*"}]}
      buckets:
        team-docs:
          objects:
            specs/api.md: "# API spec\n"
            public/readme.txt: "hello"
          policy: |
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
              "Action": "s3:GetObject", "Resource": "arn:aws:s3:::team-docs/public/*"}]}
`

// sandbox is a fresh sandbox of estateYAML.
func sandbox(t *testing.T) *scenarios.Sandbox {
	t.Helper()
	return sandboxOf(t, "awscli-test.yaml", estateYAML)
}

// sandboxOf is a fresh sandbox of the scenario src, read as file.
func sandboxOf(t *testing.T, file, src string) *scenarios.Sandbox {
	t.Helper()
	s, ps := scenarios.Parse(file, []byte(src))
	if len(ps) > 0 {
		t.Fatalf("Parse: %v", ps)
	}
	return s.NewSandbox()
}

// TestRun runs commands as the AWS CLI takes them and checks what the
// sandbox answers. https://docs.aws.amazon.com/cli/latest/reference/
func TestRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, as, line string
		code           string   // "" for success
		has            []string // in the output or the message
		lacks          []string
	}{
		{name: "get-object writes to its outfile", as: "ana", line: "aws s3api get-object --bucket team-docs --key specs/api.md api.md",
			has: []string{`"ContentLength": 11`, `"ETag"`}, lacks: []string{`"Body"`}},
		{name: "get-object without its outfile", as: "ana", line: "aws s3api get-object --bucket team-docs --key specs/api.md",
			code: "ParamValidation", has: []string{"the following arguments are required: outfile"}},
		{name: "get-object with two outfiles", as: "ana", line: "aws s3api get-object --bucket team-docs --key specs/api.md a b",
			code: "ParamValidation", has: []string{`unexpected "b"`}},
		// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html (--no-sign-request)
		{name: "no-sign-request goes as anonymous: denied where ana is allowed", as: "ana",
			line: "aws s3api get-object --bucket team-docs --key specs/api.md api.md --no-sign-request", code: "AccessDenied"},
		{name: "no-sign-request: anonymous may read public/", as: "ana",
			line: "aws s3api get-object --no-sign-request --bucket team-docs --key public/readme.txt readme.txt"},
		{name: "no-sign-request on sts: STS wants a signature", as: "ana", line: "aws sts get-caller-identity --no-sign-request", code: "MissingAuthenticationToken"},
		{name: "list-objects-v2 gives each object's size and ETag", as: "ana", line: "aws s3api list-objects-v2 --bucket team-docs --prefix specs/",
			has: []string{`"Key": "specs/api.md"`, `"Size": 11`, `"ETag": "\"`}},
		{name: "describe-instances with none", as: "ana", line: "aws ec2 describe-instances", has: []string{`"Reservations": []`}},
		{name: "s3 ls lists the buckets", as: "ana", line: "aws s3 ls", has: []string{" team-docs"}},
		{name: "s3 ls a prefix", as: "ana", line: "aws s3 ls s3://team-docs/", has: []string{"PRE public/", "PRE specs/"}},
		{name: "s3 ls recursive", as: "ana", line: "aws s3 ls s3://team-docs --recursive", has: []string{"11 specs/api.md", "5 public/readme.txt"}},
		{name: "s3 ls denied", as: "anonymous", line: "aws s3 ls s3://team-docs/", code: "AccessDenied"},
		{name: "s3 cp names the s3api commands", as: "ana", line: "aws s3 cp s3://team-docs/specs/api.md .", code: "ParamValidation",
			has: []string{"aws s3api get-object", "aws s3api put-object"}, lacks: []string{"did you mean"}},
		{name: "s3 rm", as: "ana", line: "aws s3 rm s3://team-docs/specs/api.md", code: "ParamValidation", has: []string{"aws s3api delete-object"}},
		{name: "s3 sync", as: "ana", line: "aws s3 sync . s3://team-docs", code: "ParamValidation", has: []string{"aws s3api list-objects-v2"}},
		{name: "s3 mb", as: "ana", line: "aws s3 mb s3://new", code: "ParamValidation", has: []string{"aws s3api create-bucket"}},
		{name: "s3 rb", as: "ana", line: "aws s3 rb s3://team-docs", code: "ParamValidation", has: []string{"aws s3api delete-bucket"}},
		{name: "s3 mv", as: "ana", line: "aws s3 mv a s3://team-docs/a", code: "ParamValidation", has: []string{"aws s3api delete-object"}},
		{name: "s3 presign", as: "ana", line: "aws s3 presign s3://team-docs/a", code: "ParamValidation", has: []string{"aws s3api get-object"}},
		// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketPolicy.html
		{name: "get-bucket-policy as the account's root", as: "root", line: "aws s3api get-bucket-policy --bucket team-docs", has: []string{`"Policy"`, "public/*"}},
		{name: "get-bucket-policy needs s3:GetBucketPolicy", as: "ana", line: "aws s3api get-bucket-policy --bucket team-docs", code: "AccessDenied"},
		{name: "get-bucket-policy of no bucket", as: "root", line: "aws s3api get-bucket-policy --bucket nope", code: "NoSuchBucket"},
		// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
		{name: "simulate-custom-policy weighs each action", as: "root",
			line: `aws iam simulate-custom-policy --policy-input-list '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}' --action-names "s3:GetObject s3:PutObject" --caller-arn arn:aws:iam::111122223333:user/ana`,
			has:  []string{`"EvalActionName": "s3:GetObject"`, `"EvalDecision": "allowed"`, `"EvalDecision": "implicitDeny"`, `"SourcePolicyId": "PolicyInputList.1"`}},
		{name: "simulate-custom-policy as root weighs only the policies passed", as: "root",
			line: `aws iam simulate-custom-policy --policy-input-list '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}' --action-names s3:PutObject`,
			has:  []string{`"EvalDecision": "implicitDeny"`}},
		{name: "simulate-custom-policy with a bad policy", as: "root",
			line: `aws iam simulate-custom-policy --policy-input-list '{bad' --action-names s3:GetObject`, code: "MalformedPolicyDocument"},
		// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
		{name: "simulate-principal-policy names the user's inline policy", as: "root",
			line: "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:user/ana --action-names s3:GetObject",
			has:  []string{`"EvalDecision": "allowed"`, `"SourcePolicyId": "read"`, `"SourcePolicyType": "user"`}},
		{name: "simulate-principal-policy needs iam:SimulatePrincipalPolicy", as: "ana",
			line: "aws iam simulate-principal-policy --policy-source-arn arn:aws:iam::111122223333:user/ana --action-names s3:GetObject", code: "AccessDenied"},
		{name: "s3 something else", as: "ana", line: "aws s3 list", code: "ParamValidation", has: []string{"aws s3 has ls, cp, mv, rm, sync, mb, rb, presign, website"}, lacks: []string{"kms"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := sandbox(t).Run(tc.as, tc.line)
			if o.Code != tc.code {
				t.Fatalf("Run(%q) code = %q, want %q (%s)", tc.line, o.Code, tc.code, o.Message)
			}
			text := o.Output + o.Message
			for _, h := range tc.has {
				if !strings.Contains(text, h) {
					t.Errorf("Run(%q) = %q, want it to contain %q", tc.line, text, h)
				}
			}
			for _, l := range tc.lacks {
				if strings.Contains(text, l) {
					t.Errorf("Run(%q) = %q, want no %q", tc.line, text, l)
				}
			}
		})
	}
}

// TestRunChangesEstate: the commands that change the estate change it, so
// the next command sees the change.
func TestRunChangesEstate(t *testing.T) {
	t.Parallel()
	steps := []struct{ as, line, code string }{
		{"root", "aws s3api delete-object --bucket team-docs --key specs/api.md", ""},
		{"ana", "aws s3api get-object --bucket team-docs --key specs/api.md api.md", "NoSuchKey"},
		{"root", "aws s3api delete-bucket-policy --bucket team-docs", ""},
		{"root", "aws s3api get-bucket-policy --bucket team-docs", "NoSuchBucketPolicy"},
		{"anonymous", "aws s3api get-object --bucket team-docs --key public/readme.txt r.txt", "AccessDenied"},
		{"root", `aws s3api put-bucket-policy --bucket team-docs --policy '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::team-docs/*"}]}'`, ""},
		{"anonymous", "aws s3api get-object --bucket team-docs --key public/readme.txt r.txt", ""},
	}
	sb := sandbox(t)
	for _, st := range steps {
		if o := sb.Run(st.as, st.line); o.Code != st.code {
			t.Fatalf("Run(%q) code = %q, want %q (%s)", st.line, o.Code, st.code, o.Message)
		}
	}
}
