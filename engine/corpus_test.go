package engine_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"iamlab/engine"
)

// corpusCase is one file of testdata/cases: a request in the `iamlab eval`
// format, the AWS documentation rule it checks, and the expected outcome.
type corpusCase struct {
	Doc     string          `json:"doc"`
	Request json.RawMessage `json:"request"`
	Want    *struct {
		Decision       string        `json:"decision"`
		Matched        *[]matchedRef `json:"matched"`
		ReasonContains string        `json:"reasonContains"`
	} `json:"want"`
}

type matchedRef struct {
	PolicyType     string `json:"policyType"`
	PolicyIndex    int    `json:"policyIndex"`
	StatementIndex int    `json:"statementIndex"`
}

// corpusClock is the time of corpus requests that do not give aws:CurrentTime.
var corpusClock = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

func corpusFiles(t testing.TB) []string {
	var files []string
	err := filepath.WalkDir("testdata/cases", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func loadCase(t testing.TB, path string) corpusCase {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c corpusCase
	if err := json.Unmarshal(src, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// TestCorpus runs every case of testdata/cases through DecodeRequest and
// Evaluate, as `iamlab eval` would.
func TestCorpus(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("no corpus cases found")
	}
	for _, path := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "testdata/cases/"), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := loadCase(t, path)
			if c.Doc == "" || c.Want == nil || c.Want.Decision == "" {
				t.Fatalf("%s: a case needs doc, request and want.decision", path)
			}
			req, err := engine.DecodeRequest(c.Request)
			if err != nil {
				t.Fatalf("DecodeRequest: %v", err)
			}
			if req.Time.IsZero() {
				req.Time = corpusClock
			}
			res := engine.Evaluate(req)
			if got := res.Decision.String(); got != c.Want.Decision {
				t.Errorf("Evaluate(%s) = %s, want %s\nreason: %s\ndoc: %s", path, got, c.Want.Decision, res.Reason(), c.Doc)
			}
			if c.Want.ReasonContains != "" && !strings.Contains(res.Reason(), c.Want.ReasonContains) {
				t.Errorf("reason %q does not contain %q", res.Reason(), c.Want.ReasonContains)
			}
			if c.Want.Matched != nil {
				got := map[matchedRef]bool{}
				for _, m := range res.Matched {
					got[matchedRef{m.Type.String(), m.Policy, m.Statement}] = true
				}
				want := map[matchedRef]bool{}
				for _, m := range *c.Want.Matched {
					want[m] = true
				}
				for m := range want {
					if !got[m] {
						t.Errorf("statement %+v did not match, want it matched", m)
					}
				}
				for m := range got {
					if !want[m] {
						t.Errorf("statement %+v matched, want it not matched", m)
					}
				}
			}
		})
	}
}
