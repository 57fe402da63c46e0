package sts

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"
	saml2 "github.com/russellhaering/gosaml2"
	"github.com/russellhaering/gosaml2/types"
	dsig "github.com/russellhaering/goxmldsig"

	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// SAML names AWS uses.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html
const (
	SAMLEndpoint       = "https://signin.aws.amazon.com/saml"
	SAMLAudience       = "urn:amazon:webservices"
	AttrRole           = "https://aws.amazon.com/SAML/Attributes/Role"
	AttrRoleSession    = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
	AttrSessionDur     = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
	AttrSourceIdentity = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
	AttrTransitiveTags = "https://aws.amazon.com/SAML/Attributes/TransitiveTagKeys"
	AttrTagPrefix      = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
	nameIDPrefix       = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
	statusSuccess      = "urn:oasis:names:tc:SAML:2.0:status:Success"
	// samlRedeemWindow: an assertion must reach STS within five minutes
	// of being issued.
	samlRedeemWindow = 5 * time.Minute
)

// SAMLIdP is a SAML 2.0 identity provider the sandbox runs, standing in
// for a company's ADFS or Okta: it signs assertions with an RSA key whose
// certificate its metadata publishes.
type SAMLIdP struct {
	EntityID string
	key      *rsa.PrivateKey
	cert     []byte
}

// NewSAMLIdP starts an IdP with a fresh key and a self-signed certificate
// valid from 2000 to 2100, so that any sandbox clock accepts it.
func NewSAMLIdP(entityID string) (*SAMLIdP, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("saml idp %s: %w", entityID, err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: entityID},
		NotBefore:             time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:              time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("saml idp %s: %w", entityID, err)
	}
	return &SAMLIdP{EntityID: entityID, key: key, cert: der}, nil
}

// Metadata returns the IdP's SAML metadata document, which
// CreateSAMLProvider takes.
func (p *SAMLIdP) Metadata() string {
	return `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="` + xmlEscape(p.EntityID) + `">` +
		`<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
		`<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(p.cert) +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
		`<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>` +
		`<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="` + xmlEscape(strings.TrimSuffix(p.EntityID, "/")) + `/sso"/>` +
		`</md:IDPSSODescriptor></md:EntityDescriptor>`
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// SAMLLogin describes the user a SAML response vouches for and the
// attributes the IdP sends AWS.
type SAMLLogin struct {
	NameID string
	// NameIDFormat is "persistent" (default), "transient", or a full URN.
	NameIDFormat string
	// Roles are "ROLE-ARN,PROVIDER-ARN" pairs for the Role attribute.
	Roles             []string
	RoleSessionName   string
	SessionDuration   int
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	// Attributes are further attributes, such as eduPersonAffiliation.
	Attributes map[string][]string
	// Recipient and Audience default to AWS's sign-in endpoint and
	// urn:amazon:webservices.
	Recipient string
	Audience  string
	// Lifetime is how long the assertion is valid (default 5 minutes).
	Lifetime time.Duration
	// SessionNotOnOrAfter, when set, caps the AWS session.
	SessionNotOnOrAfter time.Time
	// Failed makes the IdP report failed authentication.
	Failed bool
}

func samlTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func (p *SAMLIdP) newID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return "_" + hex.EncodeToString(b)
}

// Response returns a base64-encoded SAML Response issued at now, with a
// signed assertion, as the IdP posts it to AWS's sign-in endpoint.
func (p *SAMLIdP) Response(l SAMLLogin, now time.Time) (string, error) {
	recipient := l.Recipient
	if recipient == "" {
		recipient = SAMLEndpoint
	}
	audience := l.Audience
	if audience == "" {
		audience = SAMLAudience
	}
	life := l.Lifetime
	if life == 0 {
		life = 5 * time.Minute
	}
	format := l.NameIDFormat
	if format == "" {
		format = "persistent"
	}
	if !strings.Contains(format, ":") {
		format = nameIDPrefix + format
	}
	doc := etree.NewDocument()
	resp := doc.CreateElement("samlp:Response")
	resp.CreateAttr("xmlns:samlp", "urn:oasis:names:tc:SAML:2.0:protocol")
	resp.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	resp.CreateAttr("ID", p.newID())
	resp.CreateAttr("Version", "2.0")
	resp.CreateAttr("IssueInstant", samlTime(now))
	resp.CreateAttr("Destination", recipient)
	resp.CreateElement("saml:Issuer").SetText(p.EntityID)
	sc := resp.CreateElement("samlp:Status").CreateElement("samlp:StatusCode")
	if l.Failed {
		sc.CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:Responder")
		sc.CreateElement("samlp:StatusCode").CreateAttr("Value", "urn:oasis:names:tc:SAML:2.0:status:AuthnFailed")
		return encodeDoc(doc)
	}
	sc.CreateAttr("Value", statusSuccess)

	a := etree.NewElement("saml:Assertion")
	a.CreateAttr("xmlns:saml", "urn:oasis:names:tc:SAML:2.0:assertion")
	a.CreateAttr("ID", p.newID())
	a.CreateAttr("Version", "2.0")
	a.CreateAttr("IssueInstant", samlTime(now))
	a.CreateElement("saml:Issuer").SetText(p.EntityID)
	subj := a.CreateElement("saml:Subject")
	nid := subj.CreateElement("saml:NameID")
	nid.CreateAttr("Format", format)
	nid.SetText(l.NameID)
	conf := subj.CreateElement("saml:SubjectConfirmation")
	conf.CreateAttr("Method", "urn:oasis:names:tc:SAML:2.0:cm:bearer")
	data := conf.CreateElement("saml:SubjectConfirmationData")
	data.CreateAttr("NotOnOrAfter", samlTime(now.Add(life)))
	data.CreateAttr("Recipient", recipient)
	cond := a.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", samlTime(now.Add(-time.Minute)))
	cond.CreateAttr("NotOnOrAfter", samlTime(now.Add(life)))
	cond.CreateElement("saml:AudienceRestriction").CreateElement("saml:Audience").SetText(audience)
	authn := a.CreateElement("saml:AuthnStatement")
	authn.CreateAttr("AuthnInstant", samlTime(now))
	authn.CreateAttr("SessionIndex", p.newID())
	if !l.SessionNotOnOrAfter.IsZero() {
		authn.CreateAttr("SessionNotOnOrAfter", samlTime(l.SessionNotOnOrAfter))
	}
	authn.CreateElement("saml:AuthnContext").CreateElement("saml:AuthnContextClassRef").
		SetText("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")
	attrs := a.CreateElement("saml:AttributeStatement")
	attr := func(name string, values ...string) {
		el := attrs.CreateElement("saml:Attribute")
		el.CreateAttr("Name", name)
		for _, v := range values {
			el.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	if len(l.Roles) > 0 {
		attr(AttrRole, l.Roles...)
	}
	if l.RoleSessionName != "" {
		attr(AttrRoleSession, l.RoleSessionName)
	}
	if l.SessionDuration > 0 {
		attr(AttrSessionDur, fmt.Sprint(l.SessionDuration))
	}
	if l.SourceIdentity != "" {
		attr(AttrSourceIdentity, l.SourceIdentity)
	}
	for _, t := range l.Tags {
		attr(AttrTagPrefix+t.Key, t.Value)
	}
	if len(l.TransitiveTagKeys) > 0 {
		attr(AttrTransitiveTags, l.TransitiveTagKeys...)
	}
	for _, name := range slices.Sorted(maps.Keys(l.Attributes)) {
		attr(name, l.Attributes[name]...)
	}
	ctx, err := dsig.NewSigningContext(p.key, [][]byte{p.cert})
	if err != nil {
		return "", err
	}
	ctx.Canonicalizer = dsig.MakeC14N10ExclusiveCanonicalizerWithPrefixList("")
	signed, err := ctx.SignEnveloped(a)
	if err != nil {
		return "", fmt.Errorf("sign assertion: %w", err)
	}
	resp.AddChild(signed)
	return encodeDoc(doc)
}

func encodeDoc(doc *etree.Document) (string, error) {
	b, err := doc.WriteToBytes()
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// VerifiedAssertion is a SAML response STS has checked.
type VerifiedAssertion struct {
	Issuer              string
	NameID              string
	NameIDFormat        string
	Recipient           string
	Audience            string
	Roles               [][2]string // role ARN, provider ARN
	RoleSessionName     string
	SourceIdentity      string
	Tags                []Tag
	TransitiveTagKeys   []string
	SessionNotOnOrAfter *time.Time
	// Keys are the saml: condition keys the attributes give.
	Keys map[string][]string
}

// samlKeys are the attributes AWS turns into saml: condition keys, by
// their friendly name or their OID URN.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
var samlKeys = map[string]string{
	"cn": "cn", "urn:oid:2.5.4.3": "cn", "commonname": "commonName",
	"edupersonaffiliation": "eduPersonAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": "eduPersonAffiliation",
	"edupersonprimaryaffiliation": "eduPersonPrimaryAffiliation", "urn:oid:1.3.6.1.4.1.5923.1.1.1.5": "eduPersonPrimaryAffiliation",
	"edupersonprincipalname": "eduPersonPrincipalName", "urn:oid:1.3.6.1.4.1.5923.1.1.1.6": "eduPersonPrincipalName",
	"edupersonnickname": "eduPersonNickname", "edupersonorgdn": "eduPersonOrgDN", "edupersonscopedaffiliation": "eduPersonScopedAffiliation",
	"edupersontargetedid": "eduPersonTargetedID", "eduorghomepageuri": "eduOrgHomePageURI",
	"givenname": "givenName", "urn:oid:2.5.4.42": "givenName", "mail": "mail", "urn:oid:0.9.2342.19200300.100.1.3": "mail",
	"name": "name", "organizationstatus": "organizationStatus", "primarygroupsid": "primaryGroupSID",
	"surname": "surname", "urn:oid:2.5.4.4": "surname", "uid": "uid", "urn:oid:0.9.2342.19200300.100.1.1": "uid",
	"x500uniqueidentifier": "x500UniqueIdentifier",
}

var patSAMLSession = apiparam.Lazy(`^[a-zA-Z_0-9+=,.@-]{2,64}$`)

func responseSignatureInvalid(detail string) *estate.Error {
	return invalidIdentityToken("Response signature invalid", detail)
}

// samlStatus reads the Response's status code before any verification:
// a failed login carries no assertion to verify.
type samlStatus struct {
	Status struct {
		StatusCode struct {
			Value string `xml:",attr"`
		} `xml:"urn:oasis:names:tc:SAML:2.0:protocol StatusCode"`
	} `xml:"urn:oasis:names:tc:SAML:2.0:protocol Status"`
}

// VerifySAMLAssertion checks a base64 SAML response against the metadata
// of the SAML provider providerARN, as AssumeRoleWithSAML does before it
// looks at the role's trust policy: the IdP's signature, the issuer, the
// recipient and audience, and that it is redeemed within five minutes.
func (s *Service) VerifySAMLAssertion(assertion, providerARN string) (*VerifiedAssertion, error) {
	now := s.now()
	parts := strings.SplitN(providerARN, ":", 6)
	var provider *estate.SAMLProvider
	if len(parts) == 6 && parts[2] == "iam" {
		if name, ok := strings.CutPrefix(parts[5], "saml-provider/"); ok {
			if a := s.Estate.Accounts[parts[4]]; a != nil {
				provider = a.SAMLProviders[name]
			}
		}
	}
	if provider == nil {
		return nil, invalidIdentityToken("Specified provider doesn't exist", "no SAML provider "+providerARN+" in the estate")
	}
	if s.SAMLVerified == nil {
		return verifySAML(assertion, provider, now)
	}
	return s.SAMLVerified.verify(assertion, provider, now)
}

// SAMLMemo keeps the verdicts of SAML responses already checked, by the
// response, the provider's metadata and the time: checking the XML
// signature is the costly part of AssumeRoleWithSAML, and the verdict
// depends on nothing else. The sandbox shares one between the runs of a
// scenario, which redeem the same response at the same time on every
// keystroke. Safe for concurrent use.
type SAMLMemo struct {
	mu sync.Mutex
	m  map[string]samlVerdict
}

type samlVerdict struct {
	v   *VerifiedAssertion
	err error
}

func (m *SAMLMemo) verify(assertion string, provider *estate.SAMLProvider, now time.Time) (*VerifiedAssertion, error) {
	key := provider.Metadata + "\x00" + now.Format(time.RFC3339) + "\x00" + assertion
	m.mu.Lock()
	r, ok := m.m[key]
	m.mu.Unlock()
	if !ok {
		r.v, r.err = verifySAML(assertion, provider, now)
		m.mu.Lock()
		if m.m == nil || len(m.m) > 64 {
			m.m = map[string]samlVerdict{}
		}
		m.m[key] = r
		m.mu.Unlock()
	}
	if r.err != nil {
		return nil, r.err
	}
	v := *r.v // callers get their own copy
	return &v, nil
}

// verifySAML checks a response against one provider's metadata at a time.
func verifySAML(assertion string, provider *estate.SAMLProvider, now time.Time) (*VerifiedAssertion, error) {
	var md types.EntityDescriptor
	if err := xml.Unmarshal([]byte(provider.Metadata), &md); err != nil || md.IDPSSODescriptor == nil {
		return nil, invalidIdentityToken("Specified provider doesn't exist", "the provider's metadata cannot be read")
	}
	var certs []*x509.Certificate
	for _, kd := range md.IDPSSODescriptor.KeyDescriptors {
		if kd.Use != "" && kd.Use != "signing" {
			continue
		}
		for _, c := range kd.KeyInfo.X509Data.X509Certificates {
			der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(c.Data), ""))
			if err != nil {
				continue
			}
			if cert, err := x509.ParseCertificate(der); err == nil {
				certs = append(certs, cert)
			}
		}
	}
	raw, err := base64.StdEncoding.DecodeString(assertion)
	if err != nil {
		return nil, invalidIdentityToken("Invalid SAML response", "the SAMLAssertion is not base64: "+err.Error())
	}
	var st samlStatus
	if err := xml.Unmarshal(raw, &st); err != nil {
		return nil, invalidIdentityToken("Invalid SAML response", "the SAMLAssertion is not a SAML Response document: "+err.Error())
	}
	if st.Status.StatusCode.Value != statusSuccess {
		return nil, &estate.Error{Code: estate.CodeIDPRejectedClaim, Status: http.StatusForbidden,
			Message: "The identity provider reported that authentication failed.",
			Detail:  "the SAML response's status is " + st.Status.StatusCode.Value}
	}
	sp := &saml2.SAMLServiceProvider{
		IdentityProviderIssuer:      md.EntityID,
		AssertionConsumerServiceURL: SAMLEndpoint,
		AudienceURI:                 SAMLAudience,
		IDPCertificateStore:         &dsig.MemoryX509CertificateStore{Roots: certs},
		Clock:                       dsig.NewFakeClockAt(now),
	}
	info, err := sp.RetrieveAssertionInfo(assertion)
	if err != nil {
		return nil, samlError(err)
	}
	a := info.Assertions[0]
	if now.Sub(a.IssueInstant) > samlRedeemWindow || info.WarningInfo.InvalidTime {
		return nil, &estate.Error{Code: estate.CodeExpiredTokenException, Status: http.StatusBadRequest,
			Message: "Token must be redeemed within 5 minutes of issuance"}
	}
	v := &VerifiedAssertion{Issuer: a.Issuer.Value, NameID: info.NameID, NameIDFormat: info.NameIDFormat,
		Recipient: SAMLEndpoint, SessionNotOnOrAfter: info.SessionNotOnOrAfter, Keys: map[string][]string{}}
	if a.Subject != nil && a.Subject.SubjectConfirmation != nil && a.Subject.SubjectConfirmation.SubjectConfirmationData != nil {
		v.Recipient = a.Subject.SubjectConfirmation.SubjectConfirmationData.Recipient
	}
	if a.Conditions != nil {
		for _, r := range a.Conditions.AudienceRestrictions {
			for _, au := range r.Audiences {
				if au.Value == SAMLAudience || au.Value == SAMLEndpoint {
					v.Audience = au.Value
				}
			}
		}
	}
	if v.Audience == "" {
		return nil, invalidIdentityToken("Invalid SAML response: the assertion's audience must be "+SAMLAudience, "")
	}
	for name, attr := range info.Values {
		var vals []string
		for _, av := range attr.Values {
			vals = append(vals, strings.TrimSpace(av.Value))
		}
		switch {
		case name == AttrRole:
			for _, pair := range vals {
				x, y, _ := strings.Cut(pair, ",")
				x, y = strings.TrimSpace(x), strings.TrimSpace(y)
				if strings.Contains(x, ":saml-provider/") {
					x, y = y, x
				}
				v.Roles = append(v.Roles, [2]string{x, y})
			}
		case name == AttrRoleSession && len(vals) > 0:
			v.RoleSessionName = vals[0]
		case name == AttrSourceIdentity && len(vals) > 0:
			v.SourceIdentity = vals[0]
		case name == AttrTransitiveTags:
			v.TransitiveTagKeys = vals
		case strings.HasPrefix(name, AttrTagPrefix) && len(vals) > 0:
			v.Tags = append(v.Tags, Tag{Key: strings.TrimPrefix(name, AttrTagPrefix), Value: vals[0]})
		default:
			k := samlKeys[strings.ToLower(name)]
			if k == "" {
				k = samlKeys[strings.ToLower(attr.FriendlyName)]
			}
			if k != "" {
				v.Keys["saml:"+strings.ToLower(k)] = vals
			}
		}
	}
	if !patSAMLSession.MatchString(v.RoleSessionName) {
		return nil, invalidIdentityToken("RoleSessionName in AuthnResponse must match [a-zA-Z_0-9+=,.@-]{2,64}", "")
	}
	slices.SortFunc(v.Tags, func(a, b Tag) int { return strings.Compare(a.Key, b.Key) })
	return v, nil
}

// samlError maps gosaml2's verification failures to AWS's errors.
func samlError(err error) error {
	// gosaml2 wraps the cause without Unwrap.
	if v, ok := err.(saml2.ErrVerification); ok && v.Cause != nil {
		err = fmt.Errorf("%w", v.Cause)
	}
	var inv saml2.ErrInvalidValue
	if errors.As(err, &inv) {
		switch {
		case inv.Reason == saml2.ReasonExpired:
			return &estate.Error{Code: estate.CodeExpiredTokenException, Status: http.StatusBadRequest,
				Message: "Token must be redeemed within 5 minutes of issuance", Detail: err.Error()}
		case inv.Key == saml2.IssuerTag:
			return invalidIdentityToken("Issuer "+inv.Actual+" is not trusted by the specified provider", err.Error())
		}
		return invalidIdentityToken("Invalid SAML response", err.Error())
	}
	var missing saml2.ErrMissingElement
	if errors.As(err, &missing) {
		return invalidIdentityToken("Invalid SAML response", err.Error())
	}
	return responseSignatureInvalid(err.Error())
}

// subjectType is SubjectType: the NameID format without AWS's standard
// prefix.
func subjectType(format string) string {
	if format == "" {
		return "unspecified"
	}
	return strings.TrimPrefix(format, nameIDPrefix)
}

// nameQualifier is BASE64(SHA1(issuer + account + "/" + provider name)).
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
func nameQualifier(issuer, account, provider string) string {
	sum := sha1.Sum([]byte(issuer + account + "/" + provider))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// AssumeRoleWithSAMLInput holds the operation's parameters.
type AssumeRoleWithSAMLInput struct {
	RoleArn         string
	PrincipalArn    string
	SAMLAssertion   string
	PolicyArns      []PolicyDescriptor `json:",omitempty"`
	Policy          string             `json:",omitempty"`
	DurationSeconds *int32             `json:",omitempty"`
}

// AssumeRoleWithSAMLOutput is the operation's result.
type AssumeRoleWithSAMLOutput struct {
	Credentials      *Credentials
	AssumedRoleUser  *AssumedRoleUser
	PackedPolicySize *int `json:",omitempty"`
	Subject          string
	SubjectType      string
	Issuer           string
	Audience         string
	NameQualifier    string
	SourceIdentity   string `json:",omitempty"`
}

// Validate checks the parameters against the STS API model.
func (in *AssumeRoleWithSAMLInput) Validate() error {
	var c apiparam.Constraints
	for _, f := range []struct{ name, v string }{{"roleArn", in.RoleArn}, {"principalArn", in.PrincipalArn}} {
		if f.v == "" {
			c.Null(f.name)
		} else {
			c.String(f.name, f.v, false, 20, 2048, patARN)
		}
	}
	if in.SAMLAssertion == "" {
		c.Null("sAMLAssertion")
	} else {
		c.String("sAMLAssertion", in.SAMLAssertion, apiparam.Sensitive, 4, 100000, nil)
	}
	checkPolicyArns(&c, in.PolicyArns)
	if in.Policy != "" {
		c.String("policy", in.Policy, false, 1, 2048, patPolicy)
	}
	checkDuration(&c, in.DurationSeconds, roleMaxDuration)
	if err := c.Err(estate.ValidationError); err != nil {
		return err
	}
	return nil
}

// AssumeRoleWithSAML returns role credentials for a user an enterprise
// IdP authenticated. It needs no AWS credentials: the signed assertion is
// the proof. The assertion's Role attribute must pair the role with the
// SAML provider, and the role's trust policy must allow the provider
// (Federated principal), usually with a saml:aud condition. The session
// lasts DurationSeconds or until the assertion's SessionNotOnOrAfter,
// whichever is sooner.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html
func (s *Service) AssumeRoleWithSAML(in AssumeRoleWithSAMLInput) (*AssumeRoleWithSAMLOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e, now := s.Estate, s.now()
	v, err := s.VerifySAMLAssertion(in.SAMLAssertion, in.PrincipalArn)
	if err != nil {
		return nil, err
	}
	roleAccount, roleName, role := e.RoleByARN(in.RoleArn)
	if roleAccount == "" {
		return nil, estate.ValidationError("Request ARN is invalid")
	}
	denied := &estate.Error{Code: estate.CodeAccessDenied, Status: http.StatusForbidden,
		Message: "Not authorized to perform sts:AssumeRoleWithSAML"}
	paired := false
	for _, p := range v.Roles {
		paired = paired || (p[0] == in.RoleArn && p[1] == in.PrincipalArn)
	}
	if !paired {
		denied.Detail = "the assertion's Role attribute does not pair " + in.RoleArn + " with " + in.PrincipalArn
		return nil, denied
	}
	if err := sessionTags(v.Tags, v.TransitiveTagKeys, nil); err != nil {
		return nil, err
	}
	var tc apiparam.Constraints
	checkTags(&tc, v.Tags, v.TransitiveTagKeys)
	if v.SourceIdentity != "" {
		tc.String("sourceIdentity", v.SourceIdentity, false, 2, 64, patSessionName)
	}
	if err := tc.Err(estate.ValidationError); err != nil {
		return nil, err
	}
	docs, arns, _, err := s.sessionPolicies(roleAccount, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	pct := packedSize(docs, arns, v.Tags)
	if pct > 100 {
		return nil, packedTooLarge(pct)
	}
	parts := strings.SplitN(in.PrincipalArn, ":", 6)
	providerAccount, providerName := parts[4], strings.TrimPrefix(parts[5], "saml-provider/")
	nq := nameQualifier(v.Issuer, providerAccount, providerName)
	ctx := map[string][]string{
		"saml:aud":           {v.Recipient},
		"saml:iss":           {v.Issuer},
		"saml:sub":           {v.NameID},
		"saml:sub_type":      {subjectType(v.NameIDFormat)},
		"saml:namequalifier": {nq},
		"saml:doc":           {providerAccount + "/" + providerName},
	}
	for k, vals := range v.Keys {
		ctx[k] = vals
	}
	if v.SourceIdentity != "" {
		ctx["sts:sourceidentity"] = []string{v.SourceIdentity}
	}
	ctx["sts:rolesessionname"] = []string{v.RoleSessionName}
	tagContext(ctx, v.Tags, v.TransitiveTagKeys)
	call := estate.Call{Time: now, Context: ctx}
	idp := &estate.Identity{Kind: estate.KindProvider, ARN: in.PrincipalArn}
	actions := []string{"sts:AssumeRoleWithSAML"}
	if len(v.Tags) > 0 {
		actions = append(actions, "sts:TagSession")
	}
	if v.SourceIdentity != "" {
		actions = append(actions, "sts:SetSourceIdentity")
	}
	for _, action := range actions {
		if d := e.AuthorizeAs(idp, call, action, in.RoleArn); !d.Allowed() || role == nil {
			denied.Detail, denied.Decision = d.Result.Reason(), d
			if action != actions[0] {
				denied.Detail = "the trust policy must also allow " + action + " for the assertion's session tags or source identity"
			}
			return nil, denied
		}
	}
	dur, err := roleDuration(in.DurationSeconds, role, false)
	if err != nil {
		return nil, err
	}
	exp := now.Add(dur)
	if v.SessionNotOnOrAfter != nil && v.SessionNotOnOrAfter.Before(exp) {
		exp = v.SessionNotOnOrAfter.UTC()
	}
	sess := &estate.Session{Type: estate.SessionAssumedRole, Account: roleAccount,
		RoleName: roleName, RolePath: role.Path, RoleID: role.ID, SessionName: v.RoleSessionName,
		IssuedAt: now, Expiration: exp, Policies: docs, PolicyARNs: arns, Tags: v.Tags,
		TransitiveTagKeys: v.TransitiveTagKeys, SourceIdentity: v.SourceIdentity,
		FederatedProvider: in.PrincipalArn,
		ProviderKeys: map[string][]string{
			"saml:namequalifier": {nq}, "saml:sub": {v.NameID}, "saml:sub_type": {subjectType(v.NameIDFormat)},
		}}
	out := &AssumeRoleWithSAMLOutput{
		Credentials:     s.issue(sess),
		AssumedRoleUser: &AssumedRoleUser{AssumedRoleId: role.ID + ":" + v.RoleSessionName, Arn: sess.ARN()},
		Subject:         v.NameID, SubjectType: subjectType(v.NameIDFormat), Issuer: v.Issuer,
		Audience: v.Recipient, NameQualifier: nq, SourceIdentity: v.SourceIdentity,
	}
	if len(docs) > 0 || len(v.Tags) > 0 {
		out.PackedPolicySize = &pct
	}
	return out, nil
}
