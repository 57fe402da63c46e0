package estate_test

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"iamlab/engine/estate"
)

// A scenario file in YAML decodes straight into the estate's structs:
// policies as mappings or block strings.
func TestYAMLEstate(t *testing.T) {
	t.Parallel()
	src := `
accounts:
  "111122223333":
    users:
      alice:
        tags: {team: blue}
        inlinePolicies:
          home:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource: arn:aws:s3:::docs/${aws:PrincipalTag/team}/*
    roles:
      deployer:
        maxSessionDuration: 7200
        trustPolicy: |
          {"Version": "2012-10-17",
           "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}, "Action": "sts:AssumeRole"}]}
    buckets:
      docs: {}
`
	var e estate.Estate
	if err := yaml.Unmarshal([]byte(src), &e); err != nil {
		t.Fatalf("yaml: %v", err)
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	c := estate.Call{Caller: estate.Caller{ARN: "arn:aws:iam::111122223333:user/alice"}, Time: now}
	if d := e.Authorize(c, "s3:GetObject", "arn:aws:s3:::docs/blue/plan.txt"); !d.Allowed() {
		t.Errorf("alice reading her team's folder: %v", d.Err)
	}
	if d := e.Authorize(c, "s3:GetObject", "arn:aws:s3:::docs/red/plan.txt"); d.Allowed() {
		t.Errorf("alice may read another team's folder")
	}
	if got := e.Role("111122223333", "deployer").MaxSessionDuration; got != 7200 {
		t.Errorf("maxSessionDuration = %d", got)
	}
	out, err := yaml.Marshal(&e)
	if err != nil {
		t.Fatal(err)
	}
	var back estate.Estate
	if err := yaml.Unmarshal(out, &back); err != nil {
		t.Fatalf("yaml round trip: %v\n%s", err, out)
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("Validate after a YAML round trip: %v", err)
	}
}
