package estate_test

import (
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// apWorld is an account whose bucket shared-data has an access point,
// analytics, and a VPC-only one, vpc-reads, and a second account whose
// user reads through the first.
const apWorld = `
accounts:
  "111122223333":
    users:
      analyst:
        inlinePolicies:
          through-access-points: |
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],
              "Resource":["arn:aws:s3:us-east-1:111122223333:accesspoint/*"]}]}
      admin:
        inlinePolicies:
          all: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
    instanceProfiles:
      worker:
        role: worker
    roles:
      worker:
        trustPolicy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
        inlinePolicies:
          all-s3: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}'
    instances:
      i-0123456789abcdef0:
        instanceProfile: worker
        vpc: vpc-0aa11bb2
        privateIp: 10.0.3.7
      i-0fedcba987654321f:
        instanceProfile: worker
    vpcEndpoints:
      vpce-1a2b3c4d:
        vpc: vpc-0aa11bb2
        service: s3
        policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*","arn:aws:s3:us-east-1:111122223333:accesspoint/*"]}]}'
      vpce-5e6f7a8b:
        vpc: vpc-0aa11bb2
        service: sts
    buckets:
      shared-data:
        objects:
          reports/q1.csv: "q1\n"
      other-data:
        objects:
          x.txt: "x\n"
    accessPoints:
      analytics:
        bucket: shared-data
        policy: |
          {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
            "Principal":{"AWS":["arn:aws:iam::111122223333:user/analyst","arn:aws:iam::444455556666:user/partner"]},
            "Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/analytics/object/*"}]}
      vpc-reads:
        bucket: shared-data
        networkOrigin: VPC
        vpc: vpc-0aa11bb2
  "444455556666":
    users:
      partner:
        inlinePolicies:
          ap: |
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",
              "Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/analytics/object/*"}]}
`

const delegate = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"*",
  "Resource":["arn:aws:s3:::shared-data","arn:aws:s3:::shared-data/*"],
  "Condition":{"StringEquals":{"s3:DataAccessPointAccount":"111122223333"}}}]}`

func apEstate(t *testing.T) *estate.Estate {
	t.Helper()
	return validEstate(t, yaml.Unmarshal, apWorld)
}

// TestAccessPointCalls: a call through an access point needs both the
// access point and the bucket; a bucket policy that delegates to the
// owner's access points opens it to them and to nothing else.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
func TestAccessPointCalls(t *testing.T) {
	t.Parallel()
	const (
		analyst = "arn:aws:iam::111122223333:user/analyst"
		partner = "arn:aws:iam::444455556666:user/partner"
		ap      = "arn:aws:s3:us-east-1:111122223333:accesspoint/analytics"
		vpcAP   = "arn:aws:s3:us-east-1:111122223333:accesspoint/vpc-reads"
	)
	tests := []struct {
		name      string
		caller    estate.Caller
		bucket    string
		delegated bool
		want      engine.Decision
		denial    engine.PolicyType
	}{
		{"analyst through the access point, bucket not delegating", user(analyst), ap, false, engine.ImplicitDeny, engine.IdentityPolicy},
		{"analyst through the access point, bucket delegating", user(analyst), ap, true, engine.Allow, 0},
		{"analyst naming the bucket, bucket delegating", user(analyst), "shared-data", true, engine.ImplicitDeny, engine.IdentityPolicy},
		{"partner through the access point, bucket delegating", user(partner), ap, true, engine.Allow, 0},
		{"partner naming the bucket, bucket delegating", user(partner), "shared-data", true, engine.ImplicitDeny, engine.IdentityPolicy},
		{"instance in the VPC through the VPC access point", estate.Caller{Instance: "i-0123456789abcdef0"}, vpcAP, true, engine.Allow, 0},
		{"instance outside any VPC through the VPC access point", estate.Caller{Instance: "i-0fedcba987654321f"}, vpcAP, true, engine.ImplicitDeny, engine.AccessPointPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := apEstate(t)
			if tc.delegated {
				if err := putBucketPolicy(e, "111122223333", "shared-data", delegate); err != nil {
					t.Fatal(err)
				}
			}
			out, err := e.GetObject(call(tc.caller), tc.bucket, "reports/q1.csv")
			if out == nil || len(out.Checks) == 0 {
				t.Fatalf("GetObject(%s): no authorization (%v)", tc.name, err)
			}
			d := out.Checks[0]
			if d.Result.Decision != tc.want || d.Result.Denial != tc.denial {
				t.Errorf("GetObject(%s) = %v by %v (%s), want %v by %v", tc.name, d.Result.Decision, d.Result.Denial, d.Result.Reason(), tc.want, tc.denial)
			}
			if tc.want == engine.Allow && (err != nil || out.Body != "q1\n") {
				t.Errorf("GetObject(%s) = %q, %v; want the object", tc.name, out.Body, err)
			}
			if strings.HasPrefix(tc.bucket, "arn:") {
				if v, _ := d.Request.Context.Get("s3:DataAccessPointArn"); v != nil {
					t.Errorf("s3:DataAccessPointArn given in the context %v; the engine derives it", v)
				}
				if d.Request.AccessPoint == nil || d.Request.AccessPoint.ARN != tc.bucket {
					t.Errorf("GetObject(%s): request access point = %+v, want %s", tc.name, d.Request.AccessPoint, tc.bucket)
				}
				if d.Request.Resource.ARN != "arn:aws:s3:::shared-data/reports/q1.csv" {
					t.Errorf("GetObject(%s): bucket resource = %s", tc.name, d.Request.Resource.ARN)
				}
			}
		})
	}
}

// TestAccessPointErrors: S3's answers for access points that do not exist
// and ARNs that are not access points.
func TestAccessPointErrors(t *testing.T) {
	t.Parallel()
	e := apEstate(t)
	admin := user("arn:aws:iam::111122223333:user/admin")
	for _, tc := range []struct{ bucket, code string }{
		{"arn:aws:s3:us-east-1:111122223333:accesspoint/nope", "NoSuchAccessPoint"},
		{"arn:aws:s3:eu-west-1:111122223333:accesspoint/analytics", "NoSuchAccessPoint"},
		{"arn:aws:s3:::shared-data", "InvalidArgument"},
		{"arn:aws:s3:us-east-1:111122223333:accesspoint/analytics/object/k", "InvalidArgument"},
	} {
		if _, err := e.GetObject(call(admin), tc.bucket, "reports/q1.csv"); code(err) != tc.code {
			t.Errorf("GetObject(%s) error = %v, want %s", tc.bucket, err, tc.code)
		}
	}
}

// TestAccessPointPolicyAPI: create an access point, put, get and delete
// its policy, each authorized on the access point's ARN.
func TestAccessPointPolicyAPI(t *testing.T) {
	t.Parallel()
	e := apEstate(t)
	admin := call(user("arn:aws:iam::111122223333:user/admin"))
	arn, d, err := e.CreateAccessPoint(admin, "111122223333", "finance", "shared-data", "")
	if err != nil || arn != "arn:aws:s3:us-east-1:111122223333:accesspoint/finance" || d.Resource != arn {
		t.Fatalf("CreateAccessPoint = %s, %v", arn, err)
	}
	if v, _ := d.Request.Context.Get("s3:AccessPointNetworkOrigin"); len(v) != 1 || v[0] != "Internet" {
		t.Errorf("CreateAccessPoint: s3:AccessPointNetworkOrigin = %v, want Internet", v)
	}
	if _, _, err := e.CreateAccessPoint(admin, "111122223333", "finance", "shared-data", ""); code(err) != "AccessPointAlreadyOwnedByYou" {
		t.Errorf("CreateAccessPoint again: %v", err)
	}
	if _, _, err := e.GetAccessPointPolicy(admin, "111122223333", "finance"); code(err) != "NoSuchAccessPointPolicy" {
		t.Errorf("GetAccessPointPolicy before put: %v", err)
	}
	if _, err := e.PutAccessPointPolicy(admin, "111122223333", "finance", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`); code(err) == "" {
		t.Errorf("PutAccessPointPolicy without a Principal succeeded")
	}
	pol := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/finance/object/*"}]}`
	if _, err := e.PutAccessPointPolicy(admin, "111122223333", "finance", pol); err != nil {
		t.Fatalf("PutAccessPointPolicy: %v", err)
	}
	if got, _, err := e.GetAccessPointPolicy(admin, "111122223333", "finance"); err != nil || got != pol {
		t.Errorf("GetAccessPointPolicy = %q, %v", got, err)
	}
	if _, err := e.DeleteAccessPointPolicy(call(user("arn:aws:iam::111122223333:user/analyst")), "111122223333", "finance"); code(err) != "AccessDenied" {
		t.Errorf("DeleteAccessPointPolicy by analyst: %v, want AccessDenied", err)
	}
	if _, err := e.DeleteAccessPointPolicy(admin, "111122223333", "nope"); code(err) != "NoSuchAccessPoint" {
		t.Errorf("DeleteAccessPointPolicy of a missing access point: %v", err)
	}
}

// TestInstanceRoutedThroughEndpoint: an instance in a VPC reaches S3
// through the VPC's gateway endpoint without asking, and STS only through
// an interface endpoint with private DNS.
// https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html
func TestInstanceRoutedThroughEndpoint(t *testing.T) {
	t.Parallel()
	e := apEstate(t)
	inVPC := call(estate.Caller{Instance: "i-0123456789abcdef0"})
	d := e.Authorize(inVPC, "s3:GetObject", "arn:aws:s3:::shared-data/reports/q1.csv")
	if d.Request.VPCEndpoint == nil || d.Request.VPCEndpoint.ID != "vpce-1a2b3c4d" || d.Request.VPCEndpoint.SourceIP != "10.0.3.7" {
		t.Fatalf("S3 call from the VPC: endpoint = %+v, want vpce-1a2b3c4d from 10.0.3.7", d.Request.VPCEndpoint)
	}
	if _, ok := d.Request.Context.Get("aws:SourceIp"); ok {
		t.Error("S3 call through the gateway endpoint carries aws:SourceIp")
	}
	if !d.Allowed() {
		t.Errorf("S3 call through the gateway endpoint: %v", d.Err)
	}
	// The endpoint policy allows only shared-data.
	if d := e.Authorize(inVPC, "s3:GetObject", "arn:aws:s3:::other-data/x.txt"); d.Result.Denial != engine.EndpointPolicy {
		t.Errorf("other-data from the VPC = %v by %v, want the endpoint policy's denial", d.Result.Decision, d.Result.Denial)
	}
	// --via still wins over the route.
	via := inVPC
	via.VPCEndpoint = "vpce-1a2b3c4d"
	if d := e.Authorize(via, "s3:GetObject", "arn:aws:s3:::shared-data/reports/q1.csv"); d.Request.VPCEndpoint == nil {
		t.Error("--via from the VPC: no endpoint")
	}
	if d := e.Authorize(inVPC, "sts:GetCallerIdentity", "*"); d.Request.VPCEndpoint != nil {
		t.Errorf("STS call with an interface endpoint without private DNS went through %s", d.Request.VPCEndpoint.ID)
	}
	e.Accounts["111122223333"].VPCEndpoints["vpce-5e6f7a8b"].PrivateDNS = true
	if d := e.Authorize(inVPC, "sts:GetCallerIdentity", "*"); d.Request.VPCEndpoint == nil || d.Request.VPCEndpoint.ID != "vpce-5e6f7a8b" {
		t.Errorf("STS call with private DNS on: endpoint = %+v", d.Request.VPCEndpoint)
	}
	if d := e.Authorize(call(estate.Caller{Instance: "i-0fedcba987654321f"}), "s3:GetObject", "arn:aws:s3:::other-data/x.txt"); d.Request.VPCEndpoint != nil {
		t.Error("an instance outside any VPC went through an endpoint")
	}
}

// TestSecureTransport: calls are HTTPS unless sent over plain HTTP.
func TestSecureTransport(t *testing.T) {
	t.Parallel()
	e := apEstate(t)
	c := call(user("arn:aws:iam::111122223333:user/admin"))
	for _, plain := range []bool{false, true} {
		c.PlainHTTP = plain
		d := e.Authorize(c, "s3:GetObject", "arn:aws:s3:::shared-data/reports/q1.csv")
		if v, _ := d.Request.Context.Get("aws:SecureTransport"); len(v) != 1 || v[0] != map[bool]string{false: "true", true: "false"}[plain] {
			t.Errorf("PlainHTTP %v: aws:SecureTransport = %v", plain, v)
		}
	}
}

// TestAccessPointValidation names the field of a bad access point or
// instance network.
func TestAccessPointValidation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ yaml, want string }{
		{`accessPoints: {analytics: {bucket: nope}}`, `accessPoints["analytics"].bucket`},
		{`accessPoints: {Bad_Name: {bucket: b1}}`, `accessPoints["Bad_Name"]`},
		{`accessPoints: {ap1: {bucket: b1, networkOrigin: VPC}}`, `accessPoints["ap1"].vpc`},
		{`accessPoints: {ap1: {bucket: b1, networkOrigin: Intranet}}`, `accessPoints["ap1"].networkOrigin`},
		{`accessPoints: {ap1: {bucket: b1, vpc: vpc-1}}`, `accessPoints["ap1"].vpc`},
		{`instances: {i-0123456789abcdef0: {vpc: vpc-1, privateIp: 8.8.8.8}}`, `.privateIp`},
		{`instances: {i-0123456789abcdef0: {vpc: net-1}}`, `.vpc`},
		{`vpcEndpoints: {vpce-1a2b3c4d: {vpc: vpc-1, service: sts, type: Gateway}}`, `.type`},
	} {
		src := "accounts:\n  \"111122223333\":\n    buckets: {b1: {}}\n    " + tc.yaml + "\n"
		var e estate.Estate
		if err := yaml.Unmarshal([]byte(src), &e); err != nil {
			t.Fatal(err)
		}
		err := e.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%s) = %v, want an error at %s", tc.yaml, err, tc.want)
		}
	}
}

// TestAccessPointManagementIsNotData: managing an access point acts on its
// ARN alone: neither its own policy nor the bucket policy is consulted.
func TestAccessPointManagementIsNotData(t *testing.T) {
	t.Parallel()
	e := apEstate(t)
	d := e.Authorize(call(user("arn:aws:iam::111122223333:user/admin")), "s3:PutAccessPointPolicy", "arn:aws:s3:us-east-1:111122223333:accesspoint/analytics")
	if d.Request.AccessPoint != nil || d.Request.Resource.Policy != nil || !d.Allowed() {
		t.Errorf("PutAccessPointPolicy: access point %+v, resource policy %v, allowed %v", d.Request.AccessPoint, d.Request.Resource.Policy, d.Allowed())
	}
	d = e.Authorize(call(user("arn:aws:iam::111122223333:user/analyst")), "s3:ListBucket", "arn:aws:s3:us-east-1:111122223333:accesspoint/analytics")
	if d.Request.AccessPoint == nil || d.Request.Resource.ARN != "arn:aws:s3:::shared-data" {
		t.Errorf("ListBucket through the access point: access point %+v, resource %s", d.Request.AccessPoint, d.Request.Resource.ARN)
	}
}

// A scenario re-runs on a clone at every keystroke: nothing a run does to
// its clone, through an operation or by setting a policy in place as the
// sandbox does, may reach the estate it was cloned from.
func TestCloneKeepsS3AndKMSEditsToItself(t *testing.T) {
	t.Parallel()
	const (
		acct  = "111122223333"
		keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
	)
	e := apEstate(t)
	admin := call(user("arn:aws:iam::111122223333:user/admin"))
	keyARN := estate.KeyARN("us-east-1", acct, keyID)
	if _, err := e.CreateKey(acct, keyID, "", ""); err != nil {
		t.Fatal(err)
	}
	g, _, err := e.CreateGrant(admin, estate.CreateGrantInput{KeyARN: keyARN, GranteePrincipal: "arn:aws:iam::111122223333:user/analyst", Operations: []string{"Decrypt"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutBucketOwnershipControls(admin, "shared-data", estate.OwnershipObjectWriter); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutObjectACL(admin, "shared-data", "reports/q1.csv", &estate.AccessControlList{Canned: "authenticated-read"}); err != nil {
		t.Fatal(err)
	}
	before := mustJSON(t, e)
	c := e.Clone()
	a := c.Accounts[acct]
	a.AccessPoints["analytics"].Policy = nil
	a.VPCEndpoints["vpce-1a2b3c4d"].Policy = nil
	publicRead := &estate.AccessControlList{Canned: "public-read"}
	steps := []func() error{
		func() error { _, err := c.PutBucketACL(admin, "shared-data", publicRead); return err },
		func() error { _, err := c.PutObjectACL(admin, "shared-data", "reports/q1.csv", publicRead); return err },
		func() error {
			_, err := c.PutBucketOwnershipControls(admin, "shared-data", estate.OwnershipBucketOwnerPreferred)
			return err
		},
		func() error {
			_, err := c.PutPublicAccessBlock(admin, "other-data", estate.PublicAccessBlock{BlockPublicPolicy: true})
			return err
		},
		func() error {
			_, err := c.PutAccountPublicAccessBlock(admin, acct, estate.PublicAccessBlock{IgnorePublicAcls: true})
			return err
		},
		func() error { return c.PutBucketTagging("shared-data", []estate.Tag{{Key: "team", Value: "blue"}}) },
		func() error { return c.TagResource(acct, keyID, []estate.Tag{{Key: "team", Value: "blue"}}) },
		func() error { _, err := c.RevokeGrant(admin, keyARN, g.GrantID); return err },
		func() error {
			_, _, err := c.CreateGrant(admin, estate.CreateGrantInput{KeyARN: keyARN, GranteePrincipal: "arn:aws:iam::444455556666:user/partner", Operations: []string{"Encrypt"}})
			return err
		},
		func() error { _, _, err := c.CreateAccessPoint(admin, acct, "more", "other-data", ""); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d on the clone: %v", i+1, err)
		}
	}
	if after := mustJSON(t, e); after != before {
		t.Errorf("editing a clone changed the estate it came from:\nbefore %s\nafter  %s", before, after)
	}
}
