package serve

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"iamlab/engine/estate"
)

// Signature Version 4, as AWS checks it: the server recomputes the
// signature with aws-sdk-go-v2's signer over exactly the headers the
// client signed, and compares.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html

const (
	emptySHA256     = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	unsignedPayload = "UNSIGNED-PAYLOAD"
	amzDateFormat   = "20060102T150405Z"
)

// signature is what a request says about its own signing.
type signature struct {
	present   bool
	presigned bool
	accessKey string
	date      string // yyyymmdd of the credential scope
	region    string
	service   string
	signed    []string // signed header names, lower case
	sig       string
	time      time.Time
	token     string
	expires   time.Duration // presigned URLs
}

// authError is an authentication failure, named by its kind; each
// protocol words it in its own service's terms (authFailure, encode.go).
type authError struct {
	kind   authKind
	detail string
}

type authKind uint8

const (
	authMissing authKind = iota + 1
	authIncomplete
	authUnknownKey
	authBadSignature
	authExpiredToken
	authBadToken
	authPresignExpired
	authHashMismatch
	authSkewed
)

// maxSkew is how far a signature's time may be from the server's.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html
const maxSkew = 15 * time.Minute

func (e *authError) Error() string { return e.detail }

// parseSignature reads the Authorization header or, for a presigned URL,
// the X-Amz-* query parameters.
func parseSignature(r *http.Request) (signature, *authError) {
	var s signature
	q := r.URL.Query()
	if h := r.Header.Get("Authorization"); h != "" {
		s.present = true
		alg, rest, _ := strings.Cut(h, " ")
		if alg != "AWS4-HMAC-SHA256" {
			return s, &authError{authIncomplete, "Unsupported Authorization Type"}
		}
		fields := map[string]string{}
		for _, part := range strings.Split(rest, ",") {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			fields[k] = v
		}
		if fields["Credential"] == "" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
			return s, &authError{authIncomplete, "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=" + h}
		}
		if err := s.scope(fields["Credential"]); err != nil {
			return s, err
		}
		s.signed = strings.Split(fields["SignedHeaders"], ";")
		s.sig = fields["Signature"]
		s.token = r.Header.Get("X-Amz-Security-Token")
		date := r.Header.Get("X-Amz-Date")
		if date == "" {
			date = r.Header.Get("Date")
		}
		t, err := time.Parse(amzDateFormat, date)
		if err != nil {
			return s, &authError{authIncomplete, "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" + h}
		}
		s.time = t
		return s, nil
	}
	if q.Get("X-Amz-Signature") == "" && q.Get("X-Amz-Credential") == "" {
		return s, nil
	}
	s.present, s.presigned = true, true
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return s, &authError{authIncomplete, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""}
	}
	if err := s.scope(q.Get("X-Amz-Credential")); err != nil {
		return s, err
	}
	s.signed = strings.Split(q.Get("X-Amz-SignedHeaders"), ";")
	s.sig = q.Get("X-Amz-Signature")
	s.token = q.Get("X-Amz-Security-Token")
	t, err := time.Parse(amzDateFormat, q.Get("X-Amz-Date"))
	if err != nil {
		return s, &authError{authIncomplete, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""}
	}
	s.time = t
	secs, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || secs < 1 || secs > 604800 {
		return s, &authError{authIncomplete, "X-Amz-Expires must be between 1 and 604800 seconds"}
	}
	s.expires = time.Duration(secs) * time.Second
	return s, nil
}

// scope reads AKID/yyyymmdd/region/service/aws4_request.
func (s *signature) scope(cred string) *authError {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || parts[0] == "" {
		return &authError{authIncomplete, "Credential should be scoped to a valid region, not '" + cred + "'. "}
	}
	s.accessKey, s.date, s.region, s.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

// secretFor finds the secret of an access key in the estate: a user's or
// root user's long-term key, or temporary credentials STS issued.
func secretFor(e *estate.Estate, akid string) (secret string, session *estate.Session, ok bool) {
	if s := e.Sessions[akid]; s != nil {
		return s.SecretAccessKey, s, true
	}
	for _, a := range e.Accounts {
		if a.Root != nil {
			for _, k := range a.Root.AccessKeys {
				if k.ID == akid {
					return k.Secret, nil, k.Status == "" || k.Status == "Active"
				}
			}
		}
		for _, u := range a.Users {
			for _, k := range u.AccessKeys {
				if k.ID == akid {
					return k.Secret, nil, k.Status == "" || k.Status == "Active"
				}
			}
		}
	}
	return "", nil, false
}

// verify checks a signed request against the estate at time now and
// returns the caller it authenticates. body is the payload as received
// (nil for a presigned URL, whose payload is unsigned). The signing time
// must be within 15 minutes of wall, the real time: the estate's clock
// (now) may have been moved on, to expire credentials.
func verify(r *http.Request, s signature, body []byte, e *estate.Estate, now, wall time.Time) (estate.Caller, *authError) {
	secret, session, ok := secretFor(e, s.accessKey)
	if !ok {
		return estate.Caller{}, &authError{authUnknownKey, "unknown access key " + s.accessKey}
	}
	if session != nil && s.token == "" {
		// A temporary key signed without its token.
		return estate.Caller{}, &authError{authUnknownKey, "temporary access key " + s.accessKey + " used without its session token"}
	}
	payload := unsignedPayload
	if !s.presigned {
		payload = r.Header.Get("X-Amz-Content-Sha256")
		switch {
		case payload == "":
			sum := sha256.Sum256(body)
			payload = hex.EncodeToString(sum[:])
		case isHex64(payload):
			sum := sha256.Sum256(body)
			if !strings.EqualFold(hex.EncodeToString(sum[:]), payload) && !isChunked(r) {
				return estate.Caller{}, &authError{authHashMismatch, "The provided 'x-amz-content-sha256' header does not match what was computed."}
			}
		}
	}
	want, err := recompute(r, s, secret, payload)
	if err != nil || !hmac.Equal([]byte(want), []byte(s.sig)) {
		return estate.Caller{}, &authError{authBadSignature, "signature mismatch"}
	}
	if strings.HasPrefix(payload, signedChunks) {
		if err := verifyChunks(body, s, secret); err != nil {
			return estate.Caller{}, err
		}
	}
	if !s.presigned && (s.time.Before(wall.Add(-maxSkew)) || s.time.After(wall.Add(maxSkew))) {
		f := func(t time.Time) string { return t.UTC().Format(amzDateFormat) }
		detail := "Signature expired: " + f(s.time) + " is now earlier than " + f(wall.Add(-maxSkew)) + " (" + f(wall) + " - 15 min.)"
		if s.time.After(wall) {
			detail = "Signature not yet current: " + f(s.time) + " is still later than " + f(wall.Add(maxSkew)) + " (" + f(wall) + " + 15 min.)"
		}
		return estate.Caller{}, &authError{authSkewed, detail}
	}
	if session != nil && session.SessionToken != s.token {
		return estate.Caller{}, &authError{authBadToken, "session token does not match access key " + s.accessKey}
	}
	if s.presigned && now.After(s.time.Add(s.expires)) {
		return estate.Caller{}, &authError{authPresignExpired, "presigned URL expired at " + s.time.Add(s.expires).Format(time.RFC3339)}
	}
	if session != nil && !now.Before(session.Expiration) {
		return estate.Caller{}, &authError{authExpiredToken, "session expired at " + session.Expiration.Format(time.RFC3339)}
	}
	return estate.Caller{AccessKeyID: s.accessKey, SessionToken: s.token}, nil
}

// signedChunks starts the x-amz-content-sha256 of an upload whose body
// comes in chunks, each signed (with or without trailing headers).
const signedChunks = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"

// verifyChunks checks the chain of chunk signatures of an aws-chunked
// body: each chunk's signature covers its data and the signature before
// it, starting from the request's own (the seed), so no chunk can be
// changed, dropped or reordered. aws-sdk-go-v2's stream signer computes
// each, as its string to sign is the chunk's with no headers. A trailing
// header chunk's signature is not checked.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html
func verifyChunks(body []byte, s signature, secret string) *authError {
	seed, err := hex.DecodeString(s.sig)
	if err != nil {
		return &authError{authBadSignature, "signature mismatch"}
	}
	creds := aws.Credentials{AccessKeyID: s.accessKey, SecretAccessKey: secret, SessionToken: s.token}
	signer := v4.NewStreamSigner(creds, s.service, s.region, seed)
	for {
		line, rest, ok := bytes.Cut(body, []byte("\r\n"))
		if !ok {
			return &authError{authBadSignature, "chunked body ends before its final chunk"}
		}
		sizeText, ext, _ := bytes.Cut(line, []byte(";"))
		size, err := strconv.ParseInt(string(bytes.TrimSpace(sizeText)), 16, 64)
		if err != nil || size < 0 || int64(len(rest)) < size {
			return &authError{authBadSignature, "chunked body ends inside a chunk"}
		}
		got, ok := bytes.CutPrefix(ext, []byte("chunk-signature="))
		if !ok {
			return &authError{authBadSignature, "a chunk has no chunk-signature"}
		}
		want, _ := signer.GetSignature(context.Background(), nil, rest[:size], s.time)
		if !hmac.Equal([]byte(hex.EncodeToString(want)), bytes.TrimSpace(got)) {
			return &authError{authBadSignature, "chunk signature mismatch"}
		}
		if size == 0 {
			return nil
		}
		body = bytes.TrimPrefix(rest[size:], []byte("\r\n"))
	}
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// recompute signs a copy of the request that holds only the headers the
// client signed, and returns the signature the client should have sent.
func recompute(r *http.Request, s signature, secret, payload string) (string, error) {
	u := *r.URL
	q := u.Query()
	q.Del("X-Amz-Signature")
	u.RawQuery = q.Encode()
	cp, err := http.NewRequest(r.Method, u.String(), nil)
	if err != nil {
		return "", err
	}
	cp.URL.Path, cp.URL.RawPath = r.URL.Path, r.URL.RawPath
	cp.Host = r.Host
	cp.Header = http.Header{}
	for _, h := range s.signed {
		switch h {
		case "host":
		case "content-length":
			cp.ContentLength = r.ContentLength
			if v := r.Header.Get("Content-Length"); v != "" {
				cp.ContentLength, _ = strconv.ParseInt(v, 10, 64)
			}
		default:
			if v, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
				cp.Header[http.CanonicalHeaderKey(h)] = v
			}
		}
	}
	creds := aws.Credentials{AccessKeyID: s.accessKey, SecretAccessKey: secret, SessionToken: s.token}
	// A signer per request: a kept one would reuse the signing key it
	// cached for an access key ID, which its secret does not key, so an
	// estate that gives a key ID a new secret would be checked against
	// the old one.
	signer := v4.NewSigner(func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = s.service == "s3"
	})
	if s.presigned {
		uri, _, err := signer.PresignHTTP(context.Background(), creds, cp, payload, s.service, s.region, s.time, func(o *v4.SignerOptions) {
			o.DisableHeaderHoisting = true
		})
		if err != nil {
			return "", err
		}
		pu, err := url.Parse(uri)
		if err != nil {
			return "", err
		}
		return pu.Query().Get("X-Amz-Signature"), nil
	}
	if err := signer.SignHTTP(context.Background(), creds, cp, payload, s.service, s.region, s.time); err != nil {
		return "", err
	}
	_, sig, _ := strings.Cut(cp.Header.Get("Authorization"), "Signature=")
	return sig, nil
}
