package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalCorpus pastes every corpus case into `iamlab eval -`, as a tool
// outside the app would, and checks the decision it prints.
func TestEvalCorpus(t *testing.T) {
	files, err := filepath.Glob("../../engine/testdata/cases/*/*.json")
	if err != nil || len(files) < 250 {
		t.Fatalf("found %d corpus cases (%v), want at least 250", len(files), err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			Request json.RawMessage
			Want    struct{ Decision string }
		}
		if err := json.Unmarshal(src, &c); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var out, errOut bytes.Buffer
		if code := run([]string{"eval", "-"}, bytes.NewReader(c.Request), &out, &errOut); code != exitOK {
			t.Fatalf("%s: exit %d: %s", f, code, errOut.String())
		}
		var res struct{ Decision string }
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatalf("%s: output %q: %v", f, out.String(), err)
		}
		if res.Decision != c.Want.Decision {
			t.Errorf("iamlab eval %s = %s, want %s", f, res.Decision, c.Want.Decision)
		}
	}
}

func TestEvalJSONL(t *testing.T) {
	good := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}, "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}}`
	bad := `{"action": "s3:GetObject", "resource": {"arn": "*"}, "principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Statement": {"Effect": "Maybe", "Action": "s3:*"}}]}}`
	in := strings.Join([]string{good, bad, "not json", good}, "\n") + "\n"
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--jsonl"}, strings.NewReader(in), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d result lines, want 4:\n%s", len(lines), out.String())
	}
	wants := []string{`"decision":"Allow"`, `{"error":"line 2: principal.identityPolicies[0].Statement.Effect: must be \"Allow\" or \"Deny\" (line 1, column 161)"}`, `{"error":"line 3: `, `"decision":"Allow"`}
	for i, w := range wants {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %s, want it to contain %s", i+1, lines[i], w)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		in   string
		code int
		want string
	}{
		{"bad request", []string{"eval", "-"}, `{"action": "s3:GetObject", "resource": {"arn": "*"}, "extra": 1}`, exitBadUsage, "standard input: extra: unknown field"},
		{"no file", []string{"eval", "/nonexistent/request.json"}, "", exitBadUsage, "no such file"},
		{"no args", []string{"eval"}, "", exitBadUsage, "Usage: iamlab eval"},
		{"unknown command", []string{"evaluate"}, "", exitBadUsage, `unknown command "evaluate"`},
		{"hostile nesting", []string{"eval", "-"}, strings.Repeat("[", 10000), exitBadUsage, "nesting deeper than"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tc.args, strings.NewReader(tc.in), &out, &errOut)
			if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut.String(), tc.code, tc.want)
			}
			if strings.Contains(errOut.String(), "goroutine") {
				t.Errorf("a stack trace reached the user: %s", errOut.String())
			}
		})
	}
}

func TestEvalExplain(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Sid": "ReadOnly", "Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}]}, "action": "s3:PutObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"✗ ImplicitDeny",
		"User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::b/k because no identity-based policy allows the s3:PutObject action",
		`statement "ReadOnly" (Allow): Action s3:PutObject does not match "s3:Get*"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out.String())
		}
	}
}

// The trace names a statement without a Sid counted from 1, and says why a
// Resource pattern lint knows can never match missed (the seed's RDS-*).
func TestEvalExplainNeverMatches(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam:::role/RDS-*"}}]}, "action": "iam:PassRole", "resource": {"arn": "arn:aws:iam::111122223333:role/RDS-Monitoring", "account": "111122223333"}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	want := `statement 1 (Allow): Resource arn:aws:iam::111122223333:role/RDS-Monitoring does not match "arn:aws:iam:::role/RDS-*"; "arn:aws:iam:::role/RDS-*" can never match: its account field is empty`
	if !strings.Contains(out.String(), want) {
		t.Errorf("--explain output lacks %q:\n%s", want, out.String())
	}
}

// A VPC endpoint policy that does not allow the request is the layer the
// trace marks, after the organization's and before the resource's.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
func TestEvalExplainEndpointDeniedHere(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]}, "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"},
		"vpcEndpoint": {"id": "vpce-1a2b3c4d", "vpc": "vpc-0aa11bb2", "policy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::other/*"}}}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"because no VPC endpoint policy allows the s3:GetObject action",
		"  VPC endpoint policy  ← denied here\n",
		"  identity-based policy 1\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out.String())
		}
	}
}

// A KMS grant is its own stage of the trace, after the key policy, and
// carries the "denied here" marker when its encryption context
// constraint is what failed.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html
func TestEvalExplainKMSGrant(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/bob"}, "action": "kms:Decrypt",
	  "resource": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k1", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/admin"}, "Action": "kms:*", "Resource": "*"}]},
	    "kmsGrants": [{"grantId": "g1", "name": "it-only", "granteePrincipal": "arn:aws:iam::111122223333:user/bob", "operations": ["Decrypt"], "constraints": {"encryptionContextSubset": {"Department": "IT"}}}]},
	  "encryptionContext": {"Department": "HR"}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"because no resource-based policy allows the kms:Decrypt action",
		"  KMS grant 1  ← denied here\n",
		`statement "it-only" (Allow): the encryption context constraint is not met: the request's encryption context must include {"Department":"IT"}, and it is {"Department":"HR"}`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out.String())
		}
	}
}

// RestrictPublicBuckets is a stage of its own, marked where it denied.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestEvalExplainBlockPublicAccess(t *testing.T) {
	req := `{"action": "s3:GetObject", "s3": {"restrictPublicBuckets": true},
	  "resource": {"arn": "arn:aws:s3:::site/index.html", "account": "111122223333",
	    "policy": {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::site/*"}]}}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"✗ ImplicitDeny", "  S3 Block Public Access  ← denied here\n", "Block Public Access (RestrictPublicBuckets)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out.String())
		}
	}
}
