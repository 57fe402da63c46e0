package estate

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/binary"
)

// Unique ID prefixes IAM and STS use.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-prefixes
const (
	prefixUser            = "AIDA"
	prefixRole            = "AROA"
	prefixGroup           = "AGPA"
	prefixPolicy          = "ANPA"
	prefixInstanceProfile = "AIPA"
	prefixAccessKey       = "AKIA"
	prefixSessionKey      = "ASIA"
)

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// random returns n deterministic pseudo-random bytes: repeatable for the
// same estate, different for every call. Nothing secret rides on them;
// they make IDs, keys and secrets look like AWS's without reading a
// clock or a random source.
func (e *Estate) random(label string, n int) []byte {
	e.Serial++
	out := make([]byte, 0, n+sha256.Size)
	var ctr [8]byte
	for block := uint64(0); len(out) < n; block++ {
		h := sha256.New()
		h.Write([]byte(e.Seed))
		binary.BigEndian.PutUint64(ctr[:], e.Serial)
		h.Write(ctr[:])
		binary.BigEndian.PutUint64(ctr[:], block)
		h.Write(ctr[:])
		h.Write([]byte(label))
		out = h.Sum(out)
	}
	return out[:n]
}

// newID returns prefix followed by n characters of [A-Z2-7], the shape of
// IAM unique IDs (21 characters) and access key IDs (20).
func (e *Estate) newID(prefix string, n int) string {
	s := idEncoding.EncodeToString(e.random(prefix, n))
	return prefix + s[:n]
}

// NewAccessKeyID returns a fresh temporary access key ID (ASIA...).
func (e *Estate) NewAccessKeyID() string { return e.newID(prefixSessionKey, 16) }

// NewSecret returns a 40-character secret access key.
func (e *Estate) NewSecret() string {
	return base64.StdEncoding.EncodeToString(e.random("secret", 30))
}

// NewSessionToken returns an opaque session token shaped like STS's.
func (e *Estate) NewSessionToken() string {
	return "IQoJb3JpZ2luX2VjE" + base64.StdEncoding.EncodeToString(e.random("token", 240))
}

// newLowerID returns n lower-case characters for organization IDs (o-...,
// ou-..., p-...).
func (e *Estate) newLowerID(label string, n int) string {
	const digits = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := e.random(label, n)
	for i := range b {
		b[i] = digits[int(b[i])%len(digits)]
	}
	return string(b)
}
