package estate_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// policyOfSize returns an identity policy of exactly n characters, not
// counting whitespace (n >= 100).
func policyOfSize(n int) string {
	head := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::`
	tail := `"}]}`
	pad := n - len(head) - len(tail)
	return head + strings.Repeat("a", pad) + tail
}

func allow(action string) string {
	return `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "` + action + `", "Resource": "*"}]}`
}

// IAM quotas on write, with AWS's codes and messages.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func TestQuotasOnWrite(t *testing.T) {
	t.Parallel()
	const acct = "222222222222"
	tests := []struct {
		name string
		do   func(e *estate.Estate) error
		code string
		msg  string
	}{
		{"user inline policies may total 2048 characters", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "big", policyOfSize(2048))
		}, "", ""},
		// Whitespace does not count toward the quota.
		{"whitespace is free", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "big", strings.ReplaceAll(policyOfSize(2048), ",", " ,\n\t "))
		}, "", ""},
		{"user inline policies past 2048 characters", func(e *estate.Estate) error {
			if err := e.PutUserPolicy(acct, "noperms", "a", policyOfSize(1100)); err != nil {
				return err
			}
			return e.PutUserPolicy(acct, "noperms", "b", policyOfSize(1000))
		}, "LimitExceeded", "Maximum policy size of 2048 bytes exceeded for user noperms"},
		{"replacing a policy counts it once", func(e *estate.Estate) error {
			if err := e.PutUserPolicy(acct, "noperms", "a", policyOfSize(1500)); err != nil {
				return err
			}
			return e.PutUserPolicy(acct, "noperms", "a", policyOfSize(1500))
		}, "", ""},
		{"group inline policies past 5120", func(e *estate.Estate) error {
			return e.PutGroupPolicy(acct, "readers", "big", policyOfSize(5121))
		}, "LimitExceeded", "Maximum policy size of 5120 bytes exceeded for group readers"},
		{"role inline policies past 10240", func(e *estate.Estate) error {
			return e.PutRolePolicy(acct, "db-admin", "big", policyOfSize(10241))
		}, "LimitExceeded", "Maximum policy size of 10240 bytes exceeded for role db-admin"},
		{"managed policy past 6144", func(e *estate.Estate) error {
			_, err := e.CreatePolicy(acct, "Huge", "/", policyOfSize(6145))
			return err
		}, "LimitExceeded", "Cannot exceed quota for PolicySize: 6144"},
		{"trust policy past 2048", func(e *estate.Estate) error {
			trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::222222222222:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"` +
				strings.Repeat("x", 2000) + `"}}}]}`
			_, err := e.CreateRole(acct, "big-trust", trust, estate.RoleOptions{})
			return err
		}, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048"},
		{"eleventh managed policy on a user", func(e *estate.Estate) error {
			for i := range 11 {
				arn, err := e.CreatePolicy(acct, "P"+string(rune('a'+i)), "/", allow("s3:GetObject"))
				if err != nil {
					return err
				}
				if err := e.AttachUserPolicy(acct, "noperms", arn); err != nil {
					return err
				}
			}
			return nil
		}, "LimitExceeded", "Cannot exceed quota for PoliciesPerUser: 10"},
		{"eleventh group", func(e *estate.Estate) error {
			for i := range 11 {
				name := "g" + string(rune('a'+i))
				if _, err := e.CreateGroup(acct, name, "/"); err != nil {
					return err
				}
				if err := e.AddUserToGroup(acct, name, "noperms"); err != nil {
					return err
				}
			}
			return nil
		}, "LimitExceeded", "Cannot exceed quota for GroupsPerUser: 10"},
		{"policy that is not JSON", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "bad", `{"Version": "2012-10-17", "Statement": [`)
		}, "MalformedPolicyDocument", "This policy contains invalid Json"},
		{"policy AWS's grammar rejects", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "bad", `{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}`)
		}, "MalformedPolicyDocument", "Syntax errors in policy."},
		{"identity policy naming a principal", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "bad", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`)
		}, "MalformedPolicyDocument", "Policy document should not specify a principal."},
		{"trust policy with a Resource", func(e *estate.Estate) error {
			_, err := e.CreateRole(acct, "r", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}`, estate.RoleOptions{})
			return err
		}, "MalformedPolicyDocument", "Has prohibited field Resource"},
		{"trust policy without a Principal", func(e *estate.Estate) error {
			_, err := e.CreateRole(acct, "r", allow("sts:AssumeRole"), estate.RoleOptions{})
			return err
		}, "MalformedPolicyDocument", "Missing required field Principal"},
		{"trust policy with a non-STS action", func(e *estate.Estate) error {
			return e.UpdateAssumeRolePolicy(acct, "db-admin", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "s3:GetObject"}]}`)
		}, "MalformedPolicyDocument", "AssumeRole policy may only specify STS AssumeRole actions."},
		{"character outside U+0020-U+00FF", func(e *estate.Estate) error {
			return e.PutUserPolicy(acct, "noperms", "bad", `{"Version": "2012-10-17", "Statement": [{"Sid": "✓", "Effect": "Allow", "Action": "*", "Resource": "*"}]}`)
		}, "MalformedPolicyDocument", ""},
		{"bucket policy without a principal", func(e *estate.Estate) error {
			return putBucketPolicy(e, acct, "team-bucket", allow("s3:GetObject"))
		}, "MalformedPolicy", "Missing required field Principal"},
		{"MaxSessionDuration over 12 hours", func(e *estate.Estate) error {
			return e.UpdateRoleMaxSessionDuration(acct, "db-admin", 43201)
		}, "ValidationError", "1 validation error detected: Value '43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200"},
		{"MaxSessionDuration under an hour", func(e *estate.Estate) error {
			_, err := e.CreateRole(acct, "short", `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}`, estate.RoleOptions{MaxSessionDuration: 1800})
			return err
		}, "ValidationError", "1 validation error detected: Value '1800' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"},
		{"user name with a space", func(e *estate.Estate) error {
			_, err := e.CreateUser(acct, "john smith", "/")
			return err
		}, "ValidationError", `1 validation error detected: Value 'john smith' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"duplicate user", func(e *estate.Estate) error {
			_, err := e.CreateUser(acct, "noperms", "/")
			return err
		}, "EntityAlreadyExists", "User with name noperms already exists."},
		{"a role still in an instance profile", func(e *estate.Estate) error {
			return e.DeleteRole(acct, "app-web")
		}, "DeleteConflict", "Cannot delete entity, must remove roles from instance profile first."},
		{"tags differing only in case", func(e *estate.Estate) error {
			return e.TagUser(acct, "noperms", map[string]string{"Team": "a", "team": "b"})
		}, "InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.do(world(t))
			if got := code(err); got != tc.code {
				t.Fatalf("%s: code = %q, want %q (%v)", tc.name, got, tc.code, err)
			}
			if tc.msg != "" {
				var ae *estate.Error
				errors.As(err, &ae)
				if ae.Message != tc.msg {
					t.Errorf("%s: message = %q, want %q", tc.name, ae.Message, tc.msg)
				}
			}
		})
	}
}

func TestMalformedPolicyKeepsTheCause(t *testing.T) {
	t.Parallel()
	err := world(t).PutUserPolicy("222222222222", "noperms", "bad", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": {\"Effect\": \"Permit\", \"Action\": \"*\", \"Resource\": \"*\"}\n}")
	if !errors.Is(err, engine.ErrInvalidPolicy) {
		t.Fatalf("errors.Is(%v, engine.ErrInvalidPolicy) = false", err)
	}
	if want := "Statement.Effect"; !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %q should name %s and its line", err, want)
	}
}

// Managed policy versions: at most five, one default, numbers never
// reused, the default cannot be deleted, and SetDefaultPolicyVersion rolls
// back.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
func TestManagedPolicyVersions(t *testing.T) {
	t.Parallel()
	e := world(t)
	const acct = "222222222222"
	arn, err := e.CreatePolicy(acct, "Deploy", "/", allow("s3:GetObject"))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.AttachUserPolicy(acct, "noperms", arn); err != nil {
		t.Fatal(err)
	}
	can := func(action string) bool {
		return e.Authorize(call(user(noperms)), action, "*").Allowed()
	}
	for i, action := range []string{"s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "s3:GetBucketPolicy"} {
		v, err := e.CreatePolicyVersion(arn, allow(action), true)
		if err != nil {
			t.Fatalf("CreatePolicyVersion %d: %v", i+2, err)
		}
		if want := "v" + string(rune('2'+i)); v != want {
			t.Errorf("version = %s, want %s", v, want)
		}
	}
	if !can("s3:GetBucketPolicy") || can("s3:GetObject") {
		t.Fatalf("the default version v5 should be in effect")
	}
	if _, err := e.CreatePolicyVersion(arn, allow("s3:PutBucketPolicy"), false); code(err) != "LimitExceeded" ||
		err.(*estate.Error).Message != "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version." {
		t.Errorf("sixth version: %v, want LimitExceeded", err)
	}
	// Roll back to v1.
	if err := e.SetDefaultPolicyVersion(arn, "v1"); err != nil {
		t.Fatal(err)
	}
	if !can("s3:GetObject") || can("s3:GetBucketPolicy") {
		t.Errorf("after rollback v1 should be in effect")
	}
	if err := e.DeletePolicyVersion(arn, "v1"); code(err) != "DeleteConflict" {
		t.Errorf("deleting the default version: %v, want DeleteConflict", err)
	}
	if err := e.DeletePolicyVersion(arn, "v3"); err != nil {
		t.Fatal(err)
	}
	v, err := e.CreatePolicyVersion(arn, allow("s3:PutBucketPolicy"), false)
	if err != nil || v != "v6" {
		t.Errorf("after deleting v3, CreatePolicyVersion = %s, %v; want v6 (numbers are not reused)", v, err)
	}
	if err := e.SetDefaultPolicyVersion(arn, "v3"); code(err) != "NoSuchEntity" {
		t.Errorf("SetDefaultPolicyVersion(deleted v3) = %v, want NoSuchEntity", err)
	}
	if err := e.DeletePolicy(arn); code(err) != "DeleteConflict" {
		t.Errorf("DeletePolicy while attached = %v, want DeleteConflict", err)
	}
}

// A customer managed policy outlives the principal it was attached to;
// inline policies go with their principal.
func TestDeleteUserKeepsManagedPolicies(t *testing.T) {
	t.Parallel()
	e := world(t)
	const acct = "222222222222"
	arn := "arn:aws:iam::222222222222:policy/guard/DenyDelete"
	if err := e.DeleteUserConsole(acct, "alice"); err != nil {
		t.Fatal(err)
	}
	if e.ManagedPolicyDocument(arn) == nil {
		t.Fatalf("DenyDelete was deleted with its user")
	}
	u, err := e.CreateUser(acct, "alice", "/staff/")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.InlinePolicies) != 0 || len(u.ManagedPolicies) != 0 {
		t.Errorf("a new alice inherits %v %v; inline policies die with their user", u.InlinePolicies, u.ManagedPolicies)
	}
	if d := e.Authorize(call(user(alice)), "s3:PutObject", "arn:aws:s3:::team-bucket/home/alice/x"); d.Allowed() {
		t.Errorf("the new alice may use the old alice's inline policy")
	}
	if err := e.AttachUserPolicy(acct, "alice", arn); err != nil {
		t.Errorf("re-attaching the surviving managed policy: %v", err)
	}
}

// Through the API, DeleteUser fails while the user still has policies:
// only the console removes them for you.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func TestDeleteUserAPIConflicts(t *testing.T) {
	t.Parallel()
	e := world(t)
	const acct = "222222222222"
	err := e.DeleteUserAPI(acct, "alice")
	if estate.Code(err) != estate.CodeDeleteConflict || !strings.Contains(err.Error(), "must delete policies first") {
		t.Fatalf("DeleteUserAPI with policies = %v, want DeleteConflict", err)
	}
	u := e.User(acct, "alice")
	for name := range u.InlinePolicies {
		if err := e.DeleteUserPolicy(acct, "alice", name); err != nil {
			t.Fatal(err)
		}
	}
	for _, arn := range append([]string(nil), u.ManagedPolicies...) {
		if err := e.DetachUserPolicy(acct, "alice", arn); err != nil {
			t.Fatal(err)
		}
	}
	for _, g := range append([]string(nil), u.Groups...) {
		if err := e.RemoveUserFromGroup(acct, g, "alice"); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range e.Accounts[acct].MFADevices {
		if d.AssignedTo == "alice" {
			d.AssignedTo = ""
		}
	}
	if err := e.DeleteUserAPI(acct, "alice"); err != nil {
		t.Fatalf("DeleteUserAPI after clean-up: %v", err)
	}
	if e.User(acct, "alice") != nil {
		t.Error("alice is still there")
	}
}

// A session of a deleted role keeps no permissions, even after a role of
// the same name is created: the new role has a new unique ID.
func TestDeletedRoleSessions(t *testing.T) {
	t.Parallel()
	e := world(t)
	const acct = "222222222222"
	role := e.Role(acct, "untrusting")
	e.AddSession(&estate.Session{Type: estate.SessionAssumedRole, AccessKeyID: "ASIAROLE000000000001", Account: acct,
		RoleName: "untrusting", RolePath: "/", RoleID: role.ID, SessionName: "s", IssuedAt: now, Expiration: now.Add(time.Hour)})
	c := call(estate.Caller{AccessKeyID: "ASIAROLE000000000001"})
	if !e.Authorize(c, "s3:ListAllMyBuckets", "*").Allowed() {
		t.Fatal("the session should have the role's permissions")
	}
	if err := e.RemoveRoleFromInstanceProfile(acct, "untrusting", "untrusting"); err != nil {
		t.Fatal(err)
	}
	if err := e.DeleteRole(acct, "untrusting"); err != nil {
		t.Fatal(err)
	}
	if e.Authorize(c, "s3:ListAllMyBuckets", "*").Allowed() {
		t.Error("a session of a deleted role still has permissions")
	}
	if _, err := e.CreateRole(acct, "untrusting", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`, estate.RoleOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := e.PutRolePolicy(acct, "untrusting", "all", allow("*")); err != nil {
		t.Fatal(err)
	}
	if e.Authorize(c, "s3:ListAllMyBuckets", "*").Allowed() {
		t.Error("a session of a deleted role got the permissions of a new role with the same name")
	}
}
