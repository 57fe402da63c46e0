package sts_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

// start is the sandbox time every test begins at.
var start = time.Date(2025, 6, 1, 12, 0, 10, 0, time.UTC)

const (
	dev          = "222222222222"
	prod         = "333333333333"
	readOnlyARN  = "arn:aws:iam::222222222222:role/app/ReadOnly"
	chainARN     = "arn:aws:iam::222222222222:role/Chain"
	webAppARN    = "arn:aws:iam::222222222222:role/WebApp"
	samlRoleARN  = "arn:aws:iam::222222222222:role/SAMLAdmin"
	samlProvider = "arn:aws:iam::222222222222:saml-provider/CorpIdP"
	auditARN     = "arn:aws:iam::333333333333:role/CrossAccountAudit"
	mfaAdminARN  = "arn:aws:iam::333333333333:role/MFAAdmin"
	googleAud    = "webapp.apps.googleusercontent.com"
	cognitoPool  = "us-east-1:11111111-2222-3333-4444-555555555555"
)

var (
	alice   = estate.Caller{AccessKeyID: "AKIAALICE00000000001"}
	bob     = estate.Caller{AccessKeyID: "AKIABOB0000000000001"}
	carol   = estate.Caller{AccessKeyID: "AKIACAROL00000000001"}
	devRoot = estate.Caller{AccessKeyID: "AKIADEVROOT000000001"}
)

// providers are the identity providers the sandbox runs; their RSA keys
// take a while to make, so the tests share them.
type providers struct {
	google, cognito, facebook, corp, forger *sts.OIDCIssuer
	saml, rogueSAML                         *sts.SAMLIdP
}

var idps = sync.OnceValues(func() (*providers, error) {
	var p providers
	var err error
	mk := func(url string) *sts.OIDCIssuer {
		if err != nil {
			return nil
		}
		var i *sts.OIDCIssuer
		i, err = sts.NewOIDCIssuer(url)
		return i
	}
	p.google = mk("https://accounts.google.com")
	p.cognito = mk("https://cognito-identity.amazonaws.com")
	p.facebook = mk("graph.facebook.com")
	p.corp = mk("https://idp.example.com")
	// The forger claims to be Google but signs with its own key.
	p.forger = mk("https://accounts.google.com")
	if err != nil {
		return nil, err
	}
	if p.saml, err = sts.NewSAMLIdP("https://idp.corp.example/saml"); err != nil {
		return nil, err
	}
	if p.rogueSAML, err = sts.NewSAMLIdP("https://idp.corp.example/saml"); err != nil {
		return nil, err
	}
	return &p, nil
})

var base = sync.OnceValues(func() (*estate.Estate, error) {
	p, err := idps()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile("testdata/estate.json")
	if err != nil {
		return nil, err
	}
	var e estate.Estate
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	e.Accounts[dev].SAMLProviders["CorpIdP"].Metadata = p.saml.Metadata()
	return &e, e.Validate()
})

// world is one test's sandbox: its own copy of the estate, clock and STS.
type world struct {
	e     *estate.Estate
	clock *estate.ManualClock
	svc   *sts.Service
	idp   *providers
}

func newWorld(t testing.TB) *world {
	t.Helper()
	e, err := base()
	if err != nil {
		t.Fatalf("load testdata/estate.json: %v", err)
	}
	p, _ := idps()
	w := &world{e: e.Clone(), clock: estate.NewManualClock(start), idp: p}
	w.svc = sts.New(w.e, w.clock, p.google, p.cognito, p.facebook, p.corp)
	return w
}

// call is a request at the world's current time.
func (w *world) call(c estate.Caller) estate.Call { return estate.Call{Caller: c, Time: w.clock.Now()} }

func (w *world) can(c estate.Caller, action, resource string) bool {
	return w.e.Authorize(w.call(c), action, resource).Allowed()
}

func creds(c *sts.Credentials) estate.Caller {
	return estate.Caller{AccessKeyID: c.AccessKeyId, SessionToken: c.SessionToken}
}

// mfaCode is the code a user's virtual MFA device shows now.
func (w *world) mfaCode(device string) string {
	c, _ := w.e.Accounts[dev].MFADevices[device].Code(w.clock.Now())
	return c
}

func code(err error) string {
	if err == nil {
		return ""
	}
	var e *estate.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "not an *estate.Error: " + err.Error()
}

func message(err error) string {
	var e *estate.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// check compares an error with AWS's code and, when given, message (a
// trailing "…" matches a prefix, a leading one a suffix).
func check(t *testing.T, what string, err error, wantCode, wantMsg string) {
	t.Helper()
	if got := code(err); got != wantCode {
		t.Fatalf("%s: code = %q, want %q (%v)", what, got, wantCode, err)
	}
	if wantMsg == "" {
		return
	}
	got := message(err)
	if p, ok := strings.CutPrefix(wantMsg, "…"); ok {
		if !strings.HasSuffix(got, p) {
			t.Errorf("%s: message =\n%s\nwant suffix\n%s", what, got, p)
		}
		return
	}
	if p, ok := strings.CutSuffix(wantMsg, "…"); ok {
		if !strings.HasPrefix(got, p) {
			t.Errorf("%s: message =\n%s\nwant prefix\n%s", what, got, p)
		}
		return
	}
	if got != wantMsg {
		t.Errorf("%s: message =\n%s\nwant\n%s", what, got, wantMsg)
	}
}

func contextValue(d *estate.Decision, key string) string {
	v := d.Request.Context[strings.ToLower(key)]
	return strings.Join(v, ",")
}
