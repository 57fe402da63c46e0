package estate_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"iamlab/engine"
	"iamlab/engine/estate"
)

func TestAuthorize(t *testing.T) {
	t.Parallel()
	e := world(t)
	scpARN := "arn:aws:organizations::111111111111:policy/o-sandbox01/service_control_policy/" + e.Organization.Policies["RegionFence"].ID
	tests := []struct {
		name     string
		caller   estate.Caller
		region   string
		action   string
		resource string
		want     engine.Decision
		denial   engine.PolicyType
		code     string
		msg      string // exact message, when set
		contains string
	}{
		{name: "policy variable grants the user's own home", caller: user(alice), action: "s3:PutObject",
			resource: "arn:aws:s3:::team-bucket/home/alice/draft.txt", want: engine.Allow},
		{name: "nothing grants another prefix", caller: user(alice), action: "s3:PutObject",
			resource: "arn:aws:s3:::team-bucket/private/x", want: engine.ImplicitDeny, denial: engine.IdentityPolicy, code: "AccessDenied",
			msg: `User: arn:aws:iam::222222222222:user/staff/alice is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::team-bucket/private/x" because no identity-based policy allows the s3:PutObject action`},
		// The 2025 message names the denying policy's ARN within an account or organization.
		// https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/
		{name: "explicit deny names the managed policy", caller: user(alice), action: "s3:DeleteObject",
			resource: "arn:aws:s3:::team-bucket/home/alice/notes.txt", want: engine.ExplicitDeny, denial: engine.IdentityPolicy, code: "AccessDenied",
			msg: `User: arn:aws:iam::222222222222:user/staff/alice is not authorized to perform: s3:DeleteObject on resource: "arn:aws:s3:::team-bucket/home/alice/notes.txt" with an explicit deny in an identity-based policy: arn:aws:iam::222222222222:policy/guard/DenyDelete`},
		{name: "group's managed policy applies to its members", caller: user(alice), action: "s3:GetObject",
			resource: "arn:aws:s3:::team-bucket/private/secret.txt", want: engine.Allow},
		{name: "anonymous read allowed by the bucket policy", caller: estate.Caller{}, action: "s3:GetObject",
			resource: "arn:aws:s3:::team-bucket/public/index.html", want: engine.Allow},
		{name: "anonymous denial is a bare Access Denied", caller: estate.Caller{}, action: "s3:GetObject",
			resource: "arn:aws:s3:::team-bucket/private/secret.txt", want: engine.ImplicitDeny, code: "AccessDenied", msg: "Access Denied"},
		{name: "permissions boundary caps AdministratorAccess", caller: user(bounded), action: "iam:ListUsers",
			resource: "*", want: engine.ImplicitDeny, denial: engine.PermissionsBoundary, code: "AccessDenied",
			msg: "User: arn:aws:iam::222222222222:user/bounded is not authorized to perform: iam:ListUsers because no permissions boundary allows the iam:ListUsers action"},
		{name: "inside the boundary", caller: user(bounded), action: "s3:ListAllMyBuckets", resource: "*", want: engine.Allow},
		{name: "SCP region fence denies a member account", caller: user(bounded), region: "us-east-1", action: "ec2:DescribeInstances",
			resource: "*", want: engine.ExplicitDeny, denial: engine.SCP, code: "UnauthorizedOperation",
			contains: "with an explicit deny in a service control policy: " + scpARN + ". Encoded authorization failure message: "},
		{name: "SCP allows the fenced region", caller: user(bounded), region: "eu-west-1", action: "ec2:DescribeInstances", resource: "*", want: engine.Allow},
		// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
		{name: "SCPs do not restrict the management account", caller: user(admin1), region: "us-east-1", action: "ec2:DescribeInstances", resource: "*", want: engine.Allow},
		{name: "the root user of a member account is restricted too", caller: user(root2), region: "us-east-1", action: "ec2:DescribeInstances",
			resource: "*", want: engine.ExplicitDeny, denial: engine.SCP, code: "UnauthorizedOperation"},
		{name: "the root user needs no policy", caller: user(root2), action: "s3:DeleteBucket", resource: "arn:aws:s3:::team-bucket", want: engine.Allow},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
		{name: "an SCP that does not allow is worded as no service control policy allowing", caller: user(sam), action: "ec2:DescribeInstances", resource: "*",
			want: engine.ImplicitDeny, denial: engine.SCP, code: "UnauthorizedOperation", contains: "because no service control policy allows the ec2:DescribeInstances action. Encoded"},
		{name: "every SCP level allows", caller: user(sam), action: "s3:ListAllMyBuckets", resource: "*", want: engine.Allow},
		{name: "cross-account denial by an RCP is a bare Access Denied", caller: user(partner), action: "s3:GetObject",
			resource: "arn:aws:s3:::team-bucket/shared/report.csv", want: engine.ExplicitDeny, denial: engine.RCP, code: "AccessDenied", msg: "Access Denied"},
		{name: "default key policy delegates to IAM", caller: user(alice), action: "kms:Encrypt",
			resource: "arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab", want: engine.Allow},
		{name: "a key policy naming the user suffices", caller: user(alice), action: "kms:Decrypt",
			resource: "arn:aws:kms:eu-west-1:222222222222:key/locked-key", want: engine.Allow},
		// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
		{name: "an identity policy alone cannot use a key", caller: user(bounded), action: "kms:Decrypt",
			resource: "arn:aws:kms:eu-west-1:222222222222:key/locked-key", want: engine.ImplicitDeny, denial: engine.ResourcePolicy, code: "AccessDeniedException",
			msg: "User: arn:aws:iam::222222222222:user/bounded is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:eu-west-1:222222222222:key/locked-key because no resource-based policy allows the kms:Decrypt action"},
		{name: "instance role credentials", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa1"}, action: "s3:PutObject",
			resource: "arn:aws:s3:::team-bucket/uploads/a", want: engine.Allow},
		{name: "instance without a role is anonymous: reads by bucket policy", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa2"}, action: "s3:GetObject",
			resource: "arn:aws:s3:::team-bucket/public/index.html", want: engine.Allow},
		{name: "instance without a role is anonymous: writes denied", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa2"}, action: "s3:PutObject",
			resource: "arn:aws:s3:::team-bucket/public/index.html", want: engine.ImplicitDeny, code: "AccessDenied", msg: "Access Denied"},
		{name: "a role that does not trust EC2 gives the instance no credentials", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa3"}, action: "s3:PutObject",
			resource: "arn:aws:s3:::team-bucket/x", want: engine.ImplicitDeny, code: "AccessDenied", msg: "Access Denied"},
		{name: "service-linked roles are outside SCPs", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa4"}, region: "us-east-1", action: "ec2:DescribeInstances", resource: "*", want: engine.Allow},
		{name: "inactive key", caller: estate.Caller{AccessKeyID: "AKIAALICEOLD22222222"}, action: "s3:ListAllMyBuckets", resource: "*", code: "InvalidClientTokenId",
			msg: "The security token included in the request is invalid."},
		{name: "unknown key", caller: estate.Caller{AccessKeyID: "AKIAUNKNOWN000000000"}, action: "s3:ListAllMyBuckets", resource: "*", code: "InvalidClientTokenId"},
		{name: "long-term access key", caller: estate.Caller{AccessKeyID: "AKIAALICE22222222222"}, action: "s3:GetObject", resource: "arn:aws:s3:::team-bucket/x", want: engine.Allow},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := call(tc.caller)
			c.Region = tc.region
			d := e.Authorize(c, tc.action, tc.resource)
			if got := code(errOf(d)); got != tc.code {
				t.Fatalf("Authorize(%s) error code = %q, want %q (%v)", tc.name, got, tc.code, d.Err)
			}
			if d.Identity != nil && d.Result.Decision != tc.want {
				t.Errorf("Authorize(%s) = %v, want %v", tc.name, d.Result.Decision, tc.want)
			}
			if tc.denial != 0 && d.Result.Denial != tc.denial {
				t.Errorf("Authorize(%s) denial = %v, want %v", tc.name, d.Result.Denial, tc.denial)
			}
			if tc.msg != "" && d.Err.Message != tc.msg {
				t.Errorf("Authorize(%s) message =\n%s\nwant\n%s", tc.name, d.Err.Message, tc.msg)
			}
			if tc.contains != "" && !strings.Contains(d.Err.Message, tc.contains) {
				t.Errorf("Authorize(%s) message =\n%s\nwant it to contain\n%s", tc.name, d.Err.Message, tc.contains)
			}
		})
	}
}

func errOf(d *estate.Decision) error {
	if d.Err == nil {
		return nil
	}
	return d.Err
}

func TestRequestContext(t *testing.T) {
	t.Parallel()
	e := world(t)
	a := e.User("222222222222", "alice")
	role := e.Role("222222222222", "app-web")
	e.Accounts["222222222222"].Instances["i-0aaaaaaaaaaaaaaa1"].ProfileAssociated = now.Add(-time.Hour)
	tests := []struct {
		name   string
		caller estate.Caller
		want   map[string]string // "" means absent
	}{
		{name: "IAM user with long-term keys", caller: user(alice), want: map[string]string{
			"aws:userid": a.ID, "aws:principalarn": alice, "aws:principaltag/team": "blue", "aws:principaltag/costcenter": "42",
			"aws:principalorgid": "o-sandbox01", "aws:sourceip": estate.DefaultSourceIP, "aws:requestedregion": "eu-west-1",
			// Long-term keys carry no MFA key at all, which is why
			// BoolIfExists is the safe way to demand MFA.
			// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
			"aws:multifactorauthpresent": "", "aws:tokenissuetime": "",
		}},
		{name: "EC2 instance role", caller: estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa1"}, want: map[string]string{
			"aws:userid": role.ID + ":i-0aaaaaaaaaaaaaaa1", "aws:principalarn": "arn:aws:iam::222222222222:role/app-web",
			"aws:principaltag/app": "web", "aws:multifactorauthpresent": "false", "aws:tokenissuetime": "2025-06-01T11:00:00Z",
			"ec2:sourceinstancearn": "arn:aws:ec2:eu-west-1:222222222222:instance/i-0aaaaaaaaaaaaaaa1",
		}},
		{name: "root user", caller: user(root2), want: map[string]string{"aws:userid": "222222222222", "aws:principalarn": root2}},
		{name: "anonymous", caller: estate.Caller{}, want: map[string]string{"aws:userid": "", "aws:principalarn": "", "aws:sourceip": estate.DefaultSourceIP}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.Authorize(call(tc.caller), "s3:ListAllMyBuckets", "*")
			for k, want := range tc.want {
				got, ok := d.Request.Context[k]
				switch {
				case want == "" && ok:
					t.Errorf("context[%s] = %v, want it absent", k, got)
				case want != "" && (!ok || len(got) != 1 || got[0] != want):
					t.Errorf("context[%s] = %v, want %q", k, got, want)
				}
			}
		})
	}
}

func TestCallContextCannotForgeDerivedKeys(t *testing.T) {
	t.Parallel()
	e := world(t)
	c := call(estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa1"})
	c.Context = engine.Context{"aws:multifactorauthpresent": {"true"}, "s3:prefix": {"home/"}}
	d := e.Authorize(c, "s3:ListBucket", "arn:aws:s3:::team-bucket")
	if got := d.Request.Context["aws:multifactorauthpresent"]; len(got) != 1 || got[0] != "false" {
		t.Errorf("aws:MultiFactorAuthPresent = %v, want the derived \"false\"", got)
	}
	if got := d.Request.Context["s3:prefix"]; len(got) != 1 || got[0] != "home/" {
		t.Errorf("s3:prefix = %v, want the request's \"home/\"", got)
	}
}

// Temporary credentials from GetSessionToken and GetFederationToken may
// not call every API.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func TestSessionRestrictions(t *testing.T) {
	t.Parallel()
	e := world(t)
	add := func(key string, s estate.Session) estate.Caller {
		s.AccessKeyID, s.SessionToken, s.Account = key, "token-"+key, "222222222222"
		if s.Expiration.IsZero() {
			s.IssuedAt, s.Expiration = now.Add(-time.Minute), now.Add(time.Hour)
		}
		e.AddSession(&s)
		return estate.Caller{AccessKeyID: key, SessionToken: "token-" + key}
	}
	gst := add("ASIAGST0000000000001", estate.Session{Type: estate.SessionUser, UserName: "alice"})
	gstMFA := add("ASIAGST0000000000002", estate.Session{Type: estate.SessionUser, UserName: "alice", MFAAuthenticatedAt: now.Add(-time.Minute)})
	fed := add("ASIAFED0000000000001", estate.Session{Type: estate.SessionFederatedUser, UserName: "alice", Name: "app"})
	expired := add("ASIAOLD0000000000001", estate.Session{Type: estate.SessionUser, UserName: "alice", IssuedAt: now.Add(-2 * time.Hour), Expiration: now})
	tests := []struct {
		name   string
		caller estate.Caller
		action string
		code   string
		msg    string
	}{
		{"GetSessionToken credentials without MFA cannot call IAM", gst, "iam:ListUsers", "InvalidClientTokenId", "The security token included in the request is invalid."},
		{"GetSessionToken credentials with MFA can call IAM", gstMFA, "iam:ListUsers", "", ""},
		{"GetSessionToken credentials may call AssumeRole", gst, "sts:AssumeRole", "AccessDenied", ""},
		{"but not GetFederationToken", gst, "sts:GetFederationToken", "AccessDenied", "Cannot call GetFederationToken with session credentials"},
		{"nor DecodeAuthorizationMessage", gst, "sts:DecodeAuthorizationMessage", "AccessDenied", "User: arn:aws:iam::222222222222:user/staff/alice is not authorized to perform: sts:DecodeAuthorizationMessage"},
		{"federated users cannot call IAM", fed, "iam:ListUsers", "InvalidClientTokenId", ""},
		{"federated users cannot assume roles", fed, "sts:AssumeRole", "AccessDenied", "User: arn:aws:sts::222222222222:federated-user/app is not authorized to perform: sts:AssumeRole"},
		{"expired credentials", expired, "s3:ListAllMyBuckets", "ExpiredToken", "The security token included in the request is expired"},
		{"a wrong session token", estate.Caller{AccessKeyID: "ASIAGST0000000000001", SessionToken: "forged"}, "s3:ListAllMyBuckets", "InvalidClientTokenId", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.Authorize(call(tc.caller), tc.action, "*")
			if got := code(errOf(d)); got != tc.code {
				t.Fatalf("Authorize(%s) code = %q, want %q (%v)", tc.action, got, tc.code, d.Err)
			}
			if tc.msg != "" && d.Err.Message != tc.msg {
				t.Errorf("Authorize(%s) message = %q, want %q", tc.action, d.Err.Message, tc.msg)
			}
		})
	}
}

func TestDecodeAuthorizationMessage(t *testing.T) {
	t.Parallel()
	e := world(t)
	c := call(user(bounded))
	c.Region = "us-east-1"
	d := e.Authorize(c, "ec2:RunInstances", "arn:aws:ec2:us-east-1:222222222222:instance/*")
	if code(errOf(d)) != "UnauthorizedOperation" {
		t.Fatalf("Authorize = %v, want UnauthorizedOperation", d.Err)
	}
	encoded := d.Err.Message[strings.LastIndex(d.Err.Message, " ")+1:]
	got, err := e.DecodeAuthorizationMessage(encoded)
	if err != nil {
		t.Fatalf("DecodeAuthorizationMessage: %v", err)
	}
	for _, want := range []string{`"allowed":false`, `"explicitDeny":true`, `"statementId":"RegionFence"`, `"effect":"DENY"`,
		`"action":"ec2:RunInstances"`, `"key":"aws:RequestedRegion","values":{"items":[{"value":"us-east-1"}]}`,
		`"arn":"arn:aws:iam::222222222222:user/bounded"`, `"name":"bounded"`} {
		if !strings.Contains(got, want) {
			t.Errorf("decoded message lacks %s:\n%s", want, got)
		}
	}
	// Another estate (another key) cannot read it, nor can a clone be fooled by a change.
	other := estate.New()
	other.Seed = "another sandbox"
	tampered := []byte(encoded)
	tampered[len(tampered)/2] ^= 1
	for name, tc := range map[string]struct {
		e   *estate.Estate
		msg string
	}{"another estate": {other, encoded}, "tampered": {e, string(tampered)}, "not base64": {e, "%%%"}, "short": {e, "AAAA"}} {
		if _, err := tc.e.DecodeAuthorizationMessage(tc.msg); code(err) != "InvalidAuthorizationMessageException" {
			t.Errorf("DecodeAuthorizationMessage(%s) = %v, want InvalidAuthorizationMessageException", name, err)
		}
	}
}

func TestDecisionSources(t *testing.T) {
	t.Parallel()
	e := world(t)
	d := e.Authorize(call(user(alice)), "s3:DeleteObject", "arn:aws:s3:::team-bucket/home/alice/notes.txt")
	var refs []string
	for _, m := range d.Result.Matched {
		refs = append(refs, d.Sources.Ref(m).String())
	}
	// Root, OU and account level each hold FullAWSAccess.
	want := "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess;" +
		"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess;" +
		"arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess;" +
		"inline policy home of user/alice;arn:aws:iam::222222222222:policy/guard/DenyDelete"
	if got := strings.Join(refs, ";"); got != want {
		t.Errorf("sources of matched statements = %s, want %s", got, want)
	}
	if !errors.Is(d.Err, estate.ErrAccessDenied) {
		t.Errorf("errors.Is(%v, ErrAccessDenied) = false", d.Err)
	}
}
