package estate_test

import (
	"encoding/json"
	"strings"
	"testing"

	"iamlab/engine/estate"
)

// FuzzLoad feeds the loader arbitrary estate files: json.Unmarshal,
// Validate and a few calls must never panic, and a problem must be an
// error naming its place. Inputs are kept small (fuzzMaxInput) and the seeds
// smaller still, so that each run, and the minimizing of an interesting
// input, takes microseconds: a large seed had the fuzzer spend its whole
// time minimizing, at a few executions a second. The whole world.json is
// loaded by the package's tests.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"organization":{"managementAccount":"111111111111","id":"o-a1","policies":{"F":{"type":"SCP","document":{"Statement":[{"Effect":"Deny","NotAction":"s3:*","Resource":"*"}]}}},"root":{"scps":["FullAWSAccess","F"],"accounts":{"222222222222":{}}}},` +
		`"accounts":{"222222222222":{"groups":{"g":{"managedPolicies":["AmazonS3ReadOnlyAccess"]}},"users":{"alice":{"groups":["g"],"tags":{"team":"blue"},"inlinePolicies":{"h":{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/${aws:username}/*"}]}}}},` +
		`"roles":{"app":{"trustPolicy":{"Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}},"instanceProfiles":{"app":{"role":"app"}},"instances":{"i-01":{"instanceProfile":"app"}}}}}`))
	f.Add([]byte(`{"accounts":{"111122223333":{"users":{"a":{"inlinePolicies":{"p":"{\"Statement\":[]}"}}}}}}`))
	f.Add([]byte(`{"accounts":{"111122223333":{"roles":{"r":{"trustPolicy":null}}}},"organization":{"root":null}}`))
	f.Add([]byte(`{"accounts":{"111122223333":{"policies":{"p":{"versions":[{"id":"v0"}]}}}}}`))
	f.Add([]byte(`{"sessions":{"ASIA1":{"accessKeyId":"ASIA1","policies":["{"]}}}`))
	// An access point, and an instance in a VPC with a gateway endpoint.
	f.Add([]byte(`{"accounts":{"111122223333":{"buckets":{"b":{}},"accessPoints":{"ap":{"bucket":"b","networkOrigin":"VPC","vpc":"vpc-1",` +
		`"policy":{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}}},` +
		`"instances":{"i-01234567":{"vpc":"vpc-1","privateIp":"10.0.0.9"}},"vpcEndpoints":{"vpce-1":{"vpc":"vpc-1","service":"s3","type":"Gateway"}}}}}`))
	// A bucket with ownership and ACLs.
	f.Add([]byte(`{"accounts":{"111122223333":{"buckets":{"b1":{"ownership":"ObjectWriter","acl":{"canned":"public-read"},"objects":{"k":"v"},` +
		`"objectAcls":{"k":{"owner":"444455556666","acl":{"grants":[{"grantee":"AllUsers","permission":"READ"}]}}}}}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			return
		}
		var e estate.Estate
		if json.Unmarshal(data, &e) != nil {
			return
		}
		if err := e.Validate(); err != nil {
			if !strings.Contains(err.Error(), ": ") {
				t.Errorf("Validate error without a path: %v", err)
			}
			return
		}
		c := e.Clone()
		for id, a := range c.Accounts {
			for name := range a.Users {
				c.Authorize(estate.Call{Caller: estate.Caller{ARN: estate.UserARN(id, a.Users[name].Path, name)}}, "s3:GetObject", "arn:aws:s3:::b/k")
			}
			for iid := range a.Instances {
				c.Authorize(estate.Call{Caller: estate.Caller{Instance: iid}}, "s3:GetObject", "arn:aws:s3:::b/k")
				for name := range a.AccessPoints {
					c.Authorize(estate.Call{Caller: estate.Caller{Instance: iid}}, "s3:GetObject", estate.AccessPointARN("us-east-1", id, name)+"/object/k")
				}
			}
		}
	})
}

// fuzzMaxInput bounds the inputs of the fuzz targets: an estate, a message
// or a policy that shows a bug shows it in 4 KB.
const fuzzMaxInput = 4096

// FuzzDecodeAuthorizationMessage: whatever a learner pastes, the decoder
// answers with the message or InvalidAuthorizationMessageException.
func FuzzDecodeAuthorizationMessage(f *testing.F) {
	e := world(f)
	c := call(user(bounded))
	c.Region = "us-east-1"
	d := e.Authorize(c, "ec2:RunInstances", "*")
	f.Add(d.Err.Message[strings.LastIndex(d.Err.Message, " ")+1:])
	f.Add("")
	f.Add("AAAA")
	f.Add("not base64 at all!")
	f.Fuzz(func(t *testing.T, msg string) {
		out, err := e.DecodeAuthorizationMessage(msg)
		if err != nil && code(err) != "InvalidAuthorizationMessageException" {
			t.Errorf("DecodeAuthorizationMessage error %v", err)
		}
		if err == nil && !json.Valid([]byte(out)) {
			t.Errorf("decoded message is not JSON: %q", out)
		}
	})
}

// FuzzPolicyWrite: any text PutUserPolicy accepts parses, and any it
// rejects gets MalformedPolicyDocument or LimitExceeded.
func FuzzPolicyWrite(f *testing.F) {
	f.Add(allow("s3:GetObject"))
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}}`)
	f.Add(policyOfSize(2049))
	f.Add("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"\u2713\"}]}")
	e := world(f)
	f.Fuzz(func(t *testing.T, doc string) {
		c := e.Clone()
		err := c.PutUserPolicy("222222222222", "noperms", "p", doc)
		switch code(err) {
		case "":
			if _, perr := c.User("222222222222", "noperms").InlinePolicies["p"].Policy(); perr != nil {
				t.Errorf("accepted a policy that does not parse: %v", perr)
			}
		case "MalformedPolicyDocument", "LimitExceeded":
		default:
			t.Errorf("PutUserPolicy error %v", err)
		}
	})
}
