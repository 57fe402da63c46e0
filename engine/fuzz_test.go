package engine_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"iamlab/engine"
)

// corpusPolicies returns every policy document in the corpus, as seeds.
func corpusPolicies(t testing.TB) [][]byte {
	var out [][]byte
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["Statement"]; ok {
				b, _ := json.Marshal(x)
				out = append(out, b)
				return
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, path := range corpusFiles(t) {
		c := loadCase(t, path)
		var v any
		if json.Unmarshal(c.Request, &v) == nil {
			walk(v)
		}
	}
	return out
}

// FuzzParsePolicy: no input panics, and a parsed policy written back and
// parsed again is the same policy.
func FuzzParsePolicy(f *testing.F) {
	for _, p := range corpusPolicies(f) {
		f.Add(p)
	}
	f.Add([]byte(`{"Statement": {"Effect": "Deny", "NotAction": "iam:*", "NotResource": "*", "Condition": {"ForAllValues:StringLikeIfExists": {"aws:TagKeys": ["${aws:username}", "a?"]}}}}`))
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := engine.ParsePolicy(src)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		engine.Lint(p, engine.PlacementIdentity)
		engine.Lint(p, engine.PlacementResource)
		out, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		p2, err := engine.ParsePolicy(out)
		if err != nil {
			t.Fatalf("re-parse of %s: %v", out, err)
		}
		out2, _ := p2.MarshalJSON()
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the policy:\n%s\n%s", out, out2)
		}
	})
}

// FuzzDecodeRequest: no request panics DecodeRequest or Evaluate, a
// result always encodes, and the caching RequestDecoder (fed the request
// twice, so the second time its policies come from the cache) gives the
// same error or the same result.
func FuzzDecodeRequest(f *testing.F) {
	for _, path := range corpusFiles(f) {
		f.Add([]byte(loadCase(f, path).Request))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		req, err := engine.DecodeRequest(src)
		dec := engine.NewRequestDecoder(1 << 20)
		for range 2 {
			creq, cerr := dec.Decode(src)
			if (cerr == nil) != (err == nil) || cerr != nil && cerr.Error() != err.Error() {
				t.Fatalf("RequestDecoder.Decode error %v, DecodeRequest error %v", cerr, err)
			}
			if err == nil {
				creq.Time, req.Time = corpusClock, corpusClock
				if got, want := engine.Evaluate(creq), engine.Evaluate(req); got.Decision != want.Decision || got.Reason() != want.Reason() {
					t.Fatalf("with the cache: %v (%s); without: %v (%s)", got.Decision, got.Reason(), want.Decision, want.Reason())
				}
			}
		}
		if err != nil {
			return
		}
		req.Time = corpusClock
		res := engine.Evaluate(req)
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
		if res.Reason() == "" {
			t.Fatal("empty reason")
		}
	})
}
