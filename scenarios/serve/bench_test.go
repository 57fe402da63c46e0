package serve_test

import (
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"iamlab/scenarios/serve"
)

// The whole HTTP stack: the SDK signs, the server verifies the
// signature, decides with the engine and encodes AWS's answer.

func BenchmarkSignedGetObject(b *testing.B) {
	e := start(b, "instance-role-removed", serve.Options{})
	alice := e.s3(e.creds(b, "alice"))
	in := &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")}
	parallel(b, func() error {
		out, err := alice.GetObject(ctx, in)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, out.Body)
		return out.Body.Close()
	})
}

func BenchmarkAssumeRole(b *testing.B) {
	e := start(b, "assume-role-same-account", serve.Options{})
	dev := e.sts(e.creds(b, "dev"))
	in := &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::111122223333:role/DeployRole"), RoleSessionName: aws.String("bench")}
	parallel(b, func() error {
		_, err := dev.AssumeRole(ctx, in)
		return err
	})
}

// parallel runs call from concurrent clients and reports requests per
// second; the first error stops that client.
func parallel(b *testing.B, call func() error) {
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := call(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
