package serve_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamlab/scenarios/serve"
)

// call signs a POST with aws-sdk-go-v2's signer, as an SDK would, and
// returns the status and body.
func (e *endpoint) call(t *testing.T, profile, service, contentType, target, body string) (int, string) {
	t.Helper()
	return e.send(t, profile, wireCall{service: service, method: http.MethodPost, path: "/", contentType: contentType, target: target, body: body})
}

// EC2 answers a denied RunInstances with UnauthorizedOperation in its own
// error document, carrying the encoded authorization message, which STS
// decodes for a caller allowed sts:DecodeAuthorizationMessage.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func TestEC2UnauthorizedOperation(t *testing.T) {
	e := start(t, "decode-authorization-message", serve.Options{})
	form := url.Values{"Action": {"RunInstances"}, "Version": {"2016-11-15"}, "ImageId": {"ami-0abcdef1234567890"},
		"InstanceType": {"m5.large"}, "MinCount": {"1"}, "MaxCount": {"1"}}
	status, body := e.call(t, "dev", "ec2", "application/x-www-form-urlencoded; charset=utf-8", "", form.Encode())
	var doc struct {
		Errors []struct {
			Code, Message string
		} `xml:"Errors>Error"`
		RequestID string `xml:"RequestID"`
	}
	if err := xml.Unmarshal([]byte(body), &doc); err != nil || status != 403 || len(doc.Errors) != 1 || doc.Errors[0].Code != "UnauthorizedOperation" || doc.RequestID == "" {
		t.Fatalf("RunInstances m5.large = %d %s (%v), want EC2's UnauthorizedOperation", status, body, err)
	}
	msg := doc.Errors[0].Message
	i := strings.Index(msg, "Encoded authorization failure message: ")
	if i < 0 {
		t.Fatalf("no encoded message in %q", msg)
	}
	encoded := msg[i+len("Encoded authorization failure message: "):]
	out, err := e.sts(e.creds(t, "ops")).DecodeAuthorizationMessage(ctx, &sts.DecodeAuthorizationMessageInput{EncodedMessage: aws.String(encoded)})
	if err != nil {
		t.Fatalf("DecodeAuthorizationMessage: %v", err)
	}
	if !strings.Contains(*out.DecodedMessage, `"allowed":false`) || !strings.Contains(*out.DecodedMessage, "m5.large") {
		t.Fatalf("DecodedMessage = %s", *out.DecodedMessage)
	}
	status, body = e.call(t, "dev", "ec2", "application/x-www-form-urlencoded", "", "Action=RunInstances&Version=2016-11-15&ImageId=ami-0abcdef1234567890&InstanceType=t3.micro")
	if status != 200 || !strings.Contains(body, "<instanceId>i-") || !strings.Contains(body, "<RunInstancesResponse") {
		t.Fatalf("RunInstances t3.micro = %d %s", status, body)
	}
	status, body = e.call(t, "dev", "ec2", "application/x-www-form-urlencoded", "", "Action=TerminateInstances&Version=2016-11-15")
	if status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Fatalf("TerminateInstances = %d %s, want InvalidAction", status, body)
	}
}

// KMS speaks JSON 1.1: the key policy decides, and a denial is
// AccessDeniedException in a JSON body.
func TestKMSDecryptJSON(t *testing.T) {
	e := start(t, "kms-key-policy-required", serve.Options{})
	status, body := e.call(t, "admin", "kms", "application/x-amz-json-1.1", "TrentService.Decrypt", `{"KeyId": "1111aaaa-11aa-41aa-81aa-1111aaaa1111", "CiphertextBlob": "AAAA"}`)
	if status != 200 || !strings.Contains(body, `"Plaintext"`) {
		t.Fatalf("admin Decrypt = %d %s", status, body)
	}
	status, body = e.call(t, "admin", "kms", "application/x-amz-json-1.1", "TrentService.Decrypt", `{"KeyId": "2222bbbb-22bb-42bb-82bb-2222bbbb2222", "CiphertextBlob": "AAAA"}`)
	if status != 400 || !strings.Contains(body, `"__type":"AccessDeniedException"`) {
		t.Fatalf("admin Decrypt of the payments key = %d %s, want AccessDeniedException", status, body)
	}
	status, body = e.call(t, "admin", "kms", "application/x-amz-json-1.1", "TrentService.Decrypt", `{"CiphertextBlob": "AAAA"}`)
	if status != 400 || !strings.Contains(body, "ValidationException") {
		t.Fatalf("Decrypt without KeyId = %d %s", status, body)
	}
}
