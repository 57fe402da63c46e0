package estate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// aclWorld: bucket "reports" of 111122223333 with the given ownership;
// partner user "uploader" of 444455556666 may put objects into it (the
// bucket policy and its own policy allow); "analyst" of the bucket owner
// may read and list it.
func aclWorld(t *testing.T, ownership string) *estate.Estate {
	t.Helper()
	allow := func(actions, res string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":` + actions + `,"Resource":` + res + `}]}`
	}
	src := `{"accounts":{
	  "111122223333":{
	    "users":{"analyst":{"inlinePolicies":{"read":` + allow(`["s3:GetObject","s3:ListBucket","s3:GetObjectAcl"]`, `["arn:aws:s3:::reports","arn:aws:s3:::reports/*"]`) + `}},
	             "admin":{"managedPolicies":["AdministratorAccess"]}},
	    "buckets":{"reports":{"ownership":"` + ownership + `","objects":{"old.csv":"x"},
	      "policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["s3:PutObject","s3:PutObjectAcl"],"Resource":"arn:aws:s3:::reports/*"}]}}}},
	  "444455556666":{
	    "users":{"uploader":{"inlinePolicies":{"put":` + allow(`["s3:PutObject","s3:PutObjectAcl","s3:GetObject"]`, `"arn:aws:s3:::reports/*"`) + `}}}}}}`
	return validEstate(t, json.Unmarshal, src)
}

const (
	analyst  = "arn:aws:iam::111122223333:user/analyst"
	uploader = "arn:aws:iam::444455556666:user/uploader"
	aclAdmin = "arn:aws:iam::111122223333:user/admin"
)

func withACL(c estate.Call, canned string) estate.Call {
	c.Context = engine.Context{}
	c.Context.Set("s3:x-amz-acl", canned)
	return c
}

// The cross-account upload trap: under ObjectWriter the uploading account
// owns the object, and the bucket owner's users cannot read it unless the
// object's ACL grants their account; bucket-owner-full-control does,
// BucketOwnerPreferred with it hands the object over, and
// BucketOwnerEnforced makes every object the bucket owner's.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-auth-workflow-object-operation.html
func TestObjectOwnershipCrossAccountUpload(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ownership, acl string
		wantRead       bool
		wantDenial     engine.PolicyType
	}{
		{estate.OwnershipObjectWriter, "", false, engine.S3ACL},
		{estate.OwnershipObjectWriter, "bucket-owner-full-control", true, 0},
		{estate.OwnershipObjectWriter, "bucket-owner-read", true, 0},
		{estate.OwnershipBucketOwnerPreferred, "", false, engine.S3ACL},
		{estate.OwnershipBucketOwnerPreferred, "bucket-owner-full-control", true, 0},
		{estate.OwnershipBucketOwnerEnforced, "", true, 0},
		{estate.OwnershipBucketOwnerEnforced, "bucket-owner-full-control", true, 0},
		{"", "", true, 0}, // the default is BucketOwnerEnforced
	}
	for _, tc := range cases {
		e := aclWorld(t, tc.ownership)
		c := call(user(uploader))
		if tc.acl != "" {
			c = withACL(c, tc.acl)
		}
		if _, err := e.PutObject(c, "reports", "daily.csv", "a,b"); err != nil {
			t.Fatalf("%s/%q: PutObject = %v, want success", tc.ownership, tc.acl, err)
		}
		out, err := e.GetObject(call(user(analyst)), "reports", "daily.csv")
		if got := err == nil; got != tc.wantRead {
			t.Errorf("%s/%q: analyst GetObject err = %v, want allowed %v", tc.ownership, tc.acl, err, tc.wantRead)
			continue
		}
		if !tc.wantRead {
			if d := out.Checks[0]; d.Result.Denial != tc.wantDenial {
				t.Errorf("%s/%q: denial at %v, want %v", tc.ownership, tc.acl, d.Result.Denial, tc.wantDenial)
			}
		}
		// The uploader keeps reading its own object whoever owns it only
		// when it owns it or the bucket policy lets it: here no policy
		// grants it s3:GetObject on the bucket owner's objects.
		_, err = e.GetObject(call(user(uploader)), "reports", "daily.csv")
		ownsIt := tc.ownership != "" && tc.ownership != estate.OwnershipBucketOwnerEnforced &&
			!(tc.ownership == estate.OwnershipBucketOwnerPreferred && tc.acl == "bucket-owner-full-control")
		if (err == nil) != ownsIt {
			t.Errorf("%s/%q: uploader GetObject err = %v, want allowed %v (owner of the object)", tc.ownership, tc.acl, err, ownsIt)
		}
	}
}

// With ACLs disabled, a PUT may carry no ACL but the bucket owner's full
// control; AWS answers AccessControlListNotSupported.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
func TestBucketOwnerEnforcedRefusesACLs(t *testing.T) {
	t.Parallel()
	e := aclWorld(t, "")
	_, err := e.PutObject(withACL(call(user(uploader)), "public-read"), "reports", "x.csv", "1")
	if code(err) != "AccessControlListNotSupported" || !strings.Contains(err.Error(), "The bucket does not allow ACLs") {
		t.Errorf("PutObject --acl public-read = %v, want AccessControlListNotSupported", err)
	}
	_, err = e.PutBucketACL(call(user(aclAdmin)), "reports", &estate.AccessControlList{Grants: []estate.ACLGrant{{Grantee: "AllUsers", Permission: "READ"}}})
	if code(err) != "AccessControlListNotSupported" {
		t.Errorf("PutBucketAcl with a grant = %v, want AccessControlListNotSupported", err)
	}
	// Even private, the same as the owner's full control, is refused as a
	// canned ACL; the grant of the owner's full control alone is not.
	if _, err := e.PutBucketACL(call(user(aclAdmin)), "reports", &estate.AccessControlList{Canned: "private"}); code(err) != "AccessControlListNotSupported" {
		t.Errorf("PutBucketAcl private = %v, want AccessControlListNotSupported", err)
	}
	if _, err := e.PutBucketACL(call(user(aclAdmin)), "reports", &estate.AccessControlList{Grants: []estate.ACLGrant{{Grantee: "111122223333", Permission: "FULL_CONTROL"}}}); err != nil {
		t.Errorf("PutBucketAcl granting the owner FULL_CONTROL alone = %v, want success", err)
	}
	acl, _, err := e.GetBucketACL(call(user(aclAdmin)), "reports")
	if err != nil || len(acl.Grants) != 1 || acl.Grants[0].ID != engine.CanonicalUserID("111122223333") || acl.Grants[0].Permission != "FULL_CONTROL" {
		t.Errorf("GetBucketAcl = %+v, %v; want the owner's FULL_CONTROL only", acl, err)
	}
	// Turning ACLs off under a bucket ACL that grants others is refused.
	e = aclWorld(t, estate.OwnershipObjectWriter)
	if _, err := e.PutBucketACL(call(user(aclAdmin)), "reports", &estate.AccessControlList{Canned: "public-read"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutBucketOwnershipControls(call(user(aclAdmin)), "reports", estate.OwnershipBucketOwnerEnforced); code(err) != "InvalidBucketAclWithObjectOwnership" {
		t.Errorf("PutBucketOwnershipControls BucketOwnerEnforced over a public ACL = %v, want InvalidBucketAclWithObjectOwnership", err)
	}
}

// BlockPublicAcls refuses public ACLs on write; IgnorePublicAcls makes
// existing ones count for nothing.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestBlockPublicAccessACLSide(t *testing.T) {
	t.Parallel()
	e := aclWorld(t, estate.OwnershipObjectWriter)
	if _, err := e.PutObjectACL(call(user(aclAdmin)), "reports", "old.csv", &estate.AccessControlList{Canned: "public-read"}); err != nil {
		t.Fatalf("PutObjectAcl public-read = %v", err)
	}
	anon := estate.Call{Time: now}
	if _, err := e.GetObject(anon, "reports", "old.csv"); err != nil {
		t.Errorf("anonymous GetObject of a public-read object = %v, want allowed", err)
	}
	if _, err := e.PutPublicAccessBlock(call(user(aclAdmin)), "reports", estate.PublicAccessBlock{IgnorePublicAcls: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.GetObject(anon, "reports", "old.csv"); code(err) != "AccessDenied" {
		t.Errorf("anonymous GetObject under IgnorePublicAcls = %v, want AccessDenied", err)
	}
	if _, err := e.PutPublicAccessBlock(call(user(aclAdmin)), "reports", estate.PublicAccessBlock{BlockPublicAcls: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutBucketACL(call(user(aclAdmin)), "reports", &estate.AccessControlList{Canned: "public-read"}); code(err) != "AccessDenied" {
		t.Errorf("PutBucketAcl public-read under BlockPublicAcls = %v, want AccessDenied", err)
	}
	if _, err := e.PutObject(withACL(call(user(uploader)), "authenticated-read"), "reports", "y.csv", "1"); code(err) != "AccessDenied" {
		t.Errorf("PutObject --acl authenticated-read under BlockPublicAcls = %v, want AccessDenied", err)
	}
	if _, err := e.PutObject(withACL(call(user(uploader)), "bucket-owner-full-control"), "reports", "y.csv", "1"); err != nil {
		t.Errorf("PutObject --acl bucket-owner-full-control under BlockPublicAcls = %v, want success", err)
	}
}

func TestParseGrantHeader(t *testing.T) {
	t.Parallel()
	got, err := estate.ParseGrantHeader(`id="444455556666", uri="http://acs.amazonaws.com/groups/global/AllUsers"`)
	if err != nil || len(got) != 2 {
		t.Fatalf("ParseGrantHeader = %v, %v", got, err)
	}
	for _, bad := range []string{"", "id=", "emailAddress=a@example.com", "uri=http://example.com/x", "foo=bar", "id=12"} {
		if _, err := estate.ParseGrantHeader(bad); err == nil {
			t.Errorf("ParseGrantHeader(%q) = nil error, want one", bad)
		}
	}
}

// The bucket owner may delete any object in its bucket, whoever owns it:
// the object's ACL governs reading it and its ACL, not deleting it.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
func TestBucketOwnerDeletesForeignObject(t *testing.T) {
	t.Parallel()
	e := aclWorld(t, estate.OwnershipObjectWriter)
	if _, err := e.PutObject(call(user(uploader)), "reports", "daily.csv", "a"); err != nil {
		t.Fatal(err)
	}
	if d := e.Authorize(call(user(aclAdmin)), "s3:DeleteObject", estate.ObjectARN("reports", "daily.csv")); !d.Allowed() {
		t.Errorf("bucket owner's admin DeleteObject on the partner's object = %v, want allowed", d.Err)
	}
	if d := e.Authorize(call(user(aclAdmin)), "s3:GetObject", estate.ObjectARN("reports", "daily.csv")); d.Allowed() {
		t.Error("bucket owner's admin GetObject on the partner's private object allowed, want denied by the object's ACL")
	}
}

// FuzzParseGrantHeader: an x-amz-grant-* value never panics the parser,
// and every grantee it accepts is one an ACL can hold.
func FuzzParseGrantHeader(f *testing.F) {
	f.Add(`id="444455556666", uri="http://acs.amazonaws.com/groups/global/AllUsers"`)
	f.Add(`uri=http://acs.amazonaws.com/groups/s3/LogDelivery`)
	f.Add(`emailAddress="a@example.com"`)
	f.Add(`id=` + strings.Repeat("ab", 32))
	f.Fuzz(func(t *testing.T, h string) {
		grantees, err := estate.ParseGrantHeader(h)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for _, g := range grantees {
			l := &estate.AccessControlList{Grants: []estate.ACLGrant{{Grantee: g, Permission: "READ"}}}
			e := aclWorld(t, estate.OwnershipObjectWriter)
			if _, err := e.PutBucketACL(call(user(aclAdmin)), "reports", l); err != nil {
				t.Fatalf("grantee %q accepted by ParseGrantHeader, refused by PutBucketAcl: %v", g, err)
			}
		}
	})
}

// With ACLs off, an upload's canned ACL may only be
// bucket-owner-full-control, whoever uploads.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-error-responses.html
func TestBucketOwnerEnforcedUploadACLs(t *testing.T) {
	t.Parallel()
	e := aclWorld(t, "")
	for _, canned := range []string{"private", "bucket-owner-read", "public-read-write"} {
		if _, err := e.PutObject(withACL(call(user(aclAdmin)), canned), "reports", "z.csv", "1"); code(err) != "AccessControlListNotSupported" {
			t.Errorf("owner's PutObject --acl %s with ACLs off = %v, want AccessControlListNotSupported", canned, err)
		}
	}
	if _, err := e.PutObject(withACL(call(user(aclAdmin)), "bucket-owner-full-control"), "reports", "z.csv", "1"); err != nil {
		t.Errorf("PutObject --acl bucket-owner-full-control with ACLs off = %v, want success", err)
	}
}
