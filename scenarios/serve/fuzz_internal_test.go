package serve

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"testing"
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
		body, _ := io.ReadAll(io.LimitReader(r.Body, MaxBody))
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
