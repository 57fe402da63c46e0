package estate_test

import (
	"testing"

	"iamlab/engine/estate"
)

// BenchmarkAuthorize is one call through the estate: a user with group,
// inline and managed policies, three SCP levels, an RCP and a bucket
// policy.
func BenchmarkAuthorize(b *testing.B) {
	e := world(b)
	c := call(user(alice))
	b.ReportAllocs()
	for b.Loop() {
		if d := e.Authorize(c, "s3:PutObject", "arn:aws:s3:::team-bucket/home/alice/x"); !d.Allowed() {
			b.Fatal(d.Err)
		}
	}
}

// BenchmarkAuthorizeDenied includes wording the denial.
func BenchmarkAuthorizeDenied(b *testing.B) {
	e := world(b)
	c := call(user(alice))
	b.ReportAllocs()
	for b.Loop() {
		if d := e.Authorize(c, "s3:DeleteObject", "arn:aws:s3:::team-bucket/home/alice/x"); d.Allowed() {
			b.Fatal("allowed")
		}
	}
}

// BenchmarkClone is the copy a scenario makes before every re-run.
func BenchmarkClone(b *testing.B) {
	e := world(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = e.Clone()
	}
}

// BenchmarkRunInstances is an operation authorized as two actions.
func BenchmarkRunInstances(b *testing.B) {
	e := world(b)
	c := call(user(alice))
	in := estate.RunInstancesInput{ImageID: "ami-0abc", IamInstanceProfile: "app-web", DryRun: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.RunInstances(c, in); code(err) != "DryRunOperation" {
			b.Fatal(err)
		}
	}
}
