package estate

import (
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"iamlab/engine"
)

// The decoded authorization message, with the field names
// DecodeAuthorizationMessage returns.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html

type items[T any] struct {
	Items []T `json:"items"`
}

type itemValue struct {
	Value string `json:"value"`
}

type authCondition struct {
	Key    string           `json:"key"`
	Values items[itemValue] `json:"values"`
}

type authStatement struct {
	StatementID     string               `json:"statementId"`
	Effect          string               `json:"effect"`
	Principals      items[itemValue]     `json:"principals"`
	PrincipalGroups items[itemValue]     `json:"principalGroups"`
	Actions         items[itemValue]     `json:"actions"`
	Resources       items[itemValue]     `json:"resources"`
	Conditions      items[authCondition] `json:"conditions"`
}

type authPrincipal struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	ARN  string `json:"arn"`
}

type authContext struct {
	Principal  authPrincipal        `json:"principal"`
	Action     string               `json:"action"`
	Resource   string               `json:"resource"`
	Conditions items[authCondition] `json:"conditions"`
}

type authMessage struct {
	Allowed           bool                 `json:"allowed"`
	ExplicitDeny      bool                 `json:"explicitDeny"`
	MatchedStatements items[authStatement] `json:"matchedStatements"`
	Failures          items[itemValue]     `json:"failures"`
	Context           authContext          `json:"context"`
}

func vals(ss ...string) items[itemValue] {
	out := items[itemValue]{Items: make([]itemValue, 0, len(ss))}
	for _, s := range ss {
		out.Items = append(out.Items, itemValue{s})
	}
	return out
}

func patternTexts(ps []engine.Pattern) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Text
	}
	return out
}

// policyAt returns the policy of req a statement reference points at.
func policyAt(req *engine.Request, ref engine.StatementRef) *engine.Policy {
	pick := func(ps []*engine.Policy, i int) *engine.Policy {
		if i < len(ps) {
			return ps[i]
		}
		return nil
	}
	flat := func(levels [][]*engine.Policy) []*engine.Policy {
		var out []*engine.Policy
		for _, l := range levels {
			out = append(out, l...)
		}
		return out
	}
	p := req.Principal
	switch ref.Type {
	case engine.IdentityPolicy:
		if p != nil {
			return pick(p.IdentityPolicies, ref.Policy)
		}
	case engine.PermissionsBoundary:
		if p != nil {
			return p.PermissionsBoundary
		}
	case engine.SessionPolicy:
		if p != nil {
			return pick(p.SessionPolicies, ref.Policy)
		}
	case engine.ResourcePolicy:
		return req.Resource.Policy
	case engine.SCP:
		return pick(flat(req.Organization.SCPs), ref.Policy)
	case engine.RCP:
		return pick(flat(req.Organization.RCPs), ref.Policy)
	}
	return nil
}

func (e *Estate) authMessage(d *Decision) authMessage {
	m := authMessage{
		Allowed:           d.Result.Decision == engine.Allow,
		ExplicitDeny:      d.Result.Decision == engine.ExplicitDeny,
		MatchedStatements: items[authStatement]{Items: []authStatement{}},
		Failures:          vals(),
	}
	id := d.Identity
	principalID := id.UserID
	if id.Kind == KindAssumedRole {
		principalID, _, _ = strings.Cut(id.UserID, ":")
	}
	if m.ExplicitDeny {
		for _, ref := range d.Result.Matched {
			if ref.Effect != engine.EffectDeny {
				continue
			}
			p := policyAt(&d.Request, ref)
			if p == nil || ref.Statement >= len(p.Statements) {
				continue
			}
			s := &p.Statements[ref.Statement]
			st := authStatement{StatementID: s.Sid, Effect: "DENY", Principals: vals(principalID), PrincipalGroups: vals(),
				Actions: vals(patternTexts(s.Actions)...), Resources: vals(patternTexts(s.Resources)...),
				Conditions: items[authCondition]{Items: []authCondition{}}}
			if !s.HasResource {
				st.Resources = vals("*")
			}
			for _, c := range s.Conditions {
				st.Conditions.Items = append(st.Conditions.Items, authCondition{Key: c.Key, Values: vals(patternTexts(c.Values)...)})
			}
			m.MatchedStatements.Items = append(m.MatchedStatements.Items, st)
		}
	}
	name := id.UserName
	if id.Kind == KindAssumedRole {
		name = id.RoleName
	}
	m.Context = authContext{Principal: authPrincipal{ID: id.UserID, Name: name, ARN: id.ARN},
		Action: d.Action, Resource: d.Resource, Conditions: items[authCondition]{Items: []authCondition{}}}
	ctx := maps.Clone(d.Request.Context)
	if t := d.Request.Time; !t.IsZero() {
		ctx["aws:currenttime"] = []string{t.UTC().Format("2006-01-02T15:04:05Z")}
		ctx["aws:epochtime"] = []string{strconv.FormatInt(t.Unix(), 10)}
	}
	if iamPrincipal(id.Kind) {
		ctx["aws:principalaccount"] = []string{id.Account}
		ctx["aws:principaltype"] = []string{id.Kind.String()}
		if id.Kind == KindUser {
			ctx["aws:username"] = []string{id.UserName}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(ctx)) {
		m.Context.Conditions.Items = append(m.Context.Conditions.Items, authCondition{Key: canonicalKey(k), Values: vals(ctx[k]...)})
	}
	return m
}

// canonicalKeys spells the condition keys the estate sets as AWS does;
// request contexts hold them in lower case.
var canonicalKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"aws:CurrentTime", "aws:EpochTime", "aws:FederatedProvider", "aws:MultiFactorAuthAge",
		"aws:MultiFactorAuthPresent", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalType",
		"aws:RequestedRegion", "aws:ResourceOrgID", "aws:SourceIdentity", "aws:SourceIp", "aws:TokenIssueTime", "aws:userid",
		"aws:username", "aws:SecureTransport", "aws:TagKeys", "ec2:ImageID", "ec2:InstanceType", "ec2:SourceInstanceARN",
		"iam:AssociatedResourceArn", "iam:PassedToService", "s3:prefix", "sts:ExternalId", "sts:RoleSessionName",
		"sts:SourceIdentity", "sts:TransitiveTagKeys"} {
		m[strings.ToLower(k)] = k
	}
	return m
}()

func canonicalKey(k string) string {
	if c, ok := canonicalKeys[k]; ok {
		return c
	}
	for _, p := range []string{"aws:PrincipalTag/", "aws:RequestTag/", "aws:ResourceTag/"} {
		if rest, ok := strings.CutPrefix(k, strings.ToLower(p)); ok {
			return p + rest
		}
	}
	return k
}

// deflaters keeps flate writers, which cost most of a megabyte each.
var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.BestCompression)
	return w
}}

func (e *Estate) messageKey() cipher.AEAD {
	k := sha256.Sum256([]byte("iamlab authorization message key\x00" + e.Seed))
	block, _ := aes.NewCipher(k[:])
	aead, _ := cipher.NewGCM(block)
	return aead
}

// encodeAuthorizationMessage seals the decoded message so that only
// DecodeAuthorizationMessage reads it, as AWS's encoded messages are
// opaque to the caller.
func (e *Estate) encodeAuthorizationMessage(d *Decision) string {
	plain, _ := json.Marshal(e.authMessage(d))
	var buf bytes.Buffer
	w := deflaters.Get().(*flate.Writer)
	w.Reset(&buf)
	w.Write(plain)
	w.Close()
	deflaters.Put(w)
	aead := e.messageKey()
	// The nonce comes from the message itself, so that authorizing never
	// changes the estate: an Authorize is a pure read.
	sum := sha256.Sum256(buf.Bytes())
	nonce := sum[:aead.NonceSize()]
	sealed := aead.Seal(slices.Clone(nonce), nonce, buf.Bytes(), nil)
	return base64.RawURLEncoding.EncodeToString(sealed)
}

// DecodeAuthorizationMessage opens an encoded authorization failure
// message and returns its JSON. A message that was altered, truncated or
// made by another estate gets InvalidAuthorizationMessageException.
func (e *Estate) DecodeAuthorizationMessage(encoded string) (string, error) {
	bad := newError(CodeInvalidAuthorizationMessage, http.StatusBadRequest, "The message is not valid.")
	// Go's decoder skips line breaks; AWS rejects them.
	if i := strings.IndexFunc(encoded, func(r rune) bool {
		return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(encoded[i:])
		bad.Detail = fmt.Sprintf("the message holds %q at position %d, which an encoded message never contains", r, i)
		return "", bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	if err != nil {
		bad.Detail = "the message is not an encoded authorization message: " + err.Error()
		return "", bad
	}
	aead := e.messageKey()
	if len(raw) < aead.NonceSize()+aead.Overhead() {
		bad.Detail = "the message is too short"
		return "", bad
	}
	packed, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], nil)
	if err != nil {
		bad.Detail = "the message was altered or was not issued by this estate"
		return "", bad
	}
	plain, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(packed)), 1<<20))
	if err != nil {
		bad.Detail = "the message does not decompress: " + err.Error()
		return "", bad
	}
	return string(plain), nil
}
