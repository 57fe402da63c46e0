package estate_test

import (
	"encoding/json"
	"errors"
	"os"
	"sync"
	"testing"
	"time"

	"iamlab/engine/estate"
)

// now is the sandbox time of every test.
var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

var base = sync.OnceValues(func() (*estate.Estate, error) {
	b, err := os.ReadFile("testdata/world.json")
	if err != nil {
		return nil, err
	}
	var e estate.Estate
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
})

// validEstate decodes src with unmarshal (json.Unmarshal, yaml.Unmarshal)
// and validates it.
func validEstate(t testing.TB, unmarshal func([]byte, any) error, src string) *estate.Estate {
	t.Helper()
	var e estate.Estate
	if err := unmarshal([]byte(src), &e); err != nil {
		t.Fatal(err)
	}
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	return &e
}

// world returns a fresh copy of testdata/world.json for one test.
func world(t testing.TB) *estate.Estate {
	t.Helper()
	e, err := base()
	if err != nil {
		t.Fatalf("load testdata/world.json: %v", err)
	}
	return e.Clone()
}

func user(arn string) estate.Caller { return estate.Caller{ARN: arn} }

const (
	alice   = "arn:aws:iam::222222222222:user/staff/alice"
	bounded = "arn:aws:iam::222222222222:user/bounded"
	noperms = "arn:aws:iam::222222222222:user/noperms"
	root2   = "arn:aws:iam::222222222222:root"
	sam     = "arn:aws:iam::333333333333:user/sam"
	admin1  = "arn:aws:iam::111111111111:user/admin"
	partner = "arn:aws:iam::444444444444:user/partner"
)

func call(c estate.Caller) estate.Call { return estate.Call{Caller: c, Time: now} }

// putBucketPolicy sets a bucket's policy as the root user of owner, the
// bucket's account, whom S3 always lets set it.
func putBucketPolicy(e *estate.Estate, owner, bucket, doc string) error {
	_, err := e.PutBucketPolicyAs(call(user("arn:aws:iam::"+owner+":root")), bucket, doc)
	return err
}

// code returns err's AWS error code, "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	var e *estate.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "not an *estate.Error: " + err.Error()
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
