package engine_test

import (
	"errors"
	"strings"
	"testing"

	"iamlab/engine"
)

// TestParsePolicyErrors: what AWS rejects is rejected, and the message names
// the JSON path and the line and column of what the learner typed.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
func TestParsePolicyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy string
		want   string
	}{
		{"bad effect", `{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Alow",
    "Action": "s3:GetObject",
    "Resource": "*"
  }]
}`, `Statement[0].Effect: must be "Allow" or "Deny" (line 4, column 15)`},
		{"missing effect", `{"Version": "2012-10-17", "Statement": [{"Action": "s3:GetObject", "Resource": "*"}]}`, `Statement[0].Effect: missing: every statement needs "Effect": "Allow" or "Deny" (line 1, column 41)`},
		{"duplicate key", "{\"Version\": \"2012-10-17\",\n \"Version\": \"2012-10-17\", \"Statement\": []}", `duplicate key "Version" (first at line 1, column 2) (line 2, column 2)`},
		{"unknown element", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Conditions": {}}}`, `Statement.Conditions: unknown element "Conditions"`},
		{"element case", `{"Version": "2012-10-17", "Statement": {"effect": "Allow", "Action": "s3:*", "Resource": "*"}}`, `did you mean "Effect"?`},
		{"Action and NotAction", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "NotAction": "iam:*", "Resource": "*"}}`, `Statement.NotAction: a statement can have Action or NotAction, not both`},
		{"Resource and NotResource", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "NotResource": "*"}}`, `not both`},
		{"no action", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": "*"}}`, `Statement.Action: missing`},
		{"bad version", `{"Version": "2012-10-18", "Statement": []}`, `Version: must be "2012-10-17" or "2008-10-17", not "2012-10-18" (line 1, column 13)`},
		{"no statement", `{"Version": "2012-10-17"}`, `Statement: missing`},
		{"action without prefix", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "GetObject", "Resource": "*"}}`, `Statement.Action: "GetObject" must be "*" or service:action`},
		{"action list item", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ["s3:GetObject", 7], "Resource": "*"}}`, `Statement.Action[1]: must be a string action, not a number`},
		{"resource not an ARN", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "my-bucket/*"}}`, `must be "*" or an ARN`},
		{"principal wildcard ARN", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/*"}, "Action": "sts:AssumeRole"}}`, `Statement.Principal.AWS: "arn:aws:iam::111122223333:role/*": wildcards are not allowed`},
		{"principal bad account", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "1234"}, "Action": "s3:*", "Resource": "*"}}`, `is not a valid AWS principal`},
		{"principal string", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": "arn:aws:iam::111122223333:root", "Action": "s3:*", "Resource": "*"}}`, `Statement.Principal: must be "*" or an object`},
		{"principal unknown kind", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"User": "x"}, "Action": "s3:*", "Resource": "*"}}`, `Statement.Principal.User: unknown element`},
		{"unknown operator", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {"aws:username": "a"}}}}`, `Statement.Condition.StringEqual: unknown condition operator "StringEqual": did you mean "StringEquals"?`},
		{"Null IfExists", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"NullIfExists": {"aws:username": "true"}}}}`, `Null cannot take IfExists`},
		{"bad set operator", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForSomeValues:StringEquals": {"aws:TagKeys": "a"}}}}`, `unknown set operator "ForSomeValues:"`},
		{"condition key without prefix", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEquals": {"username": "a"}}}}`, `must have a service prefix`},
		{"duplicate sid", `{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Sid": "A", "Effect": "Deny", "Action": "s3:*", "Resource": "*"}]}`, `Statement[1].Sid: duplicate Sid "A"`},
		{"trailing comma", "{\"Version\": \"2012-10-17\",\n \"Statement\": [],\n}", `trailing comma before } (line 3, column 1)`},
		{"single quotes", `{'Version': '2012-10-17'}`, `double quotes`},
		{"unterminated", `{"Version": "2012-10-17", "Statement": [`, `unexpected end of text`},
		{"invalid UTF-8", "{\"Version\": \"2012-10-17\", \"Statement\": {\"Sid\": \"\xff\"}}", `invalid UTF-8: the text must be UTF-8 encoded (line 1, column 49)`},
		{"top level list", `[]`, `a policy must be a JSON object, not a list`},
		{"empty", ``, `empty document`},
		{"control char", "{\"Version\": \"2012-10-17\n\"}", `control character`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.ParsePolicy([]byte(tc.policy))
			if err == nil {
				t.Fatalf("ParsePolicy(%s) = nil error, want %q", tc.policy, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParsePolicy error = %q, want it to contain %q", err, tc.want)
			}
			if !errors.Is(err, engine.ErrInvalidPolicy) {
				t.Errorf("error %v is not ErrInvalidPolicy", err)
			}
		})
	}
}

// TestParsePolicyAccepts: every shape AWS accepts parses.
func TestParsePolicyAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, policy string }{
		{"statement object", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}`},
		{"no version", `{"Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": ["*"]}]}`},
		{"old version and id", `{"Version": "2008-10-17", "Id": "Secret Policy", "Statement": [{"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}`},
		{"every principal kind", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {
			"AWS": ["*", "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:user/division/alice",
			        "arn:aws:iam::111122223333:role/Admin", "arn:aws:sts::111122223333:assumed-role/Admin/s1",
			        "arn:aws:sts::111122223333:federated-user/bob", "AIDACKCEVSQ6C2EXAMPLE"],
			"Service": ["ec2.amazonaws.com"], "Federated": "cognito-identity.amazonaws.com",
			"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
			"Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}`},
		{"star principal and not-principal", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"},
			{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}]}`},
		{"condition value kinds", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {
			"Bool": {"aws:SecureTransport": true}, "NumericLessThan": {"s3:max-keys": 10},
			"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", "b"]}, "Null": {"aws:TokenIssueTime": "true"}}}}`},
		{"trust policy without resource", `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}}`},
		{"empty statement list", `{"Version": "2012-10-17", "Statement": []}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, err := engine.ParsePolicy([]byte(tc.policy)); err != nil {
				t.Errorf("ParsePolicy: %v", err)
			}
		})
	}
}

// TestHostileInput: nothing panics and each gets an error naming the place.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	big := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/` + strings.Repeat("x", 10<<20) + `"}}`
	tests := []struct {
		name, src, want string
	}{
		{"10,000 nested arrays", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), "nesting deeper than"},
		{"nested in a statement", `{"Version": "2012-10-17", "Statement": ` + strings.Repeat("[", 10000), "nesting deeper than"},
		{"malformed JSON", `{"Version": "2012-10-17" "Statement": []}`, `expected , or } after the value of "Version" (line 1, column 26)`},
		{"invalid UTF-8", "\xfe\xff{}", "invalid UTF-8: the text must be UTF-8 encoded (line 1, column 1)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.ParsePolicy([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ParsePolicy error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
	t.Run("10 MB policy parses and lints over quota", func(t *testing.T) {
		t.Parallel()
		p, err := engine.ParsePolicy([]byte(big))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range engine.Lint(p, engine.PlacementManaged) {
			found = found || f.Code == "policy-size"
		}
		if !found {
			t.Error("a 10 MB managed policy raised no size finding")
		}
	})
}

// TestDecodeRequestErrors: a bad eval request names its JSON path.
func TestDecodeRequestErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, req, want string }{
		{"bad effect deep inside", `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": []},
{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]}]}, "action": "s3:GetObject", "resource": {"arn": "*"}}`,
			`principal.identityPolicies[1].Statement[0].Effect: must be "Allow" or "Deny" (line 2, column 52)`},
		{"unknown field", `{"action": "s3:GetObject", "resource": {"arn": "*"}, "actions": []}`, `actions: unknown field`},
		{"role as caller", `{"principal": {"arn": "arn:aws:iam::111122223333:role/App"}, "action": "s3:GetObject", "resource": {"arn": "*"}}`, `a role never makes a request itself`},
		{"action wildcard", `{"action": "s3:Get*", "resource": {"arn": "*"}}`, `action: "s3:Get*" must be one action`},
		{"missing action", `{"resource": {"arn": "*"}}`, `action: missing`},
		{"bad resource arn", `{"action": "s3:GetObject", "resource": {"arn": "my-bucket"}}`, `resource.arn: "my-bucket" must be "*" or an ARN`},
		{"scp level not a list", `{"organization": {"serviceControlPolicies": [{"Version": "2012-10-17", "Statement": []}]}, "action": "s3:GetObject", "resource": {"arn": "*"}}`, `organization.serviceControlPolicies[0]: each level must be a list`},
		{"context object value", `{"action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"aws:username": {"a": 1}}}`, `context.aws:username: must be a string`},
		{"account", `{"action": "s3:GetObject", "resource": {"arn": "*", "account": "12"}}`, `resource.account: must be a 12-digit account ID`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := engine.DecodeRequest([]byte(tc.req))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("DecodeRequest error = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
