package estate_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"iamlab/engine/estate"
)

func TestValidateNamesTheProblem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  string
		want string // the first problem, path and all
	}{
		{"bad policy", `{"accounts":{"111122223333":{"users":{"alice":{"inlinePolicies":{"s3":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}}}}}}}`,
			`accounts["111122223333"].users["alice"].inlinePolicies["s3"]: MalformedPolicyDocument: Policy statement must contain resources.`},
		{"trust policy not JSON", `{"accounts":{"111122223333":{"roles":{"r":{"trustPolicy":"{not json"}}}}}`,
			`accounts["111122223333"].roles["r"].trustPolicy: MalformedPolicyDocument: This policy contains invalid Json [unexpected 'n': expected a key in double quotes (line 1, column 2)]`},
		{"unknown group", `{"accounts":{"111122223333":{"users":{"alice":{"groups":["admins"]}}}}}`,
			`accounts["111122223333"].users["alice"].groups[0]: NoSuchEntity: The group with name admins cannot be found.`},
		{"unknown managed policy", `{"accounts":{"111122223333":{"users":{"alice":{"managedPolicies":["NoSuchPolicy"]}}}}}`,
			`accounts["111122223333"].users["alice"].managedPolicies[0]: NoSuchEntity: Policy NoSuchPolicy does not exist or is not attachable.`},
		{"account ID", `{"accounts":{"1234":{}}}`, `accounts["1234"]: an account ID is 12 digits`},
		{"six versions", `{"accounts":{"111122223333":{"policies":{"P":{"versions":[` + strings.Repeat(`{"id":"vX","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}},`, 5) +
			`{"id":"v6","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}}]}}}}}`,
			`accounts["111122223333"].policies["P"].versions: LimitExceeded: A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.`},
		{"inline quota", `{"accounts":{"111122223333":{"users":{"u":{"inlinePolicies":{"a":` + policyOfSize(1500) + `,"b":` + policyOfSize(1500) + `}}}}}}`,
			`accounts["111122223333"].users["u"].inlinePolicies: LimitExceeded: Maximum policy size of 2048 bytes exceeded for user u`},
		{"instance profile role", `{"accounts":{"111122223333":{"instanceProfiles":{"p":{"role":"ghost"}}}}}`,
			`accounts["111122223333"].instanceProfiles["p"].role: NoSuchEntity: The role with name ghost cannot be found.`},
		{"MFA device owner", `{"accounts":{"111122223333":{"mfaDevices":{"d":{"assignedTo":"ghost"}}}}}`,
			`accounts["111122223333"].mfaDevices["d"].assignedTo: NoSuchEntity: The user with name ghost cannot be found.`},
		{"bucket names are global", `{"accounts":{"111122223333":{"buckets":{"shared":{}}},"444455556666":{"buckets":{"shared":{}}}}}`,
			`accounts["444455556666"].buckets["shared"]: bucket names are global: "shared" is already a bucket of account 111122223333`},
		{"SCP of an unknown name", `{"accounts":{"111122223333":{},"444455556666":{}},"organization":{"managementAccount":"111122223333","root":{"scps":["Nope"],"accounts":{"444455556666":{}}}}}`,
			`organization.root.scps[0]: "Nope" is not an SCP of the organization`},
		{"RCP that allows", `{"accounts":{"111122223333":{}},"organization":{"managementAccount":"111122223333","policies":{"R":{"type":"RCP","document":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]}}},"root":{}}}`,
			`organization.policies["R"].document: MalformedPolicyDocumentException: The provided policy document does not meet the requirements of the specified policy type: RCP statements must have Effect Deny.`},
		{"role name", `{"accounts":{"111122223333":{"roles":{"my role":{"trustPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}}}}}}`,
			`accounts["111122223333"].roles["my role"]: ValidationError: 1 validation error detected: Value 'my role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var e estate.Estate
			if err := json.Unmarshal([]byte(tc.src), &e); err != nil {
				t.Fatalf("json: %v", err)
			}
			err := e.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want %s", tc.want)
			}
			first := strings.SplitN(err.Error(), "\n", 2)[0]
			if first != tc.want {
				t.Errorf("Validate() first problem =\n%s\nwant\n%s", first, tc.want)
			}
			var pe *estate.PathError
			if !errors.As(err, &pe) {
				t.Errorf("Validate() error is not a *PathError: %T", err)
			}
		})
	}
}

func TestValidateFillsIn(t *testing.T) {
	t.Parallel()
	e := world(t)
	a := e.Accounts["222222222222"]
	if id := a.Users["alice"].ID; !strings.HasPrefix(id, "AIDA") || len(id) != 21 {
		t.Errorf("user ID = %q, want AIDA and 17 characters", id)
	}
	if id := a.Roles["app-web"].ID; !strings.HasPrefix(id, "AROA") || len(id) != 21 {
		t.Errorf("role ID = %q, want AROA and 17 characters", id)
	}
	if got := a.Users["alice"].ManagedPolicies[0]; got != "arn:aws:iam::222222222222:policy/guard/DenyDelete" {
		t.Errorf("managed policy reference = %q, want the ARN", got)
	}
	if got := a.Groups["readers"].ManagedPolicies[0]; got != "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess" {
		t.Errorf("AWS managed policy reference = %q, want the ARN", got)
	}
	if k := a.Users["alice"].AccessKeys[0]; k.Secret == "" {
		t.Errorf("access key secret not filled in")
	}
	if p := a.Policies["Boundary"]; len(p.Versions) != 1 || p.DefaultVersion != "v1" || p.Document != nil {
		t.Errorf("document shorthand not turned into v1: %+v", p)
	}
	// Validate is repeatable: a second run changes nothing.
	before := mustJSON(t, e)
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if after := mustJSON(t, e); after != before {
		t.Errorf("a second Validate changed the estate")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	e := world(t)
	b := mustJSON(t, e)
	var back estate.Estate
	if err := json.Unmarshal([]byte(b), &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	if again := mustJSON(t, &back); again != b {
		t.Errorf("JSON round trip changed the estate")
	}
	d1 := e.Authorize(call(user(alice)), "s3:DeleteObject", "arn:aws:s3:::team-bucket/home/alice/notes.txt")
	d2 := back.Authorize(call(user(alice)), "s3:DeleteObject", "arn:aws:s3:::team-bucket/home/alice/notes.txt")
	if d1.Err.Message != d2.Err.Message {
		t.Errorf("decisions differ after a round trip:\n%s\n%s", d1.Err.Message, d2.Err.Message)
	}
}

// YAML decoders hand UnmarshalYAML a map[any]any (yaml.v2) or a
// map[string]any (yaml.v3); a policy may also be a block string.
func TestDocumentYAML(t *testing.T) {
	t.Parallel()
	var fromMap, fromString estate.Document
	m := map[any]any{"Version": "2012-10-17", "Statement": []any{map[any]any{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}}
	if err := fromMap.UnmarshalYAML(func(v any) error { *(v.(*any)) = m; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := fromMap.Policy(); err != nil {
		t.Errorf("policy from a YAML mapping: %v", err)
	}
	text := "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}}"
	if err := fromString.UnmarshalYAML(func(v any) error { *(v.(*any)) = text; return nil }); err != nil {
		t.Fatal(err)
	}
	if fromString.Text() != text {
		t.Errorf("Text() = %q, want the block string", fromString.Text())
	}
	out, _ := fromString.MarshalYAML()
	if _, ok := out.(map[string]any); !ok {
		t.Errorf("MarshalYAML() = %T, want a mapping", out)
	}
}

// Clone must be deep: changing the copy leaves the original alone.
func TestCloneIsIndependent(t *testing.T) {
	t.Parallel()
	e := world(t)
	before := mustJSON(t, e)
	c := e.Clone()
	const acct = "222222222222"
	steps := []error{
		c.PutUserPolicy(acct, "noperms", "p", allow("s3:*")),
		c.AddUserToGroup(acct, "readers", "noperms"),
		c.TagRole(acct, "app-web", map[string]string{"env": "prod"}),
		c.DeleteUserConsole(acct, "alice"),
		c.RemoveRoleFromInstanceProfile(acct, "app-web", "app-web"),
		putBucketPolicy(c, acct, "team-bucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]}`),
	}
	if _, err := c.CreatePolicyVersion("arn:aws:iam::222222222222:policy/Boundary", allow("*"), true); err != nil {
		steps = append(steps, err)
	}
	c.Organization.Root.Units["Workloads"].SCPs = nil
	c.Accounts[acct].Buckets["team-bucket"].Objects["new"] = "x"
	if err := errors.Join(steps...); err != nil {
		t.Fatal(err)
	}
	if after := mustJSON(t, e); after != before {
		t.Errorf("changing a clone changed the original")
	}
}
