package serve

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"iamlab/scenarios"
)

// FuzzDecode feeds raw HTTP requests to the request decoder: whatever
// arrives, decoding returns a request or a wire error, never a panic,
// and a decoded request always names a protocol.
func FuzzDecode(f *testing.F) {
	seeds := []string{
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 43\r\n\r\nAction=GetCallerIdentity&Version=2011-06-15",
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 120\r\n\r\nAction=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2FR&RoleSessionName=s&Tags.member.1.Key=k&Tags.member.1.Value=v",
		"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: TrentService.Decrypt\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 14\r\n\r\n{\"KeyId\":\"k1\"}",
		"GET /my-bucket/report.csv HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"GET /?list-type=2&prefix=a HTTP/1.1\r\nHost: my-bucket.localhost:4566\r\n\r\n",
		"PUT /b/k HTTP/1.1\r\nHost: localhost\r\nX-Amz-Content-Sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nContent-Length: 15\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
		"GET /b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20260615%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260615T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00 HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: localhost\r\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA/20260615/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00\r\nX-Amz-Date: 20260615T120000Z\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 58\r\n\r\nAction=RunInstances&IamInstanceProfile.Name=p&DryRun=true",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
		sig, _ := parseSignature(r)
		w, werr := decode(r, body, sig, []string{"localhost"})
		if w == nil {
			t.Fatal("decode returned no request")
		}
		if werr != nil {
			return
		}
		if w.proto == 0 {
			t.Fatalf("decoded request has no protocol: %+v", w)
		}
		if _, werr := w.command(); werr != nil && werr.status < 400 {
			t.Fatalf("command error with status %d", werr.status)
		}
	})
}

// FuzzServe sends raw requests through the whole server, estate and
// executor included: any input gets an answer, and never the 500 a
// recovered panic turns into.
func FuzzServe(f *testing.F) {
	all, err := scenarios.Builtin()
	if err != nil {
		f.Fatal(err)
	}
	var sc *scenarios.Scenario
	for _, s := range all {
		if s.ID == "instance-role-removed" {
			sc = s
		}
	}
	srv, err := New(sc, Options{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"GET /my-bucket/report.csv HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"PUT /my-bucket/x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc",
		"GET /my-bucket?policy HTTP/1.1\r\nHost: localhost\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 88\r\n\r\nAction=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::1:role/r&RoleSessionName=s",
		"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 50\r\n\r\nAction=AssumeRoleWithSAML&Version=2011-06-15&x=y",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(data)))
		if err != nil {
			return
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code == http.StatusInternalServerError {
			t.Fatalf("500 for %q", data)
		}
	})
}
