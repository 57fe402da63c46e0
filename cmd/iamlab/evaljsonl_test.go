package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"iamlab/internal/spread"
)

// corpusLines returns every engine corpus request as one compact JSON line.
func corpusLines(tb testing.TB) [][]byte {
	tb.Helper()
	files, err := filepath.Glob("../../engine/testdata/cases/*/*.json")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no corpus cases: %v", err)
	}
	var lines [][]byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var c struct{ Request json.RawMessage }
		if err := json.Unmarshal(src, &c); err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		var line bytes.Buffer
		if err := json.Compact(&line, c.Request); err != nil {
			tb.Fatal(err)
		}
		lines = append(lines, line.Bytes())
	}
	return lines
}

// TestEvalJSONLAgreesWithEval: the corpus run three times over as one
// --jsonl batch (so most policies come from the cache) gives, line for
// line, what `iamlab eval -` gives for each request alone.
func TestEvalJSONLAgreesWithEval(t *testing.T) {
	lines := corpusLines(t)
	var in bytes.Buffer
	for range 3 {
		for _, l := range lines {
			in.Write(l)
			in.WriteByte('\n')
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--jsonl"}, &in, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != 3*len(lines) {
		t.Fatalf("%d result lines for %d requests", len(got), 3*len(lines))
	}
	for i, l := range lines {
		var one, oneErr bytes.Buffer
		if code := run([]string{"eval", "-"}, bytes.NewReader(l), &one, &oneErr); code != exitOK {
			t.Fatalf("request %d: exit %d: %s", i, code, oneErr.String())
		}
		var want bytes.Buffer
		if err := json.Compact(&want, one.Bytes()); err != nil {
			t.Fatal(err)
		}
		for pass := range 3 {
			if g := got[pass*len(lines)+i]; g != want.String() {
				t.Errorf("pass %d, request %d: --jsonl gives %s, eval - gives %s", pass, i, g, want.String())
			}
		}
	}
}

// TestEvalJSONLLongLine: a line over the request size limit gets an error
// naming the limit, and the lines after it are still evaluated (issue 12
// item 10: it used to end the run with "token too long").
func TestEvalJSONLLongLine(t *testing.T) {
	good := `{"principal": {"arn": "arn:aws:iam::111122223333:user/alice", "identityPolicies": [{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}]}, "action": "s3:GetObject", "resource": {"arn": "arn:aws:s3:::b/k", "account": "111122223333"}}`
	long := `{"action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"aws:x": "` + strings.Repeat("x", maxRequestBytes) + `"}}`
	in := good + "\n" + long + "\n" + good + "\n" + good // the last line has no newline
	var out, errOut bytes.Buffer
	if code := run([]string{"eval", "--jsonl"}, strings.NewReader(in), &out, &errOut); code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 4 {
		t.Fatalf("%d result lines, want 4", len(lines))
	}
	wants := []string{`"decision":"Allow"`, `{"error":"line 2: the line is larger than the 8 MiB limit of one request`, `"decision":"Allow"`, `"decision":"Allow"`}
	for i, w := range wants {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %.200s, want it to contain %s", i+1, lines[i], w)
		}
	}
}

// TestEvalRequestTooLarge: a request over the limit is refused before it
// is parsed, with a message that names the limit.
func TestEvalRequestTooLarge(t *testing.T) {
	big := `{"action": "s3:GetObject", "resource": {"arn": "*"}, "context": {"aws:x": "` + strings.Repeat("x", maxRequestBytes) + `"}}`
	file := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(file, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"eval", "-"}, {"eval", file}} {
		var out, errOut bytes.Buffer
		code := run(args, strings.NewReader(big), &out, &errOut)
		if code != exitBadUsage || !strings.Contains(errOut.String(), "larger than the 8 MiB limit of one request") {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming the 8 MiB limit", args, code, errOut.String())
		}
	}
}

// jsonlWorkload is the corpus requests repeated to n lines, as a batch
// that repeats its policies.
func jsonlWorkload(tb testing.TB, n int) []byte {
	lines := corpusLines(tb)
	var in bytes.Buffer
	for i := range n {
		in.Write(lines[i%len(lines)])
		in.WriteByte('\n')
	}
	return in.Bytes()
}

// BenchmarkEvalJSONL is `iamlab eval --jsonl` over 4,096 corpus requests;
// compare it with BenchmarkDecodeJSONLGenericMap, the cost of merely
// decoding the same lines (issue 10: within 1.3 times). Both spread over
// GOMAXPROCS; run with -cpu 1 for the one-core figure.
func BenchmarkEvalJSONL(b *testing.B) {
	src := jsonlWorkload(b, 4096)
	b.SetBytes(int64(len(src)))
	now := time.Now()
	for b.Loop() {
		if code := evalLines(bytes.NewReader(src), io.Discard, io.Discard, now); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkDecodeJSONLGenericMap decodes the lines of BenchmarkEvalJSONL
// into generic maps with encoding/json, over GOMAXPROCS workers, and does
// nothing else (bench/decodeonly is the same as a command).
func BenchmarkDecodeJSONLGenericMap(b *testing.B) {
	src := jsonlWorkload(b, 4096)
	b.SetBytes(int64(len(src)))
	lines := bytes.Split(bytes.TrimSuffix(src, []byte("\n")), []byte("\n"))
	workers := runtime.GOMAXPROCS(0)
	for b.Loop() {
		spread.Each(len(lines), workers, func(i int) {
			var m map[string]any
			if err := json.Unmarshal(lines[i], &m); err != nil {
				b.Error(err)
			}
		})
	}
}
