package engine_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"iamlab/engine"
)

// TestRequestDecoderAgrees: every corpus request decoded through one
// shared RequestDecoder, twice over so that the second pass takes every
// policy from the cache, decides exactly as DecodeRequest's request does.
func TestRequestDecoderAgrees(t *testing.T) {
	t.Parallel()
	dec := engine.NewRequestDecoder(1 << 20)
	files := corpusFiles(t)
	for pass := range 2 {
		for _, path := range files {
			src := []byte(loadCase(t, path).Request)
			plain, err := engine.DecodeRequest(src)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			cached, err := dec.Decode(src)
			if err != nil {
				t.Fatalf("pass %d: %s: Decode: %v", pass, path, err)
			}
			plain.Time, cached.Time = corpusClock, corpusClock
			want, got := engine.Evaluate(plain), engine.Evaluate(cached)
			if got.Decision != want.Decision || got.Reason() != want.Reason() || !reflect.DeepEqual(got.Matched, want.Matched) {
				t.Errorf("pass %d: %s: with the cache %v (%s), without %v (%s)", pass, path, got.Decision, got.Reason(), want.Decision, want.Reason())
			}
		}
	}
}

// TestRequestDecoderErrors: an error in a request whose policies are
// cached still names its place in the request, and a bad policy is never
// served from the cache.
func TestRequestDecoderErrors(t *testing.T) {
	t.Parallel()
	policy := `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}`
	good := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [` + policy + `]}, "action": "s3:GetObject", "resource": {"arn": "*"}}`
	tests := []struct{ name, src string }{
		{"bad action after a cached policy", `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [` + policy + `]}, "action": "s3:Get*", "resource": {"arn": "*"}}`},
		{"bad policy", `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [` + policy + `, {"Statement": {"Effect": "Maybe"}}]}, "action": "s3:GetObject", "resource": {"arn": "*"}}`},
		{"unterminated policy", `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Statement": "`},
		{"object where a string belongs", `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice"}, "action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"aws:username": {"x": 1}}}`},
		{"grant without a grantee", `{"action": "kms:Decrypt", "resource": {"arn": "*", "kmsGrants": [{"operations": ["Decrypt"]}]}}`},
		{"unterminated grant", `{"action": "kms:Decrypt", "resource": {"arn": "*", "kmsGrants": [{"granteePrincipal": "arn:aws:iam::111122223333:user/bob", "operations": ["Decrypt"]`},
		{"policy on line 3", "{\n\"principal\": {\"arn\": \"arn:aws:iam::111122223333:user/alice\",\n\"identityPolicies\": [" + policy + "]}, \"action\": \"s3:GetObject\", \"resource\": {\"arn\": \"*\"}, \"extra\": 1}"},
	}
	dec := engine.NewRequestDecoder(1 << 20)
	if _, err := dec.Decode([]byte(good)); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, want := engine.DecodeRequest([]byte(tc.src))
			_, got := dec.Decode([]byte(tc.src))
			if want == nil || got == nil || got.Error() != want.Error() {
				t.Errorf("Decode error = %v, want %v", got, want)
			}
		})
	}
}

// TestResultMarshalJSON: the hand-written encoder writes what encoding/json
// writes for the same fields, escapes included, for every corpus result
// and for Sids full of characters that need escaping.
func TestResultMarshalJSON(t *testing.T) {
	t.Parallel()
	type ref struct {
		PolicyType     string `json:"policyType"`
		PolicyIndex    int    `json:"policyIndex"`
		StatementIndex int    `json:"statementIndex"`
		Sid            string `json:"sid,omitempty"`
		Effect         string `json:"effect"`
	}
	type wire struct {
		Decision          string `json:"decision"`
		Reason            string `json:"reason"`
		MatchedStatements []ref  `json:"matchedStatements"`
	}
	viaEncodingJSON := func(r engine.Result) string {
		w := wire{Decision: r.Decision.String(), Reason: r.Reason(), MatchedStatements: []ref{}}
		for _, m := range r.Matched {
			w.MatchedStatements = append(w.MatchedStatements, ref{m.Type.String(), m.Policy, m.Statement, m.Sid, m.Effect.String()})
		}
		out, err := json.Marshal(w)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}
	var results []engine.Result
	for _, path := range corpusFiles(t) {
		req, err := engine.DecodeRequest([]byte(loadCase(t, path).Request))
		if err != nil {
			t.Fatal(err)
		}
		req.Time = corpusClock
		results = append(results, engine.Evaluate(req))
	}
	for _, sid := range []string{"<a&b>", "tab\there", "nl\nq\"bs\\", "\x00\x01\x1f\b\f\r", "line\u2028sep\u2029", "bad\xffutf8", "é😀"} {
		results = append(results, engine.Result{Decision: engine.Allow, Matched: []engine.StatementRef{{Type: engine.IdentityPolicy, Sid: sid, Effect: engine.EffectAllow}}})
	}
	for _, r := range results {
		got, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if want := viaEncodingJSON(r); string(got) != want {
			t.Errorf("MarshalJSON = %s, want %s", got, want)
		}
	}
}

// TestDecodeRequestLimits: a request denser than MaxRequestValues is an
// error that names the limit and where it was passed, with or without the
// cache, and a duplicate Sid deep in a long policy is still found.
func TestDecodeRequestLimits(t *testing.T) {
	t.Parallel()
	ones := strings.Repeat("1,", engine.MaxRequestValues) + "1"
	policy := func(n int) string {
		return `{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"NumericEquals": {"s3:max-keys": [` +
			strings.Repeat("1,", n) + `1]}}}}`
	}
	request := func(policies ...string) string {
		return `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [` + strings.Join(policies, ",") +
			`]}, "action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"s3:max-keys": [` + ones[:20] + `1]}}`
	}
	tests := []struct{ name, src, want string }{
		{"dense context", `{"action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"aws:x": [` + ones + `]}}`, "more than 250000 JSON values"},
		{"dense policy", request(policy(engine.MaxRequestValues)), "more than 250000 JSON values"},
		// Each policy is under the limit; together they are over it.
		{"two policies", request(policy(engine.MaxRequestValues/2), policy(engine.MaxRequestValues/2)), "more than 250000 JSON values"},
		// The grants, parsed apart from the request, count towards it too.
		{"policy and grant", strings.Replace(request(policy(engine.MaxRequestValues/2)), `"resource": {"arn": "*"}`,
			`"resource": {"arn": "*", "kmsGrants": [{"granteePrincipal": "arn:aws:iam::111122223333:user/bob", "operations": [`+
				strings.Repeat(`"Decrypt",`, engine.MaxRequestValues/2)+`"Decrypt"]}]}`, 1), "more than 250000 JSON values"},
	}
	dec := engine.NewRequestDecoder(64 << 20)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := engine.DecodeRequest([]byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("DecodeRequest error = %v, want %q", err, tc.want)
			}
			for range 2 {
				if _, cerr := dec.Decode([]byte(tc.src)); cerr == nil || cerr.Error() != err.Error() {
					t.Errorf("Decode error = %v, want %v", cerr, err)
				}
			}
		})
	}
	// Just under the limit still decodes, through the cache too.
	ok := request(policy(engine.MaxRequestValues / 3))
	if _, err := engine.DecodeRequest([]byte(ok)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := dec.Decode([]byte(ok)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDuplicateSidInLongPolicy: the duplicate-Sid check, done through a
// map for long policies, names the first repeat and what it repeats.
func TestDuplicateSidInLongPolicy(t *testing.T) {
	t.Parallel()
	var stmts []string
	for i := range 1000 {
		sid := fmt.Sprintf("S%d", i)
		if i == 900 {
			sid = "S17"
		}
		stmts = append(stmts, fmt.Sprintf(`{"Sid": %q, "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}`, sid))
	}
	_, err := engine.ParsePolicy([]byte(`{"Version": "2012-10-17", "Statement": [` + strings.Join(stmts, ",") + `]}`))
	want := `Statement[900].Sid: duplicate Sid "S17" (also statement 17)`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("ParsePolicy error = %v, want %q", err, want)
	}
}

// TestDuplicateKeyInLargeObject: past 16 members an object's keys are
// checked through a map; a repeat is still reported with where the key
// first appeared.
func TestDuplicateKeyInLargeObject(t *testing.T) {
	t.Parallel()
	var keys []string
	for i := range 40 {
		keys = append(keys, fmt.Sprintf(`"aws:k%d": "v"`, i))
	}
	keys = append(keys, `"aws:k3": "again"`)
	src := `{"action": "s3:GetObject", "resource": {"arn": "*"}, "context": {` + strings.Join(keys, ", ") + `}}`
	_, err := engine.DecodeRequest([]byte(src))
	col := strings.Index(src, `"aws:k3"`) + 1
	want := fmt.Sprintf(`duplicate key "aws:k3" (first at line 1, column %d)`, col)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("DecodeRequest error = %v, want %q", err, want)
	}
}
