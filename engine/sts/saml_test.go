package sts_test

import (
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"iamlab/engine/sts"
)

var samlRole = samlRoleARN + "," + samlProvider

func (w *world) samlResponse(t *testing.T, idp *sts.SAMLIdP, l sts.SAMLLogin) string {
	t.Helper()
	r, err := idp.Response(l, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func rewrite(b64 string, f func(string) string) string {
	raw, _ := base64.StdEncoding.DecodeString(b64)
	return base64.StdEncoding.EncodeToString([]byte(f(string(raw))))
}

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
func TestAssumeRoleWithSAML(t *testing.T) {
	t.Parallel()
	p, err := idps()
	if err != nil {
		t.Fatal(err)
	}
	login := sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe@corp.example", Roles: []string{samlRole}}
	tests := []struct {
		name     string
		idp      *sts.SAMLIdP
		login    sts.SAMLLogin
		edit     func(string) string // changes the XML after signing
		in       sts.AssumeRoleWithSAMLInput
		advance  time.Duration
		code     string
		msg      string
		lifetime time.Duration // expected session length
	}{
		{name: "signed assertion", idp: p.saml, login: login, lifetime: time.Hour},
		{name: "role and provider in either order", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlProvider + "," + samlRoleARN}}, lifetime: time.Hour},
		{name: "longer session within MaxSessionDuration", idp: p.saml, login: login, in: sts.AssumeRoleWithSAMLInput{DurationSeconds: sts.Int32(14400)}, lifetime: 4 * time.Hour},
		{name: "SessionNotOnOrAfter cuts the session short", idp: p.saml,
			login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlRole}, SessionNotOnOrAfter: start.Add(20 * time.Minute)},
			in:    sts.AssumeRoleWithSAMLInput{DurationSeconds: sts.Int32(7200)}, lifetime: 20 * time.Minute},
		{name: "tampered NameID", idp: p.saml, login: login, edit: func(x string) string { return strings.Replace(x, ">jdoe<", ">admin<", 1) },
			code: "InvalidIdentityToken", msg: "Response signature invalid"},
		{name: "tampered role", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{"arn:aws:iam::222222222222:role/ReadOnly," + samlProvider}},
			edit: func(x string) string { return strings.Replace(x, "role/ReadOnly", "role/SAMLAdmin", 1) }, code: "InvalidIdentityToken", msg: "Response signature invalid"},
		{name: "signature removed", idp: p.saml, login: login, edit: func(x string) string {
			i, j := strings.Index(x, "<ds:Signature"), strings.Index(x, "</ds:Signature>")
			return x[:i] + x[j+len("</ds:Signature>"):]
		}, code: "InvalidIdentityToken", msg: "Response signature invalid"},
		{name: "signed by a key not in the provider's metadata", idp: p.rogueSAML, login: login, code: "InvalidIdentityToken", msg: "Response signature invalid"},
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html
		{name: "redeemed too late", idp: p.saml, login: login, advance: 6 * time.Minute, code: "ExpiredTokenException", msg: "Token must be redeemed within 5 minutes of issuance"},
		{name: "the role is not in the Role attribute", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{"arn:aws:iam::222222222222:role/Other," + samlProvider}},
			code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithSAML"},
		{name: "no RoleSessionName attribute", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", Roles: []string{samlRole}},
			code: "InvalidIdentityToken", msg: "RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}"},
		{name: "the trust policy wants saml:aud", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlRole}, Recipient: "https://example.com/acs"},
			code: "InvalidIdentityToken"},
		{name: "unknown provider", idp: p.saml, login: login, in: sts.AssumeRoleWithSAMLInput{PrincipalArn: "arn:aws:iam::222222222222:saml-provider/Nope"},
			code: "InvalidIdentityToken", msg: "Specified provider doesn't exist"},
		{name: "the IdP reports failure", idp: p.saml, login: sts.SAMLLogin{Failed: true}, code: "IDPRejectedClaim"},
		{name: "not base64", idp: p.saml, login: login, edit: func(string) string { return "" }, code: "InvalidIdentityToken"},
		{name: "duration past the role's maximum", idp: p.saml, login: login, in: sts.AssumeRoleWithSAMLInput{DurationSeconds: sts.Int32(14401)},
			code: "ValidationError", msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "tags need sts:TagSession", idp: p.saml, login: sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlRole}, Tags: []sts.Tag{{Key: "dept", Value: "eng"}}},
			lifetime: time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			resp := w.samlResponse(t, tc.idp, tc.login)
			if tc.edit != nil {
				resp = rewrite(resp, tc.edit)
				if resp == "" {
					resp = "%%%%not-base64"
				}
			}
			w.clock.Advance(tc.advance)
			in := tc.in
			in.RoleArn, in.SAMLAssertion = samlRoleARN, resp
			if in.PrincipalArn == "" {
				in.PrincipalArn = samlProvider
			}
			// Without a memo, then twice with one (filled, then served from
			// it): the verdict is the same each time.
			memo := &sts.SAMLMemo{}
			for i, m := range []*sts.SAMLMemo{nil, memo, memo} {
				w.svc.SAMLVerified = m
				out, err := w.svc.AssumeRoleWithSAML(in)
				check(t, fmt.Sprintf("AssumeRoleWithSAML (call %d)", i+1), err, tc.code, tc.msg)
				if err != nil {
					continue
				}
				if got := out.Credentials.Expiration.Sub(w.clock.Now().Truncate(time.Second)); got != tc.lifetime {
					t.Errorf("call %d: session lasts %v, want %v", i+1, got, tc.lifetime)
				}
			}
		})
	}
}

// TestSAMLMemoKeepsTheTime: a response the memo has seen is still
// refused once the five minutes to redeem it are over.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_saml.html
func TestSAMLMemoKeepsTheTime(t *testing.T) {
	t.Parallel()
	p, err := idps()
	if err != nil {
		t.Fatal(err)
	}
	w := newWorld(t)
	w.svc.SAMLVerified = &sts.SAMLMemo{}
	in := sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider,
		SAMLAssertion: w.samlResponse(t, p.saml, sts.SAMLLogin{NameID: "jdoe", RoleSessionName: "jdoe", Roles: []string{samlRole}})}
	if _, err := w.svc.AssumeRoleWithSAML(in); err != nil {
		t.Fatalf("AssumeRoleWithSAML = %v, want credentials", err)
	}
	w.clock.Advance(6 * time.Minute)
	_, err = w.svc.AssumeRoleWithSAML(in)
	check(t, "AssumeRoleWithSAML six minutes later", err, "ExpiredTokenException", "Token must be redeemed within 5 minutes of issuance")
}

func TestSAMLOutputAndKeys(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resp := w.samlResponse(t, w.idp.saml, sts.SAMLLogin{NameID: "jdoe", NameIDFormat: "transient", RoleSessionName: "jdoe@corp.example",
		Roles: []string{samlRole}, SourceIdentity: "jdoe", Tags: []sts.Tag{{Key: "dept", Value: "eng"}},
		Attributes: map[string][]string{"urn:oid:1.3.6.1.4.1.5923.1.1.1.1": {"staff", "member"}}})
	// A source identity from SAML needs sts:SetSourceIdentity in the trust policy.
	_, err := w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider, SAMLAssertion: resp})
	check(t, "without sts:SetSourceIdentity", err, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithSAML")
	w.e.Accounts[dev].Roles["SAMLAdmin"].TrustPolicy = mustDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
		"Principal":{"Federated":"arn:aws:iam::222222222222:saml-provider/CorpIdP"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession","sts:SetSourceIdentity"],
		"Condition":{"StringEquals":{"saml:aud":"https://signin.aws.amazon.com/saml","saml:edupersonaffiliation":"staff"}}}]}`)
	out, err := w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider, SAMLAssertion: resp})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha1.Sum([]byte("https://idp.corp.example/saml" + "222222222222" + "/CorpIdP"))
	want := sts.AssumeRoleWithSAMLOutput{Subject: "jdoe", SubjectType: "transient", Issuer: "https://idp.corp.example/saml",
		Audience: "https://signin.aws.amazon.com/saml", NameQualifier: base64.StdEncoding.EncodeToString(sum[:]), SourceIdentity: "jdoe"}
	if out.Subject != want.Subject || out.SubjectType != want.SubjectType || out.Issuer != want.Issuer ||
		out.Audience != want.Audience || out.NameQualifier != want.NameQualifier || out.SourceIdentity != want.SourceIdentity {
		t.Errorf("AssumeRoleWithSAML output = %+v\nwant %+v", out, want)
	}
	if out.AssumedRoleUser.Arn != "arn:aws:sts::222222222222:assumed-role/SAMLAdmin/jdoe@corp.example" {
		t.Errorf("Arn = %s", out.AssumedRoleUser.Arn)
	}
	d := w.e.Authorize(w.call(creds(out.Credentials)), "s3:ListAllMyBuckets", "*")
	for k, v := range map[string]string{"saml:sub": "jdoe", "saml:sub_type": "transient", "saml:namequalifier": want.NameQualifier,
		"aws:FederatedProvider": samlProvider, "aws:PrincipalTag/dept": "eng", "aws:SourceIdentity": "jdoe", "saml:edupersonaffiliation": ""} {
		if got := contextValue(d, k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestSAMLValidation(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	_, err := w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, SAMLAssertion: "abc"})
	check(t, "AssumeRoleWithSAML", err, "ValidationError",
		"2 validation errors detected: Value null at 'principalArn' failed to satisfy constraint: Member must not be null; Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length greater than or equal to 4")
	_, err = w.svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: samlRoleARN, PrincipalArn: samlProvider, SAMLAssertion: strings.Repeat("A", 100001)})
	check(t, "AssumeRoleWithSAML", err, "ValidationError", "1 validation error detected: Value at 'sAMLAssertion' failed to satisfy constraint: Member must have length less than or equal to 100000")
}
