package estate_test

import (
	"strings"
	"testing"

	"iamlab/engine/estate"
)

// Launching with an instance profile is authorized as ec2:RunInstances
// and iam:PassRole on the profile's role, with iam:PassedToService.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
func TestRunInstancesPassRole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		caller  string
		profile string
		dryRun  bool
		code    string
		checks  []string // actions authorized, in order
		msg     string
	}{
		{name: "no profile", caller: alice, checks: []string{"ec2:RunInstances"}},
		{name: "a role alice may pass", caller: alice, profile: "app-web", checks: []string{"ec2:RunInstances", "iam:PassRole"}},
		{name: "a role alice may not pass", caller: alice, profile: "db-admin", code: "UnauthorizedOperation", checks: []string{"ec2:RunInstances", "iam:PassRole"},
			msg: "You are not authorized to perform this operation. User: arn:aws:iam::222222222222:user/staff/alice is not authorized to perform: iam:PassRole on resource: arn:aws:iam::222222222222:role/db-admin because no identity-based policy allows the iam:PassRole action. Encoded authorization failure message: "},
		{name: "an empty profile passes no role", caller: alice, profile: "empty", checks: []string{"ec2:RunInstances"}},
		{name: "unknown profile", caller: alice, profile: "ghost", code: "InvalidParameterValue", checks: []string{"ec2:RunInstances"}},
		{name: "no ec2:RunInstances", caller: noperms, code: "UnauthorizedOperation", checks: []string{"ec2:RunInstances"}},
		{name: "dry run", caller: alice, profile: "app-web", dryRun: true, code: "DryRunOperation", checks: []string{"ec2:RunInstances", "iam:PassRole"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := world(t)
			out, err := e.RunInstances(call(user(tc.caller)), estate.RunInstancesInput{ImageID: "ami-0abc", InstanceType: "t3.micro", IamInstanceProfile: tc.profile, DryRun: tc.dryRun})
			if got := code(err); got != tc.code {
				t.Fatalf("RunInstances code = %q, want %q (%v)", got, tc.code, err)
			}
			var got []string
			for _, d := range out.Checks {
				got = append(got, d.Action)
			}
			if strings.Join(got, ",") != strings.Join(tc.checks, ",") {
				t.Errorf("authorized %v, want %v", got, tc.checks)
			}
			if tc.msg != "" && !strings.HasPrefix(err.(*estate.Error).Message, tc.msg) {
				t.Errorf("message = %s\nwant prefix %s", err.(*estate.Error).Message, tc.msg)
			}
			if tc.code == "" {
				if inst := e.Accounts["222222222222"].Instances[out.InstanceID]; inst == nil || inst.InstanceProfile != tc.profile {
					t.Errorf("instance %s not launched with profile %q", out.InstanceID, tc.profile)
				}
			}
		})
	}
}

// The seed's sample question: an instance role reads and writes a bucket;
// once the role is removed, the instance's calls carry no credentials, so
// only what the bucket policy grants everyone still works.
func TestRemovingTheInstanceRole(t *testing.T) {
	t.Parallel()
	e := world(t)
	inst := call(estate.Caller{Instance: "i-0aaaaaaaaaaaaaaa1"})
	if _, err := e.PutObject(inst, "team-bucket", "public/new.txt", "v1"); err != nil {
		t.Fatalf("write with the role: %v", err)
	}
	if _, err := e.DisassociateIamInstanceProfile(call(user(root2)), "i-0aaaaaaaaaaaaaaa1"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutObject(inst, "team-bucket", "public/new.txt", "v2"); code(err) != "AccessDenied" {
		t.Errorf("write without the role = %v, want AccessDenied", err)
	}
	out, err := e.GetObject(inst, "team-bucket", "public/new.txt")
	if err != nil || out.Body != "v1" {
		t.Errorf("read without the role = %v, %v; want v1 through the bucket policy", out, err)
	}
	if out.Checks[0].Identity.Kind != estate.KindAnonymous {
		t.Errorf("caller = %v, want anonymous", out.Checks[0].Identity.Kind)
	}
	if _, err := e.AssociateIamInstanceProfile(call(user(alice)), "i-0aaaaaaaaaaaaaaa1", "db-admin"); code(err) != "UnauthorizedOperation" {
		t.Errorf("alice associating db-admin = %v, want UnauthorizedOperation (no ec2:AssociateIamInstanceProfile)", err)
	}
	if _, err := e.AssociateIamInstanceProfile(call(user(root2)), "i-0aaaaaaaaaaaaaaa1", "app-web"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.PutObject(inst, "team-bucket", "public/new.txt", "v3"); err != nil {
		t.Errorf("write with the role back: %v", err)
	}
}

// S3 says NoSuchKey only to callers who may list the bucket.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html
func TestGetObjectMissingKey(t *testing.T) {
	t.Parallel()
	e := world(t)
	if _, err := e.GetObject(call(user(alice)), "team-bucket", "nope"); code(err) != "NoSuchKey" {
		t.Errorf("alice (may list) = %v, want NoSuchKey", err)
	}
	if _, err := e.GetObject(call(estate.Caller{}), "team-bucket", "public/nope"); code(err) != "AccessDenied" {
		t.Errorf("anonymous (may not list) = %v, want AccessDenied", err)
	}
	if _, err := e.GetObject(call(user(alice)), "no-such-bucket", "x"); code(err) != "NoSuchBucket" {
		t.Errorf("missing bucket = %v, want NoSuchBucket", err)
	}
	keys, _, err := e.ListObjects(call(user(alice)), "team-bucket", "home/")
	if err != nil || strings.Join(keys, ",") != "home/alice/notes.txt" {
		t.Errorf("ListObjects(home/) = %v, %v", keys, err)
	}
}
