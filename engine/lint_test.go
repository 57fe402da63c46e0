package engine_test

import (
	"strings"
	"testing"

	"iamlab/engine"
)

// TestLint checks each finding a learner relies on, with where it points.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
func TestLint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		place  engine.Placement
		policy string
		code   string // want a finding with this code
		line   int    // on this line, when > 0
		text   string // whose message contains this
	}{
		{"seed sample question 2: empty account field", engine.PlacementIdentity, `{
 "Version": "2012-10-17",
 "Statement": [
  {"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
  {"Sid": "Passrole", "Effect": "Allow", "Action": ["iam:PassRole"],
   "Resource": "arn:aws:iam:::role/RDS-*"}
 ]
}`, "arn-never-matches", 6, "account field is empty"},
		{"unknown action with suggestion", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}}`, "unknown-action", 1, `did you mean "s3:GetObject"`},
		{"unknown service prefix", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s4:GetObject", "Resource": "*"}}`, "unknown-service", 1, `did you mean "s3"`},
		{"wildcard action matching nothing", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:Fetch*", "Resource": "*"}}`, "unknown-action", 1, "matches no s3 action"},
		{"variable without version", engine.PlacementIdentity, `{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/home/${aws:username}/*"}}`, "variable-without-version", 1, "literal text"},
		{"allow with NotAction", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}`, "allow-notaction", 1, "every action not listed"},
		{"allow with NotResource", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}}`, "allow-notresource", 1, "every resource not listed"},
		{"principal in identity policy", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}`, "unsupported-principal", 1, "cannot name a Principal"},
		{"no principal in bucket policy", engine.PlacementResource, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}`, "missing-principal", 1, "must name a Principal"},
		{"user inline size quota", engine.PlacementUserInline, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/` + strings.Repeat("x", 2100) + `"}}`, "policy-size", 1, "2,048"},
		{"managed size quota", engine.PlacementManaged, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/` + strings.Repeat("x", 6200) + `"}}`, "policy-size", 1, "6,144"},
		{"MFA Bool false deny pitfall", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}}`, "mfa-bool-deny", 1, "BoolIfExists"},
		{"misspelt access point key", engine.PlacementResource, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"s3:DataAccesPointArn": "x"}}}}`, "unknown-condition-key", 1, "s3:DataAccesPointArn is not a condition key of s3"},
		{"unknown global key", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:usrname": "alice"}}}}`, "unknown-condition-key", 1, "aws:username"},
		{"set operator on single-valued key", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAllValues:StringEquals": {"aws:username": "alice"}}}}`, "set-operator-single-value", 1, "single-valued"},
		{"invalid numeric value", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": "ten"}}}}`, "invalid-condition-value", 1, "not a valid number"},
		{"PassRole on star", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}}`, "passrole-star", 1, "any role"},
		{"trust policy with resource", engine.PlacementTrust, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}}`, "trust-resource", 1, "prohibited field Resource"},
		{"seed's S3 ARN missing a colon", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3::my-company/home/${aws:username}/*"}}`, "arn-parts", 1, "has 5 colon-separated parts"},
		{"resource of another service", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/t"}}`, "resource-service-mismatch", 1, "dynamodb resource"},
		{"exact operator with a wildcard", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"StringEquals": {"s3:prefix": "home/*"}}}}`, "wildcard-in-equals", 1, "StringLike"},
		{"RCP allow", engine.PlacementRCP, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}}`, "rcp-allow", 1, "only deny"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := engine.ParsePolicy([]byte(tc.policy))
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			findings := engine.Lint(p, tc.place)
			for _, f := range findings {
				if f.Code == tc.code && (tc.line == 0 || f.Pos.Line == tc.line) && strings.Contains(f.Message, tc.text) {
					return
				}
			}
			t.Errorf("Lint() = %+v, want a %s finding on line %d containing %q", findings, tc.code, tc.line, tc.text)
		})
	}
}

// TestLintClean: well-formed policies from AWS's own examples raise nothing.
func TestLintClean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		place  engine.Placement
		policy string
	}{
		{"corrected sample question 2", engine.PlacementManaged, `{"Version": "2012-10-17", "Statement": [
			{"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
			{"Sid": "PassRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/RDS-*",
			 "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}}]}`},
		{"home folders", engine.PlacementGroupInline, `{"Version": "2012-10-17", "Statement": [
			{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::my-company",
			 "Condition": {"StringLike": {"s3:prefix": ["", "home/", "home/${aws:username}/*"]}}},
			{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::my-company/home/${aws:username}/*"}]}`},
		{"trust policy for EC2", engine.PlacementTrust, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`},
		{"cross-account trust with external ID", engine.PlacementTrust, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "Unique-1234"}}}}`},
		{"MFA deny done right", engine.PlacementIdentity, `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}}`},
		{"bucket policy from an IP range", engine.PlacementResource, `{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}}}`},
		{"ABAC", engine.PlacementManaged, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"], "Resource": "arn:aws:ec2:*:111122223333:instance/*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}}`},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_attribute-based-access-control.html
		{"ABAC tutorial: assume roles of your own project", engine.PlacementManaged, `{"Version": "2012-10-17", "Statement": [
			{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::111122223333:role/access-*", "Condition": {"StringEquals": {"iam:ResourceTag/access-project": "${aws:PrincipalTag/access-project}", "aws:ResourceTag/access-team": "${aws:PrincipalTag/access-team}"}}},
			{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/access-project": "${aws:PrincipalTag/access-project}"}}},
			{"Effect": "Allow", "Action": "ec2:StopInstances", "Resource": "*", "Condition": {"StringEquals": {"ec2:ResourceTag/access-project": "${aws:PrincipalTag/access-project}"}}}]}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := engine.ParsePolicy([]byte(tc.policy))
			if err != nil {
				t.Fatalf("ParsePolicy: %v", err)
			}
			if f := engine.Lint(p, tc.place); len(f) != 0 {
				t.Errorf("Lint() = %+v, want no findings", f)
			}
		})
	}
}

func TestTraceFilters(t *testing.T) {
	t.Parallel()
	src := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": [
		{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
		{"Sid": "Write", "Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}]},
		"organization": {"serviceControlPolicies": [[{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}]]},
		"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}}`
	req, err := engine.DecodeRequest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Evaluate(req)
	fails := engine.Failures(res.Trace)
	if len(fails) != 1 || fails[0].Sid != "Write" {
		t.Fatalf("Failures = %+v, want the Write statement", fails)
	}
	if got := fails[0].Reason(req.PolicyOf(fails[0].Type, fails[0].Policy)); got != `Action s3:GetObject does not match "s3:PutObject"` {
		t.Errorf("Reason = %q", got)
	}
	if n := len(engine.OfType(res.Trace, engine.SCP)); n != 1 {
		t.Errorf("OfType(SCP) has %d steps, want 1", n)
	}
}

// A resource policy naming the IAM user who called GetFederationToken
// reaches the federated session, limited by its session policy (facts §2.3;
// GetFederationToken API reference).
func TestFederatedByUser(t *testing.T) {
	t.Parallel()
	bucket := mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/broker"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}`)
	session := mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`)
	narrow := mustParse(t, `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}}`)
	tests := []struct {
		name        string
		federatedBy string
		session     *engine.Policy
		want        engine.Decision
	}{
		{"the broker's session, allowed by its session policy", "arn:aws:iam::111122223333:user/broker", session, engine.Allow},
		{"the broker's session, limited by a narrower session policy", "arn:aws:iam::111122223333:user/broker", narrow, engine.ImplicitDeny},
		{"another user's session", "arn:aws:iam::111122223333:user/other", session, engine.ImplicitDeny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := engine.Evaluate(engine.Request{
				Principal: &engine.Principal{ARN: "arn:aws:sts::111122223333:federated-user/partner", FederatedBy: tc.federatedBy, SessionPolicies: []*engine.Policy{tc.session}},
				Action:    "s3:GetObject",
				Resource:  engine.Resource{ARN: "arn:aws:s3:::b/k", Account: "111122223333", Policy: bucket},
			})
			if res.Decision != tc.want {
				t.Errorf("Evaluate = %v, want %v (%s)", res.Decision, tc.want, res.Reason())
			}
		})
	}
}

// TestExplanationCountsOneWay: a person reads statements by Sid, or counted
// from 1 like policies; the seed's iam:PassRole on arn:aws:iam:::role/RDS-*
// explains why the statement missed with lint's reason.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns
func TestExplanationCountsOneWay(t *testing.T) {
	t.Parallel()
	src := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam:::role/RDS-*"},
		{"Effect": "Allow", "Action": "iam:GetRole", "Resource": "*"}]}]},
		"action": "iam:PassRole", "resource": {"arn": "arn:aws:iam::111122223333:role/RDS-Monitoring", "account": "111122223333"}}`
	req, err := engine.DecodeRequest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res := engine.Evaluate(req)
	step := res.Trace[0]
	got := step.Reason(req.PolicyOf(step.Type, step.Policy))
	want := `Resource arn:aws:iam::111122223333:role/RDS-Monitoring does not match "arn:aws:iam:::role/RDS-*"; "arn:aws:iam:::role/RDS-*" can never match: its account field is empty`
	if !strings.HasPrefix(got, want) {
		t.Errorf("Reason = %q, want it to start %q", got, want)
	}
	for _, tc := range []struct {
		index int
		sid   string
		want  string
	}{
		{0, "", "statement 1"},
		{2, "", "statement 3"},
		{0, "ReadOnly", `statement "ReadOnly"`},
	} {
		if got := engine.StatementName(tc.index, tc.sid); got != tc.want {
			t.Errorf("StatementName(%d, %q) = %q, want %q", tc.index, tc.sid, got, tc.want)
		}
	}
	ok := engine.Evaluate(mustDecode(t, `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]}, "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}}`))
	if r := ok.Reason(); !strings.Contains(r, "statement 1 of identity policy 1") {
		t.Errorf("Reason() = %q, want statement 1 of identity policy 1", r)
	}
}

func mustDecode(t *testing.T, src string) engine.Request {
	t.Helper()
	req, err := engine.DecodeRequest([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return req
}
