package estate_test

import (
	"encoding/json"
	"testing"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// tagWorld: alice (team blue) may act only on resources tagged with her
// team, the pattern of AWS's ABAC tutorial.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_attribute-based-access-control.html
const tagWorld = `{"accounts": {"111122223333": {
  "users": {"alice": {"tags": {"team": "blue"}, "inlinePolicies": {"abac": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": ["iam:GetRole", "iam:GetUser", "sts:AssumeRole", "s3:GetObject", "kms:Decrypt", "ec2:StopInstances"], "Resource": "*",
     "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}"}}}]}}},
    "bob": {"tags": {"team": "blue"}}, "carol": {"tags": {"team": "red"}}},
  "roles": {
    "BlueApp": {"tags": {"team": "blue"}, "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}},
    "RedApp": {"tags": {"team": "red"}, "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]}}},
  "buckets": {"blue-data": {"tags": {"team": "blue"}}, "red-data": {"tags": {"team": "red"}}},
  "keys": {"1234abcd-12ab-34cd-56ef-1234567890ab": {"tags": {"team": "blue"}}, "0987dcba-09fe-87dc-65ba-ab0987654321": {"tags": {"team": "red"}}},
  "instances": {"i-0123456789abcdef0": {"tags": {"team": "blue"}}, "i-0fedcba9876543210": {"tags": {"team": "red"}}}
}}}`

func tagEstate(t *testing.T) *estate.Estate {
	t.Helper()
	return validEstate(t, json.Unmarshal, tagWorld)
}

// Every request on a tagged role, user, bucket, key or instance carries
// aws:ResourceTag/KEY, and IAM and EC2 their own forms too.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-resourcetag
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
func TestResourceTags(t *testing.T) {
	t.Parallel()
	e := tagEstate(t)
	alice := user("arn:aws:iam::111122223333:user/alice")
	for _, tc := range []struct {
		name, action, resource string
		want                   engine.Decision
		serviceKey             string // the service's own ResourceTag key, if any
	}{
		{"role of her team", "iam:GetRole", "arn:aws:iam::111122223333:role/BlueApp", engine.Allow, "iam:ResourceTag/team"},
		{"role of another team", "iam:GetRole", "arn:aws:iam::111122223333:role/RedApp", engine.ImplicitDeny, "iam:ResourceTag/team"},
		{"assuming a role sees the role's tags", "sts:AssumeRole", "arn:aws:iam::111122223333:role/BlueApp", engine.Allow, "iam:ResourceTag/team"},
		{"assuming another team's role", "sts:AssumeRole", "arn:aws:iam::111122223333:role/RedApp", engine.ImplicitDeny, "iam:ResourceTag/team"},
		{"user of her team", "iam:GetUser", "arn:aws:iam::111122223333:user/bob", engine.Allow, "iam:ResourceTag/team"},
		{"user of another team", "iam:GetUser", "arn:aws:iam::111122223333:user/carol", engine.ImplicitDeny, "iam:ResourceTag/team"},
		{"object in her team's bucket", "s3:GetObject", "arn:aws:s3:::blue-data/report.csv", engine.Allow, ""},
		{"object in another team's bucket", "s3:GetObject", "arn:aws:s3:::red-data/report.csv", engine.ImplicitDeny, ""},
		{"key of her team", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", engine.Allow, ""},
		{"key of another team", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321", engine.ImplicitDeny, ""},
		{"instance of her team", "ec2:StopInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0", engine.Allow, "ec2:ResourceTag/team"},
		{"instance of another team", "ec2:StopInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210", engine.ImplicitDeny, "ec2:ResourceTag/team"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := e.Authorize(call(alice), tc.action, tc.resource)
			if d.Result.Decision != tc.want {
				t.Errorf("Authorize(%s on %s) = %v, want %v: %s", tc.action, tc.resource, d.Result.Decision, tc.want, d.Result.Reason())
			}
			v, ok := d.Request.Context.Get("aws:ResourceTag/team")
			if !ok || len(v) != 1 {
				t.Fatalf("aws:ResourceTag/team = %v, %v; want the resource's tag", v, ok)
			}
			if tc.serviceKey != "" {
				if s, _ := d.Request.Context.Get(tc.serviceKey); len(s) != 1 || s[0] != v[0] {
					t.Errorf("%s = %v, want %v", tc.serviceKey, s, v)
				}
			}
		})
	}
}

// The tagging operations answer with each service's error codes, and the
// new tags decide the next request.
func TestTaggingOperations(t *testing.T) {
	t.Parallel()
	e := tagEstate(t)
	alice := user("arn:aws:iam::111122223333:user/alice")
	red := "arn:aws:iam::111122223333:role/RedApp"
	if e.Authorize(call(alice), "iam:GetRole", red).Allowed() {
		t.Fatal("RedApp is red")
	}
	if err := e.TagRole("111122223333", "RedApp", map[string]string{"Team": "blue"}); err != nil {
		t.Fatal(err)
	}
	if !e.Authorize(call(alice), "iam:GetRole", red).Allowed() {
		t.Error("TagRole Team=blue replaces team=red (IAM tag keys are case-insensitive)")
	}
	if err := e.UntagRole("111122223333", "RedApp", []string{"TEAM"}); err != nil {
		t.Fatal(err)
	}
	if d := e.Authorize(call(alice), "iam:GetRole", red); d.Allowed() {
		t.Error("UntagRole removed the tag, yet the request was allowed")
	}
	if err := e.UntagUser("111122223333", "nobody", []string{"team"}); code(err) != estate.CodeNoSuchEntity {
		t.Errorf("UntagUser(nobody) = %v, want NoSuchEntity", err)
	}
	if err := e.UntagUser("111122223333", "carol", []string{"team"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"bucket tag with an aws: key", e.PutBucketTagging("blue-data", []estate.Tag{{Key: "aws:team", Value: "x"}}), estate.CodeInvalidTag},
		{"bucket tag key too long", e.PutBucketTagging("blue-data", []estate.Tag{{Key: string(make([]byte, 129)), Value: "x"}}), estate.CodeInvalidTag},
		{"bucket tags with one key twice", e.PutBucketTagging("blue-data", []estate.Tag{{Key: "a", Value: "1"}, {Key: "a", Value: "2"}}), estate.CodeInvalidTag},
		{"no such bucket", e.PutBucketTagging("no-such-bucket", nil), estate.CodeNoSuchBucket},
		{"KMS tag with an aws: key", e.TagResource("111122223333", "1234abcd-12ab-34cd-56ef-1234567890ab", []estate.Tag{{Key: "aws:x", Value: "1"}}), estate.CodeTagException},
		{"no such key", e.TagResource("111122223333", "nope", []estate.Tag{{Key: "a", Value: "1"}}), estate.CodeNotFoundException},
		{"EC2 tag with an aws: key", e.CreateTags([]string{"i-0123456789abcdef0"}, []estate.Tag{{Key: "aws:x", Value: "1"}}), estate.CodeInvalidParameterValue},
		{"no such instance", e.CreateTags([]string{"i-00000000000000000"}, []estate.Tag{{Key: "a", Value: "1"}}), estate.CodeInvalidInstanceIDNotFound},
	} {
		if code(tc.err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.code)
		}
	}
	if err := e.PutBucketTagging("red-data", []estate.Tag{{Key: "team", Value: "blue"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.TagResource("111122223333", "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321", []estate.Tag{{Key: "team", Value: "blue"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.CreateTags([]string{"i-0fedcba9876543210"}, []estate.Tag{{Key: "team", Value: "blue"}}); err != nil {
		t.Fatal(err)
	}
	for action, res := range map[string]string{
		"s3:GetObject":      "arn:aws:s3:::red-data/report.csv",
		"kms:Decrypt":       "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321",
		"ec2:StopInstances": "arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210",
	} {
		if d := e.Authorize(call(alice), action, res); !d.Allowed() {
			t.Errorf("after retagging, %s on %s: %s", action, res, d.Result.Reason())
		}
	}
	// A clone taken before keeps its own tags.
	c := e.Clone()
	if err := e.CreateTags([]string{"i-0fedcba9876543210"}, []estate.Tag{{Key: "team", Value: "red"}}); err != nil {
		t.Fatal(err)
	}
	if !c.Authorize(call(alice), "ec2:StopInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-0fedcba9876543210").Allowed() {
		t.Error("tagging an instance changed a clone")
	}
}
