package engine

import (
	"slices"
	"strconv"
	"strings"
)

// The eval format's S3 ACL fields (docs/eval-request.md): s3.bucketAcl,
// s3.objectAcl, s3.objectOwner and s3.ignorePublicAcls.

// decodeS3ACLField decodes one member of the request's s3 object that
// belongs to the ACL layer; ok is false for a key it does not know.
func decodeS3ACLField(m *member, out *S3Request) (ok bool, err error) {
	path := "s3." + m.key
	v := m.value
	acls := func() *S3ACLs {
		if out.ACLs == nil {
			out.ACLs = &S3ACLs{}
		}
		return out.ACLs
	}
	switch m.key {
	case "ignorePublicAcls":
		if v.kind != nodeBool {
			return true, errAt(v, path, "must be true or false, not %s", v.kind)
		}
		// Kept aside until the end: the setting matters only with an ACL.
		if v.str == "true" {
			acls().IgnorePublicAcls = true
		}
	case "objectOwner":
		if v.kind != nodeString || !isAccountID(v.str) {
			return true, errAt(v, path, "must be the 12-digit ID of the account that owns the object")
		}
		acls().ObjectOwner = v.str
	case "bucketAcl", "objectAcl":
		if v.kind == nodeNull {
			return true, nil
		}
		a := acls()
		if a.ACL.Owner != "" || a.canned != "" {
			return true, &InputError{Path: path, Pos: m.keyPos, Problem: "give bucketAcl or objectAcl, not both: a request is checked against one ACL"}
		}
		if v.kind == nodeString {
			if !slices.Contains(CannedACLs, v.str) {
				return true, errAt(v, path, "%q is not a canned ACL: S3's are %s", v.str, strings.Join(CannedACLs, ", "))
			}
			a.canned, a.Bucket = v.str, m.key == "bucketAcl"
			return true, nil
		}
		acl, err := decodeACL(v, path)
		if err != nil {
			return true, err
		}
		if acl.Owner == "" {
			acl.Owner = ownerByDefault
		}
		a.ACL, a.Bucket = acl, m.key == "bucketAcl"
	default:
		return false, nil
	}
	return true, nil
}

// ownerByDefault stands for an ACL's owner left out, until finishS3ACLs
// knows the resource's account.
const ownerByDefault = "\x00owner"

// finishS3ACLs drops an ACL layer that holds no ACL (only
// ignorePublicAcls was given) and fills in the owner left out: the
// object's owner, else the resource's account.
func finishS3ACLs(req *Request) error {
	if req.S3 == nil || req.S3.ACLs == nil {
		return nil
	}
	a := req.S3.ACLs
	if a.canned != "" {
		owner := a.ObjectOwner
		if owner == "" {
			owner = req.Resource.Account
		}
		if owner == "" {
			return &InputError{Path: "resource.account", Problem: "missing: a canned ACL needs the bucket owner's account"}
		}
		a.ACL, _ = CannedACL(a.canned, owner, req.Resource.Account)
		a.canned = ""
	}
	if a.ACL.Owner == "" && len(a.ACL.Grants) == 0 {
		if a.ObjectOwner != "" {
			return &InputError{Path: "s3.objectOwner", Problem: "needs s3.objectAcl: an object another account owns is reached only through its ACL"}
		}
		req.S3.ACLs = nil
		return nil
	}
	if a.ObjectOwner != "" && a.Bucket {
		return &InputError{Path: "s3.objectOwner", Problem: "goes with s3.objectAcl, not bucketAcl"}
	}
	if a.ACL.Owner == ownerByDefault {
		owner := a.ObjectOwner
		if owner == "" {
			owner = req.Resource.Account
		}
		a.ACL.Owner = ""
		if owner != "" {
			a.ACL.Owner = CanonicalUserID(owner)
		}
	}
	return nil
}

// decodeACL reads an ACL: {"owner": ID, "grants": [...]}. A grantee is
// {"type": "CanonicalUser", "id": ID} or {"type": "Group", "uri": URI};
// an ID is a 64-hex canonical user ID or a 12-digit account ID, which
// stands for that account's canonical ID.
func decodeACL(v *node, path string) (ACL, error) {
	var acl ACL
	if v.raw {
		n, parser, err := parseJSONText(v.str, 0, MaxRequestValues)
		if err != nil {
			return acl, err
		}
		defer parser.release()
		v = n
	}
	if v.kind != nodeObject {
		return acl, errAt(v, path, "must be an object with owner and grants, not %s", v.kind)
	}
	for _, m := range v.members {
		p := path + "." + m.key
		switch m.key {
		case "owner":
			id, err := decodeCanonicalID(m.value, p)
			if err != nil {
				return acl, err
			}
			acl.Owner = id
		case "grants":
			if m.value.kind != nodeArray {
				return acl, errAt(m.value, p, "must be a list of grants, not %s", m.value.kind)
			}
			for i, it := range m.value.items {
				g, err := decodeACLGrant(it, p+"["+strconv.Itoa(i)+"]")
				if err != nil {
					return acl, err
				}
				acl.Grants = append(acl.Grants, g)
			}
		default:
			return acl, &InputError{Path: p, Pos: m.keyPos, Problem: "unknown field: an ACL has owner and grants"}
		}
	}
	return acl, nil
}

func decodeCanonicalID(v *node, path string) (string, error) {
	if v.kind != nodeString {
		return "", errAt(v, path, "must be a string, not %s", v.kind)
	}
	id, ok := ParseCanonicalID(v.str)
	if !ok {
		return "", errAt(v, path, "%q must be a canonical user ID (64 hex digits) or a 12-digit account ID", v.str)
	}
	return id, nil
}

// ParseCanonicalID accepts a canonical user ID (64 hex digits) or a
// 12-digit account ID, which it turns into the account's canonical ID.
func ParseCanonicalID(s string) (string, bool) {
	if isAccountID(s) {
		return CanonicalUserID(s), true
	}
	if len(s) != 64 {
		return "", false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return "", false
		}
	}
	return s, true
}

func decodeACLGrant(v *node, path string) (ACLGrant, error) {
	var g ACLGrant
	if v.kind != nodeObject {
		return g, errAt(v, path, "must be an object with grantee and permission, not %s", v.kind)
	}
	haveGrantee := false
	for _, m := range v.members {
		p := path + "." + m.key
		switch m.key {
		case "permission":
			if m.value.kind != nodeString || !slices.Contains(ACLPermissions, m.value.str) {
				return g, errAt(m.value, p, "must be one of %s", strings.Join(ACLPermissions, ", "))
			}
			g.Permission = m.value.str
		case "grantee":
			gv := m.value
			if gv.kind != nodeObject {
				return g, errAt(gv, p, "must be an object such as {\"type\": \"Group\", \"uri\": %q}, not %s", GroupAllUsers, gv.kind)
			}
			for _, f := range gv.members {
				fp := p + "." + f.key
				if f.value.kind != nodeString {
					return g, errAt(f.value, fp, "must be a string, not %s", f.value.kind)
				}
				switch f.key {
				case "type":
					if f.value.str != "CanonicalUser" && f.value.str != "Group" {
						return g, errAt(f.value, fp, "must be \"CanonicalUser\" or \"Group\" (email grantees are not supported)")
					}
					g.Type = f.value.str
				case "id":
					id, err := decodeCanonicalID(f.value, fp)
					if err != nil {
						return g, err
					}
					g.ID = id
				case "uri":
					if !knownGroup(f.value.str) {
						return g, errAt(f.value, fp, "%q is not one of S3's groups: %s, %s, %s", f.value.str, GroupAllUsers, GroupAuthenticatedUsers, GroupLogDelivery)
					}
					g.URI = f.value.str
				default:
					return g, &InputError{Path: fp, Pos: f.keyPos, Problem: "unknown field: a grantee has type and id (CanonicalUser) or uri (Group)"}
				}
			}
			switch {
			case g.Type == "CanonicalUser" && (g.ID == "" || g.URI != ""):
				return g, errAt(gv, p, "a CanonicalUser grantee has an id and no uri")
			case g.Type == "Group" && (g.URI == "" || g.ID != ""):
				return g, errAt(gv, p, "a Group grantee has a uri and no id")
			case g.Type == "":
				return g, errAt(gv, p+".type", "missing: \"CanonicalUser\" or \"Group\"")
			}
			haveGrantee = true
		default:
			return g, &InputError{Path: p, Pos: m.keyPos, Problem: "unknown field: a grant has grantee and permission"}
		}
	}
	if !haveGrantee {
		return g, errAt(v, path+".grantee", "missing: who the grant is for")
	}
	if g.Permission == "" {
		return g, errAt(v, path+".permission", "missing: one of %s", strings.Join(ACLPermissions, ", "))
	}
	return g, nil
}

func knownGroup(uri string) bool {
	return uri == GroupAllUsers || uri == GroupAuthenticatedUsers || uri == GroupLogDelivery
}

// CannedACLs are S3's canned ACLs, by the x-amz-acl value.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
var CannedACLs = []string{"private", "public-read", "public-read-write", "aws-exec-read", "authenticated-read",
	"bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"}

// ec2Service is the principal the aws-exec-read canned ACL lets read
// (Amazon EC2 fetching an AMI bundle); iamlab gives it a canonical ID as
// it does accounts.
const ec2Service = "ec2.amazonaws.com"

// CannedACL expands a canned ACL for a resource owned by owner (an account
// ID) in a bucket owned by bucketOwner: the owner always gets
// FULL_CONTROL; bucket-owner-read and bucket-owner-full-control add the
// bucket owner, and mean the same as private on a bucket. It returns
// false for a name S3 does not know.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
func CannedACL(name, owner, bucketOwner string) (ACL, bool) {
	ownerID := CanonicalUserID(owner)
	acl := ACL{Owner: ownerID, Grants: []ACLGrant{{Type: "CanonicalUser", ID: ownerID, Permission: "FULL_CONTROL"}}}
	group := func(uri, perm string) {
		acl.Grants = append(acl.Grants, ACLGrant{Type: "Group", URI: uri, Permission: perm})
	}
	switch name {
	case "private":
	case "public-read":
		group(GroupAllUsers, "READ")
	case "public-read-write":
		group(GroupAllUsers, "READ")
		group(GroupAllUsers, "WRITE")
	case "authenticated-read":
		group(GroupAuthenticatedUsers, "READ")
	case "aws-exec-read":
		acl.Grants = append(acl.Grants, ACLGrant{Type: "CanonicalUser", ID: CanonicalUserID(ec2Service), Permission: "READ"})
	case "bucket-owner-read", "bucket-owner-full-control":
		if bucketOwner != "" && bucketOwner != owner {
			perm := "READ"
			if name == "bucket-owner-full-control" {
				perm = "FULL_CONTROL"
			}
			acl.Grants = append(acl.Grants, ACLGrant{Type: "CanonicalUser", ID: CanonicalUserID(bucketOwner), Permission: perm})
		}
	case "log-delivery-write":
		group(GroupLogDelivery, "WRITE")
		group(GroupLogDelivery, "READ_ACP")
	default:
		return ACL{}, false
	}
	return acl, true
}
