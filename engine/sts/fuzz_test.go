package sts_test

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// codeIn fails the fuzz run when err is not an *estate.Error with one of
// the codes AWS documents for the operation.
func codeIn(t *testing.T, err error, codes ...string) {
	t.Helper()
	if err == nil {
		return
	}
	got := code(err)
	for _, c := range codes {
		if got == c {
			return
		}
	}
	t.Errorf("error %v: code %q is not one of %v", err, got, codes)
}

// FuzzWebIdentityToken decodes arbitrary web identity tokens.
func FuzzWebIdentityToken(f *testing.F) {
	w := newWorld(f)
	good, _ := w.idp.google.Token(sts.IDClaims{Subject: "1", Audience: googleAud}, w.clock.Now())
	corp, _ := w.idp.corp.Token(sts.IDClaims{Subject: "1", Audience: "sandbox-app", PrincipalTags: map[string]string{"a": "b"}}, w.clock.Now())
	f.Add(good)
	f.Add(corp)
	f.Add(good[:len(good)-5])
	f.Add(strings.Replace(good, ".", "..", 1))
	f.Add("eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FjY291bnRzLmdvb2dsZS5jb20ifQ.")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		_, err := w.svc.VerifyWebIdentityToken(token, dev, "")
		codeIn(t, err, "InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim")
		if len(token) >= 4 && len(token) <= 20000 {
			_, err = w.svc.AssumeRoleWithWebIdentity(sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: "fuzz", WebIdentityToken: token})
			codeIn(t, err, "InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim", "AccessDenied", "ValidationError", "PackedPolicyTooLarge")
		}
	})
}

// FuzzSAMLResponse decodes arbitrary SAML responses, as XML. Its seeds
// are small unsigned responses and its inputs bounded to 2 KB, so that each
// run takes well under a millisecond: a signed 4 KB seed cost 15 ms a run
// in canonicalization and signature checks, and the fuzzer, busy
// minimizing it, reported a few executions a minute. Signed responses,
// good and tampered with, are the unit tests' (saml_test.go).
func FuzzSAMLResponse(f *testing.F) {
	svc := samlOnlyService(f)
	const ns = `xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"`
	f.Add([]byte(`<samlp:Response ` + ns + ` ID="r1" Version="2.0" IssueInstant="2026-06-15T12:00:00Z" Destination="https://signin.aws.amazon.com/saml">` +
		`<saml:Issuer>https://idp.corp.example/saml</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
		`<saml:Assertion ID="a1" Version="2.0" IssueInstant="2026-06-15T12:00:00Z"><saml:Issuer>https://idp.corp.example/saml</saml:Issuer>` +
		`<saml:Subject><saml:NameID>jdoe</saml:NameID></saml:Subject><saml:AttributeStatement>` +
		`<saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>jdoe</saml:AttributeValue></saml:Attribute>` +
		`</saml:AttributeStatement></saml:Assertion></samlp:Response>`))
	f.Add([]byte(`<samlp:Response ` + ns + `><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Requester"/></samlp:Status></samlp:Response>`))
	f.Add([]byte("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><x>&a;</x>"))
	f.Add([]byte("not xml"))
	f.Fuzz(func(t *testing.T, xml []byte) {
		if len(xml) > 2048 {
			return
		}
		assertion := base64.StdEncoding.EncodeToString(xml)
		_, err := svc.VerifySAMLAssertion(assertion, samlProvider)
		codeIn(t, err, "InvalidIdentityToken", "ExpiredTokenException", "IDPRejectedClaim")
	})
}

// samlOnlyService is the tests' estate with only its SAML identity
// provider: each fuzzing worker builds its own, and the full set of
// providers (seven RSA keys) took seconds of a short run.
func samlOnlyService(f *testing.F) *sts.Service {
	b, err := os.ReadFile("testdata/estate.json")
	if err != nil {
		f.Fatal(err)
	}
	var e estate.Estate
	if err := json.Unmarshal(b, &e); err != nil {
		f.Fatal(err)
	}
	idp, err := sts.NewSAMLIdP("https://idp.corp.example/saml")
	if err != nil {
		f.Fatal(err)
	}
	e.Accounts[dev].SAMLProviders["CorpIdP"].Metadata = idp.Metadata()
	if err := e.Validate(); err != nil {
		f.Fatal(err)
	}
	return sts.New(&e, estate.NewManualClock(start))
}

// FuzzOperationParameters sends arbitrary parameters to the operations
// that take them: validation answers ValidationError, never a panic, and
// whatever passes meets AWS's other documented errors.
func FuzzOperationParameters(f *testing.F) {
	w := newWorld(f)
	f.Add(readOnlyARN, "session", "", "", int32(3600), "", "", "team", "blue")
	f.Add("arn:aws:iam::222222222222:role/ReadOnly", "a b", `{"Version":"2012-10-17","Statement":[]}`, "x", int32(899), "arn:aws:iam::222222222222:mfa/alice", "12345", "", "")
	f.Add(mfaAdminARN, "s", "{", "ext-id", int32(43201), "GAHT12345678", "123456", "aws:x", "")
	f.Add(auditARN, strings.Repeat("n", 65), `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`, "audit-2025", int32(0), "", "", "k", strings.Repeat("v", 257))
	f.Fuzz(func(t *testing.T, roleArn, name, policy, externalID string, dur int32, serial, tokenCode, tagKey, tagValue string) {
		e := w.e.Clone()
		svc := sts.New(e, w.clock, w.idp.google)
		var durp *int32
		if dur != 0 {
			durp = &dur
		}
		var tags []sts.Tag
		if tagKey != "" {
			tags = []sts.Tag{{Key: tagKey, Value: tagValue}}
		}
		_, err := svc.AssumeRole(alice, sts.AssumeRoleInput{RoleArn: roleArn, RoleSessionName: name, Policy: policy, ExternalId: externalID,
			DurationSeconds: durp, SerialNumber: serial, TokenCode: tokenCode, Tags: tags})
		codeIn(t, err, "ValidationError", "AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge")
		_, err = svc.GetSessionToken(bob, sts.GetSessionTokenInput{DurationSeconds: durp, SerialNumber: serial, TokenCode: tokenCode})
		codeIn(t, err, "ValidationError", "AccessDenied")
		_, err = svc.GetFederationToken(alice, sts.GetFederationTokenInput{Name: name, Policy: policy, DurationSeconds: durp, Tags: tags})
		codeIn(t, err, "ValidationError", "AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge")
		_, err = svc.AssumeRoleWithWebIdentity(sts.AssumeRoleWithWebIdentityInput{RoleArn: roleArn, RoleSessionName: name, WebIdentityToken: externalID, Policy: policy, DurationSeconds: durp})
		codeIn(t, err, "ValidationError", "InvalidIdentityToken", "AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge", "ExpiredTokenException")
		_, err = svc.AssumeRoleWithSAML(sts.AssumeRoleWithSAMLInput{RoleArn: roleArn, PrincipalArn: serial, SAMLAssertion: externalID, Policy: policy, DurationSeconds: durp})
		codeIn(t, err, "ValidationError", "InvalidIdentityToken", "AccessDenied", "MalformedPolicyDocument", "PackedPolicyTooLarge", "ExpiredTokenException", "IDPRejectedClaim")
		_, err = svc.DecodeAuthorizationMessage(alice, sts.DecodeAuthorizationMessageInput{EncodedMessage: policy})
		codeIn(t, err, "ValidationError", "InvalidAuthorizationMessageException")
	})
}
