package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"iamlab/engine"
)

func mustParse(tb testing.TB, src string) *engine.Policy {
	tb.Helper()
	p, err := engine.ParsePolicy([]byte(src))
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// typicalRequest: a user with two identity policies, a boundary, a bucket
// policy and an SCP (five policies), and three conditions on the path
// that decides.
func typicalRequest(tb testing.TB) engine.Request {
	ctx := engine.Context{}
	ctx.Set("aws:MultiFactorAuthPresent", "true")
	ctx.Set("aws:SourceIp", "203.0.113.7")
	ctx.Set("s3:prefix", "home/alice/")
	return engine.Request{
		Principal: &engine.Principal{
			ARN: "arn:aws:iam::111122223333:user/alice",
			IdentityPolicies: []*engine.Policy{
				mustParse(tb, `{"Version": "2012-10-17", "Statement": [
					{"Sid": "ListHome", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-company",
					 "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
					{"Sid": "Home", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-company/home/${aws:username}/*",
					 "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}`),
				mustParse(tb, `{"Version": "2012-10-17", "Statement": [
					{"Sid": "DenyOutsideOffice", "Effect": "Deny", "Action": "*", "Resource": "*",
					 "Condition": {"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}}]}`),
			},
			PermissionsBoundary: mustParse(tb, `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*"}]}`),
		},
		Organization: engine.Organization{SCPs: [][]*engine.Policy{{mustParse(tb, `{"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]}`)}}},
		Action:       "s3:GetObject",
		Resource: engine.Resource{ARN: "arn:aws:s3:::my-company/home/alice/notes.txt", Account: "111122223333",
			Policy: mustParse(tb, `{"Version": "2012-10-17", "Statement": [{"Sid": "DenyInsecure", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource": ["arn:aws:s3:::my-company", "arn:aws:s3:::my-company/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}`)},
		Context: ctx,
	}
}

// BenchmarkEvaluate: the target is 2 µs/op or less with a few allocations.
func BenchmarkEvaluate(b *testing.B) {
	req := typicalRequest(b)
	if res := engine.Evaluate(req); res.Decision != engine.Allow {
		b.Fatalf("typical request: %v (%s)", res.Decision, res.Reason())
	}
	b.ReportAllocs()
	for b.Loop() {
		engine.Evaluate(req)
	}
}

// sixKBPolicy is a realistic managed policy of about 6 KB.
func sixKBPolicy() string {
	var stmts []string
	for i := 0; len(strings.Join(stmts, ",")) < 6000; i++ {
		stmts = append(stmts, fmt.Sprintf(`{
      "Sid": "Statement%d",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::bucket-%d", "arn:aws:s3:::bucket-%d/home/${aws:username}/*"],
      "Condition": {"StringEquals": {"aws:PrincipalTag/team": "team-%d"}, "Bool": {"aws:SecureTransport": "true"}}
    }`, i, i, i, i))
	}
	return `{"Version": "2012-10-17", "Statement": [` + strings.Join(stmts, ",") + `]}`
}

// BenchmarkParsePolicy6KB: the target is 100 µs/op or less.
func BenchmarkParsePolicy6KB(b *testing.B) {
	src := []byte(sixKBPolicy())
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := engine.ParsePolicy(src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeAndEvaluate is one line of `iamlab eval --jsonl`.
func BenchmarkDecodeAndEvaluate(b *testing.B) {
	src := []byte(loadCase(b, "testdata/cases/seed/home-folder-own-object-read.json").Request)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		req, err := engine.DecodeRequest(src)
		if err != nil {
			b.Fatal(err)
		}
		engine.Evaluate(req)
	}
}
