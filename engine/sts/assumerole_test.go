package sts_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// Parameter constraints of the STS API model, worded as AWS's
// ValidationError.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func TestAssumeRoleValidation(t *testing.T) {
	t.Parallel()
	ok := sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "s"}
	with := func(f func(in *sts.AssumeRoleInput)) sts.AssumeRoleInput {
		in := ok
		in.RoleSessionName = "session"
		f(&in)
		return in
	}
	tests := []struct {
		name string
		in   sts.AssumeRoleInput
		msg  string
	}{
		{"nothing given", sts.AssumeRoleInput{}, "2 validation errors detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null; Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null"},
		{"session name too short", ok, "1 validation error detected: Value 's' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{"space in the session name", with(func(in *sts.AssumeRoleInput) { in.RoleSessionName = "my session" }),
			`1 validation error detected: Value 'my session' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"session name over 64", with(func(in *sts.AssumeRoleInput) { in.RoleSessionName = strings.Repeat("a", 65) }),
			"1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'roleSessionName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"duration under 15 minutes", with(func(in *sts.AssumeRoleInput) { in.DurationSeconds = sts.Int32(899) }),
			"1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{"duration over 12 hours", with(func(in *sts.AssumeRoleInput) { in.DurationSeconds = sts.Int32(43201) }),
			"1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"token code of five digits", with(func(in *sts.AssumeRoleInput) {
			in.SerialNumber, in.TokenCode = "arn:aws:iam::222222222222:mfa/alice", "12345"
		}),
			"1 validation error detected: Value '12345' at 'tokenCode' failed to satisfy constraint: Member must have length greater than or equal to 6"},
		{"token code of letters", with(func(in *sts.AssumeRoleInput) {
			in.SerialNumber, in.TokenCode = "arn:aws:iam::222222222222:mfa/alice", "abcdef"
		}),
			`1 validation error detected: Value 'abcdef' at 'tokenCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [\d]*`},
		{"external ID of one character", with(func(in *sts.AssumeRoleInput) { in.ExternalId = "x" }),
			"1 validation error detected: Value 'x' at 'externalId' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		// A source identity may not start with aws:, which the pattern's
		// missing colon already rules out.
		{"source identity with aws:", with(func(in *sts.AssumeRoleInput) { in.SourceIdentity = "aws:alice" }),
			`1 validation error detected: Value 'aws:alice' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
		{"51 tags", with(func(in *sts.AssumeRoleInput) {
			for i := range 51 {
				in.Tags = append(in.Tags, sts.Tag{Key: "k" + string(rune('A'+i%26)) + string(rune('a'+i/26)), Value: "v"})
			}
		}), "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"tag key of 129 characters", with(func(in *sts.AssumeRoleInput) { in.Tags = []sts.Tag{{Key: strings.Repeat("k", 129), Value: "v"}} }),
			"1 validation error detected: Value '" + strings.Repeat("k", 129) + "' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"policy with a character outside U+00FF", with(func(in *sts.AssumeRoleInput) { in.Policy = `{"Sid":"✓"}` }),
			`1 validation error detected: Value '{"Sid":"✓"}' at 'policy' failed to satisfy constraint: Member must satisfy regular expression pattern: [\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`},
		{"role ARN too short", with(func(in *sts.AssumeRoleInput) { in.RoleArn = "arn:aws:iam::1:r" }),
			"1 validation error detected: Value 'arn:aws:iam::1:r' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"},
	}
	w := newWorld(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := w.svc.AssumeRole(alice, tc.in)
			check(t, "AssumeRole", err, "ValidationError", tc.msg)
		})
	}
}

func TestAssumeRoleAuthorization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller estate.Caller
		in     sts.AssumeRoleInput
		code   string
		msg    string
	}{
		{name: "same account, the trust policy names the account and the user's policy allows", caller: alice,
			in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice"}},
		// Naming the account only delegates to the account's IAM policies.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
		{name: "same account, no identity policy allows", caller: carol, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "carol"},
			code: "AccessDenied", msg: "User: arn:aws:iam::222222222222:user/carol is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/app/ReadOnly because no identity-based policy allows the sts:AssumeRole action"},
		{name: "the role ARN must carry the role's path", caller: alice, in: sts.AssumeRoleInput{RoleArn: "arn:aws:iam::222222222222:role/ReadOnly", RoleSessionName: "alice"},
			code: "AccessDenied", msg: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/ReadOnly because no role trust policy allows the sts:AssumeRole action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
		{name: "cross account without the external ID", caller: alice, in: sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit"},
			code: "AccessDenied", msg: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/CrossAccountAudit because no role trust policy allows the sts:AssumeRole action"},
		{name: "cross account with a wrong external ID", caller: alice, in: sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "guess"}, code: "AccessDenied"},
		{name: "cross account with the external ID", caller: alice, in: sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "audit-2025"}},
		{name: "cross account: the caller's own account must allow too", caller: carol, in: sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "audit-2025"},
			code: "AccessDenied", msg: "…because no identity-based policy allows the sts:AssumeRole action"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use.html
		{name: "the root user cannot assume roles", caller: devRoot, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "root"},
			code: "AccessDenied", msg: "Roles may not be assumed by root accounts."},
		{name: "no credentials", caller: estate.Caller{}, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "x1"},
			code: "MissingAuthenticationToken", msg: "Request is missing Authentication Token"},
		{name: "unknown key", caller: estate.Caller{AccessKeyID: "AKIANOBODY0000000000"}, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "x1"},
			code: "InvalidClientTokenId", msg: "The security token included in the request is invalid."},
		{name: "a trust policy requiring MFA, without MFA", caller: alice, in: sts.AssumeRoleInput{RoleArn: mfaAdminARN, RoleSessionName: "admin"},
			code: "AccessDenied", msg: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::333333333333:role/MFAAdmin because no role trust policy allows the sts:AssumeRole action"},
		{name: "MFA with a wrong code", caller: alice, in: sts.AssumeRoleInput{RoleArn: mfaAdminARN, RoleSessionName: "admin", SerialNumber: "arn:aws:iam::222222222222:mfa/alice", TokenCode: "000000"},
			code: "AccessDenied", msg: "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{name: "MFA with someone else's device", caller: alice, in: sts.AssumeRoleInput{RoleArn: mfaAdminARN, RoleSessionName: "admin", SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: "000000"},
			code: "AccessDenied", msg: "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."},
		{name: "tags need sts:TagSession in the trust policy", caller: alice,
			in:   sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "audit-2025", Tags: []sts.Tag{{Key: "project", Value: "x"}}},
			code: "AccessDenied", msg: "User: arn:aws:iam::222222222222:user/alice is not authorized to perform: sts:TagSession on resource: arn:aws:iam::333333333333:role/CrossAccountAudit because no role trust policy allows the sts:TagSession action"},
		{name: "a source identity needs sts:SetSourceIdentity", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice", SourceIdentity: "alice"},
			code: "AccessDenied", msg: "…is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/app/ReadOnly because no role trust policy allows the sts:SetSourceIdentity action"},
		{name: "tag keys are case-insensitive", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice", Tags: []sts.Tag{{Key: "Team", Value: "a"}, {Key: "team", Value: "b"}}},
			code: "ValidationError"},
		{name: "session policy that is not valid", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice", Policy: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}`},
			code: "MalformedPolicyDocument", msg: "Syntax errors in policy."},
		{name: "session policy naming a principal", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice",
			Policy: `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`},
			code: "MalformedPolicyDocument", msg: "Policy document should not specify a principal."},
		{name: "managed session policy that does not exist", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice",
			PolicyArns: []sts.PolicyDescriptor{{Arn: "arn:aws:iam::222222222222:policy/Nope"}}}, code: "MalformedPolicyDocument"},
		{name: "eleven managed session policies", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice",
			PolicyArns: func() []sts.PolicyDescriptor {
				var p []sts.PolicyDescriptor
				for range 11 {
					p = append(p, sts.PolicyDescriptor{Arn: "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"})
				}
				return p
			}()}, code: "ValidationError"},
		// Session policies pack into a binary format with its own limit.
		// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
		{name: "session policy past the packed limit", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice", Policy: widePolicy(42)},
			code: "PackedPolicyTooLarge", msg: "Packed policy consumes …"},
		{name: "session policy past 2,048 characters", caller: alice, in: sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "alice",
			Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("a", 2000) + `"}]}`},
			code: "PackedPolicyTooLarge"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			out, err := w.svc.AssumeRole(tc.caller, tc.in)
			check(t, "AssumeRole", err, tc.code, tc.msg)
			if tc.code == "" && !strings.HasSuffix(out.AssumedRoleUser.Arn, ":assumed-role/"+tc.in.RoleArn[strings.LastIndexByte(tc.in.RoleArn, '/')+1:]+"/"+tc.in.RoleSessionName) {
				t.Errorf("AssumedRoleUser.Arn = %s", out.AssumedRoleUser.Arn)
			}
		})
	}
}

// A trust policy that is not valid JSON (loaded without Validate) trusts
// no one; nothing panics.
func TestAssumeRoleBrokenTrustPolicy(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var broken estate.Document
	if err := json.Unmarshal([]byte(`"{\"Version\": \"2012-10-17\", \"Statement\": ["`), &broken); err != nil {
		t.Fatal(err)
	}
	w.e.Accounts[dev].Roles["ReadOnly"].TrustPolicy = &broken
	_, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "x1"})
	check(t, "AssumeRole", err, "AccessDenied", "…because no role trust policy allows the sts:AssumeRole action")
	_, err = w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: "arn:aws:s3:::not-a-role-at-all", RoleSessionName: "x1"})
	check(t, "AssumeRole of a bucket", err, "ValidationError", "Request ARN is invalid")
	err = w.e.UpdateAssumeRolePolicy(dev, "ReadOnly", `{"Version": "2012-10-17", "Statement": [`)
	check(t, "UpdateAssumeRolePolicy", err, "MalformedPolicyDocument", "This policy contains invalid Json")
}

// widePolicy is a compact session policy granting the first n of 42
// actions of many services, three to a statement, each on its own
// resources: the kind that outgrows the packed limit before 2,048
// characters.
func widePolicy(n int) string {
	actions := []string{"cloudformation:CreateStack", "cloudformation:DescribeStackEvents", "cloudformation:UpdateStack",
		"cloudformation:DeleteStack", "cloudformation:GetTemplate", "dynamodb:CreateTable", "dynamodb:DescribeTable",
		"dynamodb:UpdateTimeToLive", "dynamodb:TagResource", "lambda:CreateFunction", "lambda:UpdateFunctionCode",
		"lambda:UpdateFunctionConfiguration", "lambda:AddPermission", "lambda:GetFunction", "lambda:PublishVersion",
		"logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups", "iam:CreateRole", "iam:PutRolePolicy",
		"iam:AttachRolePolicy", "iam:PassRole", "iam:GetRole", "iam:TagRole", "s3:CreateBucket", "s3:PutBucketPolicy",
		"s3:PutEncryptionConfiguration", "s3:PutBucketVersioning", "s3:PutObject", "s3:GetObject", "apigateway:POST",
		"apigateway:PATCH", "apigateway:DELETE", "events:PutRule", "events:PutTargets", "sqs:CreateQueue",
		"sqs:SetQueueAttributes", "sns:CreateTopic", "sns:Subscribe", "ssm:GetParameters", "ssm:PutParameter", "kms:CreateGrant"}
	var statements []string
	for i := 0; i < n; i += 3 {
		service, _, _ := strings.Cut(actions[i], ":")
		var quoted []string
		for _, a := range actions[i:min(i+3, n)] {
			quoted = append(quoted, `"`+a+`"`)
		}
		statements = append(statements, `{"Effect":"Allow","Action":[`+strings.Join(quoted, ",")+
			`],"Resource":"arn:aws:`+service+`:eu-west-1:123456789012:app-`+strconv.Itoa(i)+`-*"}`)
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`
}

func TestAssumeRoleMFA(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: mfaAdminARN, RoleSessionName: "admin",
		SerialNumber: "arn:aws:iam::222222222222:mfa/alice", TokenCode: w.mfaCode("alice")})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(10 * time.Minute)
	d := w.e.Authorize(w.call(creds(out.Credentials)), "ec2:DescribeInstances", "*")
	if !d.Allowed() {
		t.Fatal(d.Err)
	}
	if got := contextValue(d, "aws:MultiFactorAuthPresent"); got != "true" {
		t.Errorf("aws:MultiFactorAuthPresent = %q, want true", got)
	}
	if got := contextValue(d, "aws:MultiFactorAuthAge"); got != "600" {
		t.Errorf("aws:MultiFactorAuthAge = %q, want 600", got)
	}
	// The same code cannot be used twice.
	_, err = w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: mfaAdminARN, RoleSessionName: "again",
		SerialNumber: "arn:aws:iam::222222222222:mfa/alice", TokenCode: mustCodeAt(t, w, "alice", w.clock.Now().Add(-10*time.Minute))})
	check(t, "AssumeRole with a used code", err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
}

func mustCodeAt(t *testing.T, w *world, device string, at time.Time) string {
	c, err := w.e.Accounts[dev].MFADevices[device].Code(at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// DurationSeconds runs from 900 to the role's MaxSessionDuration; role
// chaining ("using the credentials for one role to assume a different
// role") caps it at one hour, and an EC2 instance's role credentials are a
// role's credentials too (a runner on an instance profile asking for two
// hours gets the role-chaining ValidationError, as public reports show).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
func TestAssumeRoleDuration(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	chain, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "first", DurationSeconds: sts.Int32(43200)})
	if err != nil {
		t.Fatal(err)
	}
	if got := chain.Credentials.Expiration.Sub(start.Truncate(time.Second)); got != 12*time.Hour {
		t.Errorf("12-hour session lasts %v", got)
	}
	chained := creds(chain.Credentials)
	instance := estate.Caller{Instance: "i-0123456789abcdef0"}
	tests := []struct {
		name   string
		caller estate.Caller
		dur    *int32
		want   time.Duration
		msg    string
	}{
		{"default is one hour", alice, nil, time.Hour, ""},
		{"up to the role's maximum", alice, sts.Int32(7200), 2 * time.Hour, ""},
		{"past the role's maximum", alice, sts.Int32(7201), 0, "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{"chained, default", chained, nil, time.Hour, ""},
		{"chained, one hour", chained, sts.Int32(3600), time.Hour, ""},
		{"chained, past one hour", chained, sts.Int32(3601), 0, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
		{"instance credentials are role credentials", instance, sts.Int32(7200), 0, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."},
		{"instance credentials, one hour", instance, sts.Int32(3600), time.Hour, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := w.svc.AssumeRole(tc.caller, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "s1", DurationSeconds: tc.dur})
			if tc.msg != "" {
				check(t, "AssumeRole", err, "ValidationError", tc.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != tc.want {
				t.Errorf("session lasts %v, want %v", got, tc.want)
			}
		})
	}
}

func TestAssumeRoleSessionPolicies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	only := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/report.txt"}]}`
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "narrow", Policy: only})
	if err != nil {
		t.Fatal(err)
	}
	if out.PackedPolicySize == nil || *out.PackedPolicySize < 1 || *out.PackedPolicySize > 100 {
		t.Errorf("PackedPolicySize = %v", out.PackedPolicySize)
	}
	s := creds(out.Credentials)
	if !w.can(s, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
		t.Error("the session policy and the role both allow GetObject on report.txt")
	}
	// The role allows s3:List*, the session policy does not: intersection.
	d := w.e.Authorize(w.call(s), "s3:ListBucket", "arn:aws:s3:::my-bucket")
	check(t, "ListBucket", d.Err, "AccessDenied", `User: arn:aws:sts::222222222222:assumed-role/ReadOnly/narrow is not authorized to perform: s3:ListBucket on resource: "arn:aws:s3:::my-bucket" because no session policy allows the s3:ListBucket action`)
	// A session policy cannot grant more than the role.
	wide, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "wide",
		PolicyArns: []sts.PolicyDescriptor{{Arn: "arn:aws:iam::222222222222:policy/S3Only"}}})
	if err != nil {
		t.Fatal(err)
	}
	if w.can(creds(wide.Credentials), "s3:PutObject", "arn:aws:s3:::my-bucket/x") {
		t.Error("a session policy granted what the role does not")
	}
}

func TestAssumeRoleTagsAndChaining(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "first",
		Tags: []sts.Tag{{Key: "project", Value: "apollo"}, {Key: "cost", Value: "7"}}, TransitiveTagKeys: []string{"project"}})
	if err != nil {
		t.Fatal(err)
	}
	// An inherited transitive tag cannot be passed again.
	_, err = w.svc.AssumeRole(creds(first.Credentials), sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "second", Tags: []sts.Tag{{Key: "Project", Value: "x"}}})
	check(t, "passing an inherited tag", err, "ValidationError", "")
	second, err := w.svc.AssumeRole(creds(first.Credentials), sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "second"})
	if err != nil {
		t.Fatal(err)
	}
	d := w.e.Authorize(w.call(creds(second.Credentials)), "s3:ListAllMyBuckets", "*")
	for k, want := range map[string]string{
		"aws:PrincipalTag/project": "apollo", // transitive
		"aws:PrincipalTag/cost":    "",       // not transitive
		"aws:PrincipalTag/tier":    "read",   // the role's own tag
		"aws:PrincipalArn":         "arn:aws:iam::222222222222:role/app/ReadOnly",
	} {
		if got := contextValue(d, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// A session that carries a source identity passes it to every role it
// assumes, which needs sts:SetSourceIdentity in the next role's trust
// policy and in the session's own permissions; asking for a different one
// is AccessDenied. IAM User Guide, "Monitor and control actions taken with
// assumed roles".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
func TestSourceIdentityThroughChain(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	first, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "first", SourceIdentity: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if first.SourceIdentity != "alice" {
		t.Errorf("SourceIdentity = %q", first.SourceIdentity)
	}
	s := creds(first.Credentials)
	next := sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "second"}
	// ReadOnly's trust policy allows sts:AssumeRole but not sts:SetSourceIdentity.
	_, err = w.svc.AssumeRole(s, next)
	check(t, "trust without sts:SetSourceIdentity", err, "AccessDenied",
		"User: arn:aws:sts::222222222222:assumed-role/Chain/first is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/app/ReadOnly because no role trust policy allows the sts:SetSourceIdentity action")
	if err := w.e.UpdateAssumeRolePolicy(dev, "ReadOnly", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}]}`); err != nil {
		t.Fatal(err)
	}
	// The trust policy delegates to the account: Chain's own permissions
	// must allow sts:SetSourceIdentity too, and they do not.
	_, err = w.svc.AssumeRole(s, next)
	check(t, "caller without sts:SetSourceIdentity", err, "AccessDenied",
		"User: arn:aws:sts::222222222222:assumed-role/Chain/first is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/app/ReadOnly because no identity-based policy allows the sts:SetSourceIdentity action")
	if err := w.e.PutRolePolicy(dev, "Chain", "source", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:SetSourceIdentity","Resource":"*"}]}`); err != nil {
		t.Fatal(err)
	}
	// Credentials issued before the change keep working with the new policy.
	second, err := w.svc.AssumeRole(s, next)
	if err != nil {
		t.Fatal(err)
	}
	if second.SourceIdentity != "alice" {
		t.Errorf("the source identity did not persist through chaining: %q", second.SourceIdentity)
	}
	if got := contextValue(w.e.Authorize(w.call(creds(second.Credentials)), "s3:ListAllMyBuckets", "*"), "aws:SourceIdentity"); got != "alice" {
		t.Errorf("aws:SourceIdentity = %q, want alice", got)
	}
	// The same source identity may be given again; another is denied.
	if _, err := w.svc.AssumeRole(s, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "again", SourceIdentity: "alice"}); err != nil {
		t.Errorf("giving the session's own source identity again: %v", err)
	}
	_, err = w.svc.AssumeRole(s, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "third", SourceIdentity: "mallory"})
	check(t, "changing the source identity", err, "AccessDenied",
		"User: arn:aws:sts::222222222222:assumed-role/Chain/first is not authorized to perform: sts:SetSourceIdentity on resource: arn:aws:iam::222222222222:role/app/ReadOnly")
}

// Credentials from GetSessionToken used to assume a role give a session
// of at most one hour: more is AWS's role-chaining ValidationError.
// AWS Knowledge Center, "iam-role-chaining-limit".
// https://repost.aws/knowledge-center/iam-role-chaining-limit
func TestAssumeRoleWithSessionTokenCredentials(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	tok, err := w.svc.GetSessionToken(alice, sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	s := creds(tok.Credentials)
	_, err = w.svc.AssumeRole(s, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "long", DurationSeconds: sts.Int32(3601)})
	check(t, "3601 seconds", err, "ValidationError", "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	out, err := w.svc.AssumeRole(s, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "hour", DurationSeconds: sts.Int32(3600)})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Credentials.Expiration.Sub(w.clock.Now()); got != time.Hour {
		t.Errorf("session lasts %v, want 1h", got)
	}
	// With long-term keys the role's MaxSessionDuration (12 hours) applies.
	if _, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "long", DurationSeconds: sts.Int32(43200)}); err != nil {
		t.Errorf("long-term keys, 43200 seconds: %v", err)
	}
}

// Credentials expire on the sandbox clock.
func TestAssumeRoleExpiry(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "short", DurationSeconds: sts.Int32(900)})
	if err != nil {
		t.Fatal(err)
	}
	s := creds(out.Credentials)
	w.clock.Advance(14 * time.Minute)
	if !w.can(s, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
		t.Fatal("the session should still work after 14 minutes")
	}
	w.clock.Advance(time.Minute)
	_, err = w.svc.GetCallerIdentity(s)
	check(t, "GetCallerIdentity after expiry", err, "ExpiredToken", "The security token included in the request is expired")
	check(t, "GetObject after expiry", w.e.Authorize(w.call(s), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt").Err, "ExpiredToken", "")
}

// The result prints as the AWS CLI prints it.
func TestAssumeRoleOutputJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(out)
	var m map[string]map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	c, u := m["Credentials"], m["AssumedRoleUser"]
	if c["Expiration"] != "2025-06-01T13:00:10+00:00" {
		t.Errorf("Expiration = %v", c["Expiration"])
	}
	if id, _ := c["AccessKeyId"].(string); !strings.HasPrefix(id, "ASIA") || len(id) != 20 {
		t.Errorf("AccessKeyId = %v, want ASIA and 16 characters", c["AccessKeyId"])
	}
	if s, _ := c["SecretAccessKey"].(string); len(s) != 40 {
		t.Errorf("SecretAccessKey = %v, want 40 characters", c["SecretAccessKey"])
	}
	role := w.e.Role(dev, "ReadOnly")
	if u["AssumedRoleId"] != role.ID+":cli" || u["Arn"] != "arn:aws:sts::222222222222:assumed-role/ReadOnly/cli" {
		t.Errorf("AssumedRoleUser = %v", u)
	}
	if strings.Contains(string(b), "PackedPolicySize") || strings.Contains(string(b), "SourceIdentity") {
		t.Errorf("empty optional fields are printed: %s", b)
	}
}

// AssumeRole's trust policy sees the role's tags as aws:ResourceTag; when a
// session with transitive session tags assumes the next role, those tags
// replace the role's values of the same keys. IAM User Guide, "Passing
// session tags in AWS STS" (chaining roles with session tags) and "IAM:
// Assume roles that have a specific tag".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining
func TestAssumeRoleSeesResourceTags(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// ReadOnly is tagged tier=read; its trust policy now asks for tier=write.
	if err := w.e.UpdateAssumeRolePolicy(dev, "ReadOnly", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:ResourceTag/tier":"write"}}}]}`); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "direct"})
	check(t, "the role's own tag is tier=read", err, "AccessDenied", "…because no role trust policy allows the sts:AssumeRole action")
	plain, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "plain", Tags: []sts.Tag{{Key: "tier", Value: "write"}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.AssumeRole(creds(plain.Credentials), sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "next"})
	check(t, "a session tag that is not transitive", err, "AccessDenied", "…because no role trust policy allows the sts:AssumeRole action")
	transitive, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: chainARN, RoleSessionName: "transitive",
		Tags: []sts.Tag{{Key: "tier", Value: "write"}}, TransitiveTagKeys: []string{"tier"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AssumeRole(creds(transitive.Credentials), sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "next"}); err != nil {
		t.Errorf("the transitive tag tier=write should stand in for the role's tier=read: %v", err)
	}
}
