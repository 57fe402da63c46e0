package sts_test

import (
	"encoding/json"
	"strings"
	"testing"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// GetCallerIdentity answers every authenticated caller in AWS's format,
// even one whose policies deny sts:GetCallerIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func TestGetCallerIdentity(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	role, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "my-session"})
	if err != nil {
		t.Fatal(err)
	}
	fed, err := w.svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: "partner"})
	if err != nil {
		t.Fatal(err)
	}
	// bob's RequireMFA policy denies everything, sts:GetCallerIdentity
	// included, without MFA.
	if d := w.e.Authorize(w.call(bob), "sts:GetCallerIdentity", "*"); d.Result.Decision.String() != "ExplicitDeny" {
		t.Fatalf("bob's policies should explicitly deny sts:GetCallerIdentity, got %v", d.Result.Decision)
	}
	e := w.e
	tests := []struct {
		name   string
		caller estate.Caller
		want   sts.GetCallerIdentityOutput
		code   string
	}{
		{"IAM user", alice, sts.GetCallerIdentityOutput{UserId: e.User(dev, "alice").ID, Account: dev, Arn: "arn:aws:iam::222222222222:user/alice"}, ""},
		{"explicitly denied user", bob, sts.GetCallerIdentityOutput{UserId: e.User(dev, "bob").ID, Account: dev, Arn: "arn:aws:iam::222222222222:user/bob"}, ""},
		{"root user", devRoot, sts.GetCallerIdentityOutput{UserId: dev, Account: dev, Arn: "arn:aws:iam::222222222222:root"}, ""},
		{"role session", creds(role.Credentials), sts.GetCallerIdentityOutput{UserId: e.Role(dev, "ReadOnly").ID + ":my-session", Account: dev,
			Arn: "arn:aws:sts::222222222222:assumed-role/ReadOnly/my-session"}, ""},
		{"federated user", creds(fed.Credentials), sts.GetCallerIdentityOutput{UserId: "222222222222:partner", Account: dev,
			Arn: "arn:aws:sts::222222222222:federated-user/partner"}, ""},
		{"EC2 instance", estate.Caller{Instance: "i-0123456789abcdef0"}, sts.GetCallerIdentityOutput{UserId: e.Role(dev, "EC2App").ID + ":i-0123456789abcdef0",
			Account: dev, Arn: "arn:aws:sts::222222222222:assumed-role/EC2App/i-0123456789abcdef0"}, ""},
		{"no credentials", estate.Caller{}, sts.GetCallerIdentityOutput{}, "MissingAuthenticationToken"},
		{"unknown key", estate.Caller{AccessKeyID: "AKIAIOSFODNN7EXAMPLE"}, sts.GetCallerIdentityOutput{}, "InvalidClientTokenId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := w.svc.GetCallerIdentity(tc.caller)
			check(t, "GetCallerIdentity", err, tc.code, "")
			if err == nil && *got != tc.want {
				t.Errorf("GetCallerIdentity = %+v, want %+v", *got, tc.want)
			}
		})
	}
	b, _ := json.Marshal(sts.GetCallerIdentityOutput{UserId: "u", Account: "a", Arn: "r"})
	if string(b) != `{"UserId":"u","Account":"a","Arn":"r"}` {
		t.Errorf("JSON = %s, want the CLI's field names", b)
	}
}

// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func TestDecodeAuthorizationMessage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, err := w.e.RunInstances(w.call(carol), estate.RunInstancesInput{ImageID: "ami-12345678", InstanceType: "t3.micro"})
	check(t, "RunInstances", err, "UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::222222222222:user/carol is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:222222222222:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: …")
	msg := message(err)
	encoded := msg[strings.LastIndex(msg, " ")+1:]

	_, err = w.svc.DecodeAuthorizationMessage(carol, sts.DecodeAuthorizationMessageInput{EncodedMessage: encoded})
	check(t, "carol decoding", err, "AccessDenied", "User: arn:aws:iam::222222222222:user/carol is not authorized to perform: sts:DecodeAuthorizationMessage because no identity-based policy allows the sts:DecodeAuthorizationMessage action")
	out, err := w.svc.DecodeAuthorizationMessage(alice, sts.DecodeAuthorizationMessageInput{EncodedMessage: encoded})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Allowed           bool `json:"allowed"`
		ExplicitDeny      bool `json:"explicitDeny"`
		MatchedStatements struct {
			Items []any `json:"items"`
		} `json:"matchedStatements"`
		Context struct {
			Principal struct {
				ID, Name, Arn string
			} `json:"principal"`
			Action     string `json:"action"`
			Resource   string `json:"resource"`
			Conditions struct {
				Items []struct {
					Key    string `json:"key"`
					Values struct {
						Items []struct {
							Value string `json:"value"`
						} `json:"items"`
					} `json:"values"`
				} `json:"items"`
			} `json:"conditions"`
		} `json:"context"`
	}
	if err := json.Unmarshal([]byte(out.DecodedMessage), &m); err != nil {
		t.Fatalf("DecodedMessage is not JSON: %v", err)
	}
	if m.Allowed || m.ExplicitDeny || len(m.MatchedStatements.Items) != 0 {
		t.Errorf("decoded = %+v, want an implicit deny without matched statements", m)
	}
	if m.Context.Principal.Arn != "arn:aws:iam::222222222222:user/carol" || m.Context.Principal.Name != "carol" ||
		m.Context.Action != "ec2:RunInstances" || m.Context.Resource != "arn:aws:ec2:us-east-1:222222222222:instance/*" {
		t.Errorf("decoded context = %+v", m.Context)
	}
	found := false
	for _, c := range m.Context.Conditions.Items {
		found = found || (c.Key == "ec2:InstanceType" && len(c.Values.Items) == 1 && c.Values.Items[0].Value == "t3.micro")
	}
	if !found {
		t.Errorf("decoded conditions lack ec2:InstanceType t3.micro: %+v", m.Context.Conditions)
	}
	tampered := []byte(encoded)
	tampered[10] ^= 2
	tests := []struct {
		name, msg, code string
	}{
		{"tampered", string(tampered), "InvalidAuthorizationMessageException"},
		{"line break inside", encoded[:20] + "\n" + encoded[20:], "InvalidAuthorizationMessageException"},
		{"empty", "", "ValidationError"},
		{"too long", strings.Repeat("A", 10241), "ValidationError"},
	}
	for _, tc := range tests {
		_, err := w.svc.DecodeAuthorizationMessage(alice, sts.DecodeAuthorizationMessageInput{EncodedMessage: tc.msg})
		check(t, "DecodeAuthorizationMessage("+tc.name+")", err, tc.code, "")
	}
}
