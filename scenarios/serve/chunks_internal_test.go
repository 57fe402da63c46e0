package serve

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// awsChunkedExample is the chunked upload of AWS's example: 66,560 bytes
// of 'a' in a 64 KB chunk, a 1 KB chunk and the final empty chunk, each
// signed in a chain from the request's seed signature.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func awsChunkedExample(sizes []int, sigs []string) []byte {
	var b strings.Builder
	for i, n := range sizes {
		fmt.Fprintf(&b, "%x;chunk-signature=%s\r\n%s\r\n", n, sigs[i], strings.Repeat("a", n))
	}
	return []byte(b.String())
}

func TestVerifyChunksAWSExample(t *testing.T) {
	s := signature{accessKey: "AKIAIOSFODNN7EXAMPLE", region: "us-east-1", service: "s3",
		sig:  "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
		time: time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC)}
	secret := "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	sigs := []string{
		"ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
		"0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
		"b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9",
	}
	if err := verifyChunks(awsChunkedExample([]int{65536, 1024, 0}, sigs), s, secret); err != nil {
		t.Fatalf("AWS's example chunks: %v", err)
	}
	tampered := awsChunkedExample([]int{65536, 1024, 0}, sigs)
	tampered[len(tampered)-200] = 'b'
	for name, body := range map[string][]byte{
		"a changed byte":       tampered,
		"chunks swapped":       awsChunkedExample([]int{1024, 65536, 0}, sigs),
		"no final chunk":       awsChunkedExample([]int{65536, 1024}, sigs),
		"a wrong secret's run": nil,
	} {
		key := secret
		if body == nil {
			body, key = awsChunkedExample([]int{65536, 1024, 0}, sigs), "not-the-secret"
		}
		if err := verifyChunks(body, s, key); err == nil || err.kind != authBadSignature {
			t.Errorf("%s: got %v, want a signature mismatch", name, err)
		}
	}
}
