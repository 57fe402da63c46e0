package sts_test

import (
	"strings"
	"testing"
	"time"

	"iamlab/engine"
	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// One test per STS bullet of the seed notes (../shared/seed/aws-sts-iam-notes.md),
// each a story a learner can replay in the sandbox.

// "Allows to grant limited temporary access to AWS resources (up to 1
// hour)": role credentials last an hour by default, work until then, and
// are refused after.
func TestSeedTemporaryAccess(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "temp"})
	if err != nil {
		t.Fatal(err)
	}
	s := creds(out.Credentials)
	if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != time.Hour {
		t.Fatalf("default session = %v, want 1h", got)
	}
	w.clock.Advance(59 * time.Minute)
	if !w.can(s, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
		t.Fatal("the credentials stopped working before the hour")
	}
	w.clock.Advance(time.Minute)
	_, err = w.svc.GetCallerIdentity(s)
	check(t, "after the hour", err, "ExpiredToken", "The security token included in the request is expired")
}

// "AssumeRole - assume roles within your account or cross account".
func TestSeedAssumeRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	same, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "same"})
	if err != nil {
		t.Fatal(err)
	}
	if !w.can(creds(same.Credentials), "s3:ListBucket", "arn:aws:s3:::my-bucket") || w.can(creds(same.Credentials), "s3:PutObject", "arn:aws:s3:::my-bucket/x") {
		t.Error("the ReadOnly session should read S3 and nothing more")
	}
	// Across accounts the role's trust policy (with its external ID) and
	// the caller's own policies must both allow.
	_, err = w.svc.AssumeRole(carol, sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "audit-2025"})
	check(t, "carol, whose account does not allow it", err, "AccessDenied", "…because no identity-based policy allows the sts:AssumeRole action")
	cross, err := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: auditARN, RoleSessionName: "audit", ExternalId: "audit-2025"})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := w.svc.GetCallerIdentity(creds(cross.Credentials))
	if id.Account != prod || id.Arn != "arn:aws:sts::333333333333:assumed-role/CrossAccountAudit/audit" {
		t.Errorf("cross-account session = %+v", id)
	}
}

// "AssumeRoleWithSAML - return credentials for users logged with SAML".
func TestSeedAssumeRoleWithSAML(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// The user signs in at the company IdP, which posts a signed
	// assertion; no AWS credentials are involved.
	resp, err := w.idp.saml.Response(sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlRole}}, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(30 * time.Second)
	out, err := w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider, SAMLAssertion: resp})
	if err != nil {
		t.Fatal(err)
	}
	if !w.can(creds(out.Credentials), "ec2:RunInstances", "*") {
		t.Error("the SAMLAdmin session should have AdministratorAccess")
	}
	// Replaying the same assertion ten minutes later fails.
	w.clock.Advance(10 * time.Minute)
	_, err = w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider, SAMLAssertion: resp})
	check(t, "stale assertion", err, "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance")
}

// "AssumeRoleWithWebIdentity - return credentials for users logged with
// IDP (Facebook Login, Google Login)".
func TestSeedAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.e.Accounts[dev].Roles["WebApp"].TrustPolicy = mustDoc(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"Federated":"accounts.google.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"accounts.google.com:aud":"`+googleAud+`"}}},
		{"Effect":"Allow","Principal":{"Federated":"graph.facebook.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"graph.facebook.com:app_id":"1234567890"}}}]}`)
	for _, login := range []struct {
		name   string
		issuer *sts.OIDCIssuer
		claims sts.IDClaims
	}{
		{"Google", w.idp.google, sts.IDClaims{Subject: "g-1", Audience: googleAud}},
		{"Facebook", w.idp.facebook, sts.IDClaims{Subject: "fb-1", Audience: "1234567890"}},
	} {
		tok, err := login.issuer.Token(login.claims, w.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		out, err := w.svc.AssumeRoleWithWebIdentity(sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: login.claims.Subject, WebIdentityToken: tok})
		if err != nil {
			t.Fatalf("%s: %v", login.name, err)
		}
		if !w.can(creds(out.Credentials), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
			t.Errorf("%s user cannot read the bucket", login.name)
		}
	}
	// A token meant for another app is refused by the trust policy.
	tok, _ := w.idp.facebook.Token(sts.IDClaims{Subject: "fb-1", Audience: "other-app"}, w.clock.Now())
	_, err := w.svc.AssumeRoleWithWebIdentity(sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: "fb", WebIdentityToken: tok})
	check(t, "another app's token", err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")
}

// "GetSessionToken - For MFA, from users or aws account root user".
func TestSeedGetSessionToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	for _, c := range []struct {
		name   string
		caller estate.Caller
		arn    string
		max    time.Duration
	}{{"user", carol, "arn:aws:iam::222222222222:user/carol", 36 * time.Hour}, {"root user", devRoot, "arn:aws:iam::222222222222:root", time.Hour}} {
		out, err := w.svc.GetSessionToken(c.caller, sts.GetSessionTokenInput{DurationSeconds: sts.Int32(129600)})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != c.max {
			t.Errorf("%s: session lasts %v, want %v", c.name, got, c.max)
		}
		id, _ := w.svc.GetCallerIdentity(creds(out.Credentials))
		if id.Arn != c.arn {
			t.Errorf("%s: the session acts as %s, want %s", c.name, id.Arn, c.arn)
		}
	}
	role, _ := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "r1"})
	_, err := w.svc.GetSessionToken(creds(role.Credentials), sts.GetSessionTokenInput{})
	check(t, "from a role", err, "AccessDenied", "Cannot call GetSessionToken with session credentials")
}

// "GetFederationToken - obtain temporary creds for a federated user".
func TestSeedGetFederationToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: "broker-client",
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	s := creds(out.Credentials)
	if !w.can(s, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
		t.Error("the federated user cannot do what alice and its session policy allow")
	}
	if w.can(s, "s3:ListBucket", "arn:aws:s3:::my-bucket") {
		t.Error("the federated user can do what its session policy does not allow")
	}
	if out.FederatedUser.Arn != "arn:aws:sts::222222222222:federated-user/broker-client" || out.PackedPolicySize == nil {
		t.Errorf("output = %+v", out)
	}
}

// "GetCallerIdentity - return details about the IAM user or role used in
// the API call".
func TestSeedGetCallerIdentity(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	user, _ := w.svc.GetCallerIdentity(alice)
	role, _ := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "who-am-i"})
	session, _ := w.svc.GetCallerIdentity(creds(role.Credentials))
	if user.Arn != "arn:aws:iam::222222222222:user/alice" || !strings.HasPrefix(user.UserId, "AIDA") {
		t.Errorf("user = %+v", user)
	}
	if session.Arn != "arn:aws:sts::222222222222:assumed-role/ReadOnly/who-am-i" || session.UserId != role.AssumedRoleUser.AssumedRoleId {
		t.Errorf("role session = %+v", session)
	}
}

// "DecodeAuthorizationMessage - decode error message when an AWS API is
// denied".
func TestSeedDecodeAuthorizationMessage(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.e.Organization.Policies["NoBigInstances"] = &estate.OrgPolicy{Type: estate.PolicyTypeSCP, ID: "p-nobig001",
		Document: mustDoc(t, `{"Version":"2012-10-17","Statement":[{"Sid":"NoBigInstances","Effect":"Deny","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringNotLike":{"ec2:InstanceType":"t3.*"}}}]}`)}
	ou := w.e.Organization.Root.Units["Workloads"]
	ou.SCPs = append(ou.SCPs, "NoBigInstances")
	// bob works with MFA (his RequireMFA policy denies everything else).
	mfa, err := w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: w.mfaCode("bob")})
	if err != nil {
		t.Fatal(err)
	}
	bobMFA := w.call(creds(mfa.Credentials))
	if _, err := w.e.RunInstances(bobMFA, estate.RunInstancesInput{ImageID: "ami-1", InstanceType: "t3.micro"}); err != nil {
		t.Fatalf("a t3 instance: %v", err)
	}
	_, err = w.e.RunInstances(bobMFA, estate.RunInstancesInput{ImageID: "ami-1", InstanceType: "m5.24xlarge"})
	check(t, "RunInstances", err, "UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::222222222222:user/bob is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:us-east-1:222222222222:instance/* with an explicit deny in a service control policy: arn:aws:organizations::111111111111:policy/"+w.e.Organization.ID+"/service_control_policy/p-nobig001. Encoded authorization failure message: …")
	msg := message(err)
	if !strings.Contains(msg, "with an explicit deny in a service control policy: arn:aws:organizations::111111111111:policy/") {
		t.Fatalf("message = %s", msg)
	}
	out, err := w.svc.DecodeAuthorizationMessage(alice, sts.DecodeAuthorizationMessageInput{EncodedMessage: msg[strings.LastIndex(msg, " ")+1:]})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"explicitDeny":true`, `"statementId":"NoBigInstances"`, `"key":"ec2:InstanceType","values":{"items":[{"value":"t3.*"}]}`,
		`{"key":"ec2:InstanceType","values":{"items":[{"value":"m5.24xlarge"}]}}`, `"key":"aws:MultiFactorAuthPresent","values":{"items":[{"value":"true"}]}`} {
		if !strings.Contains(out.DecodedMessage, want) {
			t.Errorf("decoded message lacks %s:\n%s", want, out.DecodedMessage)
		}
	}
}

// "STS with MFA: Use GetSessionToken from STS; aws:MultiFactorAuthPresent:
// true". bob's RequireMFA policy denies everything without MFA; a correct
// TOTP code gets him a session that may work, a wrong or stale one fails
// as AWS fails.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
func TestSeedSTSWithMFA(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	d := w.e.Authorize(w.call(bob), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt")
	check(t, "bob without MFA", d.Err, "AccessDenied", `User: arn:aws:iam::222222222222:user/bob is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::my-bucket/report.txt" with an explicit deny in an identity-based policy: arn:aws:iam::222222222222:policy/RequireMFA`)
	plain, err := w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	if d := w.e.Authorize(w.call(creds(plain.Credentials)), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt"); d.Result.Decision != engine.ExplicitDeny ||
		contextValue(d, "aws:MultiFactorAuthPresent") != "false" {
		t.Errorf("a session without MFA: %v, aws:MultiFactorAuthPresent=%q", d.Result.Decision, contextValue(d, "aws:MultiFactorAuthPresent"))
	}
	serial := "arn:aws:iam::222222222222:mfa/bob"
	_, err = w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: "123456"})
	check(t, "wrong code", err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	stale := mustCodeAt(t, w, "bob", w.clock.Now().Add(-90*time.Second))
	_, err = w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: stale})
	check(t, "stale code", err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
	code := w.mfaCode("bob")
	out, err := w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: code})
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(5 * time.Minute)
	d = w.e.Authorize(w.call(creds(out.Credentials)), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt")
	if !d.Allowed() {
		t.Fatalf("bob with MFA: %v", d.Err)
	}
	if contextValue(d, "aws:MultiFactorAuthPresent") != "true" || contextValue(d, "aws:MultiFactorAuthAge") != "300" {
		t.Errorf("MFA keys = %q, %q; want true, 300", contextValue(d, "aws:MultiFactorAuthPresent"), contextValue(d, "aws:MultiFactorAuthAge"))
	}
	// The code just used cannot be used again, even within its 30 seconds.
	w.clock.Set(start)
	_, err = w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: serial, TokenCode: code})
	check(t, "reused code", err, "AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code. ")
}

// The seed's sample question: an instance role reads and writes a bucket;
// after the role is removed, writes fail but reads still work, because the
// bucket policy authorizes reads for everyone.
func TestSeedRemovedInstanceRole(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	instance := w.call(estate.Caller{Instance: "i-0123456789abcdef0"})
	if _, err := w.e.PutObject(instance, "my-bucket", "out.txt", "v1"); err != nil {
		t.Fatalf("write with the role: %v", err)
	}
	if err := w.e.RemoveRoleFromInstanceProfile(dev, "EC2App", "EC2App"); err != nil {
		t.Fatal(err)
	}
	_, err := w.e.PutObject(instance, "my-bucket", "out.txt", "v2")
	check(t, "write without the role", err, "AccessDenied", "Access Denied")
	got, err := w.e.GetObject(instance, "my-bucket", "out.txt")
	if err != nil || got.Body != "v1" {
		t.Errorf("read without the role = %v, %v", got, err)
	}
	_, err = w.svc.GetCallerIdentity(instance.Caller)
	check(t, "GetCallerIdentity without credentials", err, "MissingAuthenticationToken", "")
}

// The seed's other sample: ec2:* with iam:PassRole on RDS-* roles lets a
// user launch instances with roles whose names start with RDS-, and no
// others.
func TestSeedPassRoleRDS(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	if err := w.e.PutUserPolicy(dev, "carol", "Secret", `{
	  "Version": "2012-10-17",
	  "Id": "Secret Policy",
	  "Statement": [
	    {"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
	    {"Sid": "Passrole", "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "arn:aws:iam::*:role/RDS-*"}
	  ]}`); err != nil {
		t.Fatal(err)
	}
	if _, err := w.e.RunInstances(w.call(carol), estate.RunInstancesInput{ImageID: "ami-1", IamInstanceProfile: "RDS-Monitoring"}); err != nil {
		t.Errorf("launch with RDS-Monitoring: %v", err)
	}
	_, err := w.e.RunInstances(w.call(carol), estate.RunInstancesInput{ImageID: "ami-1", IamInstanceProfile: "EC2App"})
	check(t, "launch with EC2App", err, "UnauthorizedOperation", "You are not authorized to perform this operation. User: arn:aws:iam::222222222222:user/carol is not authorized to perform: iam:PassRole on resource: arn:aws:iam::222222222222:role/EC2App because no identity-based policy allows the iam:PassRole action. Encoded authorization failure message: …")
}
