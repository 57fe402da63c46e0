package scenarios

import (
	"fmt"
	"strings"

	"iamlab/engine/estate"
)

// This file is the entry point for callers that run commands arriving as
// AWS API requests rather than typed lines (iamlab serve): they build the
// Command the console would parse and run it on the same executor.

// Exec runs a command as caller, already authenticated, and returns what
// it did, exactly as the console would run it. It also runs the wire-only
// operations of wireOps, which the console does not offer.
func (sb *Sandbox) Exec(caller estate.Caller, c *Command) *Outcome {
	o := &Outcome{Command: c.Line}
	if run, ok := wireOps[c.Service+" "+c.Operation]; ok {
		run(sb, o, caller, c)
		return o
	}
	if findSpec(c.Service, c.Operation) == nil {
		o.Code, o.Message = "ParamValidation", "aws "+c.Service+" "+c.Operation+" is not supported in the sandbox"
		return o
	}
	sb.exec(o, caller, c)
	return o
}

// Known reports whether Exec runs the command.
func Known(service, operation string) bool {
	_, ok := wireOps[service+" "+operation]
	return ok || findSpec(service, operation) != nil
}

// wireOps are operations a client of the served estate needs that the
// console does not offer: a bucket's policy, read and changed through S3.
var wireOps = map[string]func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command){
	"s3api get-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:GetBucketPolicy", bucket, "GetBucketPolicy", func(b *estate.Bucket) (any, error) {
			if b.Policy == nil {
				return nil, &estate.Error{Code: "NoSuchBucketPolicy", Status: 404, Message: "The bucket policy does not exist"}
			}
			return map[string]string{"Policy": b.Policy.Text()}, nil
		})
	},
	"s3api put-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:PutBucketPolicy", bucket, "PutBucketPolicy", func(*estate.Bucket) (any, error) {
			return nil, sb.Estate.PutBucketPolicy(bucket, c.Arg("policy"))
		})
	},
	"s3api delete-bucket-policy": func(sb *Sandbox, o *Outcome, caller estate.Caller, c *Command) {
		bucket := c.Arg("bucket")
		sb.bucketOp(o, caller, "s3:DeleteBucketPolicy", bucket, "DeleteBucketPolicy", func(*estate.Bucket) (any, error) {
			return nil, sb.Estate.DeleteBucketPolicy(bucket)
		})
	},
}

// bucketOp authorizes action on a bucket and then runs do. S3 answers
// NoSuchBucket before it looks at any policy.
func (sb *Sandbox) bucketOp(o *Outcome, caller estate.Caller, action, bucket, op string, do func(*estate.Bucket) (any, error)) {
	b := sb.bucket(bucket)
	if b == nil {
		o.fail(&estate.Error{Code: estate.CodeNoSuchBucket, Status: 404, Message: "The specified bucket does not exist"}, op)
		return
	}
	call := sb.call(caller)
	call.Region = b.Region
	d := sb.Estate.Authorize(call, action, estate.BucketARN(bucket))
	o.Checks = append(o.Checks, d)
	if d.Err != nil {
		o.fail(d.Err, op)
		return
	}
	out, err := do(b)
	if err != nil {
		o.fail(err, op)
		return
	}
	if out == nil {
		out = struct{}{}
	}
	o.succeed(out)
}

func (sb *Sandbox) bucket(name string) *estate.Bucket {
	for _, a := range sb.Estate.Accounts {
		if b := a.Buckets[name]; b != nil {
			return b
		}
	}
	return nil
}

// ParseEstate reads an estate file (the `estate` of a scenario, on its
// own) as a scenario with no steps, named after the file.
func ParseEstate(file string, src []byte) (*Scenario, error) {
	name := strings.TrimSuffix(strings.TrimSuffix(file[strings.LastIndexAny(file, `/\`)+1:], ".yaml"), ".yml")
	header := fmt.Sprintf("id: %q\ntitle: %q\ndifficulty: easy\ntopics: [estate]\nstory: An estate served from %q.\nestate:\n", name, name, file)
	offset := strings.Count(header, "\n")
	var b strings.Builder
	b.WriteString(header)
	for _, line := range strings.Split(string(src), "\n") {
		b.WriteString("  " + line + "\n")
	}
	s, ps := Parse(file, []byte(b.String()))
	if len(ps) > 0 {
		for i := range ps {
			if ps[i].Line > offset {
				ps[i].Line -= offset
			}
		}
		return nil, ps
	}
	return s, nil
}
