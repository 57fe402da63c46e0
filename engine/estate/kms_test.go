package estate_test

import (
	"strings"
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

const defaultKey = "arn:aws:kms:us-east-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// Grants in AWS KMS: a grant lets its grantee use the key for its
// operations, within its encryption context constraint; retiring and
// revoking delete it.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
func TestKMSGrantLifecycle(t *testing.T) {
	t.Parallel()
	e := world(t)
	in := estate.CreateGrantInput{KeyARN: defaultKey, GranteePrincipal: noperms, RetiringPrincipal: bounded, Operations: []string{"Decrypt"},
		Constraints: &estate.GrantConstraints{EncryptionContextSubset: map[string]string{"Department": "IT"}}}
	g, d, err := e.CreateGrant(call(user(root2)), in)
	if err != nil {
		t.Fatalf("CreateGrant as root = %v, want success", err)
	}
	// CreateGrant carries the grant's facts as condition keys.
	// https://docs.aws.amazon.com/kms/latest/developerguide/grant-authorization.html
	for key, want := range map[string]string{"kms:GrantOperations": "Decrypt", "kms:GranteePrincipal": noperms, "kms:RetiringPrincipal": bounded,
		"kms:GrantConstraintType": "EncryptionContextSubset", "kms:CallerAccount": "222222222222"} {
		if got, _ := d.Request.Context.Get(key); len(got) != 1 || got[0] != want {
			t.Errorf("CreateGrant context %s = %v, want [%s]", key, got, want)
		}
	}
	use := func(ec map[string]string) *estate.Decision {
		d, _ := e.UseKey(call(user(noperms)), "kms:Decrypt", defaultKey, ec)
		return d
	}
	if d := use(map[string]string{"Department": "IT", "Project": "x"}); !d.Allowed() {
		t.Errorf("Decrypt within the constraint = %v, want allowed", d.Err)
	}
	d = use(map[string]string{"Department": "HR"})
	if d.Allowed() || d.Result.Denial != engine.KMSGrant || d.Err.Code != estate.CodeAccessDeniedException {
		t.Errorf("Decrypt outside the constraint: allowed=%v denial=%v err=%v, want AccessDeniedException at the grant", d.Allowed(), d.Result.Denial, d.Err)
	}
	if d, _ := e.UseKey(call(user(noperms)), "kms:Encrypt", defaultKey, map[string]string{"Department": "IT"}); d.Allowed() {
		t.Error("Encrypt, which the grant does not list, was allowed")
	}
	gs, _, err := e.ListGrants(call(user(root2)), defaultKey)
	if err != nil || len(gs) != 1 || gs[0].GrantID != g.GrantID {
		t.Fatalf("ListGrants = %v, %v; want the one grant", gs, err)
	}
	// Retiring: the grantee may not (the grant does not list RetireGrant),
	// the retiring principal may.
	if _, err := e.RetireGrant(call(user(noperms)), defaultKey, g.GrantID); code(err) != estate.CodeAccessDeniedException {
		t.Errorf("RetireGrant by the grantee = %v, want AccessDeniedException", err)
	}
	if _, err := e.RetireGrant(call(user(bounded)), defaultKey, g.GrantID); err != nil {
		t.Errorf("RetireGrant by the retiring principal = %v, want success", err)
	}
	if d := use(map[string]string{"Department": "IT"}); d.Allowed() {
		t.Error("Decrypt after the grant was retired was allowed")
	}
	if _, err := e.RevokeGrant(call(user(root2)), defaultKey, g.GrantID); code(err) != "InvalidGrantIdException" {
		t.Errorf("RevokeGrant of a retired grant = %v, want InvalidGrantIdException", err)
	}
}

func TestKMSCreateGrantRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		caller string
		in     estate.CreateGrantInput
		want   string
	}{
		{"key policy allows only Decrypt", alice, estate.CreateGrantInput{KeyARN: "arn:aws:kms:us-east-1:222222222222:key/locked-key", GranteePrincipal: noperms, Operations: []string{"Decrypt"}}, estate.CodeAccessDeniedException},
		{"unknown operation", root2, estate.CreateGrantInput{KeyARN: defaultKey, GranteePrincipal: noperms, Operations: []string{"Delete"}}, "ValidationException"},
		{"constraint on an operation without encryption context", root2, estate.CreateGrantInput{KeyARN: defaultKey, GranteePrincipal: noperms, Operations: []string{"DescribeKey"},
			Constraints: &estate.GrantConstraints{EncryptionContextEquals: map[string]string{"a": "b"}}}, "ValidationException"},
		{"only CreateGrant", root2, estate.CreateGrantInput{KeyARN: defaultKey, GranteePrincipal: noperms, Operations: []string{"CreateGrant"}}, "ValidationException"},
		{"two constraints", root2, estate.CreateGrantInput{KeyARN: defaultKey, GranteePrincipal: noperms, Operations: []string{"Decrypt"},
			Constraints: &estate.GrantConstraints{EncryptionContextEquals: map[string]string{"a": "b"}, EncryptionContextSubset: map[string]string{"a": "b"}}}, "ValidationException"},
		{"no such key", root2, estate.CreateGrantInput{KeyARN: "arn:aws:kms:us-east-1:222222222222:key/missing", GranteePrincipal: noperms, Operations: []string{"Decrypt"}}, estate.CodeNotFoundException},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if _, _, err := world(t).CreateGrant(call(user(tc.caller)), tc.in); code(err) != tc.want {
				t.Errorf("CreateGrant = %v, want %s", err, tc.want)
			}
		})
	}
}

// SSE-KMS: S3 calls KMS as the requester, with kms:ViaService naming S3,
// and answers AccessDenied with KMS's message when KMS refuses.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
func TestSSEKMSGetObjectNeedsDecrypt(t *testing.T) {
	t.Parallel()
	e := world(t)
	e.Accounts["222222222222"].Buckets["team-bucket"].Encryption = &estate.BucketEncryption{SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:us-east-1:222222222222:key/locked-key"}
	out, err := e.GetObject(call(user(root2)), "team-bucket", "shared/report.csv")
	if code(err) != estate.CodeAccessDenied {
		t.Fatalf("GetObject of an SSE-KMS object without kms:Decrypt = %v, want AccessDenied", err)
	}
	if !strings.Contains(err.Error(), "kms:Decrypt") {
		t.Errorf("error %q does not name kms:Decrypt", err)
	}
	if len(out.Checks) != 2 || !out.Checks[0].Allowed() || out.Checks[1].Action != "kms:Decrypt" {
		t.Fatalf("checks = %d, want s3:GetObject allowed then kms:Decrypt", len(out.Checks))
	}
	k := out.Checks[1]
	want := "s3." + e.Accounts["222222222222"].Buckets["team-bucket"].Region + ".amazonaws.com"
	if v, _ := k.Request.Context.Get("kms:ViaService"); len(v) != 1 || v[0] != want {
		t.Errorf("kms:ViaService = %v, want %s", v, want)
	}
	if got := k.Request.KMS.EncryptionContext["aws:s3:arn"]; got != "arn:aws:s3:::team-bucket/shared/report.csv" {
		t.Errorf("encryption context aws:s3:arn = %q, want the object's ARN", got)
	}
	// S3's call to KMS is a forward access session, AWS's own example:
	// aws:ViaAWSService is true there, and false on the caller's direct call.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
	if v, _ := k.Request.Context.Get("aws:ViaAWSService"); len(v) != 1 || v[0] != "true" {
		t.Errorf("aws:ViaAWSService on S3's call to KMS = %v, want true", v)
	}
	if v, _ := k.Request.Context.Get("aws:CalledVia"); len(v) != 0 {
		t.Errorf("aws:CalledVia on S3's call to KMS = %v, want none: AWS does not list S3 among its services", v)
	}
	if v, _ := out.Checks[0].Request.Context.Get("aws:ViaAWSService"); len(v) != 1 || v[0] != "false" {
		t.Errorf("aws:ViaAWSService on the direct GetObject = %v, want false", v)
	}
}

// Block Public Access: the account's settings apply to its buckets, and
// BlockPublicPolicy refuses a public bucket policy but not a fixed one.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestBlockPublicAccess(t *testing.T) {
	t.Parallel()
	e := world(t)
	if _, err := e.GetObject(call(estate.Caller{}), "team-bucket", "public/index.html"); err != nil {
		t.Fatalf("anonymous read of the public prefix before Block Public Access = %v, want allowed", err)
	}
	if _, err := e.PutAccountPublicAccessBlock(call(user(root2)), "222222222222", estate.PublicAccessBlock{BlockPublicPolicy: true, RestrictPublicBuckets: true}); err != nil {
		t.Fatalf("PutAccountPublicAccessBlock as root = %v", err)
	}
	out, err := e.GetObject(call(estate.Caller{}), "team-bucket", "public/index.html")
	if code(err) != estate.CodeAccessDenied || out.Checks[0].Result.Denial != engine.S3BlockPublicAccess {
		t.Errorf("anonymous read under RestrictPublicBuckets = %v, want AccessDenied at Block Public Access", err)
	}
	public := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/*"}]}`
	if _, err := e.PutBucketPolicyAs(call(user(root2)), "team-bucket", public); code(err) != estate.CodeAccessDenied || !strings.Contains(err.Error(), "BlockPublicPolicy") {
		t.Errorf("PutBucketPolicy of a public policy = %v, want AccessDenied naming BlockPublicPolicy", err)
	}
	fixed := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}}]}`
	if _, err := e.PutBucketPolicyAs(call(user(root2)), "team-bucket", fixed); err != nil {
		t.Errorf("PutBucketPolicy of a policy pinned to one VPC endpoint = %v, want success", err)
	}
}

// The bucket owner's root user may always read, replace and delete the
// bucket's policy, even one that denies it everything, so an owner cannot
// lock itself out; the same policy still denies it the objects, and denies
// other callers the policy.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html
func TestBucketOwnerRootCannotBeLockedOut(t *testing.T) {
	t.Parallel()
	e := world(t)
	denyAll := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::team-bucket","arn:aws:s3:::team-bucket/*"]}]}`
	if err := putBucketPolicy(e, "222222222222", "team-bucket", denyAll); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"} {
		if d := e.Authorize(call(user(root2)), action, "arn:aws:s3:::team-bucket"); !d.Allowed() {
			t.Errorf("%s by the owner's root under a deny-all policy = %v, want allowed", action, d.Err)
		}
		if d := e.Authorize(call(user(alice)), action, "arn:aws:s3:::team-bucket"); d.Allowed() {
			t.Errorf("%s by another principal of the account under a deny-all policy was allowed", action)
		}
	}
	if d := e.Authorize(call(user(root2)), "s3:GetObject", "arn:aws:s3:::team-bucket/shared/report.csv"); d.Allowed() {
		t.Error("GetObject by the owner's root under a deny-all policy was allowed: the exception is for the policy only")
	}
}

// A bucket policy naming a principal S3 cannot accept (a group) is
// refused as an invalid principal, not as a syntax error.
// https://repost.aws/knowledge-center/s3-invalid-principal-in-policy-error
func TestBucketPolicyInvalidPrincipal(t *testing.T) {
	t.Parallel()
	e := world(t)
	err := putBucketPolicy(e, "222222222222", "team-bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:group/devs"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::team-bucket/*"}]}`)
	if code(err) != estate.CodeMalformedPolicy || !strings.Contains(err.Error(), "Invalid principal in policy") {
		t.Errorf("a group as Principal = %v, want MalformedPolicy: Invalid principal in policy", err)
	}
}
