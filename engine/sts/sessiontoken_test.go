package sts_test

import (
	"strings"
	"testing"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func TestGetSessionToken(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller func(w *world) estate.Caller
		in     func(w *world) sts.GetSessionTokenInput
		want   time.Duration
		code   string
		msg    string
	}{
		{name: "user, default 12 hours", caller: func(*world) estate.Caller { return carol }, want: 12 * time.Hour},
		{name: "user, 36 hours", caller: func(*world) estate.Caller { return carol },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{DurationSeconds: sts.Int32(129600)}
			}, want: 36 * time.Hour},
		{name: "user, past 36 hours", caller: func(*world) estate.Caller { return carol },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{DurationSeconds: sts.Int32(129601)}
			},
			code: "ValidationError", msg: "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 129600"},
		{name: "under 15 minutes", caller: func(*world) estate.Caller { return carol },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{DurationSeconds: sts.Int32(600)}
			},
			code: "ValidationError", msg: "1 validation error detected: Value '600' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900"},
		{name: "root user, default one hour", caller: func(*world) estate.Caller { return devRoot }, want: time.Hour},
		// A longer request from the root user is cut to one hour, not refused.
		{name: "root user, longer requests get one hour", caller: func(*world) estate.Caller { return devRoot },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{DurationSeconds: sts.Int32(7200)}
			}, want: time.Hour},
		{name: "from a role session", caller: func(w *world) estate.Caller {
			out, _ := w.svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "r1"})
			return creds(out.Credentials)
		}, code: "AccessDenied", msg: "Cannot call GetSessionToken with session credentials"},
		{name: "from GetSessionToken credentials", caller: func(w *world) estate.Caller {
			out, _ := w.svc.GetSessionToken(carol, sts.GetSessionTokenInput{})
			return creds(out.Credentials)
		}, code: "AccessDenied", msg: "Cannot call GetSessionToken with session credentials"},
		{name: "with MFA", caller: func(*world) estate.Caller { return bob },
			in: func(w *world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: w.mfaCode("bob")}
			}, want: 12 * time.Hour},
		{name: "wrong code", caller: func(*world) estate.Caller { return bob },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: "123456"}
			}, code: "AccessDenied", msg: "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{name: "stale code", caller: func(*world) estate.Caller { return bob },
			in: func(w *world) sts.GetSessionTokenInput {
				c, _ := w.e.Accounts[dev].MFADevices["bob"].Code(w.clock.Now().Add(-2 * time.Minute))
				return sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: c}
			}, code: "AccessDenied", msg: "MultiFactorAuthentication failed with invalid MFA one time pass code. "},
		{name: "another user's device", caller: func(*world) estate.Caller { return carol },
			in: func(w *world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: w.mfaCode("bob")}
			}, code: "AccessDenied", msg: "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA serial number is valid and associated with this user."},
		{name: "serial number pattern", caller: func(*world) estate.Caller { return bob },
			in: func(*world) sts.GetSessionTokenInput {
				return sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob smith", TokenCode: "123456"}
			}, code: "ValidationError", msg: `1 validation error detected: Value 'arn:aws:iam::222222222222:mfa/bob smith' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=/:,.@-]*`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			var in sts.GetSessionTokenInput
			if tc.in != nil {
				in = tc.in(w)
			}
			out, err := w.svc.GetSessionToken(tc.caller(w), in)
			check(t, "GetSessionToken", err, tc.code, tc.msg)
			if err == nil {
				if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != tc.want {
					t.Errorf("session lasts %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// GetSessionToken credentials act as the user, may call IAM only with
// MFA, and in STS only AssumeRole and GetCallerIdentity.
func TestSessionTokenCredentials(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	plain, err := w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	p := creds(plain.Credentials)
	id, err := w.svc.GetCallerIdentity(p)
	if err != nil || id.Arn != "arn:aws:iam::222222222222:user/bob" || id.UserId != w.e.User(dev, "bob").ID {
		t.Errorf("GetCallerIdentity = %+v, %v; want bob himself", id, err)
	}
	check(t, "IAM without MFA", w.e.Authorize(w.call(p), "iam:ListUsers", "*").Err, "InvalidClientTokenId", "The security token included in the request is invalid.")
	_, err = w.svc.GetFederationToken(p, sts.GetFederationTokenInput{Name: "app"})
	check(t, "GetFederationToken", err, "AccessDenied", "Cannot call GetFederationToken with session credentials")
	mfa, err := w.svc.GetSessionToken(bob, sts.GetSessionTokenInput{SerialNumber: "arn:aws:iam::222222222222:mfa/bob", TokenCode: w.mfaCode("bob")})
	if err != nil {
		t.Fatal(err)
	}
	if d := w.e.Authorize(w.call(creds(mfa.Credentials)), "iam:ListUsers", "*"); !d.Allowed() {
		t.Errorf("IAM with MFA: %v", d.Err)
	}
}

// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func TestGetFederationToken(t *testing.T) {
	t.Parallel()
	s3Read := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`
	tests := []struct {
		name   string
		caller estate.Caller
		in     sts.GetFederationTokenInput
		want   time.Duration
		code   string
		msg    string
	}{
		{name: "user with permission", caller: alice, in: sts.GetFederationTokenInput{Name: "app-user", Policy: s3Read}, want: 12 * time.Hour},
		{name: "36 hours", caller: alice, in: sts.GetFederationTokenInput{Name: "app-user", DurationSeconds: sts.Int32(129600)}, want: 36 * time.Hour},
		{name: "root user, cut to one hour", caller: devRoot, in: sts.GetFederationTokenInput{Name: "app-user", DurationSeconds: sts.Int32(7200)}, want: time.Hour},
		{name: "user without permission", caller: carol, in: sts.GetFederationTokenInput{Name: "app-user"}, code: "AccessDenied",
			msg: "User: arn:aws:iam::222222222222:user/carol is not authorized to perform: sts:GetFederationToken on resource: arn:aws:sts::222222222222:federated-user/app-user because no identity-based policy allows the sts:GetFederationToken action"},
		{name: "name of one character", caller: alice, in: sts.GetFederationTokenInput{Name: "a"}, code: "ValidationError",
			msg: "1 validation error detected: Value 'a' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 2"},
		{name: "name over 32", caller: alice, in: sts.GetFederationTokenInput{Name: "a-very-long-federated-user-name-33"}, code: "ValidationError",
			msg: "1 validation error detected: Value 'a-very-long-federated-user-name-33' at 'name' failed to satisfy constraint: Member must have length less than or equal to 32"},
		{name: "policy over 2048", caller: alice, in: sts.GetFederationTokenInput{Name: "app", Policy: policyOver2048()}, code: "ValidationError"},
		{name: "tags need sts:TagSession", caller: bob, in: sts.GetFederationTokenInput{Name: "app", Tags: []sts.Tag{{Key: "a", Value: "b"}}}, code: "AccessDenied"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			out, err := w.svc.GetFederationToken(tc.caller, tc.in)
			check(t, "GetFederationToken", err, tc.code, tc.msg)
			if err != nil {
				return
			}
			if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != tc.want {
				t.Errorf("session lasts %v, want %v", got, tc.want)
			}
			if out.FederatedUser.FederatedUserId != "222222222222:"+tc.in.Name || out.FederatedUser.Arn != "arn:aws:sts::222222222222:federated-user/"+tc.in.Name {
				t.Errorf("FederatedUser = %+v", out.FederatedUser)
			}
		})
	}
}

func policyOver2048() string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + strings.Repeat("b", 2000) + `"}]}`
}

// A federated user may do what both the user's policies and the session
// policies allow; with no session policy, nothing, except what a resource
// policy grants the federated user by name.
func TestFederatedUserPermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.e.Accounts[dev].Buckets["my-bucket"].Policy = mustDoc(t, `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":"arn:aws:sts::222222222222:federated-user/named"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::my-bucket/*"}]}`)
	none, err := w.svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: "bare"})
	if err != nil {
		t.Fatal(err)
	}
	d := w.e.Authorize(w.call(creds(none.Credentials)), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt")
	check(t, "no session policy", d.Err, "AccessDenied", `User: arn:aws:sts::222222222222:federated-user/bare is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::my-bucket/report.txt" because no session policy allows the s3:GetObject action`)
	scoped, err := w.svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: "scoped",
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"*"}]}`})
	if err != nil {
		t.Fatal(err)
	}
	s := creds(scoped.Credentials)
	if !w.can(s, "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt") {
		t.Error("GetObject is in alice's policies and the session policy")
	}
	if w.can(s, "s3:PutObject", "arn:aws:s3:::my-bucket/x") {
		t.Error("PutObject is in the session policy but not alice's policies")
	}
	named, err := w.svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: "named"})
	if err != nil {
		t.Fatal(err)
	}
	if !w.can(creds(named.Credentials), "s3:PutObject", "arn:aws:s3:::my-bucket/x") {
		t.Error("a bucket policy naming the federated user grants it without a session policy")
	}
	check(t, "IAM from a federated user", w.e.Authorize(w.call(s), "iam:ListUsers", "*").Err, "InvalidClientTokenId", "")
	_, err = w.svc.AssumeRole(s, sts.AssumeRoleInput{RoleArn: readOnlyARN, RoleSessionName: "x1"})
	check(t, "AssumeRole from a federated user", err, "AccessDenied", "")
	id, err := w.svc.GetCallerIdentity(s)
	if err != nil || id.UserId != "222222222222:scoped" || id.Arn != "arn:aws:sts::222222222222:federated-user/scoped" {
		t.Errorf("GetCallerIdentity = %+v, %v", id, err)
	}
}
