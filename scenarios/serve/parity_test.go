package serve_test

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
	"iamlab/scenarios/serve"
)

// wireCall is one request as an SDK sends it: Query and JSON protocols
// POST to /, S3 uses the method, path and query.
type wireCall struct {
	service, method, path, contentType, target, body string
	header                                           map[string]string
	// reaches is the console command the request runs, when it is not
	// the one it stands for (a high-level aws s3 command).
	reaches string
}

func query(service, action, version, params string) wireCall {
	body := "Action=" + action + "&Version=" + version
	if params != "" {
		body += "&" + params
	}
	return wireCall{service: service, method: http.MethodPost, path: "/", contentType: "application/x-www-form-urlencoded; charset=utf-8", body: body}
}

func stsQ(action, params string) wireCall { return query("sts", action, "2011-06-15", params) }
func iamQ(action, params string) wireCall { return query("iam", action, "2010-05-08", params) }
func ec2Q(action, params string) wireCall { return query("ec2", action, "2016-11-15", params) }

func jsonCall(service, target, body string) wireCall {
	return wireCall{service: service, method: http.MethodPost, path: "/", contentType: "application/x-amz-json-1.1", target: target, body: body}
}

func kmsJ(op, body string) wireCall { return jsonCall("kms", "TrentService."+op, body) }

// s3C is an S3 Control request, its account in a header.
func s3C(method, path, body string) wireCall {
	return wireCall{service: "s3", method: method, path: "/v20180820/" + path, body: body, header: map[string]string{"X-Amz-Account-Id": "111122223333"}}
}

func s3R(method, path, body string) wireCall {
	return wireCall{service: "s3", method: method, path: path, body: body}
}

const (
	pab    = `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><BlockPublicAcls>true</BlockPublicAcls><IgnorePublicAcls>true</IgnorePublicAcls><BlockPublicPolicy>true</BlockPublicPolicy><RestrictPublicBuckets>true</RestrictPublicBuckets></PublicAccessBlockConfiguration>`
	keyARN = "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-11aa-11aa-11aa-1111aaaa1111"
	doc    = `%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D`
)

// wireOf is, for each command the sandbox's console runs, the request a
// real SDK sends for it, from each service's API reference.
var wireOf = map[string]wireCall{
	"sts get-caller-identity":           stsQ("GetCallerIdentity", ""),
	"sts assume-role":                   stsQ("AssumeRole", "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FReportWriter&RoleSessionName=s"),
	"sts assume-role-with-web-identity": stsQ("AssumeRoleWithWebIdentity", "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FWeb&RoleSessionName=s&WebIdentityToken=not-a-token"),
	"sts assume-role-with-saml":         stsQ("AssumeRoleWithSAML", "RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FSaml&PrincipalArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Asaml-provider%2FCorp&SAMLAssertion=bm90"),
	"sts get-session-token":             stsQ("GetSessionToken", ""),
	"sts get-federation-token":          stsQ("GetFederationToken", "Name=bob"),
	"sts decode-authorization-message":  stsQ("DecodeAuthorizationMessage", "EncodedMessage=abc"),

	"s3api get-object":                  s3R(http.MethodGet, "/my-bucket/report.csv", ""),
	"s3api put-object":                  s3R(http.MethodPut, "/my-bucket/new.csv", "a,b"),
	"s3api list-objects-v2":             s3R(http.MethodGet, "/my-bucket?list-type=2", ""),
	"s3api delete-object":               s3R(http.MethodDelete, "/my-bucket/report.csv", ""),
	"s3api get-bucket-policy":           s3R(http.MethodGet, "/my-bucket?policy", ""),
	"s3api delete-bucket-policy":        s3R(http.MethodDelete, "/my-bucket?policy", ""),
	"s3api put-bucket-policy":           s3R(http.MethodPut, "/my-bucket?policy", `{"Version":"2012-10-17","Statement":[]}`),
	"s3api put-public-access-block":     s3R(http.MethodPut, "/my-bucket?publicAccessBlock", pab),
	"s3api get-public-access-block":     s3R(http.MethodGet, "/my-bucket?publicAccessBlock", ""),
	"s3api put-bucket-tagging":          s3R(http.MethodPut, "/my-bucket?tagging", `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>`),
	"s3control put-public-access-block": s3C(http.MethodPut, "configuration/publicAccessBlock", pab),
	"s3api list-buckets":                s3R(http.MethodGet, "/", ""),
	// The high-level command is its API operations on the wire.
	"s3 ls": {service: "s3", method: http.MethodGet, path: "/", reaches: "s3api list-buckets"},
	"s3control create-access-point": s3C(http.MethodPut, "accesspoint/reports",
		`<CreateAccessPointRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><Bucket>my-bucket</Bucket></CreateAccessPointRequest>`),
	"s3control get-access-point":        s3C(http.MethodGet, "accesspoint/reports", ""),
	"s3control get-access-point-policy": s3C(http.MethodGet, "accesspoint/reports/policy", ""),
	"s3control put-access-point-policy": s3C(http.MethodPut, "accesspoint/reports/policy",
		`<PutAccessPointPolicyRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><Policy>{"Version":"2012-10-17","Statement":[]}</Policy></PutAccessPointPolicyRequest>`),
	"s3control delete-access-point-policy": s3C(http.MethodDelete, "accesspoint/reports/policy", ""),
	"s3api put-bucket-ownership-controls":  s3R(http.MethodPut, "/my-bucket?ownershipControls", `<OwnershipControls xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ObjectOwnership>ObjectWriter</ObjectOwnership></Rule></OwnershipControls>`),
	"s3api get-bucket-ownership-controls":  s3R(http.MethodGet, "/my-bucket?ownershipControls", ""),
	"s3api put-bucket-acl":                 {service: "s3", method: http.MethodPut, path: "/my-bucket?acl", header: map[string]string{"X-Amz-Acl": "private"}},
	"s3api get-bucket-acl":                 s3R(http.MethodGet, "/my-bucket?acl", ""),
	"s3api put-object-acl":                 {service: "s3", method: http.MethodPut, path: "/my-bucket/report.csv?acl", header: map[string]string{"X-Amz-Acl": "private"}},
	"s3api get-object-acl":                 s3R(http.MethodGet, "/my-bucket/report.csv?acl", ""),

	"ec2 run-instances":                              ec2Q("RunInstances", "ImageId=ami-0abcdef1234567890&InstanceType=t3.micro&MinCount=1&MaxCount=1"),
	"ec2 describe-instances":                         ec2Q("DescribeInstances", ""),
	"ec2 disassociate-iam-instance-profile":          ec2Q("DisassociateIamInstanceProfile", "AssociationId=iip-assoc-0a1b2c3d4e5f60718"),
	"ec2 describe-iam-instance-profile-associations": ec2Q("DescribeIamInstanceProfileAssociations", "AssociationId.1=iip-assoc-0a1b2c3d4e5f60718"),
	"ec2 create-tags":                                ec2Q("CreateTags", "ResourceId.1=i-0a1b2c3d4e5f60718&Tag.1.Key=team&Tag.1.Value=blue"),

	"kms decrypt":      kmsJ("Decrypt", `{"KeyId":"`+keyARN+`","CiphertextBlob":"AAAA"}`),
	"kms encrypt":      kmsJ("Encrypt", `{"KeyId":"`+keyARN+`","Plaintext":"aGk=","EncryptionContext":{"app":"x"}}`),
	"kms create-grant": kmsJ("CreateGrant", `{"KeyId":"`+keyARN+`","GranteePrincipal":"arn:aws:iam::111122223333:user/alice","Operations":["Decrypt","Encrypt"],"Constraints":{"EncryptionContextSubset":{"app":"x"}}}`),
	"kms list-grants":  kmsJ("ListGrants", `{"KeyId":"`+keyARN+`"}`),
	"kms retire-grant": kmsJ("RetireGrant", `{"KeyId":"`+keyARN+`","GrantId":"g1"}`),
	"kms revoke-grant": kmsJ("RevokeGrant", `{"KeyId":"`+keyARN+`","GrantId":"g1"}`),
	"kms tag-resource": kmsJ("TagResource", `{"KeyId":"`+keyARN+`","Tags":[{"TagKey":"team","TagValue":"blue"}]}`),

	"dynamodb get-item": jsonCall("dynamodb", "DynamoDB_20120810.GetItem", `{"TableName":"Orders","Key":{"id":{"S":"1"}}}`),

	"iam list-users":                        iamQ("ListUsers", ""),
	"iam get-user":                          iamQ("GetUser", "UserName=alice"),
	"iam delete-user":                       iamQ("DeleteUser", "UserName=nobody"),
	"iam detach-user-policy":                iamQ("DetachUserPolicy", "UserName=alice&PolicyArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fp"),
	"iam remove-user-from-group":            iamQ("RemoveUserFromGroup", "UserName=alice&GroupName=g"),
	"iam delete-user-policy":                iamQ("DeleteUserPolicy", "UserName=alice&PolicyName=p"),
	"iam put-user-policy":                   iamQ("PutUserPolicy", "UserName=alice&PolicyName=p&PolicyDocument="+doc),
	"iam create-policy-version":             iamQ("CreatePolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fp&PolicyDocument="+doc),
	"iam set-default-policy-version":        iamQ("SetDefaultPolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fp&VersionId=v1"),
	"iam get-policy-version":                iamQ("GetPolicyVersion", "PolicyArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Apolicy%2Fp&VersionId=v1"),
	"iam remove-role-from-instance-profile": iamQ("RemoveRoleFromInstanceProfile", "InstanceProfileName=ReportWriter&RoleName=ReportWriter"),
	"iam simulate-custom-policy":            iamQ("SimulateCustomPolicy", "PolicyInputList.member.1="+doc+"&ActionNames.member.1=s3%3AGetObject"),
	"iam simulate-principal-policy":         iamQ("SimulatePrincipalPolicy", "PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Auser%2Falice&ActionNames.member.1=s3%3AGetObject"),
	"iam tag-role":                          iamQ("TagRole", "RoleName=ReportWriter&Tags.member.1.Key=team&Tags.member.1.Value=blue"),
	"iam untag-role":                        iamQ("UntagRole", "RoleName=ReportWriter&TagKeys.member.1=team"),
	"iam tag-user":                          iamQ("TagUser", "UserName=alice&Tags.member.1.Key=team&Tags.member.1.Value=blue"),
	"iam untag-user":                        iamQ("UntagUser", "UserName=alice&TagKeys.member.1=team"),
}

// send signs c for profile as an SDK would and returns the status and body.
func (e *endpoint) send(t *testing.T, profile string, c wireCall) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(c.method, e.url+c.path, strings.NewReader(c.body))
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.target != "" {
		req.Header.Set("X-Amz-Target", c.target)
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	sum := sha256.Sum256([]byte(c.body))
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(sum[:]))
	creds, _ := e.creds(t, profile).Retrieve(ctx)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), c.service, "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Every command the sandbox's console runs is served over the wire: the
// request an SDK sends for it reaches the same command (issue 14: "Every
// operation the sandbox console knows is served"). A console command added
// without a wire form fails here.
func TestEveryConsoleCommandIsServed(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	for _, spec := range awscli.Specs() {
		if spec.Run == nil {
			continue
		}
		name := spec.Name()
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			c, ok := wireOf[name]
			if !ok {
				t.Fatalf("no wire request for %q: add its API form to wireOf and serve it", name)
			}
			status, body := e.send(t, "alice", c)
			var ev serve.Event
			select {
			case ev = <-e.events:
			case <-time.After(10 * time.Second):
				t.Fatal("no event")
			}
			want := name
			if c.reaches != "" {
				want = c.reaches
			}
			if ev.Outcome == nil || !strings.HasPrefix(ev.Outcome.Command, "aws "+want) {
				cmd := ""
				if ev.Outcome != nil {
					cmd = ev.Outcome.Command
				}
				t.Errorf("%s %s reached %q, want the console's %q: %d %s", c.method, c.path, cmd, want, status, firstN(body, 300))
			}
		})
	}
}

func firstN(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// The bucket settings the estate models round-trip through the SDK:
// Block Public Access, tags (which later requests carry as
// aws:ResourceTag), and the bucket list.
func TestBucketSettingsOverTheWire(t *testing.T) {
	sc, err := scenarios.ParseEstate("admin.yaml", []byte(adminEstate))
	if err != nil {
		t.Fatal(err)
	}
	e := startScenario(t, sc, serve.Options{})
	admin := "admin"
	c := e.s3(e.creds(t, admin))
	buckets, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(buckets.Buckets) == 0 {
		t.Fatalf("ListBuckets as %s = %v, %v; want the account's buckets", admin, buckets, err)
	}
	// The AWS CLI's aws s3 ls fails on a bucket without its CreationDate.
	if buckets.Buckets[0].CreationDate == nil {
		t.Error("ListBuckets gave a bucket without its CreationDate")
	}
	bucket := aws.ToString(buckets.Buckets[0].Name)
	_, err = c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(bucket),
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}})
	if err != nil {
		t.Fatalf("PutPublicAccessBlock: %v", err)
	}
	got, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(bucket)})
	if err != nil {
		t.Fatalf("GetPublicAccessBlock: %v", err)
	}
	if cfg := got.PublicAccessBlockConfiguration; !aws.ToBool(cfg.BlockPublicPolicy) || !aws.ToBool(cfg.RestrictPublicBuckets) || aws.ToBool(cfg.BlockPublicAcls) {
		t.Errorf("GetPublicAccessBlock = %+v, want what was put", cfg)
	}
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String(bucket),
		Policy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::` + bucket + `/*"}]}`)})
	wantCode(t, "a public bucket policy under BlockPublicPolicy", err, "AccessDenied")
	_, err = c.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket),
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}})
	if err != nil {
		t.Fatalf("PutBucketTagging: %v", err)
	}
	var tags map[string]string
	if err := e.srv.Update(func(sb *scenarios.Sandbox) error {
		tags = sb.Estate.Accounts["111122223333"].Buckets[bucket].Tags
		return nil
	}); err != nil || tags["team"] != "blue" {
		t.Errorf("the bucket's tags after PutBucketTagging = %v (%v), want team=blue", tags, err)
	}
}

// A KMS CreateGrant's lists and maps reach the grant: Operations and the
// encryption-context constraint, as ListGrants returns them.
func TestKMSGrantOverTheWire(t *testing.T) {
	sc, err := scenarios.ParseEstate("admin.yaml", []byte(adminEstate))
	if err != nil {
		t.Fatal(err)
	}
	e := startScenario(t, sc, serve.Options{})
	status, body := e.send(t, "admin", kmsJ("CreateGrant", `{"KeyId":"`+keyARN+`","GranteePrincipal":"arn:aws:iam::111122223333:user/admin","Operations":["Decrypt","Encrypt"],"Constraints":{"EncryptionContextSubset":{"app":"x"}}}`))
	if status != 200 || !strings.Contains(body, "GrantId") {
		t.Fatalf("CreateGrant = %d %s", status, body)
	}
	status, body = e.send(t, "admin", kmsJ("ListGrants", `{"KeyId":"`+keyARN+`"}`))
	if status != 200 || !strings.Contains(body, `"Decrypt"`) || !strings.Contains(body, `"Encrypt"`) || !strings.Contains(body, `"app": "x"`) {
		t.Fatalf("ListGrants = %d %s, want the grant's two operations and its constraint", status, body)
	}
}

const adminEstate = `
accounts:
  "111122223333":
    users:
      admin:
        accessKeys: [{id: AKIAADMINEXAMPLE0001, secret: admin-secret}]
        inlinePolicies:
          all: |
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    keys:
      1111aaaa-11aa-11aa-11aa-1111aaaa1111:
        description: default key policy
    buckets:
      data-111122223333: {}
      logs-111122223333: {}
`

// S3 Control's access point operations change the served estate: an
// access point made over the wire has the policy put on it.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_CreateAccessPoint.html
func TestAccessPointOverTheWire(t *testing.T) {
	sc, err := scenarios.ParseEstate("admin.yaml", []byte(adminEstate))
	if err != nil {
		t.Fatal(err)
	}
	e := startScenario(t, sc, serve.Options{})
	status, body := e.send(t, "admin", s3C(http.MethodPut, "accesspoint/reports",
		`<CreateAccessPointRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><Bucket>data-111122223333</Bucket></CreateAccessPointRequest>`))
	if status != 200 || !strings.Contains(body, "<AccessPointArn>arn:aws:s3:") {
		t.Fatalf("CreateAccessPoint = %d %s", status, body)
	}
	policy := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/admin"},"Action":"s3:GetObject","Resource":"arn:aws:s3:us-east-1:111122223333:accesspoint/reports/object/*"}]}`
	if status, body = e.send(t, "admin", s3C(http.MethodPut, "accesspoint/reports/policy",
		`<PutAccessPointPolicyRequest xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/"><Policy>`+policy+`</Policy></PutAccessPointPolicyRequest>`)); status != 200 {
		t.Fatalf("PutAccessPointPolicy = %d %s", status, body)
	}
	status, body = e.send(t, "admin", s3C(http.MethodGet, "accesspoint/reports/policy", ""))
	if status != 200 || !strings.Contains(body, "<GetAccessPointPolicyResult") || !strings.Contains(body, "accesspoint/reports/object/*") {
		t.Fatalf("GetAccessPointPolicy = %d %s, want the policy put", status, body)
	}
}
