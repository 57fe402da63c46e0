package estate_test

import (
	"fmt"
	"time"

	"iamlab/engine/estate"
)

// An estate built with the setup methods: a user whose inline policy uses
// ${aws:username}, and what it may do.
func ExampleEstate_Authorize() {
	e := estate.New()
	e.AddAccount("111122223333")
	e.CreateUser("111122223333", "alice", "/")
	e.PutUserPolicy("111122223333", "alice", "home", `{
	  "Version": "2012-10-17",
	  "Statement": [{"Effect": "Allow", "Action": "s3:*",
	                 "Resource": "arn:aws:s3:::my-company/home/${aws:username}/*"}]}`)
	c := estate.Call{Caller: estate.Caller{ARN: "arn:aws:iam::111122223333:user/alice"}, Time: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}

	d := e.Authorize(c, "s3:PutObject", "arn:aws:s3:::my-company/home/alice/cv.pdf")
	fmt.Println(d.Result.Decision)
	d = e.Authorize(c, "s3:PutObject", "arn:aws:s3:::my-company/home/bob/cv.pdf")
	fmt.Println(d.Err.Code+":", d.Err.Message)
	// Output:
	// Allow
	// AccessDenied: User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::my-company/home/bob/cv.pdf" because no identity-based policy allows the s3:PutObject action
}
