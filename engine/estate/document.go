package estate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"iamlab/engine"
)

// Document is a policy document as written, with its parsed form. It is
// immutable once made, so clones of an estate share it. In JSON it is
// written as the policy object itself (or a string holding it); in YAML as
// a mapping or a block string.
type Document struct {
	text   string
	once   sync.Once
	policy *engine.Policy
	err    error
}

// NewDocument parses text as a policy document. The error is the engine's
// *engine.InputError, naming the JSON path, line and column.
func NewDocument(text string) (*Document, error) {
	d := &Document{text: text}
	if _, err := d.Policy(); err != nil {
		return nil, err
	}
	return d, nil
}

// Text returns the document as written.
func (d *Document) Text() string {
	if d == nil {
		return ""
	}
	return d.text
}

// Policy returns the parsed policy, parsing it on first use.
func (d *Document) Policy() (*engine.Policy, error) {
	d.once.Do(func() {
		d.policy, d.err = engine.ParsePolicy([]byte(d.text))
	})
	return d.policy, d.err
}

// Size is the document's size as IAM's quotas count it: characters other
// than whitespace.
func (d *Document) Size() int {
	if p, err := d.Policy(); err == nil {
		return p.Size()
	}
	n := 0
	for _, r := range d.text {
		if !strings.ContainsRune(" \t\r\n\v\f\u0085\u00a0", r) {
			n++
		}
	}
	return n
}

// MarshalJSON writes the document as its JSON object, or as a string when
// the text is not valid JSON.
func (d *Document) MarshalJSON() ([]byte, error) {
	if json.Valid([]byte(d.text)) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(d.text)); err == nil {
			return buf.Bytes(), nil
		}
	}
	return json.Marshal(d.text)
}

// UnmarshalJSON accepts the policy object itself or a string holding it.
// It keeps the text; Validate parses it and reports errors with their path.
func (d *Document) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*d = Document{text: s}
		return nil
	}
	*d = Document{text: string(b)}
	return nil
}

// UnmarshalYAML accepts a mapping or a string, in the older Unmarshaler
// form that gopkg.in/yaml.v2, yaml.v3 and goccy/go-yaml all call, so this
// package needs no YAML library.
func (d *Document) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	if s, ok := v.(string); ok {
		*d = Document{text: s}
		return nil
	}
	b, err := json.Marshal(jsonable(v))
	if err != nil {
		return fmt.Errorf("policy document: %w", err)
	}
	*d = Document{text: string(b)}
	return nil
}

// MarshalYAML writes the document as a mapping when it is valid JSON.
func (d *Document) MarshalYAML() (any, error) {
	var v any
	if err := json.Unmarshal([]byte(d.text), &v); err != nil {
		return d.text, nil
	}
	return v, nil
}

// jsonable turns the map[any]any that YAML decoders produce into values
// encoding/json accepts.
func jsonable(v any) any {
	switch x := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[fmt.Sprint(k)] = jsonable(val)
		}
		return m
	case map[string]any:
		for k, val := range x {
			x[k] = jsonable(val)
		}
		return x
	case []any:
		for i := range x {
			x[i] = jsonable(x[i])
		}
		return x
	}
	return v
}

// policyKind says where a document is attached, for the checks IAM makes
// on write.
type policyKind uint8

const (
	kindIdentityPolicy policyKind = iota + 1
	kindTrustPolicy
	kindResourcePolicy
	kindSessionPolicy
	kindOrgPolicy
)

// checkDocument parses d and applies the checks IAM (or S3, or
// Organizations) makes when such a policy is written, returning AWS's error.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func checkDocument(d *Document, kind policyKind) error {
	if d == nil {
		return malformed(kind, "Syntax errors in policy.", nil)
	}
	if bad := badPolicyChar(d.text); bad != "" {
		return malformed(kind, "The policy contains a character that IAM does not allow: "+bad+".", nil)
	}
	p, err := d.Policy()
	if err != nil {
		var ie *engine.InputError
		if errors.As(err, &ie) && ie.Path == "" {
			return malformed(kind, "This policy contains invalid Json", err)
		}
		if ie != nil && (strings.Contains(ie.Path, ".Principal") || strings.Contains(ie.Path, ".NotPrincipal")) {
			// S3 and IAM name a principal they cannot accept (a group,
			// an unknown account) rather than a syntax error.
			// https://repost.aws/knowledge-center/s3-invalid-principal-in-policy-error
			return malformed(kind, "Invalid principal in policy", err)
		}
		return malformed(kind, "Syntax errors in policy.", err)
	}
	for i := range p.Statements {
		s := &p.Statements[i]
		hasPrincipal := s.Principal != nil || s.NotPrincipal != nil
		switch kind {
		case kindIdentityPolicy, kindSessionPolicy, kindOrgPolicy:
			if hasPrincipal {
				return malformed(kind, "Policy document should not specify a principal.", nil)
			}
			if !s.HasResource && kind != kindOrgPolicy {
				return malformed(kind, "Policy statement must contain resources.", nil)
			}
		case kindTrustPolicy:
			if !hasPrincipal {
				return malformed(kind, "Missing required field Principal", nil)
			}
			if s.HasResource {
				return malformed(kind, "Has prohibited field Resource", nil)
			}
			for _, a := range s.Actions {
				if !s.NotAction && !strings.HasPrefix(strings.ToLower(a.Text), "sts:") && a.Text != "*" {
					return malformed(kind, "AssumeRole policy may only specify STS AssumeRole actions.", nil)
				}
			}
		case kindResourcePolicy:
			if !hasPrincipal {
				return malformed(kind, "Missing required field Principal", nil)
			}
		}
	}
	return nil
}

func malformed(kind policyKind, msg string, cause error) *Error {
	code := CodeMalformedPolicyDocument
	if kind == kindResourcePolicy {
		code = CodeMalformedPolicy
	}
	e := newError(code, http.StatusBadRequest, msg)
	if cause != nil {
		e.Detail = cause.Error()
		e.Err = cause
	}
	return e
}

// badPolicyChar returns the first character outside what IAM accepts in a
// policy document: tab, LF, CR and U+0020 through U+00FF.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func badPolicyChar(s string) string {
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xFF) {
			continue
		}
		return fmt.Sprintf("%q (U+%04X)", r, r)
	}
	return ""
}
