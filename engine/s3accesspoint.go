package engine

import "strings"

// S3 access points (issue 11, piece 4, in part). "For an application or
// user to be able to access objects through an access point, both the
// access point and the underlying bucket must permit the request." iamlab
// takes that as two authorizations, each with AWS's ordinary logic, and
// an explicit deny in either wins:
//   - the access point's: its own resource-based policy, and the caller's
//     identity-based policies with the access point's ARN as the resource
//     (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME[/object/KEY]);
//   - the bucket's: the bucket policy, and within the bucket owner's
//     account the identity-based policies on the bucket's ARN, as for any
//     S3 request. Across accounts the bucket policy must allow (a policy
//     that delegates to access points with s3:DataAccessPointAccount or
//     s3:DataAccessPointArn does), and the caller's account has consented
//     once, on the access point's ARN.
//
// Every request through an access point carries s3:DataAccessPointArn,
// s3:DataAccessPointAccount and s3:AccessPointNetworkOrigin; an access
// point whose network origin is VPC takes requests only from its VPC.
// A VPC endpoint's policy must allow both the access point and the
// bucket. Permissions boundaries, session policies, SCPs and RCPs are
// traced once, on the bucket's side (iamlab's simplification).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html

// Access point network origins, the values of s3:AccessPointNetworkOrigin.
const (
	NetworkOriginInternet = "Internet"
	NetworkOriginVPC      = "VPC"
)

// AccessPoint is the S3 access point a request goes through. The request's
// Resource stays the bucket or object, with the bucket policy; AccessPoint
// holds the access point's side.
type AccessPoint struct {
	// ARN is the access point's ARN,
	// arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME: s3:DataAccessPointArn.
	ARN string
	// Resource is what the request names through the access point: the
	// ARN itself (ListBucket) or ARN/object/KEY. Empty means ARN.
	Resource string
	// Account owns the access point: s3:DataAccessPointAccount. Empty
	// means the account in ARN.
	Account string
	// NetworkOrigin is "Internet" or "VPC" (s3:AccessPointNetworkOrigin);
	// empty means Internet. A VPC access point takes requests only from
	// VPC, through a VPC endpoint of that VPC.
	NetworkOrigin string
	VPC           string
	// Policy is the access point policy, nil for none.
	Policy *Policy
}

// networkOriginStatement is the statement index of that step.
const networkOriginStatement = -1

func (a *AccessPoint) account() string {
	if a.Account != "" {
		return a.Account
	}
	if parts, ok := splitARN(a.ARN); ok {
		return parts[4]
	}
	return ""
}

func (a *AccessPoint) origin() string {
	if strings.EqualFold(a.NetworkOrigin, NetworkOriginVPC) {
		return NetworkOriginVPC
	}
	return NetworkOriginInternet
}

// accessPointFacts is the access point's side of a request, as collect
// found it.
type accessPointFacts struct {
	offNetwork  bool // a VPC access point, and the request came from elsewhere
	endpointGap bool // the VPC endpoint's policy does not allow the access point
	policy      bool // the access point has a policy
	grant       grant
	identityOK  bool // an identity-based policy allows the access point's ARN
	sameAccount bool
}

// collectAccessPoint traces the request's access point side: the VPC
// endpoint's policy on its ARN, its network origin, its policy, and the
// caller's identity-based policies on its ARN. Permissions boundaries and session policies are traced once, on
// the bucket's side, and their outcome serves both.
func (ev *evaluator) collectAccessPoint(f *facts) {
	ap := ev.req.AccessPoint
	acct := ap.account()
	// The access point's own authorization: its ARN is the resource.
	saved, savedParts, savedOK := ev.req.Resource, ev.resParts, ev.resOK
	res := ap.Resource
	if res == "" {
		res = ap.ARN
	}
	ev.req.Resource = Resource{ARN: res, Account: acct, Policy: ap.Policy}
	ev.resParts, ev.resOK = splitARN(res)
	if e := ev.req.VPCEndpoint; e != nil && e.Policy != nil {
		f.ap.endpointGap = !ev.evalPolicy(e.Policy, AccessPointEndpoint, 0, 0, true).allow
	}
	step := Step{Type: AccessPointPolicy, Statement: networkOriginStatement, Sid: "NetworkOrigin", Effect: EffectDeny}
	if ap.origin() == NetworkOriginVPC {
		e := ev.req.VPCEndpoint
		if e == nil || e.VPC != ap.VPC {
			step.Matched = true
			f.ap.offNetwork = true
		} else {
			step.Miss = Miss{Element: ElementNetworkOrigin, Value: "the request came from " + ap.VPC + " through " + e.ID}
		}
	} else {
		step.Miss = Miss{Element: ElementNetworkOrigin, Value: "the access point takes requests from the internet"}
	}
	ev.res.Trace = append(ev.res.Trace, step)
	f.ap.sameAccount = f.iam && acct == ev.who.account
	if ap.Policy != nil {
		f.ap.policy = true
		f.ap.grant = ev.evalPolicy(ap.Policy, AccessPointPolicy, 0, 0, true).grant
	}
	if p := ev.req.Principal; p != nil {
		for i, pol := range p.IdentityPolicies {
			if ev.evalPolicy(pol, AccessPointIdentity, i, 0, f.iam).allow {
				f.ap.identityOK = true
			}
		}
	}
	f.ap.identityOK = f.ap.identityOK || ev.who.kind == kindRoot
	ev.req.Resource, ev.resParts, ev.resOK = saved, savedParts, savedOK
}

// decideWithAccessPoint decides a request made through an access point:
// both the access point's and the bucket's authorization must allow, and
// an explicit deny in either wins. A denial is laid, in this order, at
// the organization's and the endpoint's policies, the access point (its
// network origin, the endpoint policy on its ARN, then its authorization,
// taken as AWS takes any, with the access point's ARN as the resource),
// then the bucket.
func decideWithAccessPoint(f *facts) (Decision, PolicyType) {
	// Across accounts the caller's account consents once, by identity-based
	// policies on the access point's ARN, the resource the caller names;
	// the bucket's account by its bucket policy.
	bucket := *f
	if f.iam && !f.sameAccount {
		bucket.identityOK = f.ap.identityOK
	}
	d, t := decide(&bucket)
	guard := t == SCP || t == RCP || t == EndpointPolicy
	switch {
	case d == ExplicitDeny && guard:
		return d, t
	case f.denyBy[AccessPointEndpoint]:
		return ExplicitDeny, AccessPointEndpoint
	case f.denyBy[AccessPointPolicy]:
		return ExplicitDeny, AccessPointPolicy
	case f.denyBy[AccessPointIdentity]:
		return ExplicitDeny, AccessPointIdentity
	case d == ExplicitDeny, d == ImplicitDeny && guard:
		return d, t
	case f.ap.offNetwork:
		return ImplicitDeny, AccessPointPolicy
	case f.ap.endpointGap:
		return ImplicitDeny, AccessPointEndpoint
	}
	side := *f
	side.trust, side.keyPolicy, side.sameAccount = false, false, f.ap.sameAccount
	side.resourcePolicy, side.resGrant, side.identityOK = f.ap.policy, f.ap.grant, f.ap.identityOK
	side.denyBy = [len(f.denyBy)]bool{}
	if apD, apT := decide(&side); apD != Allow {
		switch apT {
		case ResourcePolicy:
			apT = AccessPointPolicy
		case IdentityPolicy:
			apT = AccessPointIdentity
		}
		return apD, apT
	}
	return d, t
}

// accessPointKey answers s3:DataAccessPointArn, s3:DataAccessPointAccount
// and s3:AccessPointNetworkOrigin for a request through an access point.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
func (ev *evaluator) accessPointKey(key string) (string, bool) {
	ap := ev.req.AccessPoint
	if ap == nil {
		return "", false
	}
	switch key {
	case "s3:dataaccesspointarn":
		return ap.ARN, true
	case "s3:dataaccesspointaccount":
		return ap.account(), true
	case "s3:accesspointnetworkorigin":
		return ap.origin(), true
	}
	return "", false
}

func networkOriginReason(s Step) string {
	if s.Matched {
		return "the access point's network origin is VPC, and the request did not come from its VPC"
	}
	return s.Miss.Value
}

// accessPointGap says why the access point's side denied a request.
func (r *Result) accessPointGap() string {
	if r.Decision == ExplicitDeny {
		return "an explicit deny on the access point overrides every allow."
	}
	for _, s := range r.Trace {
		if s.Type == AccessPointPolicy && s.Statement == networkOriginStatement && s.Matched {
			return "the access point takes requests only from its VPC, through a VPC endpoint there."
		}
	}
	if r.Denial == AccessPointIdentity {
		return "a request through an access point needs an identity-based policy that allows the access point's ARN, and the bucket's permission as well."
	}
	return "the access point's policy must allow the request, as the bucket must: an access point grants only what both allow."
}

// bucketGapThroughAccessPoint explains a denial on the bucket's side of a
// request through an access point.
const bucketGapThroughAccessPoint = "the access point allowed the request, but the bucket must allow it as well; a bucket policy can delegate to its access points with s3:DataAccessPointAccount."
