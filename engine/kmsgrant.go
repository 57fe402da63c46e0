package engine

import (
	"slices"
	"strconv"
	"strings"
)

// KMS grants: AWS KMS's third way, beside the key policy and IAM policies,
// to let a principal use a key. A grant only allows; an explicit deny in
// any policy still wins ("No AWS principal has any permissions to a KMS key
// unless that permission is provided explicitly and never denied").
// https://docs.aws.amazon.com/kms/latest/developerguide/control-access.html
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html

// KMSRequest is what a request on a KMS key carries besides policies.
type KMSRequest struct {
	// Grants are the key's grants.
	Grants []Grant
	// EncryptionContext is the request's encryption context, compared
	// case-sensitively by grant constraints; kms:EncryptionContext:KEY and
	// kms:EncryptionContextKeys derive from it. Nil for none.
	EncryptionContext map[string]string
}

// Grant is one KMS grant on the key a request acts on.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateGrant.html
type Grant struct {
	ID   string
	Name string
	// GranteePrincipal is the ARN the grant gives its operations to: an
	// account root, a user, a role (every session of the role) or a role
	// session, or a service principal.
	GranteePrincipal string
	// Operations are KMS operation names without the prefix: "Decrypt".
	Operations []string
	// Constraints limit the grant to requests whose encryption context
	// equals (EncryptionContextEquals) or includes (EncryptionContextSubset)
	// the pairs given; nil for none.
	Constraints *GrantConstraints
}

// GrantConstraints are a grant's encryption context constraints. Keys and
// values compare case-sensitively, as KMS compares encryption contexts.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_GrantConstraints.html
type GrantConstraints struct {
	EncryptionContextEquals map[string]string
	EncryptionContextSubset map[string]string
}

// evalGrants records a step per grant and returns the widest grant that
// allows the request, and whether a grant named the caller and the
// operation but failed only its encryption context constraint.
func (ev *evaluator) evalGrants(grants []Grant) (g grant, constraintMiss bool) {
	op := ev.action
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:]
	}
	for i := range grants {
		gr := &grants[i]
		step := Step{Type: KMSGrant, Policy: i, Sid: gr.Name, Effect: EffectAllow}
		if step.Sid == "" {
			step.Sid = gr.ID
		}
		reach, ok := ev.granteeMatches(gr.GranteePrincipal)
		switch {
		case !ok:
			step.Miss = Miss{Element: ElementGrantee, Value: ev.callerName()}
		case !slices.ContainsFunc(gr.Operations, func(o string) bool { return strings.EqualFold(o, op) }):
			step.Miss = Miss{Element: ElementGrantOperation, Value: op}
		default:
			if why := ev.constraintMiss(gr.Constraints); why != "" {
				step.Miss = Miss{Element: ElementGrantConstraint, Value: why}
				constraintMiss = true
			}
		}
		step.Matched = step.Miss.Element == 0
		ev.res.Trace = append(ev.res.Trace, step)
		if step.Matched {
			ev.res.Matched = append(ev.res.Matched, StatementRef{Type: KMSGrant, Policy: i, Sid: step.Sid, Effect: EffectAllow})
			g = max(g, reach)
		}
	}
	return g, constraintMiss
}

// granteeMatches says whether a grantee principal names the caller, and
// how far the grant reaches: like a key policy naming the same principal.
func (ev *evaluator) granteeMatches(grantee string) (grant, bool) {
	who := &ev.who
	if ev.req.Principal == nil {
		return grantNone, false
	}
	if who.kind == kindService {
		return grantDirect, strings.EqualFold(grantee, who.arn)
	}
	parts, ok := splitARN(grantee)
	if !ok || parts[4] != who.account {
		return grantNone, false
	}
	res := parts[5]
	switch {
	case parts[2] == "iam" && res == "root":
		return grantAccount, who.isIAM()
	case parts[2] == "iam" && strings.HasPrefix(res, "role/"):
		return grantRole, who.kind == kindRoleSession && lastPathElem(res) == who.name
	case parts[2] == "iam" && strings.HasPrefix(res, "user/"):
		return grantDirect, who.kind == kindUser && res[5:] == who.userPath
	}
	return grantDirect, grantee == who.arn
}

// constraintMiss returns why the request's encryption context fails a
// grant's constraints, or "".
func (ev *evaluator) constraintMiss(c *GrantConstraints) string {
	if c == nil {
		return ""
	}
	ec := ev.req.KMS.EncryptionContext
	if c.EncryptionContextEquals != nil {
		if len(ec) != len(c.EncryptionContextEquals) {
			return "the request's encryption context must equal " + formatContext(c.EncryptionContextEquals) + ", and it is " + formatContext(ec)
		}
		for k, v := range c.EncryptionContextEquals {
			if got, ok := ec[k]; !ok || got != v {
				return "the request's encryption context must equal " + formatContext(c.EncryptionContextEquals) + ", and it is " + formatContext(ec)
			}
		}
	}
	for k, v := range c.EncryptionContextSubset {
		if got, ok := ec[k]; !ok || got != v {
			return "the request's encryption context must include " + formatContext(c.EncryptionContextSubset) + ", and it is " + formatContext(ec)
		}
	}
	return ""
}

// formatContext writes an encryption context as {"k":"v", ...}, sorted.
func formatContext(ec map[string]string) string {
	keys := make([]string, 0, len(ec))
	for k := range ec {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(k) + ":" + strconv.Quote(ec[k]))
	}
	b.WriteByte('}')
	return b.String()
}

// encryptionContextValue derives kms:EncryptionContext:KEY and
// kms:EncryptionContextKeys from the request's encryption context. The
// key part of kms:EncryptionContext:KEY matches case-insensitively, as
// condition key names do; kms:EncryptionContextKeys keeps the case.
// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-encryption-context
func (ev *evaluator) encryptionContextValue(key string, buf *[1]string) ([]string, bool) {
	ec := ev.req.KMS.EncryptionContext
	if key == "kms:encryptioncontextkeys" {
		keys := make([]string, 0, len(ec))
		for k := range ec {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return keys, len(keys) > 0
	}
	name, ok := strings.CutPrefix(key, "kms:encryptioncontext:")
	if !ok {
		return nil, false
	}
	for k, v := range ec {
		if strings.EqualFold(k, name) {
			buf[0] = v
			return buf[:], true
		}
	}
	return nil, false
}

// blameGrant lays an implicit denial at the grant that named the caller and
// the operation but failed its encryption context constraint: that is the
// layer to show the learner. AWS's message still names the policy type it
// would have named.
func (r *Result) blameGrant() {
	if r.Decision == ImplicitDeny && (r.Denial == ResourcePolicy || r.Denial == IdentityPolicy) {
		r.grantUnder, r.Denial = r.Denial, KMSGrant
	}
}
