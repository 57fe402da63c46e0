package estate

import (
	"net/http"
	"slices"
	"strings"

	"iamlab/engine"
)

// S3 Object Ownership and ACLs (issue 11, piece 4). A bucket's Object
// Ownership decides whether ACLs count at all (BucketOwnerEnforced turns
// them off, and is AWS's default for new buckets since April 2023, and
// the estate's when `ownership:` is left out) and who owns an uploaded
// object (BucketOwnerPreferred: the bucket owner when the upload carries
// bucket-owner-full-control; ObjectWriter: the uploading account).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html

// The Object Ownership settings.
const (
	OwnershipBucketOwnerEnforced  = "BucketOwnerEnforced"
	OwnershipBucketOwnerPreferred = "BucketOwnerPreferred"
	OwnershipObjectWriter         = "ObjectWriter"
)

var ownerships = []string{OwnershipBucketOwnerEnforced, OwnershipBucketOwnerPreferred, OwnershipObjectWriter}

// AccessControlList is a bucket's or object's ACL in the estate: a canned
// ACL (`canned: public-read`) or a list of grants, not both. Grants name
// their grantee by account ID (which stands for the account's canonical
// user ID), canonical user ID, or group (AllUsers, AuthenticatedUsers,
// LogDelivery).
type AccessControlList struct {
	Canned string     `json:"canned,omitempty" yaml:"canned,omitempty"`
	Grants []ACLGrant `json:"grants,omitempty" yaml:"grants,omitempty"`
}

// ACLGrant is one grant of an AccessControlList.
type ACLGrant struct {
	Grantee    string `json:"grantee" yaml:"grantee"`
	Permission string `json:"permission" yaml:"permission"`
}

// ObjectACL is an object's owner (an account ID; the bucket owner when
// empty) and its ACL (private when nil).
type ObjectACL struct {
	Owner string             `json:"owner,omitempty" yaml:"owner,omitempty"`
	ACL   *AccessControlList `json:"acl,omitempty" yaml:"acl,omitempty"`
}

// ownership is the bucket's Object Ownership in force.
func (b *Bucket) ownership() string {
	if b.Ownership == "" {
		return OwnershipBucketOwnerEnforced
	}
	return b.Ownership
}

// aclsOn reports whether the bucket's ACLs affect permissions.
func (b *Bucket) aclsOn() bool { return b.ownership() != OwnershipBucketOwnerEnforced }

var groupNames = map[string]string{"AllUsers": engine.GroupAllUsers, "AuthenticatedUsers": engine.GroupAuthenticatedUsers,
	"LogDelivery": engine.GroupLogDelivery}

// resolve turns an estate ACL into the engine's, for a resource owned by
// owner in a bucket owned by bucketOwner. Nil is a private ACL.
func (l *AccessControlList) resolve(owner, bucketOwner string) (engine.ACL, error) {
	if l == nil || (l.Canned == "" && l.Grants == nil) {
		acl, _ := engine.CannedACL("private", owner, bucketOwner)
		return acl, nil
	}
	if l.Canned != "" {
		if l.Grants != nil {
			return engine.ACL{}, invalidArgument("give a canned ACL or grants, not both")
		}
		acl, ok := engine.CannedACL(l.Canned, owner, bucketOwner)
		if !ok {
			return engine.ACL{}, invalidArgument("unknown canned ACL " + l.Canned + "; S3's are " + strings.Join(engine.CannedACLs, ", "))
		}
		return acl, nil
	}
	acl := engine.ACL{Owner: engine.CanonicalUserID(owner)}
	for _, g := range l.Grants {
		if !slices.Contains(engine.ACLPermissions, g.Permission) {
			return acl, invalidArgument("permission " + g.Permission + " is not one of " + strings.Join(engine.ACLPermissions, ", "))
		}
		eg, err := aclGrantee(g.Grantee)
		if err != nil {
			return acl, err
		}
		eg.Permission = g.Permission
		acl.Grants = append(acl.Grants, eg)
	}
	return acl, nil
}

// aclGrantee reads a grantee: an account ID, a canonical user ID, a group
// name or a group URI.
func aclGrantee(s string) (engine.ACLGrant, error) {
	if uri, ok := groupNames[s]; ok {
		return engine.ACLGrant{Type: "Group", URI: uri}, nil
	}
	for _, uri := range groupNames {
		if s == uri {
			return engine.ACLGrant{Type: "Group", URI: uri}, nil
		}
	}
	if id, ok := engine.ParseCanonicalID(s); ok {
		return engine.ACLGrant{Type: "CanonicalUser", ID: id}, nil
	}
	return engine.ACLGrant{}, invalidArgument("grantee " + s + " is not an account ID, a canonical user ID (64 hex digits) or a group (AllUsers, AuthenticatedUsers, LogDelivery)")
}

func invalidArgument(msg string) *Error {
	return newError("InvalidArgument", http.StatusBadRequest, msg)
}

func aclNotSupported() *Error {
	return newError("AccessControlListNotSupported", http.StatusBadRequest, "The bucket does not allow ACLs")
}

// objectACLAction reports whether an object's ACL governs action: the
// object actions its READ, READ_ACP and WRITE_ACP map to. Others on an
// object (PutObject, through the bucket's WRITE; DeleteObject, which the
// bucket owner may do to any object) go by the bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#acl-access-policy-permission-mapping
func objectACLAction(action string) bool {
	switch strings.ToLower(action) {
	case "s3:getobject", "s3:getobjectversion", "s3:getobjecttorrent", "s3:getobjectacl", "s3:getobjectversionacl",
		"s3:putobjectacl", "s3:putobjectversionacl":
		return true
	}
	return false
}

// s3ACLRequest gives an S3 request on a bucket whose ACLs are on the ACL
// S3 checks: the object's for the actions object ACLs govern, the
// bucket's otherwise. An object that another account owns is reached only
// through its own ACL.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func (e *Estate) s3ACLRequest(req *engine.Request, action string) {
	name, key, isObject := strings.Cut(strings.TrimPrefix(req.Resource.ARN, "arn:aws:s3:::"), "/")
	acct, b := e.bucket(name)
	if b == nil || !b.aclsOn() {
		return
	}
	layer := &engine.S3ACLs{IgnorePublicAcls: e.effectiveBPA(acct, b).IgnorePublicAcls}
	var err error
	if isObject && objectACLAction(action) {
		oa := b.ObjectACLs[key]
		owner := acct
		var l *AccessControlList
		if oa != nil {
			if oa.Owner != "" {
				owner = oa.Owner
			}
			l = oa.ACL
		}
		if owner != acct {
			layer.ObjectOwner = owner
		}
		layer.ACL, err = l.resolve(owner, acct)
	} else {
		layer.Bucket = true
		layer.ACL, err = b.ACL.resolve(acct, acct)
	}
	if err != nil {
		return // validated on load and on write
	}
	if req.S3 == nil {
		req.S3 = &engine.S3Request{}
	}
	req.S3.ACLs = layer
}

// aclFromRequest reads the ACL a write carries: the canned x-amz-acl, or
// the x-amz-grant-* headers (id=, uri=, emailAddress= lists). Nil when the
// request carries none.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
func aclFromRequest(ctx engine.Context) (*AccessControlList, error) {
	if v, ok := ctx.Get("s3:x-amz-acl"); ok && len(v) == 1 {
		return &AccessControlList{Canned: v[0]}, nil
	}
	var l *AccessControlList
	for _, p := range engine.ACLPermissions {
		v, ok := ctx.Get("s3:x-amz-grant-" + strings.ReplaceAll(strings.ToLower(p), "_", "-"))
		if !ok {
			continue
		}
		if l == nil {
			l = &AccessControlList{Grants: []ACLGrant{}}
		}
		for _, h := range v {
			grantees, err := ParseGrantHeader(h)
			if err != nil {
				return nil, err
			}
			for _, g := range grantees {
				l.Grants = append(l.Grants, ACLGrant{Grantee: g, Permission: p})
			}
		}
	}
	return l, nil
}

// ParseGrantHeader reads an x-amz-grant-* value such as
// `id="79a5...",uri="http://acs.amazonaws.com/groups/global/AllUsers"`
// into grantees (canonical IDs and group URIs). Email grantees are not
// supported.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
func ParseGrantHeader(h string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if !ok || v == "" {
			return nil, invalidArgument("grant " + part + ": expected id=CANONICAL-ID or uri=GROUP-URI")
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "id":
			if _, ok := engine.ParseCanonicalID(v); !ok {
				return nil, invalidArgument("grant id " + v + " is not a canonical user ID (64 hex digits) or an account ID")
			}
		case "uri":
			if _, err := aclGrantee(v); err != nil || !strings.HasPrefix(v, "http") {
				return nil, invalidArgument("grant uri " + v + " is not one of S3's groups")
			}
		case "emailaddress":
			return nil, invalidArgument("email grantees are not supported in the sandbox (AWS supports them in a few Regions only); use id=")
		default:
			return nil, invalidArgument("grant " + part + ": expected id=, uri= or emailAddress=")
		}
		out = append(out, v)
	}
	return out, nil
}

// ownerOnly reports whether an ACL gives FULL_CONTROL to the bucket
// owner and nothing to anyone else, the only ACL a bucket with ACLs
// disabled accepts.
func ownerOnly(acl engine.ACL, bucketOwner string) bool {
	id := engine.CanonicalUserID(bucketOwner)
	full := false
	for _, g := range acl.Grants {
		if g.Type != "CanonicalUser" || g.ID != id {
			return false
		}
		full = full || g.Permission == "FULL_CONTROL"
	}
	return full
}

// checkACLWrite applies Object Ownership and Block Public Access to an ACL
// a request sets (l as given, acl resolved): ACLs disabled accept only
// bucket-owner-full-control or grants of the bucket owner's full control
// alone; BlockPublicAcls refuses a public ACL.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func (e *Estate) checkACLWrite(acct string, b *Bucket, l *AccessControlList, acl engine.ACL, d *Decision) error {
	// A canned ACL other than bucket-owner-full-control is refused even
	// when it would come to the same (private, on the owner's bucket).
	if !b.aclsOn() && (l != nil && l.Canned != "" && l.Canned != "bucket-owner-full-control" || !ownerOnly(acl, acct)) {
		err := aclNotSupported()
		err.Detail = "the bucket's Object Ownership is BucketOwnerEnforced: ACLs are disabled, and a request may set none but bucket-owner-full-control"
		return err
	}
	if acl.Public() && e.effectiveBPA(acct, b).BlockPublicAcls {
		err := accessDenied("Access Denied")
		err.Detail = "Block Public Access (BlockPublicAcls) refuses an ACL that grants AllUsers or AuthenticatedUsers"
		err.Decision = d
		return err
	}
	return nil
}

// putObjectACL is PutObject's ACL side, once s3:PutObject is allowed: it
// checks the ACL the upload carries and records who owns the new object.
func (e *Estate) putObjectACL(c Call, d *Decision, bucket, key string) error {
	acct, b := e.bucket(bucket)
	l, err := aclFromRequest(c.Context)
	if err != nil {
		return err
	}
	// The writer's account owns what it uploads. An anonymous or service
	// caller has none here; the sandbox gives its upload to the bucket
	// owner; the owner AWS records for an anonymous upload is not modelled.
	writer := acct
	if d.Identity != nil && d.Identity.Account != "" {
		writer = d.Identity.Account
	}
	owner := writer
	canned := ""
	if l != nil {
		canned = l.Canned
	}
	switch b.ownership() {
	case OwnershipBucketOwnerEnforced:
		owner = acct
	case OwnershipBucketOwnerPreferred:
		if canned == "bucket-owner-full-control" {
			owner = acct
		}
	}
	acl, err := l.resolve(owner, acct)
	if err != nil {
		return err
	}
	if err := e.checkACLWrite(acct, b, l, acl, d); err != nil {
		return err
	}
	if !b.aclsOn() || (owner == acct && l == nil) {
		delete(b.ObjectACLs, key)
		return nil
	}
	if b.ObjectACLs == nil {
		b.ObjectACLs = map[string]*ObjectACL{}
	}
	stored := l
	if canned == "bucket-owner-full-control" && owner == acct {
		stored = nil // the bucket owner's own object: private
	}
	b.ObjectACLs[key] = &ObjectACL{Owner: owner, ACL: stored}
	return nil
}

// authorizeOnBucket finds a bucket and authorizes action on resource in
// it; S3 answers NoSuchBucket before it looks at any policy (d is nil then).
func (e *Estate) authorizeOnBucket(c Call, bucket, action, resource string) (acct string, b *Bucket, d *Decision, err error) {
	acct, b = e.bucket(bucket)
	if b == nil {
		return "", nil, nil, noSuchBucket()
	}
	d = e.Authorize(c, action, resource)
	if !d.Allowed() {
		return acct, b, d, d.Err
	}
	return acct, b, d, nil
}

// PutBucketOwnershipControls sets a bucket's Object Ownership
// (s3:PutBucketOwnershipControls).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketOwnershipControls.html
func (e *Estate) PutBucketOwnershipControls(c Call, bucket, ownership string) (*Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:PutBucketOwnershipControls", BucketARN(bucket))
	if err != nil {
		return d, err
	}
	if !slices.Contains(ownerships, ownership) {
		return d, newError("MalformedXML", http.StatusBadRequest, "The XML you provided was not well-formed or did not validate against our published schema: ObjectOwnership must be one of "+strings.Join(ownerships, ", "))
	}
	if ownership == OwnershipBucketOwnerEnforced {
		if acl, err := b.ACL.resolve(acct, acct); err == nil && !ownerOnly(acl, acct) {
			return d, newError("InvalidBucketAclWithObjectOwnership", http.StatusBadRequest, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
		}
	}
	b.Ownership = ownership
	return d, nil
}

// GetBucketOwnershipControls reads the bucket's Object Ownership.
func (e *Estate) GetBucketOwnershipControls(c Call, bucket string) (string, *Decision, error) {
	_, b, d, err := e.authorizeOnBucket(c, bucket, "s3:GetBucketOwnershipControls", BucketARN(bucket))
	if err != nil {
		return "", d, err
	}
	return b.ownership(), d, nil
}

// PutBucketACL sets the bucket's ACL (s3:PutBucketAcl).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketAcl.html
func (e *Estate) PutBucketACL(c Call, bucket string, l *AccessControlList) (*Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:PutBucketAcl", BucketARN(bucket))
	if err != nil {
		return d, err
	}
	acl, err := l.resolve(acct, acct)
	if err != nil {
		return d, err
	}
	if err := e.checkACLWrite(acct, b, l, acl, d); err != nil {
		return d, err
	}
	b.ACL = l
	return d, nil
}

// GetBucketACL reads the bucket's ACL (s3:GetBucketAcl). With ACLs
// disabled it shows the bucket owner's full control, as S3 does.
func (e *Estate) GetBucketACL(c Call, bucket string) (engine.ACL, *Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:GetBucketAcl", BucketARN(bucket))
	if err != nil {
		return engine.ACL{}, d, err
	}
	l := b.ACL
	if !b.aclsOn() {
		l = nil
	}
	acl, _ := l.resolve(acct, acct)
	return acl, d, nil
}

// PutObjectACL sets an existing object's ACL (s3:PutObjectAcl); the
// object keeps its owner.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectAcl.html
func (e *Estate) PutObjectACL(c Call, bucket, key string, l *AccessControlList) (*Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:PutObjectAcl", ObjectARN(bucket, key))
	if err != nil {
		return d, err
	}
	if _, ok := b.Objects[key]; !ok {
		return d, newError(CodeNoSuchKey, http.StatusNotFound, "The specified key does not exist.")
	}
	owner := b.objectOwner(acct, key)
	acl, err := l.resolve(owner, acct)
	if err != nil {
		return d, err
	}
	if err := e.checkACLWrite(acct, b, l, acl, d); err != nil {
		return d, err
	}
	if !b.aclsOn() {
		return d, nil
	}
	if b.ObjectACLs == nil {
		b.ObjectACLs = map[string]*ObjectACL{}
	}
	b.ObjectACLs[key] = &ObjectACL{Owner: owner, ACL: l}
	return d, nil
}

// GetObjectACL reads an object's ACL (s3:GetObjectAcl).
func (e *Estate) GetObjectACL(c Call, bucket, key string) (engine.ACL, *Decision, error) {
	acct, b, d, err := e.authorizeOnBucket(c, bucket, "s3:GetObjectAcl", ObjectARN(bucket, key))
	if err != nil {
		return engine.ACL{}, d, err
	}
	if _, ok := b.Objects[key]; !ok {
		return engine.ACL{}, d, newError(CodeNoSuchKey, http.StatusNotFound, "The specified key does not exist.")
	}
	owner := b.objectOwner(acct, key)
	var l *AccessControlList
	if oa := b.ObjectACLs[key]; oa != nil && b.aclsOn() {
		l = oa.ACL
	}
	acl, _ := l.resolve(owner, acct)
	return acl, d, nil
}

// objectOwner is the account that owns an object: the bucket owner when
// ACLs are disabled or the object records no other.
func (b *Bucket) objectOwner(bucketOwner, key string) string {
	if oa := b.ObjectACLs[key]; oa != nil && oa.Owner != "" && b.aclsOn() {
		return oa.Owner
	}
	return bucketOwner
}

// validateS3ACLs checks a bucket's ownership and ACLs on load.
func (v *validator) validateS3ACLs(path, acct string, b *Bucket) {
	if b.Ownership != "" && !slices.Contains(ownerships, b.Ownership) {
		v.failf(path+".ownership", "%q is not an Object Ownership setting: %s", b.Ownership, strings.Join(ownerships, ", "))
	}
	if acl, err := b.ACL.resolve(acct, acct); err != nil {
		v.fail(path+".acl", err)
	} else if !b.aclsOn() && !ownerOnly(acl, acct) {
		v.failf(path+".acl", "the bucket's ownership is BucketOwnerEnforced (the default): ACLs are disabled, so it can hold no grants; set ownership: ObjectWriter or BucketOwnerPreferred")
	}
	for _, k := range sortedKeys(b.ObjectACLs) {
		oa := b.ObjectACLs[k]
		kp := key(path+".objectAcls", k)
		if oa == nil {
			continue
		}
		if _, ok := b.Objects[k]; !ok {
			v.failf(kp, "no object %q in the bucket's objects", k)
		}
		owner := acct
		if oa.Owner != "" {
			if !isAccountID(oa.Owner) {
				v.failf(kp+".owner", "must be the 12-digit ID of the account that owns the object")
				continue
			}
			owner = oa.Owner
		}
		if _, err := oa.ACL.resolve(owner, acct); err != nil {
			v.fail(kp+".acl", err)
		}
	}
}
