package engine_test

import (
	"fmt"

	"iamlab/engine"
)

// The seed's first sample question: an instance whose role was removed calls
// S3 with no credentials; the bucket policy allows public reads, so reads
// still work and writes fail.
func ExampleEvaluate() {
	bucketPolicy, err := engine.ParsePolicy([]byte(`{
	  "Version": "2012-10-17",
	  "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
	                 "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]
	}`))
	if err != nil {
		panic(err)
	}
	for _, action := range []string{"s3:GetObject", "s3:PutObject"} {
		res := engine.Evaluate(engine.Request{
			Principal: nil, // the role is gone: the call is anonymous
			Action:    action,
			Resource:  engine.Resource{ARN: "arn:aws:s3:::my-bucket/report.csv", Account: "111122223333", Policy: bucketPolicy},
		})
		fmt.Println(action, res.Decision)
		fmt.Println(" ", res.Reason())
	}
	// Output:
	// s3:GetObject Allow
	//   Allowed: statement "PublicRead" of the resource-based policy allows s3:GetObject on arn:aws:s3:::my-bucket/report.csv, and nothing denies it.
	// s3:PutObject ImplicitDeny
	//   Denied because no resource-based policy allows the s3:PutObject action: an anonymous request can only be allowed by a resource-based policy that allows "*".
}

// The seed's second sample question: the PassRole statement names an ARN
// with no account ID, which the linter flags.
func ExampleLint() {
	p, err := engine.ParsePolicy([]byte(`{
  "Version": "2012-10-17",
  "Id": "Secret Policy",
  "Statement": [
    {"Sid": "EC2", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"},
    {"Sid": "Passrole", "Effect": "Allow", "Action": ["iam:PassRole"], "Resource": "arn:aws:iam:::role/RDS-*"}
  ]
}`))
	if err != nil {
		panic(err)
	}
	for _, f := range engine.Lint(p, engine.PlacementManaged) {
		fmt.Printf("line %d: %s: %s\n", f.Pos.Line, f.Severity, f.Message)
	}
	// Output:
	// line 6: error: "arn:aws:iam:::role/RDS-*" can never match: its account field is empty, but iam resource ARNs of this kind carry an account ID (arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}); no resource in any account has this ARN
}

func ExampleParsePolicy_error() {
	_, err := engine.ParsePolicy([]byte(`{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Alow",
    "Action": "s3:GetObject",
    "Resource": "*"
  }]
}`))
	fmt.Println(err)
	// Output:
	// Statement[0].Effect: must be "Allow" or "Deny" (line 4, column 15)
}
