package awscli_test

import (
	"strings"
	"testing"

	"iamlab/scenarios/awscli"
)

func TestParseCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line string
		want       map[string]string // option -> value
		err        string
	}{
		{"assume-role", `aws sts assume-role --role-arn arn:aws:iam::111122223333:role/Admin --role-session-name s1`,
			map[string]string{"role-arn": "arn:aws:iam::111122223333:role/Admin", "role-session-name": "s1"}, ""},
		{"equals form and quotes", `aws sts get-federation-token --name=bob --policy '{"Version": "2012-10-17", "Statement": []}'`,
			map[string]string{"name": "bob", "policy": `{"Version": "2012-10-17", "Statement": []}`}, ""},
		{"double quotes with escapes", `aws s3api put-object --bucket b --key k --body "say \"hi\""`, map[string]string{"body": `say "hi"`}, ""},
		{"flag", `aws ec2 run-instances --dry-run --iam-instance-profile Name=RDS-app`, map[string]string{"dry-run": "true", "iam-instance-profile": "Name=RDS-app"}, ""},
		{"unknown command suggests", `aws sts assume-rol --role-arn x`, nil, "unknown command aws sts assume-rol; did you mean aws sts assume-role?"},
		{"unknown option", `aws sts get-caller-identity --verbose`, nil, "unknown option --verbose"},
		{"missing required", `aws sts assume-role --role-arn x`, nil, "the following arguments are required: --role-session-name"},
		{"missing value", `aws s3api get-object --bucket --key k`, nil, "--bucket needs a value"},
		{"not aws", `s3 ls`, nil, "commands start with aws"},
		{"unterminated quote", `aws sts get-federation-token --name 'bob`, nil, "unterminated single quote at column 37"},
		{"empty", ``, nil, "empty command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := awscli.Parse(tc.line)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseCommand(%q) error = %v, want %q", tc.line, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseCommand(%q): %v", tc.line, err)
			}
			for k, v := range tc.want {
				if got := c.Arg(k); got != v {
					t.Errorf("--%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	arns := func(opt string) []string {
		if opt == "role-arn" {
			return []string{"arn:aws:iam::111122223333:role/Admin", "arn:aws:iam::111122223333:role/Auditor"}
		}
		return nil
	}
	tests := []struct {
		line string
		want []string
	}{
		{"aws st", []string{"sts"}},
		{"aws sts get-", []string{"get-caller-identity", "get-session-token", "get-federation-token"}},
		{"aws sts assume-role --role-a", []string{"--role-arn"}},
		{"aws sts assume-role --role-arn arn:aws:iam::111122223333:role/Ad", []string{"arn:aws:iam::111122223333:role/Admin"}},
	}
	for _, tc := range tests {
		got := awscli.Complete(tc.line, arns)
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("Complete(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

// FuzzParseCommand: no command line panics the parser, and what parses
// names a known command.
func FuzzParseCommand(f *testing.F) {
	f.Add(`aws sts assume-role --role-arn arn:aws:iam::111122223333:role/Admin --role-session-name s1`)
	f.Add(`aws s3api put-object --bucket b --key "a b" --body 'x'`)
	f.Add(`aws ec2 run-instances --iam-instance-profile=Name=x --dry-run`)
	f.Add(`aws sts get-session-token --serial-number arn:aws:iam::111122223333:mfa/alice --token-code 123456`)
	f.Add(`aws s3api get-object --bucket b --key k out --via vpce-1a2b3c4d`)
	f.Add(`aws s3api get-object --bucket arn:aws:s3:us-east-1:111122223333:accesspoint/analytics --key k out --endpoint-url http://s3.us-east-1.amazonaws.com`)
	f.Add(`aws s3control create-access-point --account-id 111122223333 --name analytics --bucket b --vpc-configuration VpcId=vpc-0aa11bb2`)
	f.Add(`aws s3api get-object --bucket b --key k out --called-via cloudformation.amazonaws.com,lambda.amazonaws.com`)
	f.Fuzz(func(t *testing.T, line string) {
		c, err := awscli.Parse(line)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		known := false
		for _, s := range awscli.Specs() {
			known = known || (s.Service == c.Service && s.Operation == c.Operation)
		}
		if !known {
			t.Fatalf("parsed an unknown command %s %s", c.Service, c.Operation)
		}
		awscli.Complete(line, nil)
	})
}

// TestSpecsUnique: each command is one entry of the table; a second entry
// for the same command would never run, since Lookup takes the first.
func TestSpecsUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range awscli.Specs() {
		if seen[s.Name()] {
			t.Errorf("aws %s has two entries in the command table", s.Name())
		}
		seen[s.Name()] = true
	}
}
