package sts

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// Well-known web identity providers: STS knows them without an IAM OIDC
// provider, and their names appear in Federated principals and as the
// prefix of their condition keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
const (
	ProviderGoogle   = "accounts.google.com"
	ProviderFacebook = "graph.facebook.com"
	ProviderAmazon   = "www.amazon.com"
	ProviderCognito  = "cognito-identity.amazonaws.com"
)

func wellKnown(p string) bool {
	return p == ProviderGoogle || p == ProviderFacebook || p == ProviderAmazon || p == ProviderCognito
}

func issuerKey(url string) string {
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "/")
}

// OIDCIssuer is an OpenID Connect identity provider the sandbox runs: it
// signs ID tokens (RS256 JWTs) with its own RSA key, and STS fetches its
// public keys as it would from the issuer's JWKS URI.
type OIDCIssuer struct {
	// URL is the iss claim, such as https://accounts.google.com.
	URL     string
	key     *rsa.PrivateKey
	keyID   string
	mu      sync.Mutex
	revoked map[string]bool
}

// NewOIDCIssuer starts an issuer with a fresh 2048-bit RSA key.
func NewOIDCIssuer(url string) (*OIDCIssuer, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("oidc issuer %s: %w", url, err)
	}
	sum := sha256.Sum256(key.N.Bytes())
	return &OIDCIssuer{URL: url, key: key, keyID: hex.EncodeToString(sum[:8]), revoked: map[string]bool{}}, nil
}

// JWKS returns the issuer's public signing keys.
func (i *OIDCIssuer) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &i.key.PublicKey, KeyID: i.keyID, Algorithm: string(jose.RS256), Use: "sig"}}}
}

// IDClaims describe the user an ID token vouches for.
type IDClaims struct {
	Subject  string
	Audience string
	// AuthorizedParty is azp; Google sets it to the client that asked.
	AuthorizedParty string
	// AMR lists authentication methods (Cognito: "authenticated", the
	// login provider).
	AMR []string
	// ID is the jti claim, which Revoke names.
	ID string
	// Lifetime defaults to one hour.
	Lifetime time.Duration
	// PrincipalTags and TransitiveTagKeys become session tags, through
	// the https://aws.amazon.com/tags claim.
	PrincipalTags     map[string]string
	TransitiveTagKeys []string
	// Extra claims, such as email.
	Extra map[string]any
}

// Token issues a signed ID token at time now.
func (i *OIDCIssuer) Token(c IDClaims, now time.Time) (string, error) {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: i.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", i.keyID))
	if err != nil {
		return "", err
	}
	life := c.Lifetime
	if life == 0 {
		life = time.Hour
	}
	claims := map[string]any{
		"iss": i.URL, "sub": c.Subject, "aud": c.Audience,
		"iat": now.Unix(), "exp": now.Add(life).Unix(),
	}
	if c.AuthorizedParty != "" {
		claims["azp"] = c.AuthorizedParty
	}
	if len(c.AMR) > 0 {
		claims["amr"] = c.AMR
	}
	if c.ID != "" {
		claims["jti"] = c.ID
	}
	if len(c.PrincipalTags) > 0 {
		tags := map[string][]string{}
		for k, v := range c.PrincipalTags {
			tags[k] = []string{v}
		}
		claims["https://aws.amazon.com/tags"] = map[string]any{"principal_tags": tags, "transitive_tag_keys": c.TransitiveTagKeys}
	}
	for k, v := range c.Extra {
		claims[k] = v
	}
	return jwt.Signed(signer).Claims(claims).Serialize()
}

// Revoke makes the issuer reject a token it issued (by jti) when STS asks.
func (i *OIDCIssuer) Revoke(jti string) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.revoked[jti] = true
}

func (i *OIDCIssuer) isRevoked(jti string) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.revoked[jti]
}

// AssumeRoleWithWebIdentityInput holds the operation's parameters.
type AssumeRoleWithWebIdentityInput struct {
	RoleArn          string
	RoleSessionName  string
	WebIdentityToken string
	ProviderId       string             `json:",omitempty"`
	PolicyArns       []PolicyDescriptor `json:",omitempty"`
	Policy           string             `json:",omitempty"`
	DurationSeconds  *int32             `json:",omitempty"`
}

// AssumeRoleWithWebIdentityOutput is the operation's result.
type AssumeRoleWithWebIdentityOutput struct {
	Credentials                 *Credentials
	SubjectFromWebIdentityToken string
	AssumedRoleUser             *AssumedRoleUser
	PackedPolicySize            *int `json:",omitempty"`
	Provider                    string
	Audience                    string
	SourceIdentity              string `json:",omitempty"`
}

// Validate checks the parameters against the STS API model.
func (in *AssumeRoleWithWebIdentityInput) Validate() error {
	var c apiparam.Constraints
	if in.RoleArn == "" {
		c.Null("roleArn")
	} else {
		c.String("roleArn", in.RoleArn, false, 20, 2048, patARN)
	}
	if in.RoleSessionName == "" {
		c.Null("roleSessionName")
	} else {
		c.String("roleSessionName", in.RoleSessionName, false, 2, 64, patSessionName)
	}
	if in.WebIdentityToken == "" {
		c.Null("webIdentityToken")
	} else {
		c.String("webIdentityToken", in.WebIdentityToken, apiparam.Sensitive, 4, 20000, nil)
	}
	if in.ProviderId != "" {
		c.String("providerId", in.ProviderId, false, 4, 2048, nil)
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

func invalidIdentityToken(msg, detail string) *estate.Error {
	return &estate.Error{Code: estate.CodeInvalidIdentityToken, Status: http.StatusBadRequest, Message: msg, Detail: detail}
}

// webClaims are the ID token claims STS reads.
type webClaims struct {
	jwt.Claims
	AuthorizedParty string   `json:"azp,omitempty"`
	AMR             []string `json:"amr,omitempty"`
	Tags            *struct {
		PrincipalTags     map[string][]string `json:"principal_tags"`
		TransitiveTagKeys []string            `json:"transitive_tag_keys"`
	} `json:"https://aws.amazon.com/tags,omitempty"`
}

// VerifiedToken is a web identity token STS has checked.
type VerifiedToken struct {
	// Provider is the name trust policies use: a well-known provider, or
	// the IAM OIDC provider's URL without the scheme.
	Provider string
	// ProviderARN is the Federated principal: the well-known name, or the
	// OIDC provider's ARN.
	ProviderARN string
	// Issuer, Subject and Audience are the token's iss, sub and the
	// audience its provider keys use (Google's azp when present).
	Issuer, Subject, Audience string
	claims                    webClaims
}

// VerifyWebIdentityToken decodes and verifies a web identity token as
// AssumeRoleWithWebIdentity does before it looks at the role's trust
// policy: an RS256 JWT whose issuer is a well-known provider or an IAM
// OIDC provider of account, signed with a key the issuer publishes,
// unexpired, and for an audience the OIDC provider lists.
func (s *Service) VerifyWebIdentityToken(token, account, providerID string) (*VerifiedToken, error) {
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", err.Error())
	}
	var unverified webClaims
	if err := tok.UnsafeClaimsWithoutVerification(&unverified); err != nil {
		return nil, invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", err.Error())
	}
	v := &VerifiedToken{Provider: issuerKey(unverified.Issuer)}
	if unverified.Issuer == "" {
		return nil, invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", "the token has no iss claim")
	}
	var provider *estate.OIDCProvider
	if wellKnown(v.Provider) {
		v.ProviderARN = v.Provider
	} else {
		if a := s.Estate.Accounts[account]; a != nil {
			provider = a.OIDCProviders[v.Provider]
		}
		if provider == nil {
			return nil, invalidIdentityToken("No OpenIDConnect provider found in your account for "+unverified.Issuer, "")
		}
		v.ProviderARN = estate.OIDCProviderARN(account, v.Provider)
	}
	if providerID != "" && providerID != v.Provider {
		return nil, invalidIdentityToken("The ProviderId "+providerID+" does not match the token's issuer "+unverified.Issuer+".", "")
	}
	issuer := s.issuers[v.Provider]
	if issuer == nil {
		return nil, invalidIdentityToken("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
			"the sandbox runs no identity provider at "+unverified.Issuer)
	}
	var kid string
	if len(tok.Headers) > 0 {
		kid = tok.Headers[0].KeyID
	}
	keys := issuer.JWKS()
	matching := keys.Key(kid)
	if len(matching) == 0 {
		return nil, invalidIdentityToken("Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
			"the issuer publishes no key with kid "+strconv.Quote(kid))
	}
	if err := tok.Claims(matching[0].Key, &v.claims); err != nil {
		return nil, invalidIdentityToken("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.",
			"the signature does not verify with the issuer's key: "+err.Error())
	}
	now := s.now()
	if v.claims.Expiry == nil {
		return nil, invalidIdentityToken("The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)", "the token has no exp claim")
	}
	if exp := v.claims.Expiry.Time(); !now.Before(exp) {
		return nil, &estate.Error{Code: estate.CodeExpiredTokenException, Status: http.StatusBadRequest,
			Message: "Token expired: current date/time " + strconv.FormatInt(now.Unix(), 10) + " must be before the expiration date/time " + strconv.FormatInt(exp.Unix(), 10)}
	}
	if nbf := v.claims.NotBefore; nbf != nil && now.Add(time.Minute).Before(nbf.Time()) {
		return nil, invalidIdentityToken("The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.", "the token is not valid yet (nbf)")
	}
	if provider != nil {
		ok := false
		for _, aud := range v.audiences() {
			for _, id := range provider.ClientIDs {
				ok = ok || aud == id
			}
		}
		if !ok {
			return nil, invalidIdentityToken("Incorrect token audience", "the token's aud is not one of the OIDC provider's client IDs")
		}
	}
	v.Issuer, v.Subject, v.Audience = v.claims.Issuer, v.claims.Subject, v.audience()
	// OAuth access tokens of Login with Amazon and Facebook are checked
	// with the provider itself, which may refuse a revoked token.
	if providerID != "" && issuer.isRevoked(v.claims.ID) {
		return nil, &estate.Error{Code: estate.CodeIDPRejectedClaim, Status: http.StatusForbidden,
			Message: providerID + ": " + providerID + " responded with HTTP/1.1 400 Bad Request",
			Detail:  "the identity provider reports the token as revoked"}
	}
	return v, nil
}

func (v *VerifiedToken) audiences() []string {
	if v.claims.AuthorizedParty != "" {
		return append([]string{v.claims.AuthorizedParty}, v.claims.Audience...)
	}
	return v.claims.Audience
}

// audience is the value of PROVIDER:aud: Google's azp when present.
func (v *VerifiedToken) audience() string {
	if a := v.audiences(); len(a) > 0 {
		return a[0]
	}
	return ""
}

// keys returns the provider's condition keys for the trust policy, and
// those that survive into the session's requests.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
func (v *VerifiedToken) keys() (trust, session map[string][]string) {
	c := &v.claims
	p := v.Provider
	trust = map[string][]string{}
	switch p {
	case ProviderGoogle:
		trust[p+":aud"] = []string{v.audience()}
		trust[p+":oaud"] = c.Audience
		trust[p+":sub"] = []string{c.Subject}
	case ProviderFacebook:
		trust[p+":app_id"] = []string{v.audience()}
		trust[p+":id"] = []string{c.Subject}
	case ProviderAmazon:
		trust[p+":app_id"] = []string{v.audience()}
		trust[p+":user_id"] = []string{c.Subject}
	default:
		trust[p+":aud"] = []string{v.audience()}
		trust[p+":sub"] = []string{c.Subject}
		if len(c.AMR) > 0 {
			trust[p+":amr"] = c.AMR
		}
	}
	session = map[string][]string{}
	for k, val := range trust {
		switch k[strings.LastIndexByte(k, ':')+1:] {
		case "amr", "aud", "id", "sub", "user_id", "app_id":
			session[strings.ToLower(k)] = val
		}
	}
	lower := map[string][]string{}
	for k, val := range trust {
		lower[strings.ToLower(k)] = val
	}
	return lower, session
}

// AssumeRoleWithWebIdentity returns role credentials for a user signed in
// with a web identity provider. It needs no AWS credentials: the token is
// the proof. STS verifies it, then the role's trust policy must allow the
// provider (Federated principal) with conditions on its keys.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
func (s *Service) AssumeRoleWithWebIdentity(in AssumeRoleWithWebIdentityInput) (*AssumeRoleWithWebIdentityOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e, now := s.Estate, s.now()
	roleAccount, roleName, role := e.RoleByARN(in.RoleArn)
	if roleAccount == "" {
		return nil, estate.ValidationError("Request ARN is invalid")
	}
	v, err := s.VerifyWebIdentityToken(in.WebIdentityToken, roleAccount, in.ProviderId)
	if err != nil {
		return nil, err
	}
	var tags []Tag
	var transitive []string
	if t := v.claims.Tags; t != nil {
		for _, k := range slices.Sorted(maps.Keys(t.PrincipalTags)) {
			if vals := t.PrincipalTags[k]; len(vals) > 0 {
				tags = append(tags, Tag{Key: k, Value: vals[0]})
			}
		}
		transitive = t.TransitiveTagKeys
	}
	var tc apiparam.Constraints
	checkTags(&tc, tags, transitive)
	if err := tc.Err(estate.ValidationError); err != nil {
		return nil, err
	}
	if err := sessionTags(tags, transitive, nil); err != nil {
		return nil, err
	}
	docs, arns, _, err := s.sessionPolicies(roleAccount, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	pct := packedSize(docs, arns, tags)
	if pct > 100 {
		return nil, packedTooLarge(pct)
	}
	trustKeys, sessionKeys := v.keys()
	call := estate.Call{Time: now, Context: trustKeys}
	call.Context["sts:rolesessionname"] = []string{in.RoleSessionName}
	tagContext(call.Context, tags, transitive)
	idp := &estate.Identity{Kind: estate.KindProvider, ARN: v.ProviderARN}
	denied := &estate.Error{Code: estate.CodeAccessDenied, Status: http.StatusForbidden,
		Message: "Not authorized to perform sts:AssumeRoleWithWebIdentity"}
	for _, action := range []string{"sts:AssumeRoleWithWebIdentity", "sts:TagSession"} {
		if action == "sts:TagSession" && len(tags) == 0 {
			continue
		}
		if d := e.AuthorizeAs(idp, call, action, in.RoleArn); !d.Allowed() || role == nil {
			denied.Detail, denied.Decision = d.Result.Reason(), d
			if action == "sts:TagSession" {
				denied.Detail = "the trust policy must also allow sts:TagSession to pass the token's session tags"
			}
			return nil, denied
		}
	}
	dur, err := roleDuration(in.DurationSeconds, role, false)
	if err != nil {
		return nil, err
	}
	sess := &estate.Session{Type: estate.SessionAssumedRole, Account: roleAccount,
		RoleName: roleName, RolePath: role.Path, RoleID: role.ID, SessionName: in.RoleSessionName,
		IssuedAt: now, Expiration: now.Add(dur), Policies: docs, PolicyARNs: arns,
		Tags: tags, TransitiveTagKeys: transitive, FederatedProvider: v.ProviderARN, ProviderKeys: sessionKeys}
	out := &AssumeRoleWithWebIdentityOutput{
		Credentials:                 s.issue(sess),
		SubjectFromWebIdentityToken: v.claims.Subject,
		AssumedRoleUser:             &AssumedRoleUser{AssumedRoleId: role.ID + ":" + in.RoleSessionName, Arn: sess.ARN()},
		Provider:                    v.claims.Issuer,
		Audience:                    v.audience(),
	}
	if in.ProviderId != "" {
		out.Provider = in.ProviderId
	}
	if len(docs) > 0 || len(tags) > 0 {
		out.PackedPolicySize = &pct
	}
	return out, nil
}
