package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// S3 access control lists and Object Ownership (issue 11, piece 4): the
// older resource-based layer S3 evaluates with the bucket policy. An ACL
// only grants, to accounts (by canonical user ID) and to S3's predefined
// groups; it never denies and carries no conditions. With Object
// Ownership set to BucketOwnerEnforced, ACLs are off and the request
// carries none.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html

// The URIs of S3's predefined groups.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#specifying-grantee-predefined-groups
const (
	GroupAllUsers           = "http://acs.amazonaws.com/groups/global/AllUsers"
	GroupAuthenticatedUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"
	GroupLogDelivery        = "http://acs.amazonaws.com/groups/s3/LogDelivery"
)

// logDeliveryService is the service principal S3 server access logging
// writes with, which the LogDelivery group stands for.
const logDeliveryService = "logging.s3.amazonaws.com"

// S3ACLs is the ACL side of an S3 request, present when the bucket's
// Object Ownership keeps ACLs on (BucketOwnerPreferred or ObjectWriter).
type S3ACLs struct {
	// ACL is the list in force: the bucket's for bucket operations and for
	// PutObject (WRITE on a bucket lets the grantee create objects), the
	// object's for other object operations.
	ACL ACL
	// Bucket says ACL is the bucket's.
	Bucket bool
	// ObjectOwner is the account that owns the object when it is not the
	// bucket owner (an upload under ObjectWriter): then only the object's
	// ACL can grant access to it.
	ObjectOwner string
	// IgnorePublicAcls is Block Public Access's setting: grants to
	// AllUsers and AuthenticatedUsers count for nothing.
	IgnorePublicAcls bool
	// canned is a canned ACL an eval request named, expanded once the
	// owners are known (finishS3ACLs).
	canned string
}

// ACL is an S3 access control list: the resource owner and its grants.
type ACL struct {
	// Owner is the owner's canonical user ID.
	Owner  string
	Grants []ACLGrant
}

// ACLGrant gives one grantee one permission.
type ACLGrant struct {
	// Type is "CanonicalUser" (ID set) or "Group" (URI set).
	Type string
	ID   string
	URI  string
	// Permission is READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL.
	Permission string
}

// Public reports whether the grant is to AllUsers or AuthenticatedUsers,
// which makes the ACL public for Block Public Access.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
func (g ACLGrant) Public() bool {
	return g.Type == "Group" && (g.URI == GroupAllUsers || g.URI == GroupAuthenticatedUsers)
}

// Public reports whether any grant of the ACL is public.
func (a *ACL) Public() bool {
	if a == nil {
		return false
	}
	for _, g := range a.Grants {
		if g.Public() {
			return true
		}
	}
	return false
}

// CanonicalUserID is iamlab's canonical user ID for an account (or a
// service principal): 64 hex digits, as AWS's are, derived from the
// account ID so that every estate and every eval request agree on it. AWS
// assigns its own; this one is iamlab's stand-in.
func CanonicalUserID(account string) string {
	sum := sha256.Sum256([]byte("iamlab canonical user " + account))
	return hex.EncodeToString(sum[:])
}

// ACLPermissions are the permissions an ACL grant can give.
var ACLPermissions = []string{"READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"}

// aclActions maps an ACL permission to the S3 actions it allows, on a
// bucket's ACL (bucket) or an object's. WRITE exists only on buckets,
// where it lets the grantee create objects; FULL_CONTROL is the other
// four.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#acl-access-policy-permission-mapping
func aclActions(perm string, bucket bool) []string {
	switch {
	case perm == "READ" && bucket:
		return []string{"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"}
	case perm == "READ":
		return []string{"s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectTorrent"}
	case perm == "WRITE" && bucket:
		return []string{"s3:PutObject"}
	case perm == "READ_ACP" && bucket:
		return []string{"s3:GetBucketAcl"}
	case perm == "READ_ACP":
		return []string{"s3:GetObjectAcl", "s3:GetObjectVersionAcl"}
	case perm == "WRITE_ACP" && bucket:
		return []string{"s3:PutBucketAcl"}
	case perm == "WRITE_ACP":
		return []string{"s3:PutObjectAcl", "s3:PutObjectVersionAcl"}
	}
	return nil
}

// aclPermits reports whether perm covers action.
func aclPermits(perm, action string, bucket bool) bool {
	perms := []string{perm}
	if perm == "FULL_CONTROL" {
		perms = ACLPermissions[:4]
	}
	for _, p := range perms {
		for _, a := range aclActions(p, bucket) {
			if strings.EqualFold(a, action) {
				return true
			}
		}
	}
	return false
}

// ACLStepName names a trace step of the S3ACL stage for a person: the
// grant ("grant AllUsers READ"), or the object owner's context.
func ACLStepName(s Step) string {
	if s.Miss.Element == ElementObjectOwner {
		return "object owner"
	}
	return "grant " + s.Sid
}

// aclGranteeLabel names a grant's grantee for the trace.
func aclGranteeLabel(g *ACLGrant) string {
	if g.Type == "Group" {
		return g.URI[strings.LastIndexByte(g.URI, '/')+1:]
	}
	id := g.ID
	if len(id) > 12 {
		id = id[:12] + "…"
	}
	return "canonical user " + id
}

// evalACL records a step per grant of the ACL in force and returns the
// widest reach of the grants that cover the caller and the action. A grant
// to an account reaches as a bucket policy naming the account does: its
// IAM principals still need their identity policies. A grant to AllUsers
// reaches anyone, anonymous callers included.
func (ev *evaluator) evalACL(s3 *S3ACLs) grant {
	acl := &s3.ACL
	bucket := s3.Bucket
	best := grantNone
	var callerID string
	switch {
	case ev.who.isIAM():
		callerID = CanonicalUserID(ev.who.account)
	case ev.who.kind == kindService:
		callerID = CanonicalUserID(ev.who.arn)
	}
	for i := range acl.Grants {
		g := &acl.Grants[i]
		step := Step{Type: S3ACL, Statement: i, Sid: aclGranteeLabel(g) + " " + g.Permission, Effect: EffectAllow}
		reach := grantNone
		switch {
		case g.Public() && s3.IgnorePublicAcls:
			step.Miss = Miss{Element: ElementACLIgnored}
		case !aclPermits(g.Permission, ev.action, bucket):
			step.Miss = Miss{Element: ElementACLPermission, Value: ev.action}
		default:
			reach = ev.aclGrantee(g, callerID)
			if reach == grantNone {
				who := ev.callerName()
				if g.Type == "CanonicalUser" && ev.who.isIAM() {
					who = "the caller's account " + ev.who.account
				}
				step.Miss = Miss{Element: ElementACLGrantee, Value: who}
			}
		}
		step.Matched = step.Miss.Element == 0
		ev.res.Trace = append(ev.res.Trace, step)
		if step.Matched {
			ev.res.Matched = append(ev.res.Matched, StatementRef{Type: S3ACL, Statement: i, Sid: step.Sid, Effect: EffectAllow})
			best = max(best, reach)
		}
	}
	return best
}

func (ev *evaluator) aclGrantee(g *ACLGrant, callerID string) grant {
	who := &ev.who
	if g.Type == "Group" {
		switch g.URI {
		case GroupAllUsers:
			return grantDirect
		case GroupAuthenticatedUsers:
			if who.isIAM() {
				return grantDirect
			}
		case GroupLogDelivery:
			if who.kind == kindService && who.arn == logDeliveryService {
				return grantDirect
			}
		}
		return grantNone
	}
	if callerID == "" || !strings.EqualFold(g.ID, callerID) {
		return grantNone
	}
	if who.kind == kindService {
		return grantDirect
	}
	return grantAccount
}

// s3ACLs applies the ACL layer: the object owner's context first, then
// the grants, whose reach joins the bucket policy's.
func (ev *evaluator) s3ACLs(f *facts, bucketOwner string) {
	a := ev.req.S3.ACLs
	if a.ObjectOwner != "" && a.ObjectOwner != bucketOwner {
		ev.objectOwnerStep(f, bucketOwner)
		f.foreignObject = true
		f.sameAccount = f.iam && a.ObjectOwner == ev.who.account
	}
	f.resGrant = max(f.resGrant, ev.evalACL(a))
}

// objectOwnerStep records that the object belongs to another account than
// the bucket: the bucket owner's policy cannot grant access to it (its
// denies still apply), only the object owner's ACL can.
func (ev *evaluator) objectOwnerStep(f *facts, bucketOwner string) {
	a := ev.req.S3.ACLs
	step := Step{Type: S3ACL, Statement: len(a.ACL.Grants), Sid: "ObjectOwner", Effect: EffectAllow,
		Miss: Miss{Element: ElementObjectOwner, Value: "the object belongs to account " + a.ObjectOwner +
			", not to the bucket owner " + bucketOwner + ": only the object's ACL can grant access to it; the bucket policy's allows do not reach it, its denies still apply"}}
	f.resGrant = grantNone
	ev.res.Trace = append(ev.res.Trace, step)
}
