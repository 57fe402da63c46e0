package estate

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"iamlab/engine"
)

// DefaultSourceIP is aws:SourceIp for calls that name no address (from the
// documentation range of RFC 5737).
const DefaultSourceIP = "203.0.113.10"

// Call is the part of a request that is not the action and resource: who
// signs it, when, from where, and the request's own condition keys.
type Call struct {
	Caller   Caller    `json:"caller" yaml:"caller"`
	Time     time.Time `json:"time" yaml:"time"`
	SourceIP string    `json:"sourceIp,omitempty" yaml:"sourceIp,omitempty"`
	Region   string    `json:"region,omitempty" yaml:"region,omitempty"`
	// Context holds request-specific keys such as s3:prefix or
	// ec2:InstanceType. Keys the estate derives from the caller
	// (aws:userid, aws:MultiFactorAuthPresent, ...) override these, as
	// a caller cannot forge them in AWS.
	Context engine.Context `json:"context,omitempty" yaml:"context,omitempty"`

	// VPCEndpoint is the ID of the VPC endpoint the call goes through
	// (aws --via vpce-... in the sandbox), empty for the public endpoint;
	// VPCSourceIP is the caller's address in the VPC (aws:VpcSourceIp).
	VPCEndpoint string `json:"vpcEndpoint,omitempty" yaml:"vpcEndpoint,omitempty"`
	VPCSourceIP string `json:"vpcSourceIp,omitempty" yaml:"vpcSourceIp,omitempty"`
	// CalledVia lists the services that forwarded the caller's request,
	// first first (a forward access session), empty for a direct call.
	CalledVia []string `json:"calledVia,omitempty" yaml:"calledVia,omitempty"`
	// Forwarded marks a forward access session of a service that
	// aws:CalledVia does not list, such as S3 calling KMS for an SSE-KMS
	// object: aws:ViaAWSService is true, and aws:CalledVia absent.
	Forwarded bool `json:"forwarded,omitempty" yaml:"forwarded,omitempty"`
	// PlainHTTP: the call went over HTTP without TLS (an endpoint URL
	// beginning http://), so aws:SecureTransport is false; false means
	// HTTPS, the AWS CLI's and SDKs' default.
	PlainHTTP bool `json:"plainHttp,omitempty" yaml:"plainHttp,omitempty"`
	// EncryptionContext is a KMS request's encryption context.
	EncryptionContext map[string]string `json:"encryptionContext,omitempty" yaml:"encryptionContext,omitempty"`
}

// Decision is the outcome of authorizing one action: the engine's result,
// the request it was given and where each of its policies came from.
type Decision struct {
	Identity *Identity
	Action   string
	Resource string
	Request  engine.Request
	Result   engine.Result
	Sources  PolicySources
	// Err is nil when the request is allowed; otherwise AWS's error.
	Err *Error
}

// Allowed reports whether the request was allowed.
func (d *Decision) Allowed() bool { return d.Err == nil }

// PolicyRef names a policy of a request: a managed or organization policy
// by ARN, an inline policy by its owner and name.
type PolicyRef struct {
	ARN    string `json:"arn,omitempty"`
	Owner  string `json:"owner,omitempty"` // "user/alice", "group/devs", "role/app"
	Inline string `json:"inline,omitempty"`
	// Kind describes other policies: "session", "trust", "bucket", "key".
	Kind string `json:"kind,omitempty"`
}

// String names the policy for a learner.
func (r PolicyRef) String() string {
	switch {
	case r.ARN != "":
		return r.ARN
	case r.Inline != "":
		return "inline policy " + r.Inline + " of " + r.Owner
	case r.Owner != "":
		return r.Kind + " policy of " + r.Owner
	}
	return r.Kind + " policy"
}

// PolicySources parallels the policies of a Decision's request.
type PolicySources struct {
	Identity []PolicyRef
	Boundary PolicyRef
	Session  []PolicyRef
	SCPs     []PolicyRef // across all levels, root first
	RCPs     []PolicyRef
	Resource PolicyRef
	Endpoint PolicyRef // the VPC endpoint policy
	// AccessPoint is the S3 access point policy.
	AccessPoint PolicyRef
}

// Ref returns the source of the policy a statement reference points at.
func (s *PolicySources) Ref(ref engine.StatementRef) PolicyRef {
	pick := func(list []PolicyRef, i int) PolicyRef {
		if i < len(list) {
			return list[i]
		}
		return PolicyRef{}
	}
	switch ref.Type {
	case engine.IdentityPolicy:
		return pick(s.Identity, ref.Policy)
	case engine.PermissionsBoundary:
		return s.Boundary
	case engine.SessionPolicy:
		return pick(s.Session, ref.Policy)
	case engine.SCP:
		return pick(s.SCPs, ref.Policy)
	case engine.RCP:
		return pick(s.RCPs, ref.Policy)
	case engine.ResourcePolicy:
		return s.Resource
	case engine.EndpointPolicy:
		return s.Endpoint
	case engine.AccessPointPolicy:
		return s.AccessPoint
	case engine.AccessPointIdentity:
		return pick(s.Identity, ref.Policy)
	case engine.AccessPointEndpoint:
		return s.Endpoint
	}
	return PolicyRef{}
}

// Authorize decides whether the caller of c may perform action on
// resource (an ARN, or "*" for actions without one): it authenticates the
// caller, applies the limits AWS puts on some temporary credentials,
// gathers every applicable policy and the request context, and asks the
// engine. A denial carries AWS's error text.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
func (e *Estate) Authorize(c Call, action, resource string) *Decision {
	id, err := e.Resolve(c.Caller, c.Time)
	if err != nil {
		ae, _ := err.(*Error)
		return &Decision{Action: action, Resource: resource, Err: ae}
	}
	return e.AuthorizeAs(id, c, action, resource)
}

// AuthorizeAs is Authorize for an identity already resolved, such as the
// caller of an STS operation with the MFA of its request added, or an
// identity provider whose token STS has verified.
func (e *Estate) AuthorizeAs(id *Identity, c Call, action, resource string) *Decision {
	if id == nil {
		id = &Identity{Kind: KindAnonymous}
	}
	d := &Decision{Identity: id, Action: action, Resource: resource}
	if err := id.restriction(action); err != nil {
		d.Err = err
		return d
	}
	if err := e.checkVPCEndpoint(&c); err != nil {
		d.Err = err
		return d
	}
	e.routeFromInstance(id, &c, action)
	d.Request, d.Sources = e.request(id, &c, action, resource)
	d.Result = engine.Evaluate(d.Request)
	if d.Result.Decision != engine.Allow {
		d.Err = e.denial(d)
	}
	return d
}

// Restriction returns the error AWS gives when these credentials may not
// call action at all, whatever the policies say.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func (id *Identity) Restriction(action string) error {
	return errOrNil(id.restriction(action))
}

func (id *Identity) restriction(action string) *Error {
	s := id.Session
	if s == nil {
		return nil
	}
	service, op, _ := strings.Cut(strings.ToLower(action), ":")
	switch service {
	case "iam":
		switch {
		case s.Type == SessionFederatedUser:
			err := invalidToken()
			err.Detail = "credentials from GetFederationToken cannot call IAM"
			return err
		case s.Type == SessionUser && s.MFAAuthenticatedAt.IsZero():
			err := invalidToken()
			err.Detail = "credentials from GetSessionToken cannot call IAM unless MFA was used"
			return err
		}
	case "sts":
		switch op {
		case "getsessiontoken", "getfederationtoken":
			name := "GetSessionToken"
			if op == "getfederationtoken" {
				name = "GetFederationToken"
			}
			return accessDenied("Cannot call " + name + " with session credentials")
		case "getcalleridentity":
			return nil
		case "assumerole":
			if s.Type != SessionFederatedUser {
				return nil
			}
		}
		if s.Type == SessionAssumedRole {
			return nil
		}
		err := accessDenied("User: " + id.ARN + " is not authorized to perform: " + action)
		if s.Type == SessionFederatedUser {
			err.Detail = "credentials from GetFederationToken can call only sts:GetCallerIdentity in STS"
		} else {
			err.Detail = "credentials from GetSessionToken can call only sts:AssumeRole and sts:GetCallerIdentity in STS"
		}
		return err
	}
	return nil
}

// request builds the engine request for an identity calling action on
// resource.
func (e *Estate) request(id *Identity, c *Call, action, resource string) (engine.Request, PolicySources) {
	var src PolicySources
	req := engine.Request{Action: action, Time: c.Time}
	req.Principal = e.principal(id, &src)
	var tags resourceTags
	// A resource named through an S3 access point is the bucket's too.
	req.AccessPoint, resource, src.AccessPoint = e.accessPointFor(resource, action)
	req.Resource, src.Resource, tags = e.resource(id, action, resource)
	region := c.Region
	if region == "" {
		region = e.region()
	}
	if iamPrincipal(id.Kind) && !e.serviceLinked(id) {
		var arns []string
		req.Organization.SCPs, arns = e.scpLevels(id.Account)
		src.SCPs = refs(arns)
	}
	resAccount := req.Resource.Account
	if resAccount == "" {
		resAccount = id.Account
	}
	// RCPs apply to every caller, service principals included, except
	// service-linked roles.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
	if resAccount != "" && !e.awsManagedKey(req.Resource.ARN) && !e.serviceLinked(id) {
		var arns []string
		req.Organization.RCPs, arns = e.rcpLevels(resAccount)
		src.RCPs = refs(arns)
	}
	req.Context = e.requestContext(id, c, region, resAccount)
	e.addPerimeterKeys(req.Context, id, resAccount)
	e.addServiceKeys(req.Context, id, c)
	// A call through a VPC endpoint: its policy, and its network keys in
	// place of aws:SourceIp.
	if req.VPCEndpoint, src.Endpoint = e.endpointFor(c, action); req.VPCEndpoint != nil {
		delete(req.Context, "aws:sourceip")
	}
	if r := req.Resource.ARN; strings.HasPrefix(r, "arn:aws:s3:::") && req.Resource.Policy != nil {
		name, _, _ := strings.Cut(r[len("arn:aws:s3:::"):], "/")
		e.s3Request(&req, name)
	}
	if strings.HasPrefix(req.Resource.ARN, "arn:aws:s3:::") {
		e.s3ACLRequest(&req, action)
	}
	if c.EncryptionContext != nil || strings.HasPrefix(action, "kms:") {
		e.kmsRequest(&req, c, id)
	}
	if len(tags.tags) > 0 || (len(id.TransitiveTagKeys) > 0 && trustAction(action)) {
		tags.addTo(req.Context, id, action)
	}
	return req, src
}

// resourceTags are the tags of the resource a request acts on, and the
// service's own form of aws:ResourceTag ("iam", "ec2"), if it has one.
type resourceTags struct {
	tags    map[string]string
	service string
}

// addTo puts aws:ResourceTag/KEY (and the service's form) in a request's
// context. When a role session with transitive session tags assumes a
// role, those tags replace the role's tag values of the same keys in the
// trust policy's evaluation.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_role-chaining
func (t resourceTags) addTo(ctx engine.Context, id *Identity, action string) {
	set := func(k, v string) {
		ctx.Set("aws:ResourceTag/"+k, v)
		if t.service != "" {
			ctx.Set(t.service+":ResourceTag/"+k, v)
		}
	}
	for k, v := range t.tags {
		set(k, v)
	}
	if !trustAction(action) || id.Session == nil {
		return
	}
	for _, tag := range id.Session.Tags {
		for _, k := range id.TransitiveTagKeys {
			if strings.EqualFold(k, tag.Key) {
				set(tag.Key, tag.Value)
			}
		}
	}
}

func refs(arns []string) []PolicyRef {
	out := make([]PolicyRef, len(arns))
	for i, a := range arns {
		out[i] = PolicyRef{ARN: a}
	}
	return out
}

func iamPrincipal(k Kind) bool {
	return k == KindRoot || k == KindUser || k == KindAssumedRole || k == KindFederatedUser
}

func (e *Estate) serviceLinked(id *Identity) bool {
	if id.Kind != KindAssumedRole {
		return false
	}
	r := e.Role(id.Account, id.RoleName)
	return r != nil && r.ServiceLinked
}

// principal gathers the caller's identity policies, boundary and session
// policies.
func (e *Estate) principal(id *Identity, src *PolicySources) *engine.Principal {
	switch id.Kind {
	case KindAnonymous:
		return nil
	case KindRoot, KindService, KindProvider:
		return &engine.Principal{ARN: id.ARN}
	}
	p := &engine.Principal{ARN: id.ARN}
	add := func(d *Document, ref PolicyRef) {
		if d == nil {
			return
		}
		if pol, err := d.Policy(); err == nil {
			p.IdentityPolicies = append(p.IdentityPolicies, pol)
			src.Identity = append(src.Identity, ref)
		}
	}
	boundary := func(arn string) {
		if arn == "" {
			return
		}
		if d, _ := e.managedPolicy(arn); d != nil {
			if pol, err := d.Policy(); err == nil {
				p.PermissionsBoundary = pol
				src.Boundary = PolicyRef{ARN: arn}
			}
		}
	}
	switch id.Kind {
	case KindUser:
		e.userPolicies(id.Account, id.UserName, add, boundary)
	case KindFederatedUser:
		if id.UserName == "" {
			// A root user's federated session has the root user's
			// permissions, limited by its session policies.
			d, _ := NewDocument(fullAWSAccessText)
			add(d, PolicyRef{Kind: "root user"})
		} else {
			e.userPolicies(id.Account, id.UserName, add, boundary)
			if u := e.User(id.Account, id.UserName); u != nil {
				p.FederatedBy = UserARN(id.Account, u.Path, id.UserName)
			}
		}
	case KindAssumedRole:
		r := e.Role(id.Account, id.RoleName)
		if r != nil && (id.Session == nil || id.Session.RoleID == r.ID) {
			owner := "role/" + id.RoleName
			for _, n := range sortedKeys(r.InlinePolicies) {
				add(r.InlinePolicies[n], PolicyRef{Owner: owner, Inline: n})
			}
			for _, arn := range r.ManagedPolicies {
				if d, _ := e.managedPolicy(arn); d != nil {
					add(d, PolicyRef{ARN: arn})
				}
			}
			boundary(r.PermissionsBoundary)
		}
	}
	if s := id.Session; s != nil {
		for i, d := range s.Policies {
			if pol, err := d.Policy(); err == nil {
				p.SessionPolicies = append(p.SessionPolicies, pol)
				ref := PolicyRef{Kind: "session"}
				if i >= len(s.Policies)-len(s.PolicyARNs) {
					ref = PolicyRef{ARN: s.PolicyARNs[i-(len(s.Policies)-len(s.PolicyARNs))]}
				}
				src.Session = append(src.Session, ref)
			}
		}
	}
	return p
}

// userPolicies lists a user's policies in a fixed order: inline by name,
// attached managed, then each group's inline and managed policies.
func (e *Estate) userPolicies(account, name string, add func(*Document, PolicyRef), boundary func(string)) {
	a := e.account(account)
	u := e.User(account, name)
	if u == nil {
		return
	}
	owner := "user/" + name
	for _, n := range sortedKeys(u.InlinePolicies) {
		add(u.InlinePolicies[n], PolicyRef{Owner: owner, Inline: n})
	}
	for _, arn := range u.ManagedPolicies {
		if d, _ := e.managedPolicy(arn); d != nil {
			add(d, PolicyRef{ARN: arn})
		}
	}
	for _, gn := range u.Groups {
		g := a.Groups[gn]
		if g == nil {
			continue
		}
		for _, n := range sortedKeys(g.InlinePolicies) {
			add(g.InlinePolicies[n], PolicyRef{Owner: "group/" + gn, Inline: n})
		}
		for _, arn := range g.ManagedPolicies {
			if d, _ := e.managedPolicy(arn); d != nil {
				add(d, PolicyRef{ARN: arn})
			}
		}
	}
	boundary(u.PermissionsBoundary)
}

// trustAction reports whether a role's trust policy governs action.
func trustAction(action string) bool {
	a := strings.ToLower(action)
	return strings.HasPrefix(a, "sts:assumerole") || a == "sts:tagsession" || a == "sts:setsourceidentity" || a == "sts:setcontext"
}

// resource finds the resource's account and resource-based policy: a
// bucket policy (save the owner's root user on the policy itself, below),
// a key policy, or a role's trust policy for the actions
// the trust policy governs.
func (e *Estate) resource(id *Identity, action, arn string) (engine.Resource, PolicyRef, resourceTags) {
	r := engine.Resource{ARN: arn}
	if arn == "" || arn == "*" {
		r.ARN = "*"
		return r, PolicyRef{}, resourceTags{}
	}
	parts, ok := splitARN(arn)
	if !ok {
		return r, PolicyRef{}, resourceTags{}
	}
	if isAccountID(parts[4]) {
		r.Account = parts[4]
	}
	policy := func(d *Document, ref PolicyRef) PolicyRef {
		if d == nil {
			return PolicyRef{}
		}
		if p, err := d.Policy(); err == nil {
			r.Policy = p
			return ref
		}
		return PolicyRef{}
	}
	switch parts[2] {
	case "s3":
		// A bucket's tags stand for the bucket and its objects, as with
		// S3's ABAC for general purpose buckets switched on.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/buckets-tagging.html
		name, _, _ := strings.Cut(parts[5], "/")
		if acct, b := e.bucket(name); b != nil {
			r.Account = acct
			if ownerRootOnPolicy(id, acct, action) {
				return r, PolicyRef{}, resourceTags{tags: b.Tags}
			}
			return r, policy(b.Policy, PolicyRef{Kind: "bucket", Owner: "bucket/" + name}), resourceTags{tags: b.Tags}
		}
	case "kms":
		keyID, ok := strings.CutPrefix(parts[5], "key/")
		if a := e.account(parts[4]); ok && a != nil {
			if k := a.Keys[keyID]; k != nil {
				d := k.Policy
				if d == nil {
					d = defaultKeyPolicy(parts[4])
				}
				return r, policy(d, PolicyRef{Kind: "key", Owner: "key/" + keyID}), resourceTags{tags: k.Tags}
			}
		}
	case "ec2":
		if instID, ok := strings.CutPrefix(parts[5], "instance/"); ok {
			if _, inst := e.instance(instID); inst != nil {
				return r, PolicyRef{}, resourceTags{tags: inst.Tags, service: "ec2"}
			}
		}
	case "iam":
		typ, path, name := iamResource(parts[5])
		var tags resourceTags
		switch typ {
		case "role":
			if _, _, role := e.roleByARN(arn); role != nil {
				tags = resourceTags{tags: role.Tags, service: "iam"}
			}
		case "user":
			if u := e.User(parts[4], name); u != nil && normPath(u.Path) == path {
				tags = resourceTags{tags: u.Tags, service: "iam"}
			}
		}
		if trustAction(action) {
			if _, name, role := e.roleByARN(arn); role != nil {
				return r, policy(role.TrustPolicy, PolicyRef{Kind: "trust", Owner: "role/" + name}), tags
			}
		}
		return r, PolicyRef{}, tags
	}
	return r, PolicyRef{}, resourceTags{}
}

// defaultKeyPolicy is the key policy AWS gives a key created without one:
// it lets the account's IAM policies decide.
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
func defaultKeyPolicy(account string) *Document {
	d, _ := NewDocument(`{"Version":"2012-10-17","Id":"key-default-1","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` +
		account + `:root"},"Action":"kms:*","Resource":"*"}]}`)
	return d
}

// awsManagedKey: RCPs do not apply to AWS managed KMS keys.
// https://docs.aws.amazon.com/kms/latest/developerguide/rcp-kms.html
func (e *Estate) awsManagedKey(arn string) bool {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "kms" {
		return false
	}
	keyID, _ := strings.CutPrefix(parts[5], "key/")
	a := e.account(parts[4])
	return a != nil && a.Keys[keyID] != nil && a.Keys[keyID].AWSManaged
}

// requestContext derives the condition keys AWS puts in every request
// from the caller, the clock and the network.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
func (e *Estate) requestContext(id *Identity, c *Call, region, resAccount string) engine.Context {
	ctx := make(engine.Context, len(c.Context)+12)
	for k, v := range c.Context {
		ctx.Set(k, v...)
	}
	ip := c.SourceIP
	if ip == "" {
		ip = DefaultSourceIP
	}
	ctx.Set("aws:SourceIp", ip)
	// TLS unless the call went over plain HTTP; a caller cannot forge it.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-securetransport
	ctx.Set("aws:SecureTransport", strconv.FormatBool(!c.PlainHTTP))
	ctx.Set("aws:RequestedRegion", region)
	// A call made directly by its principal carries aws:ViaAWSService
	// false: the condition keys page says the key is always in the
	// request context, while the forward access sessions page only says
	// it is true for FAS requests. We follow the condition keys page, so
	// {"Bool": {"aws:ViaAWSService": "false"}} matches a direct call;
	// addServiceKeys sets it true for a forward access session.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-viaawsservice
	ctx.Set("aws:ViaAWSService", "false")
	if o := e.Organization; o != nil && o.member(resAccount) {
		ctx.Set("aws:ResourceOrgID", o.ID)
	}
	if !iamPrincipal(id.Kind) {
		return ctx
	}
	ctx.Set("aws:userid", id.UserID)
	ctx.Set("aws:PrincipalArn", id.PrincipalARN)
	for _, t := range id.Tags {
		ctx.Set("aws:PrincipalTag/"+t.Key, t.Value)
	}
	if o := e.Organization; o != nil && o.member(id.Account) {
		ctx.Set("aws:PrincipalOrgID", o.ID)
	}
	// MFA and token keys exist only for temporary credentials: a request
	// signed with long-term keys has no aws:MultiFactorAuthPresent at all.
	if id.Temporary {
		ctx.Set("aws:MultiFactorAuthPresent", strconv.FormatBool(!id.MFAAt.IsZero()))
		if !id.MFAAt.IsZero() && !c.Time.IsZero() {
			age := int64(c.Time.Sub(id.MFAAt) / time.Second)
			ctx.Set("aws:MultiFactorAuthAge", strconv.FormatInt(max(age, 0), 10))
		}
		if !id.IssuedAt.IsZero() {
			ctx.Set("aws:TokenIssueTime", id.IssuedAt.UTC().Format("2006-01-02T15:04:05Z"))
		}
	} else if !id.MFAAt.IsZero() {
		// MFA given with this very request (AssumeRole with SerialNumber).
		ctx.Set("aws:MultiFactorAuthPresent", "true")
		ctx.Set("aws:MultiFactorAuthAge", "0")
	}
	if id.SourceIdentity != "" {
		ctx.Set("aws:SourceIdentity", id.SourceIdentity)
	}
	if id.FederatedProvider != "" {
		ctx.Set("aws:FederatedProvider", id.FederatedProvider)
	}
	for k, v := range id.ProviderKeys {
		ctx.Set(k, v...)
	}
	if id.Instance != "" {
		_, inst := e.instance(id.Instance)
		r := region
		if inst != nil && inst.Region != "" {
			r = inst.Region
		}
		ctx.Set("ec2:SourceInstanceARN", InstanceARN(r, id.Account, id.Instance))
	}
	return ctx
}

// trustsService reports whether a role's trust policy lets a service
// (ec2.amazonaws.com) assume it.
func (e *Estate) trustsService(acct, name string, r *Role, service string) bool {
	id := &Identity{Kind: KindService, ARN: service}
	d := e.AuthorizeAs(id, Call{}, "sts:AssumeRole", RoleARN(acct, r.Path, name))
	return d.Allowed()
}

// denial words a denied request as the service would.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
func (e *Estate) denial(d *Decision) *Error {
	id := d.Identity
	who := id.ARN
	if id.Kind == KindAnonymous {
		who = "anonymous"
	}
	service, _, _ := strings.Cut(strings.ToLower(d.Action), ":")
	resAccount := d.Request.Resource.Account
	if resAccount == "" {
		resAccount = id.Account
	}
	sameOrg := resAccount == id.Account || (e.Organization.member(resAccount) && e.Organization.member(id.Account))
	resource := d.Resource
	if service == "s3" && resource != "*" {
		resource = `"` + resource + `"`
	}
	msg := engine.AccessDeniedMessage(&d.Result, who, d.Action, resource)
	// Since 2025 AWS names the denying policy's ARN for requests within
	// one account or organization.
	// https://aws.amazon.com/blogs/security/enhanced-access-denied-error-messages-with-policy-arns/
	if d.Result.Decision == engine.ExplicitDeny && sameOrg {
		for _, m := range d.Result.Matched {
			if m.Effect == engine.EffectDeny && m.Type == d.Result.Denial && m.Type != engine.ResourcePolicy {
				if arn := d.Sources.Ref(m).ARN; arn != "" {
					msg += ": " + arn
				}
				break
			}
		}
	}
	var err *Error
	switch service {
	case "s3":
		if id.Kind == KindAnonymous || !sameOrg {
			msg = "Access Denied"
		}
		err = newError(CodeAccessDenied, http.StatusForbidden, msg)
	case "ec2":
		err = newError(CodeUnauthorizedOperation, http.StatusForbidden,
			"You are not authorized to perform this operation. "+msg+". Encoded authorization failure message: "+e.encodeAuthorizationMessage(d))
	case "kms":
		err = newError(CodeAccessDeniedException, http.StatusBadRequest, msg)
	default:
		err = accessDenied(msg)
	}
	err.Detail = d.Result.Reason()
	err.Decision = d
	return err
}

// ownerRootOnPolicy reports the bucket owner's root user reading, writing
// or deleting the bucket's policy: S3 lets it, whatever the policy says,
// so that an owner cannot lock itself out; only VPC endpoint policies and
// Organizations policies (SCPs, RCPs) can stop it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
func ownerRootOnPolicy(id *Identity, bucketAccount, action string) bool {
	switch action {
	case "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy":
		return id != nil && id.Kind == KindRoot && id.Account == bucketAccount
	}
	return false
}
