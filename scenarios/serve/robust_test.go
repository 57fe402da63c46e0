package serve_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamlab/scenarios"
	"iamlab/scenarios/serve"
)

// raw sends bytes on a fresh connection and returns the response's status
// and body; a connection the server closes without answering is status 0.
func raw(t *testing.T, url, req string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(15 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		return 0, err.Error()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Bad input on the wire gets AWS's error or a 400-class status, never a
// panic or a hang, and the server keeps serving.
func TestBadWireInput(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	host := strings.TrimPrefix(e.url, "http://")
	alice := e.profiles["alice"]
	oldAuth := signAt(t, host, alice, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC), "Action=GetCallerIdentity&Version=2011-06-15")
	flood := strings.Repeat("X-Flood: "+strings.Repeat("a", 100)+"\r\n", 2000)
	cases := []struct {
		name     string
		req      string
		status   int
		contains string
	}{
		{"truncated query body", "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=GetCallerIdentity", 400, "IncompleteBody"},
		{"truncated JSON body", "POST / HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Target: TrentService.Decrypt\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 5\r\n\r\n{\"Ke", 400, ""},
		{"JSON that is not an object", "POST / HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Target: TrentService.Decrypt\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 7\r\n\r\n[1,2,3]", 400, "SerializationException"},
		{"wrong Content-Type for Query", "POST /?Version=2011-06-15 HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n\r\nAction=GetCallerIdentity", 400, "InvalidParameterValue"},
		{"wrong Content-Type for JSON", "POST / HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Target: TrentService.Decrypt\r\nContent-Type: text/xml\r\nContent-Length: 2\r\n\r\n{}", 400, "SerializationException"},
		{"100 MB body", "PUT /my-bucket/big HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 104857600\r\n\r\n" + strings.Repeat("x", 1<<16), 400, "EntityTooLarge"},
		{"forged signature", "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Amz-Date: 20260615T120000Z\r\n" +
			"Authorization: AWS4-HMAC-SHA256 Credential=" + alice.AccessKeyID + "/20260615/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=" + strings.Repeat("0", 64) +
			"\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15", 403, "SignatureDoesNotMatch"},
		{"signature from 2026-06-15, too old", "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Amz-Date: 20260615T120000Z\r\n" +
			"Authorization: " + oldAuth + "\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15", 403, "Signature expired: 20260615T120000Z is now earlier than"},
		{"malformed Authorization", "GET /my-bucket/report.csv HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: AWS4-HMAC-SHA256 garbage\r\n\r\n", 400, "AuthorizationHeaderMalformed"},
		{"header flood", "GET /my-bucket/report.csv HTTP/1.1\r\nHost: " + host + "\r\n" + flood + "\r\n", 431, ""},
		{"path with ..", "GET /my-bucket/../etc/passwd HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400, "InvalidURI"},
		{"encoded path with ..", "GET /my-bucket/%2e%2e/etc/passwd HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400, "InvalidURI"},
		{"bad percent-encoding in form", "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 12\r\n\r\nAction=%zz%%", 400, "MalformedQueryString"},
		{"unknown Query operation", "POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 36\r\n\r\nAction=LaunchRockets&Version=2010-05-08", 400, "InvalidAction"},
		{"unknown JSON operation", "POST / HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Target: TrentService.LaunchRockets\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}", 400, "UnknownOperationException"},
		{"truncated aws-chunked body", "PUT /my-bucket/c HTTP/1.1\r\nHost: " + host + "\r\nX-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Length: 8\r\n\r\nff\r\nabcd", 400, "IncompleteBody"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body := raw(t, e.url, tc.req)
			if status != tc.status {
				t.Fatalf("status %d, want %d; body %q", status, tc.status, body)
			}
			if !strings.Contains(body, tc.contains) {
				t.Fatalf("body %q does not name %s", body, tc.contains)
			}
		})
	}
	// Still serving.
	if _, err := e.sts(e.creds(t, "alice")).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatalf("GetCallerIdentity after bad input: %v", err)
	}
}

// With 50 concurrent clients the server answers every request and loses
// no state change.
func TestConcurrentClients(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	const clients, each = 50, 10
	// One connection per client, as 50 separate programs would have.
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	alice := s3.New(s3.Options{BaseEndpoint: aws.String(e.url), Region: "us-east-1", Credentials: e.creds(t, "alice"),
		UsePathStyle: true, RetryMaxAttempts: 1, HTTPClient: hc, RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
	t0 := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				key := fmt.Sprintf("c%02d/%02d", c, i)
				if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String(key), Body: strings.NewReader(key)}); err != nil {
					errs <- fmt.Errorf("PutObject %s: %w", key, err)
				}
			}
		}(c)
	}
	wg.Wait()
	t.Logf("%d PutObject calls from %d clients in %v", clients*each, clients, time.Since(t0))
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var objects int
	_ = e.srv.Update(func(sb *scenarios.Sandbox) error {
		objects = len(sb.Estate.Accounts["111122223333"].Buckets["my-bucket"].Objects)
		return nil
	})
	if want := 1 + clients*each; objects != want {
		t.Fatalf("the bucket holds %d objects, want %d", objects, want)
	}
	if got := e.srv.Requests(); got != clients*each {
		t.Fatalf("Requests() = %d, want %d", got, clients*each)
	}
}

// signAt is the Authorization header of a form POST signed at t.
func signAt(t *testing.T, host string, p serve.Profile, at time.Time, form string) string {
	req, _ := http.NewRequest(http.MethodPost, "http://"+host+"/", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	sum := sha256.Sum256([]byte(form))
	creds := aws.Credentials{AccessKeyID: p.AccessKeyID, SecretAccessKey: p.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return req.Header.Get("Authorization")
}
