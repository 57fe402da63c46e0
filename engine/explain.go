package engine

import (
	"strconv"
	"strings"
)

// Element names the statement element a trace step stopped at.
type Element uint8

const (
	ElementAction Element = iota + 1
	ElementNotAction
	ElementResource
	ElementNotResource
	ElementPrincipal
	ElementNotPrincipal
	ElementCondition
	// ElementNotApplicable marks a policy that does not apply to the
	// request, such as an SCP for an anonymous caller.
	ElementNotApplicable

	// What a step of a layer other than a policy can stop at: a KMS grant
	// (kmsgrant.go), Block Public Access (s3public.go), an access point's
	// network origin (s3accesspoint.go), an S3 ACL grant (s3acl.go).
	ElementGrantee
	ElementGrantOperation
	ElementGrantConstraint
	// ElementRestrictPublicBuckets marks the Block Public Access step
	// that took a public bucket policy's grant away.
	ElementRestrictPublicBuckets
	// ElementNetworkOrigin marks the access point step that checks where
	// the request came from.
	ElementNetworkOrigin
	ElementACLGrantee
	ElementACLPermission
	ElementACLIgnored
	// ElementObjectOwner marks the step that records who owns the object.
	ElementObjectOwner
)

var elementNames = [...]string{ElementAction: "Action", ElementNotAction: "NotAction", ElementResource: "Resource",
	ElementNotResource: "NotResource", ElementPrincipal: "Principal", ElementNotPrincipal: "NotPrincipal",
	ElementCondition: "Condition", ElementNotApplicable: "not applicable"}

func (e Element) String() string {
	if int(e) < len(elementNames) && e > 0 {
		return elementNames[e]
	}
	return ""
}

// Step is one statement as the evaluation met it. The engine records steps
// as data; the TUI and the CLI render them.
type Step struct {
	Type      PolicyType
	Policy    int // index within its type; for SCPs and RCPs across all levels
	Level     int
	Statement int
	Sid       string
	Effect    Effect
	Matched   bool
	// Miss is the first reason the statement did not match; zero when it did.
	Miss Miss
}

// Miss says why a statement did not match.
type Miss struct {
	Element Element
	// Value is the request's value for that element: the action, the
	// resource ARN, the caller, or the condition key's value.
	Value string
	// Condition is the condition that failed, for ElementCondition.
	Condition *Condition
	// KeyAbsent: the condition key was not in the request.
	KeyAbsent bool
	// Variable is a policy variable that had no value.
	Variable string
}

// Reason explains the step in one short sentence fragment, such as
// `Action s3:PutObject does not match "s3:Get*"`.
func (s Step) Reason(p *Policy) string {
	if s.Type == AccessPointPolicy && s.Statement == networkOriginStatement {
		return networkOriginReason(s)
	}
	if s.Matched && s.Type == S3BlockPublicAccess {
		return "the bucket policy is public, so what it grants reaches only the bucket owner's account and AWS services"
	}
	if s.Matched {
		return "matched"
	}
	m := s.Miss
	var st *Statement
	if p != nil && s.Statement < len(p.Statements) {
		st = &p.Statements[s.Statement]
	}
	if m.Variable != "" {
		return "policy variable ${" + m.Variable + "} has no value in this request, so the statement does not match"
	}
	switch m.Element {
	case ElementNotApplicable:
		return "does not apply to this request"
	case ElementGrantee:
		return "the grantee principal is not " + m.Value
	case ElementGrantOperation:
		return "the grant's operations do not include " + m.Value
	case ElementGrantConstraint:
		return "the encryption context constraint is not met: " + m.Value
	case ElementRestrictPublicBuckets:
		return "does not apply: " + m.Value
	case ElementACLGrantee:
		return "the grantee is not " + m.Value
	case ElementACLPermission:
		return "the permission does not cover " + m.Value
	case ElementACLIgnored:
		return "ignored: Block Public Access (IgnorePublicAcls) makes grants to AllUsers and AuthenticatedUsers count for nothing"
	case ElementObjectOwner:
		return m.Value
	case ElementAction:
		return "Action " + m.Value + " does not match " + quoteList(st, func(st *Statement) []Pattern { return st.Actions })
	case ElementNotAction:
		return "NotAction lists " + m.Value + " (" + quoteList(st, func(st *Statement) []Pattern { return st.Actions }) + ")"
	case ElementResource:
		return "Resource " + m.Value + " does not match " + quoteList(st, func(st *Statement) []Pattern { return st.Resources }) + neverMatches(st)
	case ElementNotResource:
		return "NotResource lists " + m.Value + " (" + quoteList(st, func(st *Statement) []Pattern { return st.Resources }) + ")"
	case ElementPrincipal:
		return "Principal does not name " + m.Value
	case ElementNotPrincipal:
		return "NotPrincipal excludes " + m.Value
	case ElementCondition:
		c := m.Condition
		if c == nil {
			return "a condition is not met"
		}
		want := quotePatterns(c.Values)
		if m.KeyAbsent {
			return "condition " + c.Operator + " " + c.Key + " " + want + ": the key is not in the request"
		}
		return "condition " + c.Operator + " " + c.Key + " " + want + ": the request has " + strconv.Quote(m.Value)
	}
	return ""
}

// neverMatches adds what lint knows about the statement's Resource
// patterns that can match nothing at all, such as the seed's
// arn:aws:iam:::role/RDS-* with its empty account field.
func neverMatches(st *Statement) string {
	if st == nil {
		return ""
	}
	var b strings.Builder
	for i := range st.Resources {
		if msg := resourceNeverMatches(st.Resources[i].Text); msg != "" {
			b.WriteString("; " + strconv.Quote(st.Resources[i].Text) + " can never match: " + msg)
		}
	}
	return b.String()
}

func quoteList(st *Statement, get func(*Statement) []Pattern) string {
	if st == nil {
		return "the statement"
	}
	return quotePatterns(get(st))
}

func quotePatterns(ps []Pattern) string {
	if len(ps) == 1 {
		return strconv.Quote(ps[0].Text)
	}
	var b strings.Builder
	b.WriteString("any of [")
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(p.Text))
	}
	b.WriteString("]")
	return b.String()
}

// policyTypePhrase is how AWS's AccessDenied messages name a policy type.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func policyTypePhrase(t PolicyType, trust bool) (implicit, explicit string) {
	if t == ResourcePolicy && trust {
		return "role trust policy", "the role trust policy"
	}
	if info := t.info(); info.implicit != "" {
		return info.implicit, info.explicit
	}
	return "policy", "a policy"
}

// DenialContext is the ending AWS puts on an AccessDenied message:
// "because no identity-based policy allows the s3:PutObject action" or
// "with an explicit deny in a service control policy". It is empty for an
// allowed request.
func (r *Result) DenialContext(action string) string {
	if r.Decision == Allow || r.Denial == 0 {
		return ""
	}
	t := r.Denial
	if t == KMSGrant {
		t = r.grantUnder
	}
	implicit, explicit := policyTypePhrase(t, r.TrustPolicy)
	// "explicit" only when a Deny statement matched: an SCP level with no
	// allow is worded "because no service control policy allows ...".
	if r.Decision == ExplicitDeny {
		return "with an explicit deny in " + explicit
	}
	return "because no " + implicit + " allows the " + action + " action"
}

// AccessDeniedMessage renders AWS's AccessDenied text for a denied request:
// `User: ARN is not authorized to perform: ACTION on resource: ARN because ...`.
func AccessDeniedMessage(r *Result, principalARN, action, resource string) string {
	if principalARN == "" {
		principalARN = "anonymous"
	}
	msg := "User: " + principalARN + " is not authorized to perform: " + action
	if resource != "" && resource != "*" {
		msg += " on resource: " + resource
	}
	if ctx := r.DenialContext(action); ctx != "" {
		msg += " " + ctx
	}
	return msg
}

// Reason is one sentence a learner can read, in the spirit of AWS's
// AccessDenied messages: what allowed or denied the request, and why.
func (r Result) Reason() string {
	action, resource := r.action, r.resource
	switch r.Decision {
	case Allow:
		for _, m := range r.Matched {
			if r.byGrant && m.Type == KMSGrant {
				return "Allowed: " + describeStatement(m) + " allows " + action + " on " + resource + ", and nothing denies it."
			}
		}
		for _, m := range r.Matched {
			if m.Effect == EffectAllow && m.Type.info().grants {
				return "Allowed: " + describeStatement(m) + " allows " + action + " on " + resource + ", and nothing denies it."
			}
		}
		return "Allowed: the root user may act in its own account, and nothing denies it."
	case ExplicitDeny:
		for _, m := range r.Matched {
			if m.Effect == EffectDeny && m.Type == r.Denial {
				return "Denied " + r.DenialContext(action) + ": " + describeStatement(m) + " denies " + action + " on " + resource + ", and an explicit deny overrides every allow."
			}
		}
	}
	ctx := r.DenialContext(action)
	if r.viaAccessPoint && r.Decision == ImplicitDeny && (r.Denial == ResourcePolicy || r.Denial == IdentityPolicy) {
		return "Denied " + ctx + ": " + bucketGapThroughAccessPoint
	}
	switch r.Denial {
	case SCP:
		return "Denied " + ctx + ": no statement at one level of the organization's SCPs allows it, and every level must allow."
	case EndpointPolicy:
		return "Denied " + ctx + ": the request came through a VPC endpoint, whose policy must allow it as well."
	case AccessPointPolicy, AccessPointIdentity:
		return "Denied " + ctx + ": " + r.accessPointGap()
	case AccessPointEndpoint:
		return "Denied " + ctx + ": a request from a VPC through an access point needs the VPC endpoint's policy to allow the access point as well as the bucket."
	case S3BlockPublicAccess:
		return "Denied " + ctx + ": the bucket policy is public, and Block Public Access (RestrictPublicBuckets) lets it grant only the bucket owner's account and AWS services."
	case S3ACL:
		return "Denied " + ctx + ": the object belongs to another account than the bucket's owner, so only the object's ACL can grant access to it, and no grant in it covers this caller and action."
	case KMSGrant:
		return "Denied " + ctx + ": a KMS grant names the caller and the operation, but the request's encryption context does not meet the grant's constraint, and no policy allows it."
	case ResourcePolicy:
		if r.anonymous {
			return "Denied " + ctx + ": an anonymous request can only be allowed by a resource-based policy that allows \"*\"."
		}
		if r.TrustPolicy || isTrustAction(action) {
			return "Denied " + ctx + ": the role's trust policy must allow the caller to assume it."
		}
		return "Denied " + ctx + "."
	}
	return "Denied " + ctx + "."
}

// StatementName names a statement for a person: by its Sid when it has
// one, else by its position counted from 1, as policies are counted. The
// JSON result keeps 0-based indexes; everything a person reads uses this.
func StatementName(index int, sid string) string {
	if sid != "" {
		return "statement " + strconv.Quote(sid)
	}
	return "statement " + strconv.Itoa(index+1)
}

func describeStatement(m StatementRef) string {
	name := StatementName(m.Statement, m.Sid)
	var where string
	switch m.Type {
	case ResourcePolicy:
		where = "the resource-based policy"
	case IdentityPolicy:
		where = "identity policy " + strconv.Itoa(m.Policy+1)
	case PermissionsBoundary:
		where = "the permissions boundary"
	case SessionPolicy:
		where = "session policy " + strconv.Itoa(m.Policy+1)
	case SCP:
		where = "SCP " + strconv.Itoa(m.Policy+1) + " (organization level " + strconv.Itoa(m.Level) + ")"
	case RCP:
		where = "RCP " + strconv.Itoa(m.Policy+1) + " (organization level " + strconv.Itoa(m.Level) + ")"
	case EndpointPolicy:
		where = "the VPC endpoint policy"
	case AccessPointPolicy:
		where = "the access point policy"
	case AccessPointIdentity:
		where = "identity policy " + strconv.Itoa(m.Policy+1) + " (on the access point)"
	case AccessPointEndpoint:
		where = "the VPC endpoint policy (on the access point)"
	case KMSGrant:
		return "KMS grant " + strconv.Quote(m.Sid)
	case S3ACL:
		return "the ACL grant " + strconv.Quote(m.Sid)
	}
	return name + " of " + where
}

// PolicyOf returns the policy of the request that a trace step or a matched
// statement refers to, so its patterns can be quoted; nil when absent.
func (r *Request) PolicyOf(t PolicyType, index int) *Policy {
	pick := func(ps []*Policy, i int) *Policy {
		if i >= 0 && i < len(ps) {
			return ps[i]
		}
		return nil
	}
	flat := func(levels [][]*Policy, i int) *Policy {
		for _, l := range levels {
			if i < len(l) {
				return l[i]
			}
			i -= len(l)
		}
		return nil
	}
	switch t {
	case SCP:
		return flat(r.Organization.SCPs, index)
	case RCP:
		return flat(r.Organization.RCPs, index)
	case ResourcePolicy:
		return r.Resource.Policy
	case EndpointPolicy, AccessPointEndpoint:
		if r.VPCEndpoint != nil {
			return r.VPCEndpoint.Policy
		}
		return nil
	case AccessPointPolicy:
		if r.AccessPoint != nil {
			return r.AccessPoint.Policy
		}
		return nil
	case AccessPointIdentity:
		t = IdentityPolicy
	}
	if r.Principal == nil {
		return nil
	}
	switch t {
	case IdentityPolicy:
		return pick(r.Principal.IdentityPolicies, index)
	case PermissionsBoundary:
		return r.Principal.PermissionsBoundary
	case SessionPolicy:
		return pick(r.Principal.SessionPolicies, index)
	}
	return nil
}

// Failures keeps the steps of statements that did not match, for a
// "why not" view.
func Failures(trace []Step) []Step {
	var out []Step
	for _, s := range trace {
		if !s.Matched && s.Miss.Element != ElementNotApplicable {
			out = append(out, s)
		}
	}
	return out
}

// OfType keeps the steps of one policy type, in order.
func OfType(trace []Step, t PolicyType) []Step {
	var out []Step
	for _, s := range trace {
		if s.Type == t {
			out = append(out, s)
		}
	}
	return out
}

// EvaluationOrder lists the policy types in the order AWS's evaluation
// walks them, for drawing a trace: the organization's SCPs and RCPs, the
// resource-based policy, then the identity side. The VPC endpoint policy,
// a guardrail like the organization's, comes after them; then an S3
// access point's side of a request through one (the endpoint policy on
// its ARN, its network origin and policy, and identity-based policies on
// its ARN), then the bucket's: S3's Block Public Access before the bucket
// policy it limits, S3 ACLs right after the bucket policy they are
// evaluated with, and KMS grants beside the key policy.
var EvaluationOrder = []PolicyType{SCP, RCP, EndpointPolicy, AccessPointEndpoint, AccessPointPolicy, AccessPointIdentity, S3BlockPublicAccess, ResourcePolicy, S3ACL, KMSGrant, IdentityPolicy, PermissionsBoundary, SessionPolicy}
