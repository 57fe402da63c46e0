package serve_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"iamlab/scenarios"
	"iamlab/scenarios/serve"
)

// The simulator answers in AWS's shape: EvalDecision, MatchedStatements
// with their source, MissingContextValues.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html
func TestSimulateCustomPolicy(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	policy := `{"Version": "2012-10-17", "Statement": [
		{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "blue"}}},
		{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
		{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}`
	out, err := e.iam(e.creds(t, "alice")).SimulateCustomPolicy(ctx, &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{policy},
		ActionNames:     []string{"s3:GetObject", "s3:DeleteObject", "s3:ListBucket"},
		ResourceArns:    []string{"arn:aws:s3:::my-bucket"},
	})
	if err != nil {
		t.Fatalf("SimulateCustomPolicy: %v", err)
	}
	want := map[string]types.PolicyEvaluationDecisionType{"s3:GetObject": "implicitDeny", "s3:DeleteObject": "explicitDeny", "s3:ListBucket": "allowed"}
	if len(out.EvaluationResults) != 3 {
		t.Fatalf("%d results, want 3", len(out.EvaluationResults))
	}
	for _, r := range out.EvaluationResults {
		if got := r.EvalDecision; got != want[*r.EvalActionName] {
			t.Errorf("%s: EvalDecision %s, want %s", *r.EvalActionName, got, want[*r.EvalActionName])
		}
		switch *r.EvalActionName {
		case "s3:GetObject":
			if len(r.MissingContextValues) != 1 || r.MissingContextValues[0] != "aws:PrincipalTag/team" {
				t.Errorf("GetObject MissingContextValues = %v, want aws:PrincipalTag/team", r.MissingContextValues)
			}
		case "s3:DeleteObject":
			if len(r.MatchedStatements) != 1 || *r.MatchedStatements[0].SourcePolicyId != "PolicyInputList.1" || r.MatchedStatements[0].StartPosition.Line != 3 {
				t.Errorf("DeleteObject MatchedStatements = %+v, want the deny on line 3 of PolicyInputList.1", r.MatchedStatements)
			}
		}
	}
	p, err := e.iam(e.creds(t, "alice")).SimulatePrincipalPolicy(ctx, &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::111122223333:role/ReportWriter"),
		ActionNames:     []string{"s3:PutObject", "s3:DeleteObject"},
		ResourceArns:    []string{"arn:aws:s3:::my-bucket/report.csv"},
	})
	if err != nil {
		t.Fatalf("SimulatePrincipalPolicy: %v", err)
	}
	if d := p.EvaluationResults[0].EvalDecision; d != "allowed" || *p.EvaluationResults[0].MatchedStatements[0].SourcePolicyId != "bucket-rw" {
		t.Errorf("role PutObject = %s %+v, want allowed by bucket-rw", d, p.EvaluationResults[0].MatchedStatements)
	}
	if d := p.EvaluationResults[1].EvalDecision; d != "implicitDeny" {
		t.Errorf("role DeleteObject = %s, want implicitDeny", d)
	}
}

// --soft: a request policies deny is reported, with its reason, and
// allowed; the principal's calls feed the suggested policy.
func TestSoftAndSuggestPolicy(t *testing.T) {
	e := start(t, "cross-account-bucket-both-required", serve.Options{Soft: true, Suggest: true})
	quinn := e.s3(e.creds(t, "444455556666-quinn"))
	if _, err := quinn.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("partner-exchange"), Key: aws.String("prices/2026-06.csv")}); err != nil {
		t.Fatalf("soft GetObject: %v", err)
	}
	ev := <-e.events
	if !ev.Soft || ev.Decision != "ImplicitDeny" || ev.Reason == "" || ev.Step == "" {
		t.Fatalf("event = %+v, want a soft ImplicitDeny with reason and step", ev)
	}
	if line := serve.LogLine(ev, false); !strings.Contains(line, "soft: allowed") || !strings.Contains(line, "s3:GetObject arn:aws:s3:::partner-exchange/prices/2026-06.csv") {
		t.Fatalf("LogLine = %q", line)
	}
	var b bytes.Buffer
	if err := e.srv.SuggestPolicies(&b); err != nil {
		t.Fatal(err)
	}
	var got map[string]struct {
		Statement []struct{ Action, Resource []string }
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("suggested policies are not JSON: %v\n%s", err, b.String())
	}
	p := got["arn:aws:iam::444455556666:user/quinn"]
	if len(p.Statement) != 1 || p.Statement[0].Action[0] != "s3:GetObject" || p.Statement[0].Resource[0] != "arn:aws:s3:::partner-exchange/prices/2026-06.csv" {
		t.Fatalf("suggested policy for quinn = %+v", p)
	}
}

// --save writes the estate as changed through the API, and the file
// loads as a scenario again.
func TestSaveScenario(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	if _, err := e.s3(e.creds(t, "alice")).PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("saved.txt"), Body: strings.NewReader("kept")}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.srv.SaveScenario(&b); err != nil {
		t.Fatal(err)
	}
	s, ps := scenarios.Parse("saved.yaml", b.Bytes())
	if len(ps) > 0 {
		t.Fatalf("saved scenario does not load: %v\n%s", ps, b.String())
	}
	if got := s.Estate.Accounts["111122223333"].Buckets["my-bucket"].Objects["saved.txt"]; got != "kept" {
		t.Fatalf("saved object = %q, want kept", got)
	}
}

// Virtual-hosted-style requests name the bucket in the host.
func TestVirtualHostedStyle(t *testing.T) {
	e := start(t, "instance-role-removed", serve.Options{})
	req, _ := http.NewRequest(http.MethodGet, e.url+"/report.csv", nil)
	req.Host = "my-bucket.localhost"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "month,total") {
		t.Fatalf("virtual-hosted GET = %d %q", resp.StatusCode, body)
	}
}

func TestWriteEnv(t *testing.T) {
	e := start(t, "cross-account-bucket-both-required", serve.Options{})
	env, err := serve.WriteEnv(e.url, e.srv.Profiles())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{env.Credentials, env.Config} {
		st, err := os.Stat(f)
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v, want 0600", f, err, st.Mode())
		}
	}
	creds, _ := os.ReadFile(env.Credentials)
	for _, want := range []string{"[lee]", "[444455556666-pat]", "[444455556666-quinn]"} {
		if !strings.Contains(string(creds), want) {
			t.Errorf("credentials file lacks %s:\n%s", want, creds)
		}
	}
	conf, _ := os.ReadFile(env.Config)
	if strings.Count(string(conf), "endpoint_url = "+e.url) != 4 {
		t.Errorf("every profile and the default should point at the endpoint:\n%s", conf)
	}
	if ex := env.Exports(); !strings.Contains(ex, "export AWS_ENDPOINT_URL="+e.url+"\n") || !strings.Contains(ex, "export AWS_CONFIG_FILE=") {
		t.Errorf("Exports = %q", ex)
	}
	if err := env.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(env.Dir); !os.IsNotExist(err) {
		t.Fatalf("%s still exists after Remove", env.Dir)
	}
}
