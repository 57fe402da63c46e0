package serve_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"iamlab/scenarios"
	"iamlab/scenarios/serve"
)

// clock is a test clock the server reads on every request.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// endpoint is a running server over a built-in scenario, on loopback.
type endpoint struct {
	srv      *serve.Server
	url      string
	clock    *clock
	profiles map[string]serve.Profile
	events   chan serve.Event
}

func start(t testing.TB, scenarioID string, opts serve.Options) *endpoint {
	t.Helper()
	all, err := scenarios.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var sc *scenarios.Scenario
	for _, s := range all {
		if s.ID == scenarioID {
			sc = s
		}
	}
	if sc == nil {
		t.Fatalf("no scenario %s", scenarioID)
	}
	return startScenario(t, sc, opts)
}

func startScenario(t testing.TB, sc *scenarios.Scenario, opts serve.Options) *endpoint {
	t.Helper()
	var err error
	e := &endpoint{clock: &clock{t: time.Now().UTC()}, profiles: map[string]serve.Profile{}, events: make(chan serve.Event, 10000)}
	opts.Clock = e.clock.now
	opts.OnEvent = func(ev serve.Event) {
		select {
		case e.events <- ev:
		default:
		}
	}
	e.srv, err = serve.New(sc, opts)
	if err != nil {
		t.Fatal(err)
	}
	e.url, err = e.srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.srv.Shutdown(context.Background()) })
	for _, p := range e.srv.Profiles() {
		e.profiles[p.Name] = p
	}
	return e
}

func (e *endpoint) creds(t testing.TB, profile string) aws.CredentialsProvider {
	p, ok := e.profiles[profile]
	if !ok {
		t.Fatalf("no profile %s", profile)
	}
	return credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, "")
}

func (e *endpoint) s3(creds aws.CredentialsProvider) *s3.Client {
	return s3.New(s3.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: creds, UsePathStyle: true,
		RetryMaxAttempts: 1})
}

func (e *endpoint) sts(creds aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: creds, RetryMaxAttempts: 1})
}

func (e *endpoint) iam(creds aws.CredentialsProvider) *iam.Client {
	return iam.New(iam.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: creds, RetryMaxAttempts: 1})
}

// code is the AWS error code of err, or "".
func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, what string, err error, want string) {
	t.Helper()
	if got := code(err); got != want {
		t.Fatalf("%s: error %v, want code %s", what, err, want)
	}
}

var ctx = context.Background()

// The seed's sample question 1: with the role removed from the instance
// profile, an unsigned read still succeeds through the public bucket
// policy and the write fails.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html
func TestInstanceRoleRemovedAnonymous(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	anon := e.s3(aws.AnonymousCredentials{})
	out, err := anon.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")})
	if err != nil {
		t.Fatalf("anonymous GetObject: %v", err)
	}
	body, _ := io.ReadAll(out.Body)
	if !strings.HasPrefix(string(body), "month,total") {
		t.Fatalf("anonymous GetObject body = %q", body)
	}
	_, err = anon.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv"), Body: strings.NewReader("x")})
	wantCode(t, "anonymous PutObject", err, "AccessDenied")

	// alice signs; her admin policy allows the write, which changes the
	// served estate.
	alice := e.s3(e.creds(t, "alice"))
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("new.csv"), Body: strings.NewReader("a,b\n")}); err != nil {
		t.Fatalf("alice PutObject: %v", err)
	}
	got, err := anon.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("new.csv")})
	if err != nil {
		t.Fatalf("GetObject of the new object: %v", err)
	}
	body, _ = io.ReadAll(got.Body)
	if string(body) != "a,b\n" {
		t.Fatalf("new object = %q, want a,b", body)
	}
	list, err := alice.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("my-bucket")})
	if err != nil || len(list.Contents) != 2 {
		t.Fatalf("ListObjectsV2 = %v, %v; want 2 objects", list, err)
	}
	for _, obj := range list.Contents {
		if aws.ToString(obj.Key) == "new.csv" && (aws.ToInt64(obj.Size) != 4 || aws.ToString(obj.ETag) == "") {
			t.Errorf("ListObjectsV2 lists new.csv with size %d and ETag %q, want 4 and its ETag", aws.ToInt64(obj.Size), aws.ToString(obj.ETag))
		}
	}
	if _, err := alice.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("new.csv")}); err != nil {
		t.Fatalf("DeleteObject: %v", err)
	}
	_, err = alice.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("new.csv")})
	wantCode(t, "GetObject of the deleted object", err, "NoSuchKey")
}

func TestAssumeRoleThenCall(t *testing.T) {
	e := start(t, "assume-role-same-account", serve.Options{})
	dev := e.sts(e.creds(t, "dev"))
	out, err := dev.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/DeployRole"), RoleSessionName: aws.String("release")})
	if err != nil {
		t.Fatalf("AssumeRole: %v", err)
	}
	role := credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
	who, err := e.sts(role).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the role's keys: %v", err)
	}
	if want := "arn:aws:sts::111122223333:assumed-role/DeployRole/release"; *who.Arn != want {
		t.Fatalf("GetCallerIdentity = %s, want %s", *who.Arn, want)
	}
	if _, err := e.s3(role).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("releases-111122223333"), Key: aws.String("app.tar.gz"), Body: strings.NewReader("bin")}); err != nil {
		t.Fatalf("PutObject as the role: %v", err)
	}
	_, err = e.s3(e.creds(t, "dev")).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("releases-111122223333"), Key: aws.String("app.tar.gz"), Body: strings.NewReader("bin")})
	wantCode(t, "PutObject as dev", err, "AccessDenied")

	// A presigned URL carries the session token in its query.
	pre, err := s3.NewPresignClient(e.s3(role)).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("releases-111122223333"), Key: aws.String("app.tar.gz")})
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := http.Get(pre.URL); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("presigned GET with the role's session = %v %v, want 200", resp, err)
	}

	// The role session expires on the server's clock.
	e.clock.advance(2 * time.Hour)
	_, err = e.sts(role).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, "GetCallerIdentity after expiry", err, "ExpiredToken")
	_, err = e.s3(role).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("releases-111122223333"), Key: aws.String("app.tar.gz")})
	wantCode(t, "S3 after expiry", err, "ExpiredToken")
}

// GetSessionToken with a code from the virtual MFA device: credentials
// from GetSessionToken may call IAM only when MFA was used.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func TestGetSessionTokenWithMFA(t *testing.T) {
	e := start(t, "mfa-get-session-token", serve.Options{})
	alice := e.sts(e.creds(t, "alice"))
	serial := "arn:aws:iam::111122223333:mfa/alice-phone"

	plain, err := alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatalf("GetSessionToken without MFA: %v", err)
	}
	noMFA := credentials.NewStaticCredentialsProvider(*plain.Credentials.AccessKeyId, *plain.Credentials.SecretAccessKey, *plain.Credentials.SessionToken)
	_, err = e.iam(noMFA).GetUser(ctx, &iam.GetUserInput{})
	wantCode(t, "IAM GetUser with a session without MFA", err, "InvalidClientTokenId")

	_, err = alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String("000000")})
	wantCode(t, "GetSessionToken with a wrong code", err, "AccessDenied")

	var code string
	if err := e.srv.Update(func(sb *scenarios.Sandbox) error {
		var err error
		code, err = sb.TOTP(serial)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out, err := alice.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code)})
	if err != nil {
		t.Fatalf("GetSessionToken with the device's code: %v", err)
	}
	mfa := credentials.NewStaticCredentialsProvider(*out.Credentials.AccessKeyId, *out.Credentials.SecretAccessKey, *out.Credentials.SessionToken)
	_, err = e.iam(mfa).GetUser(ctx, &iam.GetUserInput{})
	wantCode(t, "IAM GetUser (no policy allows it) with the MFA session", err, "AccessDenied")

	// Edit alice's policy while serving: her work tools now include
	// iam:ListUsers, which her deny still refuses without MFA.
	if err := e.srv.Update(func(sb *scenarios.Sandbox) error {
		return sb.SetPolicy("user/alice/inline/RequireMFA", `{"Version": "2012-10-17", "Statement": [
			{"Effect": "Allow", "Action": ["iam:ListUsers", "s3:GetObject"], "Resource": "*"},
			{"Effect": "Deny", "NotAction": ["iam:GetUser", "sts:GetSessionToken"], "Resource": "*",
			 "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}`)
	}); err != nil {
		t.Fatal(err)
	}
	users, err := e.iam(mfa).ListUsers(ctx, &iam.ListUsersInput{})
	if err != nil {
		t.Fatalf("IAM ListUsers with the MFA session: %v", err)
	}
	if len(users.Users) != 1 || *users.Users[0].UserName != "alice" {
		t.Fatalf("ListUsers = %v, want alice", users.Users)
	}
	_, err = e.iam(e.creds(t, "alice")).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "IAM ListUsers with long-term keys", err, "AccessDenied")
}

// Across accounts both the caller's identity policy and the bucket
// policy must allow.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
func TestCrossAccountRead(t *testing.T) {
	e := start(t, "cross-account-bucket-both-required", serve.Options{})
	get := &s3.GetObjectInput{Bucket: aws.String("partner-exchange"), Key: aws.String("prices/2026-06.csv")}
	if _, err := e.s3(e.creds(t, "444455556666-pat")).GetObject(ctx, get); err != nil {
		t.Fatalf("pat (both sides allow) GetObject: %v", err)
	}
	_, err := e.s3(e.creds(t, "444455556666-quinn")).GetObject(ctx, get)
	wantCode(t, "quinn (only the bucket allows) GetObject", err, "AccessDenied")
	_, err = e.s3(e.creds(t, "444455556666-pat")).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("partner-exchange"), Key: aws.String("incoming/o.csv"), Body: strings.NewReader("x")})
	wantCode(t, "pat (only her policy allows) PutObject", err, "AccessDenied")
}

func TestPresignedURL(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	// Make the bucket private first, so only the signature can allow.
	if _, err := e.s3(e.creds(t, "alice")).DeleteBucketPolicy(ctx, &s3.DeleteBucketPolicyInput{Bucket: aws.String("my-bucket")}); err != nil {
		t.Fatalf("DeleteBucketPolicy: %v", err)
	}
	p := s3.NewPresignClient(e.s3(e.creds(t, "alice")))
	req, err := p.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")}, s3.WithPresignExpires(5*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	status := func() int {
		resp, err := http.Get(req.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(); got != http.StatusOK {
		t.Fatalf("presigned GET = %d, want 200", got)
	}
	tampered := strings.Replace(req.URL, "report.csv", "other.csv", 1)
	if resp, err := http.Get(tampered); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("presigned URL for another key = %v %v, want 403", resp, err)
	}
	e.clock.advance(6 * time.Minute)
	if got := status(); got != http.StatusForbidden {
		t.Fatalf("presigned GET after expiry = %d, want 403", got)
	}
	_, err = e.s3(aws.AnonymousCredentials{}).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")})
	wantCode(t, "anonymous GetObject without the bucket policy", err, "AccessDenied")
}

func TestWrongSecretKey(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	p := e.profiles["alice"]
	bad := credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey+"x", "")
	_, err := e.sts(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, "STS with a wrong secret", err, "SignatureDoesNotMatch")
	_, err = e.s3(bad).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")})
	wantCode(t, "S3 with a wrong secret", err, "SignatureDoesNotMatch")
	unknown := credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", p.SecretAccessKey, "")
	_, err = e.sts(unknown).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantCode(t, "STS with an unknown key", err, "InvalidClientTokenId")
	_, err = e.s3(unknown).GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")})
	wantCode(t, "S3 with an unknown key", err, "InvalidAccessKeyId")
	_, err = e.iam(aws.AnonymousCredentials{}).ListUsers(ctx, &iam.ListUsersInput{})
	wantCode(t, "unsigned IAM", err, "MissingAuthenticationToken")
}
