package engine

import (
	"strconv"
	"strings"
)

// Decision is the outcome of evaluating a request.
type Decision uint8

const (
	// ImplicitDeny: nothing allowed the request, AWS's default.
	ImplicitDeny Decision = iota
	// ExplicitDeny: a Deny statement matched, and no allow can override it.
	ExplicitDeny
	// Allow: the request is allowed.
	Allow
)

func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// MarshalJSON encodes the decision as its name.
func (d Decision) MarshalJSON() ([]byte, error) {
	return []byte(`"` + d.String() + `"`), nil
}

// PolicyType names where a policy sits in the evaluation.
type PolicyType uint8

const (
	SCP PolicyType = iota + 1
	RCP
	ResourcePolicy
	IdentityPolicy
	PermissionsBoundary
	SessionPolicy
	// EndpointPolicy is the policy of the VPC endpoint the request came
	// through: it must allow, like an SCP, and never grants by itself.
	EndpointPolicy

	// The trace stages of the layers some services add to the policies.
	// decide weighs the deny of the types above only.

	// KMSGrant is the trace stage of a key's grants, walked right after
	// the key policy, as KMS documents the order: key policy, grants, IAM
	// policies.
	KMSGrant
	// S3BlockPublicAccess is the trace stage of S3's Block Public Access,
	// which S3 applies to what the bucket policy grants.
	S3BlockPublicAccess
	// S3ACL is the trace stage of the bucket's or object's ACL, walked
	// with the bucket policy.
	S3ACL
	// AccessPointPolicy is an S3 access point's resource-based policy; the
	// access point's network origin check is traced in it too, as its
	// first step (statement index -1, sid "NetworkOrigin").
	AccessPointPolicy
	// AccessPointIdentity is the caller's identity-based policies matched
	// against the access point's ARN: policy i is identity policy i.
	AccessPointIdentity
	// AccessPointEndpoint is the VPC endpoint policy matched against the
	// access point's ARN: a request from a VPC through an access point
	// succeeds only when the endpoint policy allows both the access point
	// and the bucket.
	AccessPointEndpoint
)

// policyTypeInfo is what the rest of the engine needs to know about a
// policy type or trace stage, kept in one table so that a new layer is
// one entry.
type policyTypeInfo struct {
	name string // in the eval result format
	// implicit and explicit name the type in AWS's AccessDenied messages:
	// "because no <implicit> allows", "with an explicit deny in <explicit>".
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
	implicit, explicit string
	// grants: an Allow here can be what allowed a request; the other types
	// only limit what something else grants.
	grants bool
	// principals: the statements name who they apply to (Principal or
	// NotPrincipal), as resource-based and endpoint policies do.
	principals bool
}

var policyTypes = [...]policyTypeInfo{
	SCP:                 {name: "scp", implicit: "service control policy", explicit: "a service control policy"},
	RCP:                 {name: "rcp", implicit: "resource control policy", explicit: "a resource control policy"},
	ResourcePolicy:      {name: "resource", implicit: "resource-based policy", explicit: "a resource-based policy", grants: true, principals: true},
	IdentityPolicy:      {name: "identity", implicit: "identity-based policy", explicit: "an identity-based policy", grants: true},
	PermissionsBoundary: {name: "permissionsBoundary", implicit: "permissions boundary", explicit: "a permissions boundary"},
	SessionPolicy:       {name: "session", implicit: "session policy", explicit: "a session policy"},
	EndpointPolicy:      {name: "vpcEndpoint", implicit: "VPC endpoint policy", explicit: "a VPC endpoint policy", principals: true},
	// AWS's messages lay a denial at Block Public Access or an ACL on the
	// resource-based policy, and one at a KMS grant on the policy type the
	// decision named (Result.grantUnder).
	KMSGrant:            {name: "kmsGrant", grants: true},
	S3BlockPublicAccess: {name: "s3BlockPublicAccess", implicit: "resource-based policy", explicit: "a resource-based policy"},
	S3ACL:               {name: "s3Acl", implicit: "resource-based policy", explicit: "a resource-based policy", grants: true},
	AccessPointPolicy:   {name: "accessPoint", implicit: "resource-based policy", explicit: "a resource-based policy", principals: true},
	AccessPointIdentity: {name: "accessPointIdentity", implicit: "identity-based policy", explicit: "an identity-based policy"},
	AccessPointEndpoint: {name: "accessPointVpcEndpoint", implicit: "VPC endpoint policy", explicit: "a VPC endpoint policy", principals: true},
}

func (t PolicyType) info() policyTypeInfo {
	if int(t) < len(policyTypes) {
		return policyTypes[t]
	}
	return policyTypeInfo{}
}

// String returns the type's name in the eval result format.
func (t PolicyType) String() string {
	if n := t.info().name; n != "" {
		return n
	}
	return "?"
}

// StatementRef identifies one statement of one policy in a request.
type StatementRef struct {
	Type PolicyType
	// Policy is the policy's index within its type; for SCPs and RCPs it
	// counts across all levels, root level first.
	Policy int
	// Level is the organization level for SCPs and RCPs (0 is the root).
	Level     int
	Statement int
	Sid       string
	Effect    Effect
}

// Result is the decision on a request, why, and the trace of how the
// evaluation reached it.
type Result struct {
	Decision Decision
	// Matched lists every statement whose action, resource, principal and
	// conditions all matched, in evaluation order.
	Matched []StatementRef
	// Trace holds a step for every statement of every policy given.
	Trace []Step
	// Denial names the policy type that denied or failed to allow; zero
	// when the request is allowed.
	Denial PolicyType
	// TrustPolicy records that the resource policy is a role trust
	// policy, which AWS names as such in its messages.
	TrustPolicy bool
	// what the reason sentence names; it is built on demand, because a
	// sandbox re-evaluating on every keystroke rarely reads it.
	action, resource string
	anonymous        bool
	byGrant          bool // a KMS grant, not a policy, allowed the request
	viaAccessPoint   bool // the request went through an S3 access point
	// grantUnder is the policy type AWS's message names when the denial is
	// laid at a KMS grant's constraint (Denial == KMSGrant).
	grantUnder PolicyType
}

// grant says how far a resource-based policy's Allow reaches in the same
// account, which depends on the principal it names.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
type grant uint8

const (
	grantNone grant = iota
	// grantAccount: the policy names the account, which only delegates to
	// the account's identity-based policies.
	grantAccount
	// grantRole: the policy names the role of the calling session, or the
	// IAM user behind a federated user; boundaries and session policies
	// still limit it.
	grantRole
	// grantDirect: the policy names the caller itself (user, session,
	// federated user, service, identity provider, or "*").
	grantDirect
)

type evaluator struct {
	req    *Request
	who    caller
	action string
	// scratch buffers for derived context values, one per use so that a
	// variable's lookup never overwrites the condition value being tested.
	condScratch, varScratch [1]string
	// the request's resource ARN split once
	resParts [6]string
	resOK    bool
	res      Result
	// denyBy records an explicit deny by policy type.
	denyBy [len(policyTypes)]bool
	// accountIsRoot: the policy being evaluated is a gateway endpoint's,
	// where an account principal names the account's root user alone.
	accountIsRoot bool
}

// Evaluate decides a request with AWS's policy evaluation logic: an explicit
// Deny in any applicable policy wins; every level of the organization's SCPs
// must allow; within one account identity-based and resource-based policies
// form a union, limited by permissions boundaries and session policies;
// across accounts both sides must allow.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func Evaluate(req Request) Result {
	ev := evaluator{req: &req, action: req.Action}
	if req.Principal != nil {
		ev.who, _ = parseCaller(req.Principal.ARN)
	}
	ev.resParts, ev.resOK = splitARN(req.Resource.ARN)
	n := countStatements(&req)
	ev.res.Trace = make([]Step, 0, n)
	ev.res.Matched = make([]StatementRef, 0, min(n, 8))
	ev.res.action, ev.res.resource, ev.res.anonymous = req.Action, req.Resource.ARN, req.Principal == nil
	f := ev.collect()
	ev.res.TrustPolicy = f.trust
	if req.AccessPoint != nil {
		ev.res.viaAccessPoint = true
		ev.res.Decision, ev.res.Denial = decideWithAccessPoint(&f)
	} else {
		ev.res.Decision, ev.res.Denial = decide(&f)
	}
	if f.publicBlocked && ev.res.Decision == ImplicitDeny && ev.res.Denial == ResourcePolicy {
		ev.res.Denial = S3BlockPublicAccess
	}
	if f.foreignObject && ev.res.Decision == ImplicitDeny && ev.res.Denial == ResourcePolicy {
		ev.res.Denial = S3ACL
	}
	if f.grantConstraintMiss {
		ev.res.blameGrant()
	} else if f.byGrant && ev.res.Decision == Allow {
		ev.res.byGrant = true
	}
	return ev.res
}

func countStatements(req *Request) int {
	n := 0
	add := func(ps []*Policy) {
		for _, p := range ps {
			if p != nil {
				n += len(p.Statements)
			}
		}
	}
	for _, l := range req.Organization.SCPs {
		add(l)
	}
	for _, l := range req.Organization.RCPs {
		add(l)
	}
	if req.Resource.Policy != nil {
		n += len(req.Resource.Policy.Statements)
	}
	if e := req.VPCEndpoint; e != nil && e.Policy != nil {
		n += len(e.Policy.Statements)
	}
	if req.KMS != nil {
		n += len(req.KMS.Grants)
	}
	if ap := req.AccessPoint; ap != nil {
		n++
		if ap.Policy != nil {
			n += len(ap.Policy.Statements)
		}
		if req.Principal != nil {
			add(req.Principal.IdentityPolicies)
		}
		if e := req.VPCEndpoint; e != nil && e.Policy != nil {
			n += len(e.Policy.Statements)
		}
	}
	if req.S3 != nil && req.S3.ACLs != nil {
		n += len(req.S3.ACLs.ACL.Grants) + 1
	}
	if p := req.Principal; p != nil {
		add(p.IdentityPolicies)
		add(p.SessionPolicies)
		if p.PermissionsBoundary != nil {
			n += len(p.PermissionsBoundary.Statements)
		}
	}
	return n
}

// stageOutcome summarises one policy's or one type's statements.
type stageOutcome struct {
	allow bool  // some Allow statement matched
	grant grant // for the resource policy: the widest grant that matched
}

// collect evaluates every statement of every policy in the request,
// recording a trace step for each, and gathers what the decision needs.
func (ev *evaluator) collect() facts {
	req, who := ev.req, &ev.who
	f := facts{iam: who.isIAM(), scpOK: true, boundaryOK: true, sessionOK: true}
	resAccount := req.Resource.Account
	if resAccount == "" {
		resAccount = who.account
	}
	f.sameAccount = f.iam && resAccount == who.account
	f.trust = isTrustAction(req.Action) && isRoleARN(req.Resource.ARN)
	f.keyPolicy = requiresKeyPolicy(req.Action, req.Resource.ARN)

	// SCPs apply to IAM principals of member accounts, each level must allow.
	idx := 0
	for level, pols := range req.Organization.SCPs {
		levelAllows := false
		for _, p := range pols {
			o := ev.evalPolicy(p, SCP, idx, level, f.iam)
			levelAllows = levelAllows || o.allow
			idx++
		}
		if f.iam && !levelAllows {
			f.scpOK = false
		}
	}
	// RCPs: every level implicitly holds RCPFullAWSAccess, so they can only
	// deny, and only for the services that support them.
	idx = 0
	rcpApplies := rcpService(req.Action)
	for level, pols := range req.Organization.RCPs {
		for _, p := range pols {
			ev.evalPolicy(p, RCP, idx, level, rcpApplies)
			idx++
		}
	}
	// A VPC endpoint's policy applies to every caller that comes through
	// it, service principals and anonymous callers included.
	if e := req.VPCEndpoint; e != nil && e.Policy != nil {
		f.endpointGap = !ev.evalPolicy(e.Policy, EndpointPolicy, 0, 0, true).allow
	}
	if req.AccessPoint != nil {
		ev.collectAccessPoint(&f)
	}
	if req.Resource.Policy != nil {
		f.resourcePolicy = true
		f.resGrant = ev.evalPolicy(req.Resource.Policy, ResourcePolicy, 0, 0, true).grant
	}
	// S3 Block Public Access acts on what the bucket policy granted.
	if req.S3 != nil && req.S3.RestrictPublicBuckets && req.Resource.Policy != nil {
		ev.restrictPublic(&f, resAccount)
	}
	// S3 ACLs: a resource-based layer S3 evaluates with the bucket policy.
	if req.S3 != nil && req.S3.ACLs != nil {
		ev.s3ACLs(&f, resAccount)
	}
	// KMS grants come right after the key policy; a grant that names the
	// caller reaches as far as a key policy statement naming it would.
	if req.KMS != nil && len(req.KMS.Grants) > 0 && f.keyPolicy {
		g, miss := ev.evalGrants(req.KMS.Grants)
		f.byGrant = g > f.resGrant
		f.resGrant = max(f.resGrant, g)
		f.grantConstraintMiss = miss && g == grantNone
	}
	if p := req.Principal; p != nil && f.iam {
		for i, pol := range p.IdentityPolicies {
			if ev.evalPolicy(pol, IdentityPolicy, i, 0, true).allow {
				f.identityOK = true
			}
		}
		// The root user's own account is its to use: no policy grants it.
		if who.kind == kindRoot {
			f.identityOK = true
		}
		if p.PermissionsBoundary != nil {
			f.boundaryOK = ev.evalPolicy(p.PermissionsBoundary, PermissionsBoundary, 0, 0, who.kind == kindUser || who.kind == kindRoleSession || who.kind == kindFederatedUser).allow
		}
		if who.isSession() {
			if len(p.SessionPolicies) == 0 {
				// A role session without a session policy keeps the role's
				// permissions; a federated user without one has none.
				f.sessionOK = who.kind == kindRoleSession
			} else {
				f.sessionOK = false
				for i, pol := range p.SessionPolicies {
					if ev.evalPolicy(pol, SessionPolicy, i, 0, true).allow {
						f.sessionOK = true
					}
				}
			}
		} else {
			for i, pol := range p.SessionPolicies {
				ev.evalPolicy(pol, SessionPolicy, i, 0, false)
			}
		}
	} else if p != nil {
		for i, pol := range p.IdentityPolicies {
			ev.evalPolicy(pol, IdentityPolicy, i, 0, false)
		}
		if p.PermissionsBoundary != nil {
			ev.evalPolicy(p.PermissionsBoundary, PermissionsBoundary, 0, 0, false)
		}
		for i, pol := range p.SessionPolicies {
			ev.evalPolicy(pol, SessionPolicy, i, 0, false)
		}
	}
	f.denyBy = ev.denyBy
	return f
}

// facts is what collect found: which policy types allow, which deny, and
// how the caller and the resource relate. decide reads nothing else.
type facts struct {
	iam         bool // the caller is an IAM principal (identity policies and SCPs apply)
	sameAccount bool // an IAM caller acting on its own account's resource
	trust       bool // the resource policy is a role trust policy
	keyPolicy   bool // the resource is a KMS key, whose key policy must allow
	// resourcePolicy: the request gave a resource-based policy.
	resourcePolicy bool
	resGrant       grant
	scpOK          bool // every SCP level allows
	identityOK     bool
	boundaryOK     bool
	sessionOK      bool
	endpointGap    bool // the request came through a VPC endpoint whose policy does not allow it
	denyBy         [len(policyTypes)]bool
	// grantConstraintMiss: a KMS grant named the caller and the operation
	// and failed only its encryption context constraint.
	grantConstraintMiss bool
	// byGrant: a KMS grant reaches further than the key policy.
	byGrant bool
	// publicBlocked: RestrictPublicBuckets took the bucket policy's grant.
	publicBlocked bool
	// ap is the access point side of a request through one.
	ap accessPointFacts
	// foreignObject: the object belongs to another account than the
	// bucket, so only its ACL can grant.
	foreignObject bool
}

// decide applies AWS's evaluation logic, in the order of its flowchart,
// to what collect found: explicit denies, then SCPs, then the resource-
// based and identity-based policies with their limits. It returns the
// decision and, for a denial, the policy type AWS names.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
func decide(f *facts) (Decision, PolicyType) {
	// 1. An explicit deny anywhere wins: no allow is even considered.
	// (decideWithAccessPoint weighs the access point's stages.)
	for t := SCP; t <= EndpointPolicy; t++ {
		if f.denyBy[t] {
			return ExplicitDeny, t
		}
	}
	// 2. Every SCP level must allow. No statement denies, so AWS words
	// this as "no service control policy allows".
	if !f.scpOK {
		return ImplicitDeny, SCP
	}
	// 3. A VPC endpoint policy on the request's path must allow it, as
	// a guardrail: it grants nothing by itself.
	// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
	if f.endpointGap {
		return ImplicitDeny, EndpointPolicy
	}
	identitySide := f.identityOK && f.boundaryOK && f.sessionOK
	firstIdentityGap := func() PolicyType {
		switch {
		case !f.identityOK:
			return IdentityPolicy
		case !f.boundaryOK:
			return PermissionsBoundary
		}
		return SessionPolicy
	}

	switch {
	case !f.iam:
		// Anonymous callers, services and identity providers have no
		// identity-based policies: only a resource-based policy can allow.
		if f.resGrant != grantNone {
			return Allow, 0
		}
		return ImplicitDeny, ResourcePolicy
	case f.sameAccount:
		// Within one account the union of identity-based and resource-based
		// policies decides, except that role trust policies and KMS key
		// policies must themselves allow the principal: a request that
		// gives a key no key policy is never allowed by IAM policies alone.
		resourceRequired := f.trust || f.keyPolicy
		switch f.resGrant {
		case grantDirect:
			return Allow, 0
		case grantRole:
			switch {
			case !f.boundaryOK:
				return ImplicitDeny, PermissionsBoundary
			case !f.sessionOK:
				return ImplicitDeny, SessionPolicy
			}
			return Allow, 0
		case grantAccount:
			if identitySide {
				return Allow, 0
			}
			return ImplicitDeny, firstIdentityGap()
		}
		if identitySide && !resourceRequired {
			return Allow, 0
		}
		// A trust or key policy that allows no one is the gap to report
		// first: no identity policy could make up for it.
		if resourceRequired && (f.resourcePolicy || identitySide) {
			return ImplicitDeny, ResourcePolicy
		}
		return ImplicitDeny, firstIdentityGap()
	}
	// Across accounts the trusted account's policies must allow the
	// principal and the trusting account's resource policy must allow the
	// request.
	if f.resGrant == grantNone && f.trust && f.resourcePolicy {
		return ImplicitDeny, ResourcePolicy
	}
	if !identitySide {
		return ImplicitDeny, firstIdentityGap()
	}
	if f.resGrant == grantNone {
		return ImplicitDeny, ResourcePolicy
	}
	return Allow, 0
}

// evalPolicy records a trace step for each statement of p and returns
// what matched. Statements of a policy that does not apply to this
// request are traced as such and never decide.
func (ev *evaluator) evalPolicy(p *Policy, t PolicyType, index, level int, applies bool) stageOutcome {
	var out stageOutcome
	if p == nil {
		return out
	}
	ev.accountIsRoot = (t == EndpointPolicy || t == AccessPointEndpoint) && ev.req.VPCEndpoint != nil && ev.req.VPCEndpoint.Gateway
	defer func() { ev.accountIsRoot = false }()
	for i := range p.Statements {
		s := &p.Statements[i]
		step := Step{Type: t, Policy: index, Level: level, Statement: i, Sid: s.Sid, Effect: s.Effect}
		if !applies {
			step.Miss = Miss{Element: ElementNotApplicable}
			ev.res.Trace = append(ev.res.Trace, step)
			continue
		}
		g, miss := ev.matchStatement(p, s, t)
		step.Matched = miss.Element == 0
		step.Miss = miss
		ev.res.Trace = append(ev.res.Trace, step)
		if !step.Matched {
			continue
		}
		ev.res.Matched = append(ev.res.Matched, StatementRef{Type: t, Policy: index, Level: level, Statement: i, Sid: s.Sid, Effect: s.Effect})
		if s.Effect == EffectDeny {
			ev.denyBy[t] = true
			continue
		}
		out.allow = true
		if g > out.grant {
			out.grant = g
		}
	}
	return out
}

// matchStatement checks a statement's elements in the order AWS documents
// them and returns the first that fails.
func (ev *evaluator) matchStatement(p *Policy, s *Statement, t PolicyType) (grant, Miss) {
	if !ev.matchActions(s) {
		el := ElementAction
		if s.NotAction {
			el = ElementNotAction
		}
		return grantNone, Miss{Element: el, Value: ev.action}
	}
	if s.HasResource {
		if miss, ok := ev.matchResources(s); !ok {
			return grantNone, miss
		}
	}
	g := grantDirect
	if policyTypes[t].principals {
		var ok bool
		g, ok = ev.matchPrincipal(s)
		if !ok {
			el := ElementPrincipal
			if s.NotPrincipal != nil {
				el = ElementNotPrincipal
			}
			return grantNone, Miss{Element: el, Value: ev.callerName()}
		}
	}
	for i := range s.Conditions {
		c := &s.Conditions[i]
		o := ev.evalCondition(c)
		if !o.ok {
			return grantNone, Miss{Element: ElementCondition, Condition: c, Value: o.value, KeyAbsent: o.absent, Variable: o.unresolved}
		}
	}
	return g, Miss{}
}

func (ev *evaluator) callerName() string {
	if ev.req.Principal == nil {
		return "anonymous"
	}
	return ev.who.arn
}

func (ev *evaluator) matchActions(s *Statement) bool {
	any := false
	for i := range s.Actions {
		if globMatch(s.Actions[i].tokens, ev.action, true) {
			any = true
			break
		}
	}
	return any != s.NotAction
}

func (ev *evaluator) matchResources(s *Statement) (Miss, bool) {
	res := ev.req.Resource.ARN
	any := false
	unresolved := ""
	for i := range s.Resources {
		r := &s.Resources[i]
		if r.vars {
			if key, ok := ev.unresolvedVar(r.tokens); !ok {
				// AWS cannot resolve the variable, so this entry matches nothing.
				unresolved = key
				continue
			}
		}
		if ev.matchResourcePattern(r, res) {
			any = true
			break
		}
	}
	if any == s.NotResource {
		return Miss{Element: resourceElement(s), Value: res, Variable: unresolved}, false
	}
	return Miss{}, true
}

func resourceElement(s *Statement) Element {
	if s.NotResource {
		return ElementNotResource
	}
	return ElementResource
}

func (ev *evaluator) matchResourcePattern(r *Pattern, res string) bool {
	if r.Text == "*" {
		return true
	}
	if r.arn == nil {
		return ev.globTokens(r.tokens, r.vars, res, false)
	}
	var parts [6]string
	ok := false
	if res == ev.req.Resource.ARN {
		parts, ok = ev.resParts, ev.resOK
	} else {
		parts, ok = splitARN(res)
	}
	return ok && matchARNParts(r.arn, &parts, ev)
}

// matchARNValue applies an Arn* condition value to a request value.
func (ev *evaluator) matchARNValue(pv *Pattern, v string) bool {
	if pv.Text == "*" {
		return true
	}
	if pv.arn == nil {
		return ev.globTokens(pv.tokens, pv.vars, v, false)
	}
	return ev.matchResourcePattern(pv, v)
}

// globTokens matches s against tokens, resolving variables when vars is
// set. Variables must be resolvable (checked by unresolvedVar).
func (ev *evaluator) globTokens(toks []token, vars bool, s string, fold bool) bool {
	if !vars {
		return globMatch(toks, s, fold)
	}
	return globMatchVars(toks, s, fold, ev)
}

// equalTokens compares s with a literal value whose variables resolve.
func (ev *evaluator) equalTokens(p *Pattern, s string, fold bool) bool {
	if !p.vars {
		if fold {
			return strings.EqualFold(p.Text, s)
		}
		return p.Text == s
	}
	rest := s
	for _, t := range p.tokens {
		lit := t.lit
		if t.kind == tokVar {
			lit, _ = ev.varValue(t)
		}
		if !hasPrefixFold(rest, lit, fold) {
			return false
		}
		rest = rest[len(lit):]
	}
	return rest == ""
}

// varValue resolves a policy variable. Multivalued keys cannot be used as
// variables; a default applies when the key has no single value.
func (ev *evaluator) varValue(t token) (string, bool) {
	vals, ok := ev.lookupInto(t.v.key, &ev.varScratch)
	if ok && len(vals) == 1 {
		return vals[0], true
	}
	if t.v.hasDef {
		return t.v.def, true
	}
	return "", false
}

// unresolvedVar returns the first variable in toks that has no value.
func (ev *evaluator) unresolvedVar(toks []token) (string, bool) {
	for _, t := range toks {
		if t.kind == tokVar {
			if _, ok := ev.varValue(t); !ok {
				return t.lit, false
			}
		}
	}
	return "", true
}

// lookup finds a context key (lower case): given values first, then the
// keys AWS derives from the principal, the resource and the clock.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (ev *evaluator) lookupInto(key string, buf *[1]string) ([]string, bool) {
	if ev.req.VPCEndpoint != nil {
		if v, ok, known := ev.endpointKey(key, buf); known {
			return v, ok
		}
	}
	if v, ok := ev.req.Context[key]; ok {
		return v, true
	}
	if ev.req.KMS != nil && ev.req.KMS.EncryptionContext != nil && strings.HasPrefix(key, "kms:encryptioncontext") {
		return ev.encryptionContextValue(key, buf)
	}
	who := &ev.who
	one := func(s string) ([]string, bool) {
		buf[0] = s
		return buf[:], true
	}
	switch key {
	case "aws:username":
		if who.kind == kindUser {
			return one(who.name)
		}
	case "aws:userid":
		switch who.kind {
		case kindRoot:
			return one(who.account)
		case kindFederatedUser:
			return one(who.account + ":" + who.name)
		}
	case "aws:principalarn":
		switch who.kind {
		case kindRoot, kindUser, kindFederatedUser:
			return one(who.arn)
		case kindRoleSession:
			return one("arn:" + who.partition + ":iam::" + who.account + ":role/" + who.name)
		}
	case "aws:principalaccount":
		if who.isIAM() {
			return one(who.account)
		}
	case "aws:principaltype":
		if t := who.principalType(); t != "" && (ev.req.Principal == nil || who.isIAM()) {
			return one(t)
		}
	case "aws:resourceaccount":
		if a := ev.req.Resource.Account; a != "" {
			return one(a)
		}
		if who.account != "" {
			return one(who.account)
		}
	case "aws:principalisawsservice":
		if ev.req.Principal != nil {
			return one(strconv.FormatBool(who.kind == kindService))
		}
	case "aws:principalservicename":
		if who.kind == kindService {
			return one(who.arn)
		}
	case "aws:securetransport":
		return one("true")
	case "s3:dataaccesspointarn", "s3:dataaccesspointaccount", "s3:accesspointnetworkorigin":
		if v, ok := ev.accessPointKey(key); ok {
			return one(v)
		}
	case "aws:currenttime":
		if !ev.req.Time.IsZero() {
			return one(ev.req.Time.UTC().Format("2006-01-02T15:04:05Z"))
		}
	case "aws:epochtime":
		if !ev.req.Time.IsZero() {
			return one(strconv.FormatInt(ev.req.Time.Unix(), 10))
		}
	}
	return nil, false
}

// matchPrincipal reports whether a resource policy statement's Principal
// (or NotPrincipal) applies to the caller, and how far its grant reaches.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
func (ev *evaluator) matchPrincipal(s *Statement) (grant, bool) {
	if s.Principal == nil && s.NotPrincipal == nil {
		// A resource policy statement without a principal applies to no
		// one; AWS rejects such bucket policies on write.
		return grantNone, false
	}
	if s.NotPrincipal != nil {
		if s.Effect == EffectAllow {
			// Allow with NotPrincipal grants every principal, anonymous
			// callers included, except one the list names.
			if ev.namedIn(s.NotPrincipal) {
				return grantNone, false
			}
			return grantDirect, true
		}
		// A Deny with NotPrincipal always applies to a principal that has a
		// permissions boundary, whatever it lists.
		// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
		if ev.req.Principal != nil && ev.req.Principal.PermissionsBoundary != nil {
			return grantDirect, true
		}
		if ev.excludedBy(s.NotPrincipal) {
			return grantNone, false
		}
		return grantDirect, true
	}
	pr := s.Principal
	if pr.Star {
		return grantDirect, true
	}
	best, ok := grantNone, false
	for i := range pr.Entries {
		if g, m := ev.entryMatches(&pr.Entries[i]); m {
			ok = true
			if g > best {
				best = g
			}
		}
	}
	return best, ok
}

func (ev *evaluator) entryMatches(e *PrincipalEntry) (grant, bool) {
	who := &ev.who
	switch e.Kind {
	case PrincipalService:
		return grantDirect, who.kind == kindService && (e.Value == "*" || strings.EqualFold(e.Value, who.arn))
	case PrincipalFederated:
		return grantDirect, who.kind == kindIdentityProvider && (e.Value == "*" || e.Value == who.arn)
	case PrincipalCanonicalUser:
		return grantDirect, ev.req.Principal != nil && e.Value == who.arn
	}
	a := &e.aws
	switch a.form {
	case awsAny:
		// {"AWS": "*"} is the same as "*" for AWS principals and anonymous
		// callers; services are named under Service.
		return grantDirect, who.kind != kindService && who.kind != kindIdentityProvider
	case awsAccount:
		if ev.accountIsRoot {
			return grantDirect, who.kind == kindRoot && who.account == a.account
		}
		return grantAccount, who.isIAM() && who.account == a.account
	case awsUser:
		if who.kind == kindFederatedUser && ev.req.Principal != nil && ev.req.Principal.FederatedBy == e.Value {
			// The user who federated: the grant reaches the federated session,
			// limited like a role's by the boundary and the session policy.
			// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
			return grantRole, true
		}
		return grantDirect, who.kind == kindUser && who.account == a.account && e.Value[strings.Index(e.Value, ":user/")+6:] == who.userPath
	case awsRole:
		return grantRole, who.kind == kindRoleSession && who.account == a.account && who.name == a.name
	case awsSession:
		return grantDirect, who.kind == kindRoleSession && who.account == a.account && who.name == a.name && who.session == a.session
	case awsFederated:
		return grantDirect, who.kind == kindFederatedUser && who.account == a.account && who.name == a.name
	}
	return grantNone, false
}

// excludedBy reports whether NotPrincipal lists every identity the caller
// acts as. A role session acts as the session, its role and its account,
// so all three must be listed; a user as itself and its account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (ev *evaluator) excludedBy(pr *Principals) bool {
	if pr.Star {
		return true
	}
	who := &ev.who
	listed := func(match func(e *PrincipalEntry) bool) bool {
		for i := range pr.Entries {
			if match(&pr.Entries[i]) {
				return true
			}
		}
		return false
	}
	account := func(e *PrincipalEntry) bool {
		return e.Kind == PrincipalAWS && e.aws.form == awsAccount && e.aws.account == who.account
	}
	exact := func(form awsPrincipalForm) func(e *PrincipalEntry) bool {
		return func(e *PrincipalEntry) bool {
			if e.Kind != PrincipalAWS || e.aws.form != form {
				return false
			}
			g, ok := ev.entryMatches(e)
			return ok && g != grantNone
		}
	}
	switch who.kind {
	case kindRoot:
		return listed(account)
	case kindUser:
		return listed(exact(awsUser)) && listed(account)
	case kindRoleSession:
		return listed(exact(awsSession)) && listed(exact(awsRole)) && listed(account)
	case kindFederatedUser:
		return listed(exact(awsFederated)) && listed(account)
	case kindService, kindIdentityProvider:
		return listed(func(e *PrincipalEntry) bool { g, ok := ev.entryMatches(e); return ok && g != grantNone })
	}
	return false
}

// namedIn reports whether a NotPrincipal list names the caller itself, for
// an Allow statement: its user ARN, its role's ARN or its session ARN (a
// role ARN names every session of the role), its federated user ARN, the
// root user by its account, or its service or identity provider. Listing
// an account does not name the account's users and roles.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
func (ev *evaluator) namedIn(pr *Principals) bool {
	if pr.Star {
		return true
	}
	if ev.req.Principal == nil {
		return false
	}
	who := &ev.who
	for i := range pr.Entries {
		e := &pr.Entries[i]
		if e.Kind == PrincipalAWS {
			switch e.aws.form {
			case awsAny:
				if who.kind != kindService && who.kind != kindIdentityProvider {
					return true
				}
				continue
			case awsAccount:
				if who.kind == kindRoot && who.account == e.aws.account {
					return true
				}
				continue
			case awsUser:
				if who.kind != kindUser {
					continue
				}
			}
		}
		if _, ok := ev.entryMatches(e); ok {
			return true
		}
	}
	return false
}

// isTrustAction reports whether action is one that a role trust policy
// governs.
func isTrustAction(action string) bool {
	return hasPrefixFold(action, "sts:AssumeRole", true) || strings.EqualFold(action, "sts:TagSession") ||
		strings.EqualFold(action, "sts:SetSourceIdentity") || strings.EqualFold(action, "sts:SetContext")
}

func isRoleARN(arn string) bool {
	parts, ok := splitARN(arn)
	return ok && parts[2] == "iam" && strings.HasPrefix(parts[5], "role/")
}

// requiresKeyPolicy: a KMS key's policy must allow the request, directly
// or by delegating to the account; an identity policy alone is not enough.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html
func requiresKeyPolicy(action, resource string) bool {
	if !hasPrefixFold(action, "kms:", true) {
		return false
	}
	parts, ok := splitARN(resource)
	return ok && parts[2] == "kms" && strings.HasPrefix(parts[5], "key/")
}

// rcpService reports whether resource control policies apply to the
// action's service.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
func rcpService(action string) bool {
	prefix, _, _ := strings.Cut(action, ":")
	for _, s := range rcpServices {
		if strings.EqualFold(prefix, s) {
			return true
		}
	}
	return false
}

var rcpServices = []string{"s3", "s3express", "sts", "kms", "sqs", "secretsmanager", "cognito-identity", "logs", "dynamodb", "ecr", "aoss"}

// endpointKey answers the network keys of a request that came through a
// VPC endpoint: aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp, and no
// aws:SourceIp, which AWS leaves out of such requests. known is false for
// other keys.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
func (ev *evaluator) endpointKey(key string, buf *[1]string) (vals []string, ok, known bool) {
	e := ev.req.VPCEndpoint
	var v string
	switch key {
	case "aws:sourceip":
		return nil, false, true
	case "aws:sourcevpce":
		v = e.ID
	case "aws:sourcevpc":
		v = e.VPC
	case "aws:vpcsourceip":
		v = e.SourceIP
	default:
		return nil, false, false
	}
	if v == "" {
		return nil, false, true
	}
	buf[0] = v
	return buf[:], true, true
}
