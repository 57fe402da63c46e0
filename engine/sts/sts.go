// Package sts is iamlab's AWS Security Token Service: the seven STS
// operations over an [estate.Estate], on the sandbox's clock.
//
// Every operation checks its parameters as the STS API model does
// (ValidationError with AWS's wording), authenticates the caller,
// evaluates the role's trust policy and the caller's permissions through
// the estate, and issues credentials that really expire on the clock.
// Errors are *estate.Error values with AWS's code and message. Result types
// carry the AWS CLI's JSON field names, so the console can print them as
// `aws sts ...` would.
//
// Web identity tokens are signed JWTs from OIDC issuers the sandbox runs
// ([OIDCIssuer], verified with go-jose); SAML assertions come from SAML
// identity providers it runs ([SAMLIdP], signed and verified with goxmldsig
// and gosaml2). MFA codes are RFC 6238 TOTP codes on the sandbox clock.
// https://docs.aws.amazon.com/STS/latest/APIReference/welcome.html
package sts

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// Service runs STS over an estate. It keeps no state of its own beyond the
// identity providers it can reach: issued sessions live in the estate.
type Service struct {
	Estate *estate.Estate
	Clock  estate.Clock
	// issuers are the OIDC issuers whose signing keys STS can fetch, by
	// issuer URL without the scheme.
	issuers map[string]*OIDCIssuer
	// SAMLVerified, when set, keeps the verdicts of SAML responses already
	// checked (see SAMLMemo).
	SAMLVerified *SAMLMemo
}

// New returns STS over e on clock, able to fetch the signing keys of the
// given OIDC issuers (the sandbox's stand-ins for Google, Cognito, or a
// company IdP).
func New(e *estate.Estate, clock estate.Clock, issuers ...*OIDCIssuer) *Service {
	s := &Service{Estate: e, Clock: clock, issuers: map[string]*OIDCIssuer{}}
	for _, i := range issuers {
		s.issuers[issuerKey(i.URL)] = i
	}
	return s
}

// Credentials are temporary security credentials.
type Credentials struct {
	AccessKeyId     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// MarshalJSON writes Expiration as the AWS CLI prints it.
func (c Credentials) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		AccessKeyId     string
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}{c.AccessKeyId, c.SecretAccessKey, c.SessionToken, c.Expiration.UTC().Format("2006-01-02T15:04:05+00:00")})
}

// AssumedRoleUser identifies a role session: AROA...:SESSION and its ARN.
type AssumedRoleUser struct {
	AssumedRoleId string
	Arn           string
}

// FederatedUser identifies a federated user: ACCOUNT:NAME and its ARN.
type FederatedUser struct {
	FederatedUserId string
	Arn             string
}

// PolicyDescriptor names a managed policy passed as a session policy.
type PolicyDescriptor struct {
	Arn string `json:"arn"`
}

// Tag is a session tag.
type Tag = estate.Tag

// Int32 returns a pointer to v, for DurationSeconds.
func Int32(v int32) *int32 { return &v }

// Limits from the STS API model and "IAM and AWS STS quotas".
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	minDuration          = 900
	roleMaxDuration      = 43200
	userMaxDuration      = 129600
	chainedMaxDuration   = 3600
	defaultRoleDuration  = 3600
	defaultUserDuration  = 43200
	rootMaxDuration      = 3600
	maxPolicyArns        = 10
	maxPlaintextPolicies = 2048
	maxTags              = 50
	// packedLimit is the packed-binary budget of session policies and
	// tags. AWS does not publish its packing; a deflate of the compacted
	// text against 450 bytes puts a policy of 42 actions over many
	// services at 120-160% and a 700-character one near 60%, as reported.
	packedLimit = 450
)

// Patterns from the STS API model.
var (
	patARN         = apiparam.Pattern(`[\x{0009}\x{000A}\x{000D}\x{0020}-\x{007E}\x{0085}\x{00A0}-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]+`)
	patSessionName = apiparam.Pattern(`[\w+=,.@-]*`)
	patExternalID  = apiparam.Pattern(`[\w+=,.@:\/-]*`)
	patSerial      = apiparam.Pattern(`[\w+=/:,.@-]*`)
	patTokenCode   = apiparam.Pattern(`[\d]*`)
	patPolicy      = apiparam.Pattern(`[\x{0009}\x{000A}\x{000D}\x{0020}-\x{00FF}]+`)
	patTagKey      = apiparam.Pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]+`)
	patTagValue    = apiparam.Pattern(`[\p{L}\p{Z}\p{N}_.:/=+\-@]*`)
	patUserName    = apiparam.Pattern(`[\w+=,.@-]*`)
)

func checkPolicyArns(c *apiparam.Constraints, arns []PolicyDescriptor) {
	for i, a := range arns {
		c.String("policyArns."+strconv.Itoa(i+1)+".member.arn", a.Arn, false, 20, 2048, patARN)
	}
}

func checkTags(c *apiparam.Constraints, tags []Tag, transitive []string) {
	if c.Len("tags", len(tags), maxTags) {
		for i, t := range tags {
			n := strconv.Itoa(i + 1)
			c.String("tags."+n+".member.key", t.Key, false, 1, 128, patTagKey)
			c.String("tags."+n+".member.value", t.Value, false, 0, 256, patTagValue)
		}
	}
	if c.Len("transitiveTagKeys", len(transitive), maxTags) {
		for i, k := range transitive {
			c.String("transitiveTagKeys."+strconv.Itoa(i+1)+".member", k, false, 1, 128, patTagKey)
		}
	}
}

func checkDuration(c *apiparam.Constraints, d *int32, max int) {
	if d != nil {
		c.Int("durationSeconds", int(*d), minDuration, max)
	}
}

// sessionPolicies parses the inline policy and looks up the managed ones,
// which must exist in account. It returns the documents in evaluation
// order (inline first) and the plaintext size.
func (s *Service) sessionPolicies(account, policy string, arns []PolicyDescriptor) ([]*estate.Document, []string, int, error) {
	if len(arns) > maxPolicyArns {
		return nil, nil, 0, estate.ValidationError("The number of PolicyArns exceeds the limit of " + strconv.Itoa(maxPolicyArns) + ".")
	}
	var docs []*estate.Document
	var names []string
	size := 0
	if policy != "" {
		d, err := estate.ParseSessionPolicy(policy)
		if err != nil {
			return nil, nil, 0, err
		}
		docs = append(docs, d)
		size += len(policy)
	}
	for _, a := range arns {
		parts := strings.SplitN(a.Arn, ":", 6)
		d := s.Estate.ManagedPolicyDocument(a.Arn)
		if d == nil || len(parts) < 5 || (parts[4] != account && parts[4] != "aws") {
			return nil, nil, 0, &estate.Error{Code: estate.CodeMalformedPolicyDocument, Status: http.StatusBadRequest,
				Message: "Policy " + a.Arn + " does not exist or is not attachable.",
				Detail:  "a managed session policy must exist in the same account as the role or user"}
		}
		docs = append(docs, d)
		names = append(names, a.Arn)
		size += len(a.Arn)
	}
	return docs, names, size, nil
}

// packedSize is the percentage of the packed-binary budget the session
// policies and tags use.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func packedSize(docs []*estate.Document, arns []string, tags []Tag) int {
	if len(docs) == 0 && len(tags) == 0 {
		return 0
	}
	var plain bytes.Buffer
	for _, d := range docs {
		json.Compact(&plain, []byte(d.Text()))
	}
	for _, a := range arns {
		plain.WriteString(a)
	}
	for _, t := range tags {
		plain.WriteString(t.Key + "=" + t.Value + ";")
	}
	var packed bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&packed)
	w.Write(plain.Bytes())
	w.Close()
	deflaters.Put(w)
	return (packed.Len()*100 + packedLimit - 1) / packedLimit
}

// deflaters keeps flate writers, which cost most of a megabyte each.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestCompression)
	return w
}}

func packedTooLarge(pct int) *estate.Error {
	return &estate.Error{Code: estate.CodePackedPolicyTooLarge, Status: http.StatusBadRequest,
		Message: "Packed policy consumes " + strconv.Itoa(pct) + "% of allotted space"}
}

// sessionTags checks session tags against the tags a chained session
// inherits: keys are case-insensitive, an inherited transitive tag cannot
// be passed again, and transitive keys must name passed tags.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
func sessionTags(tags []Tag, transitive []string, inherited []Tag) error {
	seen := map[string]bool{}
	for _, t := range tags {
		k := strings.ToLower(t.Key)
		if seen[k] {
			return estate.ValidationError("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[k] = true
		for _, in := range inherited {
			if strings.EqualFold(in.Key, t.Key) {
				return estate.ValidationError("One or more of the specified session tag keys (" + t.Key + ") is already set as a transitive tag in the calling session.")
			}
		}
	}
	for _, k := range transitive {
		if !seen[strings.ToLower(k)] {
			return estate.ValidationError("The specified transitive tag key " + k + " must also be specified as a session tag.")
		}
	}
	return nil
}

// issue mints keys for a session and records it in the estate.
func (s *Service) issue(sess *estate.Session) *Credentials {
	e := s.Estate
	sess.AccessKeyID = e.NewAccessKeyID()
	sess.SecretAccessKey = e.NewSecret()
	sess.SessionToken = e.NewSessionToken()
	e.AddSession(sess)
	return &Credentials{AccessKeyId: sess.AccessKeyID, SecretAccessKey: sess.SecretAccessKey,
		SessionToken: sess.SessionToken, Expiration: sess.Expiration}
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Second) }

// roleDuration applies the role's MaxSessionDuration and the one-hour
// limit of role chaining.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
func roleDuration(d *int32, r *estate.Role, chained bool) (time.Duration, error) {
	secs := defaultRoleDuration
	if d != nil {
		secs = int(*d)
	}
	if chained && secs > chainedMaxDuration {
		return 0, estate.ValidationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if secs > int(r.MaxSession()/time.Second) {
		return 0, estate.ValidationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}
	return time.Duration(secs) * time.Second, nil
}

func tagContext(ctx map[string][]string, tags []Tag, transitive []string) {
	if len(tags) == 0 {
		return
	}
	keys := make([]string, len(tags))
	for i, t := range tags {
		ctx["aws:requesttag/"+strings.ToLower(t.Key)] = []string{t.Value}
		keys[i] = t.Key
	}
	ctx["aws:tagkeys"] = keys
	if len(transitive) > 0 {
		ctx["sts:transitivetagkeys"] = transitive
	}
}

func missingAuth() error { return estate.MissingAuthenticationToken() }

// authenticate resolves the caller's credentials at the sandbox's time, as
// AWS does before anything else; an unsigned call is refused.
func (s *Service) authenticate(caller estate.Caller) (*estate.Identity, time.Time, error) {
	now := s.now()
	id, err := s.Estate.Resolve(caller, now)
	if err != nil {
		return nil, now, err
	}
	if id.Kind == estate.KindAnonymous {
		return nil, now, missingAuth()
	}
	return id, now, nil
}
