package engine

import (
	"strings"
	"time"
)

// Request is one authorization request: who asks, to do what, on what, and
// every policy that bears on it. It mirrors the `iamlab eval` format.
type Request struct {
	// Principal is nil for an anonymous request (no credentials at all).
	Principal    *Principal
	Organization Organization
	Action       string
	Resource     Resource
	// Context holds condition keys and their values; keys are lower case
	// (use Context.Set). Keys the engine derives may be overridden here.
	Context Context
	// Time is the request's clock, from which aws:CurrentTime and
	// aws:EpochTime derive. The engine never reads the wall clock.
	Time time.Time

	// VPCEndpoint is the VPC endpoint the request travels through, nil
	// for a request over the service's public endpoint.
	VPCEndpoint *VPCEndpoint
	// KMS holds a KMS request's grants and encryption context; nil for
	// other requests, so that they carry one pointer more and no more.
	KMS *KMSRequest
	// S3 holds an S3 request's Block Public Access settings and ACLs; nil
	// for none.
	S3 *S3Request
	// AccessPoint is the S3 access point the request goes through, nil
	// for a request that names the bucket itself.
	AccessPoint *AccessPoint
}

// VPCEndpoint is a VPC endpoint on a request's path. Its policy is one
// more layer that must allow the request (a Deny in it is explicit), and
// the request carries aws:SourceVpce, aws:SourceVpc and aws:VpcSourceIp
// instead of aws:SourceIp.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
type VPCEndpoint struct {
	ID       string // aws:SourceVpce, vpce-...
	VPC      string // aws:SourceVpc, vpc-...
	SourceIP string // aws:VpcSourceIp, the caller's address in the VPC
	// Policy is the endpoint policy; nil is AWS's default endpoint policy,
	// which allows everything.
	Policy *Policy
	// Gateway marks a gateway endpoint (S3, DynamoDB), whose policy reads
	// an account principal ("111122223333" or its :root ARN) as that
	// account's root user alone, not every principal of the account.
	// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
	Gateway bool
}

// Principal is the caller and the policies attached to it.
type Principal struct {
	// ARN names the caller: an IAM user, the account root, a role session
	// (assumed-role), a federated user, a service principal such as
	// ec2.amazonaws.com, or an identity provider during federation.
	ARN string
	// FederatedBy is, for a federated user (GetFederationToken), the ARN
	// of the IAM user who called GetFederationToken: a resource-based
	// policy naming that user applies to the session too, limited by the
	// boundary and the session policy.
	FederatedBy         string
	IdentityPolicies    []*Policy
	PermissionsBoundary *Policy
	SessionPolicies     []*Policy
}

// Organization holds the service control policies that apply to the
// principal's account and the resource control policies that apply to the
// resource's account, one list per level of the organization, root first.
type Organization struct {
	SCPs [][]*Policy
	RCPs [][]*Policy
}

// Resource is what the request acts on.
type Resource struct {
	// ARN is the resource's ARN, or "*" for actions that take none.
	ARN string
	// Account owns the resource; empty means the principal's account.
	Account string
	// Policy is the resource-based policy (bucket policy, role trust
	// policy, key policy), or nil.
	Policy *Policy
}

// Context is a request context: condition keys (lower case) and values.
type Context map[string][]string

// Set stores values under key, whatever its case.
func (c Context) Set(key string, values ...string) {
	c[strings.ToLower(key)] = values
}

// Get returns the values of key, whatever its case.
func (c Context) Get(key string) ([]string, bool) {
	v, ok := c[strings.ToLower(key)]
	return v, ok
}

// principalKind says what kind of caller makes a request.
type principalKind uint8

const (
	kindAnonymous principalKind = iota
	kindRoot
	kindUser
	kindRoleSession
	kindFederatedUser
	kindService
	kindIdentityProvider
)

// caller is a Principal's ARN taken apart, without allocating.
type caller struct {
	kind      principalKind
	arn       string
	partition string
	account   string
	userPath  string // user's resource part after "user/", path included
	name      string // user name, role name or federated user name
	session   string
}

// webIdentityProviders are the provider names AWS accepts in a Federated
// principal without an IAM provider ARN.
var webIdentityProviders = map[string]bool{
	"accounts.google.com":            true,
	"graph.facebook.com":             true,
	"www.amazon.com":                 true,
	"cognito-identity.amazonaws.com": true,
}

// parseCaller reads a principal ARN. It returns a problem sentence when the
// ARN cannot make a request.
func parseCaller(arn string) (caller, string) {
	c := caller{arn: arn}
	if webIdentityProviders[arn] {
		c.kind = kindIdentityProvider
		return c, ""
	}
	if !strings.HasPrefix(arn, "arn:") {
		if strings.HasSuffix(arn, ".amazonaws.com") || strings.HasSuffix(arn, ".amazonaws.com.cn") {
			c.kind = kindService
			return c, ""
		}
		return c, sprintf("%q is not a principal ARN: expected arn:aws:iam::ACCOUNT:user/NAME, arn:aws:iam::ACCOUNT:root, arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, arn:aws:sts::ACCOUNT:federated-user/NAME or a service principal", arn)
	}
	parts, ok := splitARN(arn)
	if !ok || parts[1] == "" {
		return c, sprintf("%q is not a valid ARN: an ARN has six colon-separated parts", arn)
	}
	if !isAccountID(parts[4]) {
		return c, sprintf("%q: the account part %q must be a 12-digit account ID", arn, parts[4])
	}
	c.partition, c.account = parts[1], parts[4]
	res := parts[5]
	switch parts[2] {
	case "iam":
		switch {
		case res == "root":
			c.kind = kindRoot
			return c, ""
		case strings.HasPrefix(res, "user/") && len(res) > 5 && !strings.HasSuffix(res, "/"):
			c.kind, c.userPath, c.name = kindUser, res[5:], lastPathElem(res)
			return c, ""
		case strings.HasPrefix(res, "role/"):
			return c, sprintf("%q is a role, and a role never makes a request itself: its sessions do; use arn:%s:sts::%s:assumed-role/%s/SESSION-NAME", arn, parts[1], parts[4], lastPathElem(res))
		case strings.HasPrefix(res, "saml-provider/") || strings.HasPrefix(res, "oidc-provider/"):
			c.kind = kindIdentityProvider
			return c, ""
		}
	case "sts":
		if r, ok := strings.CutPrefix(res, "assumed-role/"); ok {
			role, sess, ok := strings.Cut(r, "/")
			if ok && role != "" && sess != "" {
				c.kind, c.name, c.session = kindRoleSession, role, sess
				return c, ""
			}
		}
		if n, ok := strings.CutPrefix(res, "federated-user/"); ok && n != "" {
			c.kind, c.name = kindFederatedUser, n
			return c, ""
		}
	}
	return c, sprintf("%q is not a principal that can make a request: expected a user, the root user, an assumed-role session or a federated user", arn)
}

// isIAM reports whether the caller is an IAM principal of some account,
// to which identity-based policies and SCPs apply.
func (c *caller) isIAM() bool {
	return c.kind == kindRoot || c.kind == kindUser || c.kind == kindRoleSession || c.kind == kindFederatedUser
}

func (c *caller) isSession() bool {
	return c.kind == kindRoleSession || c.kind == kindFederatedUser
}

// principalType is the value of aws:PrincipalType.
func (c *caller) principalType() string {
	switch c.kind {
	case kindRoot:
		return "Account"
	case kindUser:
		return "User"
	case kindRoleSession:
		return "AssumedRole"
	case kindFederatedUser:
		return "FederatedUser"
	case kindAnonymous:
		return "Anonymous"
	}
	return ""
}
