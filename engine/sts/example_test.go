package sts_test

import (
	"fmt"
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/sts"
)

func ExampleService_AssumeRole() {
	e := estate.New()
	e.AddAccount("111122223333")
	e.CreateUser("111122223333", "alice", "/")
	key, _ := e.CreateAccessKey("111122223333", "alice")
	e.CreateRole("111122223333", "Auditor", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
	  "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}`, estate.RoleOptions{})
	clock := estate.NewManualClock(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	svc := sts.New(e, clock)

	out, err := svc.AssumeRole(estate.Caller{AccessKeyID: key.ID}, sts.AssumeRoleInput{
		RoleArn: "arn:aws:iam::111122223333:role/Auditor", RoleSessionName: "alice-audit"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.AssumedRoleUser.Arn)
	fmt.Println(out.Credentials.Expiration)

	clock.Advance(time.Hour)
	_, err = svc.GetCallerIdentity(estate.Caller{AccessKeyID: out.Credentials.AccessKeyId})
	fmt.Println(err)
	// Output:
	// arn:aws:sts::111122223333:assumed-role/Auditor/alice-audit
	// 2025-06-01 10:00:00 +0000 UTC
	// ExpiredToken: The security token included in the request is expired
}
