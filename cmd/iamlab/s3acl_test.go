package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// An object another account owns: the S3 ACL stage is drawn after the
// bucket policy and marked where it denied, and the JSON result names the
// ACL grant that allowed a read.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func TestEvalExplainS3ACL(t *testing.T) {
	req := `{"principal": {"arn": "arn:aws:iam::111122223333:user/analyst",
	    "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]},
	  "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::drop/daily.csv", "account": "111122223333"},
	  "s3": {"objectOwner": "444455556666", "objectAcl": "private"}}`
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--explain", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{"✗ ImplicitDeny", "S3 access control list  ← denied here", "· object owner: the object belongs to account 444455556666"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("--explain output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	req = strings.Replace(req, `"objectAcl": "private"`, `"objectAcl": "bucket-owner-full-control"`, 1)
	if code := run([]string{"eval", "-"}, strings.NewReader(req), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var res struct {
		Decision string
		Matched  []struct {
			PolicyType     string
			StatementIndex int
		} `json:"matchedStatements"`
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Decision != "Allow" || len(res.Matched) != 2 || res.Matched[0].PolicyType != "s3Acl" || res.Matched[0].StatementIndex != 1 {
		t.Errorf("eval result %s, want Allow with the s3Acl grant to the bucket owner (grant 1) matched", out.String())
	}
}
