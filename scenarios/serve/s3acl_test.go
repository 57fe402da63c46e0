package serve_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"iamlab/engine"
	"iamlab/scenarios/serve"
)

// S3 Object Ownership and ACLs through aws-sdk-go-v2: the cross-account
// upload trap, the object's ACL in S3's XML, the bucket's ACL and its
// ownership controls, and ACLs refused once they are disabled.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAcl.html
func TestObjectOwnershipAndACLs(t *testing.T) {
	e := start(t, "cross-account-upload-object-ownership", serve.Options{})
	feed, analyst, admin := e.s3(e.creds(t, "444455556666-feed")), e.s3(e.creds(t, "analyst")), e.s3(e.creds(t, "storage-admin"))
	bucket := aws.String("partner-drop")
	put := func(c *s3.Client, key string, acl types.ObjectCannedACL) error {
		_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String(key), Body: strings.NewReader("sku,qty"), ACL: acl})
		return err
	}
	get := func(c *s3.Client, key string) error {
		_, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: bucket, Key: aws.String(key)})
		return err
	}
	if err := put(feed, "plain.csv", ""); err != nil {
		t.Fatalf("feed PutObject: %v", err)
	}
	wantCode(t, "analyst GetObject of the supplier's object", get(analyst, "plain.csv"), "AccessDenied")
	acl, err := feed.GetObjectAcl(ctx, &s3.GetObjectAclInput{Bucket: bucket, Key: aws.String("plain.csv")})
	if err != nil {
		t.Fatalf("feed GetObjectAcl: %v", err)
	}
	supplier := engine.CanonicalUserID("444455556666")
	if aws.ToString(acl.Owner.ID) != supplier || len(acl.Grants) != 1 || acl.Grants[0].Grantee.Type != types.TypeCanonicalUser ||
		aws.ToString(acl.Grants[0].Grantee.ID) != supplier || acl.Grants[0].Permission != types.PermissionFullControl {
		t.Errorf("GetObjectAcl = owner %s, grants %+v; want the supplier owning it with FULL_CONTROL alone", aws.ToString(acl.Owner.ID), acl.Grants)
	}
	if err := put(feed, "shared.csv", types.ObjectCannedACLBucketOwnerFullControl); err != nil {
		t.Fatalf("feed PutObject bucket-owner-full-control: %v", err)
	}
	if err := get(analyst, "shared.csv"); err != nil {
		t.Errorf("analyst GetObject of an object granting her account full control: %v", err)
	}

	oc, err := admin.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: bucket})
	if err != nil || len(oc.OwnershipControls.Rules) != 1 || oc.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipObjectWriter {
		t.Fatalf("GetBucketOwnershipControls = %+v, %v; want ObjectWriter", oc, err)
	}
	owner := engine.CanonicalUserID("111122223333")
	_, err = admin.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: bucket, AccessControlPolicy: &types.AccessControlPolicy{
		Owner: &types.Owner{ID: aws.String(owner)},
		Grants: []types.Grant{
			{Grantee: &types.Grantee{Type: types.TypeCanonicalUser, ID: aws.String(owner)}, Permission: types.PermissionFullControl},
			{Grantee: &types.Grantee{Type: types.TypeGroup, URI: aws.String(engine.GroupAllUsers)}, Permission: types.PermissionRead},
		}}})
	if err != nil {
		t.Fatalf("PutBucketAcl with AllUsers READ: %v", err)
	}
	bacl, err := admin.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: bucket})
	if err != nil || len(bacl.Grants) != 2 || bacl.Grants[1].Grantee.Type != types.TypeGroup || aws.ToString(bacl.Grants[1].Grantee.URI) != engine.GroupAllUsers {
		t.Fatalf("GetBucketAcl = %+v, %v; want the owner and AllUsers READ", bacl, err)
	}
	enforce := &s3.PutBucketOwnershipControlsInput{Bucket: bucket, OwnershipControls: &types.OwnershipControls{
		Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}
	_, err = admin.PutBucketOwnershipControls(ctx, enforce)
	wantCode(t, "BucketOwnerEnforced over a public bucket ACL", err, "InvalidBucketAclWithObjectOwnership")
	if _, err := admin.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: bucket, ACL: types.BucketCannedACLPrivate}); err != nil {
		t.Fatalf("PutBucketAcl private: %v", err)
	}
	if _, err := admin.PutBucketOwnershipControls(ctx, enforce); err != nil {
		t.Fatalf("PutBucketOwnershipControls BucketOwnerEnforced: %v", err)
	}
	if err := get(analyst, "plain.csv"); err != nil {
		t.Errorf("analyst GetObject once ACLs are off (the bucket owner owns every object): %v", err)
	}
	wantCode(t, "PutObject public-read with ACLs off", put(feed, "public.csv", types.ObjectCannedACLPublicRead), "AccessControlListNotSupported")

	lb, err := admin.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || aws.ToString(lb.Owner.ID) != owner || len(lb.Buckets) != 1 || aws.ToString(lb.Buckets[0].Name) != "partner-drop" {
		t.Errorf("ListBuckets = %+v, %v; want partner-drop, owned by %s", lb, err, owner)
	}
}
