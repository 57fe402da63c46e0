package engine_test

import (
	"strings"
	"testing"

	"iamlab/engine"
)

// The ACL condition keys are S3's own, listed for the actions that carry
// them; lint knows them there.
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
func TestLintKnowsACLKeys(t *testing.T) {
	t.Parallel()
	keys := []string{"s3:x-amz-acl", "s3:x-amz-grant-read", "s3:x-amz-grant-write", "s3:x-amz-grant-read-acp", "s3:x-amz-grant-write-acp", "s3:x-amz-grant-full-control"}
	for _, action := range []string{"s3:PutObject", "s3:PutBucketAcl", "s3:PutObjectAcl"} {
		for _, key := range keys {
			src := `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":"` + action + `","Resource":"*",` +
				`"Condition":{"StringNotEquals":{"` + key + `":"bucket-owner-full-control"}}}}`
			p, err := engine.ParsePolicy([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range engine.Lint(p, engine.PlacementResource) {
				if strings.Contains(f.Message, key) {
					t.Errorf("Lint(%s with %s) = %s: %s, want no finding about the key", action, key, f.Code, f.Message)
				}
			}
		}
	}
}

// An S3 ACL layer left out costs the request nothing, and given, it decides
// with the bucket policy: a public-read object ACL lets an anonymous read
// through that no policy allows.
func TestACLLayerDecides(t *testing.T) {
	t.Parallel()
	acl, ok := engine.CannedACL("public-read", "111122223333", "111122223333")
	if !ok {
		t.Fatal("public-read unknown")
	}
	req := engine.Request{Action: "s3:GetObject", Resource: engine.Resource{ARN: "arn:aws:s3:::site/index.html", Account: "111122223333"}}
	if got := engine.Evaluate(req).Decision; got != engine.ImplicitDeny {
		t.Fatalf("anonymous read without an ACL = %v, want ImplicitDeny", got)
	}
	req.S3 = &engine.S3Request{ACLs: &engine.S3ACLs{ACL: acl}}
	res := engine.Evaluate(req)
	if res.Decision != engine.Allow || !strings.Contains(res.Reason(), `the ACL grant "AllUsers READ"`) {
		t.Errorf("anonymous read with public-read = %v (%s), want Allow by the ACL grant", res.Decision, res.Reason())
	}
	if len(engine.OfType(res.Trace, engine.S3ACL)) != len(acl.Grants) {
		t.Errorf("trace has %d ACL steps, want one per grant (%d)", len(engine.OfType(res.Trace, engine.S3ACL)), len(acl.Grants))
	}
	req.S3.ACLs.IgnorePublicAcls = true
	if got := engine.Evaluate(req).Decision; got != engine.ImplicitDeny {
		t.Errorf("with IgnorePublicAcls = %v, want ImplicitDeny", got)
	}
}

// Canned ACLs as the S3 User Guide defines them.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl
func TestCannedACLs(t *testing.T) {
	t.Parallel()
	owner, bucketOwner := "444455556666", "111122223333"
	o, b := engine.CanonicalUserID(owner), engine.CanonicalUserID(bucketOwner)
	all, auth, logs := engine.GroupAllUsers, engine.GroupAuthenticatedUsers, engine.GroupLogDelivery
	want := map[string][]string{
		"private":                   {o + " FULL_CONTROL"},
		"public-read":               {o + " FULL_CONTROL", all + " READ"},
		"public-read-write":         {o + " FULL_CONTROL", all + " READ", all + " WRITE"},
		"authenticated-read":        {o + " FULL_CONTROL", auth + " READ"},
		"aws-exec-read":             {o + " FULL_CONTROL", engine.CanonicalUserID("ec2.amazonaws.com") + " READ"},
		"bucket-owner-read":         {o + " FULL_CONTROL", b + " READ"},
		"bucket-owner-full-control": {o + " FULL_CONTROL", b + " FULL_CONTROL"},
		"log-delivery-write":        {o + " FULL_CONTROL", logs + " WRITE", logs + " READ_ACP"},
	}
	for _, name := range engine.CannedACLs {
		acl, ok := engine.CannedACL(name, owner, bucketOwner)
		if !ok {
			t.Errorf("CannedACL(%q) unknown", name)
			continue
		}
		var got []string
		for _, g := range acl.Grants {
			got = append(got, g.ID+g.URI+" "+g.Permission)
		}
		if strings.Join(got, "|") != strings.Join(want[name], "|") {
			t.Errorf("CannedACL(%q) = %v, want %v", name, got, want[name])
		}
	}
	if _, ok := engine.CannedACL("world-readable", owner, bucketOwner); ok {
		t.Error("CannedACL(world-readable) accepted")
	}
}

// The eval format's ACL fields: a canned ACL by name expands for the
// resource's owners, and bad input names its place.
func TestDecodeS3ACLFields(t *testing.T) {
	t.Parallel()
	req, err := engine.DecodeRequest([]byte(`{"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"},
		"s3": {"objectAcl": "bucket-owner-full-control", "objectOwner": "444455556666"}}`))
	if err != nil {
		t.Fatal(err)
	}
	a := req.S3.ACLs
	if a == nil || a.Bucket || a.ObjectOwner != "444455556666" || a.ACL.Owner != engine.CanonicalUserID("444455556666") ||
		len(a.ACL.Grants) != 2 || a.ACL.Grants[1].ID != engine.CanonicalUserID("111122223333") {
		t.Errorf("decoded %+v, want the object owner's ACL granting the bucket owner FULL_CONTROL", a)
	}
	for src, want := range map[string]string{
		`{"bucketAcl": "world-readable"}`:                  `s3.bucketAcl: "world-readable" is not a canned ACL`,
		`{"bucketAcl": "private", "objectAcl": "private"}`: "s3.objectAcl: give bucketAcl or objectAcl, not both",
		`{"objectOwner": "444455556666"}`:                  "s3.objectOwner: needs s3.objectAcl",
		`{"objectAcl": {"grants": [{"grantee": {"type": "Group", "uri": "http://example.com/x"}, "permission": "READ"}]}}`:        "s3.objectAcl.grants[0].grantee.uri",
		`{"objectAcl": {"grants": [{"grantee": {"type": "CanonicalUser", "id": "12"}, "permission": "READ"}]}}`:                   "must be a canonical user ID",
		`{"objectAcl": {"grants": [{"grantee": {"type": "Group", "uri": "` + engine.GroupAllUsers + `"}, "permission": "ALL"}]}}`: "s3.objectAcl.grants[0].permission: must be one of READ",
		`{"bucketAcl": {"owner": "111122223333"}, "objectOwner": "444455556666"}`:                                                 "goes with s3.objectAcl",
	} {
		_, err := engine.DecodeRequest([]byte(`{"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}, "s3": ` + src + `}`))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("DecodeRequest(s3: %s) = %v, want an error containing %q", src, err, want)
		}
	}
}

// BenchmarkEvaluateS3ACL is a request that uses the ACL layer: a
// cross-account read of an object another account uploaded with
// bucket-owner-full-control.
func BenchmarkEvaluateS3ACL(b *testing.B) {
	req, err := engine.DecodeRequest([]byte(`{"principal": {"arn": "arn:aws:iam::111122223333:user/analyst",
	    "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}]},
	  "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::drop/daily.csv", "account": "111122223333"},
	  "s3": {"objectOwner": "444455556666", "objectAcl": "bucket-owner-full-control"}}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if engine.Evaluate(req).Decision != engine.Allow {
			b.Fatal("denied")
		}
	}
}

// TestLayerStepReasons: a step of a layer other than a policy says why it
// did not apply, in the trace a learner reads.
func TestLayerStepReasons(t *testing.T) {
	t.Parallel()
	const alice = `"principal": {"arn": "arn:aws:iam::111122223333:user/alice"}`
	const key = `"action": "kms:Decrypt", "resource": {"arn": "arn:aws:kms:us-east-1:111122223333:key/k1", "kmsGrants": [`
	const object = `"resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}`
	tests := []struct {
		name, req string
		stage     engine.PolicyType
		want      string
	}{
		{"grant to another principal", `{` + alice + `, ` + key + `{"granteePrincipal": "arn:aws:iam::111122223333:user/bob", "operations": ["Decrypt"]}]}}`,
			engine.KMSGrant, "the grantee principal is not arn:aws:iam::111122223333:user/alice"},
		{"grant of another operation", `{` + alice + `, ` + key + `{"granteePrincipal": "arn:aws:iam::111122223333:user/alice", "operations": ["Encrypt"]}]}}`,
			engine.KMSGrant, "the grant's operations do not include Decrypt"},
		{"grant constraint", `{` + alice + `, ` + key + `{"granteePrincipal": "arn:aws:iam::111122223333:user/alice", "operations": ["Decrypt"], "constraints": {"encryptionContextEquals": {"app": "web"}}}]}, "encryptionContext": {"app": "batch"}}`,
			engine.KMSGrant, `the encryption context constraint is not met: the request's encryption context must equal {"app":"web"}`},
		{"ACL grant to another account", `{"action": "s3:GetObject", ` + object + `, "s3": {"objectAcl": "private"}}`,
			engine.S3ACL, "the grantee is not "},
		{"ACL permission", `{"action": "s3:PutObjectAcl", ` + object + `, "s3": {"objectAcl": "public-read"}}`,
			engine.S3ACL, "the permission does not cover s3:PutObjectAcl"},
		{"public ACL ignored", `{"action": "s3:GetObject", ` + object + `, "s3": {"objectAcl": "public-read", "ignorePublicAcls": true}}`,
			engine.S3ACL, "ignored: Block Public Access (IgnorePublicAcls)"},
		{"object of another account", `{` + alice + `, "action": "s3:GetObject", ` + object + `, "s3": {"objectAcl": "private", "objectOwner": "444455556666"}}`,
			engine.S3ACL, "the object belongs to account 444455556666"},
		{"bucket policy not public", `{"action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333", "policy": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"}}}, "s3": {"restrictPublicBuckets": true}}`,
			engine.S3BlockPublicAccess, "does not apply: the bucket policy is not public"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req, err := engine.DecodeRequest([]byte(tc.req))
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, s := range engine.OfType(engine.Evaluate(req).Trace, tc.stage) {
				reasons = append(reasons, s.Reason(nil))
			}
			if !strings.Contains(strings.Join(reasons, "\n"), tc.want) {
				t.Errorf("%v steps say %q, want one containing %q", tc.stage, reasons, tc.want)
			}
		})
	}
}
