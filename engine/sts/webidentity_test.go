package sts_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

func (w *world) token(t *testing.T, i *sts.OIDCIssuer, c sts.IDClaims) string {
	t.Helper()
	tok, err := i.Token(c, w.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
func TestAssumeRoleWithWebIdentity(t *testing.T) {
	t.Parallel()
	p, err := idps()
	if err != nil {
		t.Fatal(err)
	}
	google := sts.IDClaims{Subject: "110169484474386276334", Audience: googleAud}
	tests := []struct {
		name    string
		issuer  *sts.OIDCIssuer
		claims  sts.IDClaims
		token   func(w *world, tok string) string // rewrites the token
		in      sts.AssumeRoleWithWebIdentityInput
		advance time.Duration // between issue and call
		code    string
		msg     string
	}{
		{name: "Google ID token", issuer: p.google, claims: google},
		{name: "Google sets azp: the trust key aud is azp", issuer: p.google, claims: sts.IDClaims{Subject: "1101", Audience: "other-client", AuthorizedParty: googleAud}},
		{name: "Cognito authenticated identity", issuer: p.cognito, claims: sts.IDClaims{Subject: "us-east-1:abcd", Audience: cognitoPool, AMR: []string{"authenticated", "graph.facebook.com"}}},
		{name: "Cognito unauthenticated identity", issuer: p.cognito, claims: sts.IDClaims{Subject: "us-east-1:abcd", Audience: cognitoPool, AMR: []string{"unauthenticated"}},
			code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{name: "OIDC provider registered in IAM", issuer: p.corp, claims: sts.IDClaims{Subject: "emp-42", Audience: "sandbox-app"}},
		{name: "audience the trust policy does not accept", issuer: p.google, claims: sts.IDClaims{Subject: "1101", Audience: "someone-elses-app"},
			code: "AccessDenied", msg: "Not authorized to perform sts:AssumeRoleWithWebIdentity"},
		{name: "audience the OIDC provider does not list", issuer: p.corp, claims: sts.IDClaims{Subject: "emp-42", Audience: "other-app"},
			code: "InvalidIdentityToken", msg: "Incorrect token audience"},
		{name: "forged: a key the issuer does not publish", issuer: p.forger, claims: google, code: "InvalidIdentityToken",
			msg: "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"},
		{name: "forged: another key under the issuer's key ID", issuer: p.forger, claims: google, token: func(w *world, tok string) string {
			i, _ := idps()
			real, _ := i.google.Token(google, w.clock.Now())
			parts := strings.Split(tok, ".")
			parts[0] = strings.Split(real, ".")[0]
			return strings.Join(parts, ".")
		}, code: "InvalidIdentityToken",
			msg: "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."},
		{name: "expired", issuer: p.google, claims: sts.IDClaims{Subject: "1101", Audience: googleAud, Lifetime: 10 * time.Minute}, advance: 11 * time.Minute,
			code: "ExpiredTokenException", msg: "Token expired: current date/time 1748779870 must be before the expiration date/time 1748779810"},
		{name: "tampered claims", issuer: p.google, claims: google, token: func(w *world, tok string) string {
			parts := strings.Split(tok, ".")
			parts[1] = base64.RawURLEncoding.EncodeToString([]byte(`{"iss":"https://accounts.google.com","sub":"admin","aud":"` + googleAud + `","exp":4102444800}`))
			return strings.Join(parts, ".")
		}, code: "InvalidIdentityToken"},
		{name: "not a JWT", token: func(*world, string) string { return "ya29.an-oauth-access-token" },
			code: "InvalidIdentityToken", msg: "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)"},
		// Only RS256 tokens are supported.
		{name: "HS256 token", token: func(*world, string) string {
			sig, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte("0123456789abcdef0123456789abcdef")}, nil)
			tok, _ := jwt.Signed(sig).Claims(map[string]any{"iss": "https://accounts.google.com", "sub": "1", "aud": googleAud, "exp": 4102444800}).Serialize()
			return tok
		}, code: "InvalidIdentityToken"},
		{name: "issuer without an IAM OIDC provider", issuer: p.corp, claims: sts.IDClaims{Subject: "x", Audience: "sandbox-app"}, token: func(w *world, tok string) string {
			delete(w.e.Accounts[dev].OIDCProviders, "idp.example.com")
			return tok
		}, code: "InvalidIdentityToken", msg: "No OpenIDConnect provider found in your account for https://idp.example.com"},
		{name: "duration past the role's maximum", issuer: p.google, claims: google,
			in: sts.AssumeRoleWithWebIdentityInput{DurationSeconds: sts.Int32(3601)}, code: "ValidationError",
			msg: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."},
		{name: "validation", issuer: p.google, claims: google, in: sts.AssumeRoleWithWebIdentityInput{RoleSessionName: "a b"}, code: "ValidationError",
			msg: `1 validation error detected: Value 'a b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]*`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t)
			var tok string
			if tc.issuer != nil {
				tok = w.token(t, tc.issuer, tc.claims)
			}
			if tc.token != nil {
				tok = tc.token(w, tok)
			}
			w.clock.Advance(tc.advance)
			in := tc.in
			in.RoleArn, in.WebIdentityToken = webAppARN, tok
			if in.RoleSessionName == "" {
				in.RoleSessionName = "web-user"
			}
			out, err := w.svc.AssumeRoleWithWebIdentity(in)
			check(t, "AssumeRoleWithWebIdentity", err, tc.code, tc.msg)
			if err != nil {
				return
			}
			if out.SubjectFromWebIdentityToken != tc.claims.Subject || out.Provider != tc.issuer.URL {
				t.Errorf("Subject, Provider = %q, %q", out.SubjectFromWebIdentityToken, out.Provider)
			}
			if !strings.HasPrefix(out.Credentials.AccessKeyId, "ASIA") || out.AssumedRoleUser.Arn != "arn:aws:sts::222222222222:assumed-role/WebApp/web-user" {
				t.Errorf("output = %+v", out)
			}
		})
	}
}

func TestWebIdentitySessionKeys(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	out, err := w.svc.AssumeRoleWithWebIdentity(sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: "app",
		WebIdentityToken: w.token(t, w.idp.corp, sts.IDClaims{Subject: "emp-42", Audience: "sandbox-app",
			PrincipalTags: map[string]string{"department": "finance"}, TransitiveTagKeys: []string{"department"}})})
	if err != nil {
		t.Fatal(err)
	}
	if out.PackedPolicySize == nil {
		t.Errorf("PackedPolicySize missing although the token passed session tags")
	}
	d := w.e.Authorize(w.call(creds(out.Credentials)), "s3:GetObject", "arn:aws:s3:::my-bucket/report.txt")
	if !d.Allowed() {
		t.Fatal(d.Err)
	}
	for k, want := range map[string]string{
		"aws:FederatedProvider":       "arn:aws:iam::222222222222:oidc-provider/idp.example.com",
		"idp.example.com:sub":         "emp-42",
		"idp.example.com:aud":         "sandbox-app",
		"aws:PrincipalTag/department": "finance",
		"aws:MultiFactorAuthPresent":  "false",
	} {
		if got := contextValue(d, k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

// Login with Amazon and Facebook send OAuth access tokens, which STS
// checks with the provider (ProviderId); a revoked token is refused there.
func TestWebIdentityRevokedAtTheProvider(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	amazon, err := sts.NewOIDCIssuer("www.amazon.com")
	if err != nil {
		t.Fatal(err)
	}
	svc := sts.New(w.e, w.clock, amazon)
	w.e.Accounts[dev].Roles["WebApp"].TrustPolicy = mustDoc(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"www.amazon.com"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"www.amazon.com:app_id":"amzn1.application.shop"}}}]}`)
	tok, _ := amazon.Token(sts.IDClaims{Subject: "amzn1.account.X", Audience: "amzn1.application.shop", ID: "t-1"}, w.clock.Now())
	in := sts.AssumeRoleWithWebIdentityInput{RoleArn: webAppARN, RoleSessionName: "shopper", WebIdentityToken: tok, ProviderId: "www.amazon.com"}
	out, err := svc.AssumeRoleWithWebIdentity(in)
	if err != nil {
		t.Fatal(err)
	}
	if out.Provider != "www.amazon.com" {
		t.Errorf("Provider = %q, want the ProviderId", out.Provider)
	}
	amazon.Revoke("t-1")
	_, err = svc.AssumeRoleWithWebIdentity(in)
	check(t, "revoked token", err, "IDPRejectedClaim", "www.amazon.com: www.amazon.com responded with HTTP/1.1 400 Bad Request")
}

func mustDoc(t testing.TB, text string) *estate.Document {
	t.Helper()
	d, err := estate.NewDocument(text)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
