package scenarios_test

import (
	"strings"
	"testing"

	"iamlab/scenarios"
)

// A quiz question probes its scenario: a step as shipped, a step with the
// challenge's solution or an edit, or a command run after the steps.
func TestProbe(t *testing.T) {
	s := builtin(t, "instance-role-removed")
	private := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::my-bucket/*"}]}`
	for _, tc := range []struct {
		name string
		p    scenarios.Probe
		want string
	}{
		{"step as shipped", scenarios.Probe{Step: "read-without-role"}, "Allow"},
		{"step with the solution", scenarios.Probe{Step: "read-without-role", Solution: true}, "ImplicitDeny"},
		{"step with an edit", scenarios.Probe{Step: "read-without-role", Edits: map[string]string{"bucket/my-bucket": private}}, "ImplicitDeny"},
		{"command after the steps", scenarios.Probe{As: "anonymous", Run: "aws s3api get-object --bucket my-bucket --key report.csv r.csv"}, "Allow"},
		{"command sees the steps' changes", scenarios.Probe{As: "instance i-0a1b2c3d4e5f60718", Run: "aws s3api put-object --bucket my-bucket --key x --body y"}, "ImplicitDeny"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := s.Probe(tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if !o.Matches(tc.want) {
				t.Errorf("got %s, want %s (%s)", o.Verdict(), tc.want, o.Message)
			}
		})
	}
}

func TestProbeErrors(t *testing.T) {
	s := builtin(t, "instance-role-removed")
	for _, tc := range []struct {
		p    scenarios.Probe
		want string
	}{
		{scenarios.Probe{Step: "no-such-step"}, "no step named no-such-step"},
		{scenarios.Probe{}, "names a step or a command"},
		{scenarios.Probe{Run: "aws sts get-caller-identity"}, "needs a caller"},
		{scenarios.Probe{Step: "read-as-alice", Edits: map[string]string{"bucket/other": "{}"}}, "has no policy bucket/other"},
		{scenarios.Probe{Step: "read-as-alice", Edits: map[string]string{"bucket/my-bucket": "{"}}, "edit of bucket/my-bucket"},
		{scenarios.Probe{Step: "read-as-alice", Solution: true}, ""},
	} {
		_, err := s.Probe(tc.p)
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", tc.p, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error saying %q", tc.p, err, tc.want)
		}
	}
}

func TestProbeSolutionNeedsAChallenge(t *testing.T) {
	_, err := builtin(t, "get-caller-identity-everywhere").Probe(scenarios.Probe{Step: "x", Solution: true})
	if err == nil || !strings.Contains(err.Error(), "has no challenge") {
		t.Errorf("got %v, want: has no challenge", err)
	}
}

// Editing an SCP in one run leaves the scenario as shipped for the next:
// the organization's policies are the run's own copies.
func TestProbeLeavesTheSCPAsShipped(t *testing.T) {
	s := builtin(t, "scp-denies-admin")
	before := s.Run(nil)
	var scp string
	for _, p := range s.Policies() {
		if strings.HasPrefix(p.Address, "scp/") {
			scp = p.Address
		}
	}
	if scp == "" {
		t.Fatal("scp-denies-admin has no SCP")
	}
	if _, err := s.Probe(scenarios.Probe{Step: before.Steps[len(before.Steps)-1].Step.Name,
		Edits: map[string]string{scp: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`}}); err != nil {
		t.Fatal(err)
	}
	after := s.Run(nil)
	for i, sr := range before.Steps {
		if sr.Outcome == nil {
			continue
		}
		if got, want := after.Steps[i].Outcome.Verdict(), sr.Outcome.Verdict(); got != want {
			t.Errorf("step %s after a probe edited %s: %s, was %s", sr.Step.Name, scp, got, want)
		}
	}
}

// A KMS key ID alone names a key of the caller's own account: another
// account's key needs its key ARN, as the KeyId parameter says.
// https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html#KMS-Decrypt-request-KeyId
func TestKMSKeyIDIsTheCallersAccount(t *testing.T) {
	sb := builtin(t, "kms-cross-account-key").NewSandbox()
	if o := sb.Run("444455556666/reporter", "aws kms decrypt --key-id 3333cccc-33cc-43cc-83cc-3333cccc3333"); o.Code != "NotFoundException" {
		t.Errorf("another account's key by its ID alone = %s %s, want NotFoundException", o.Verdict(), o.Message)
	}
	if o := sb.Run("444455556666/reporter", "aws kms decrypt --key-id arn:aws:kms:us-east-1:111122223333:key/3333cccc-33cc-43cc-83cc-3333cccc3333"); !o.Matches("Allow") {
		t.Errorf("the same key by its ARN = %s %s, want Allow", o.Verdict(), o.Message)
	}
}

// SimulatePrincipalPolicy with a resource policy needs a caller for its
// Principal: the source user, or CallerArn (an IAM user) for a role.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulatePrincipalPolicy.html
func TestSimulatorCallerArn(t *testing.T) {
	sb := builtin(t, "assume-role-same-account").NewSandbox()
	policy := `'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ops"},"Action":"s3:GetObject","Resource":"*"}]}'`
	base := "aws iam simulate-principal-policy --action-names s3:GetObject --resource-arns arn:aws:s3:::releases-111122223333/x --resource-policy " + policy
	for _, tc := range []struct{ args, want, decision string }{
		{" --policy-source-arn arn:aws:iam::111122223333:role/AuditRole", "InvalidInput", ""},
		{" --policy-source-arn arn:aws:iam::111122223333:role/AuditRole --caller-arn arn:aws:sts::111122223333:assumed-role/AuditRole/x", "InvalidInput", ""},
		{" --policy-source-arn arn:aws:iam::111122223333:role/AuditRole --caller-arn arn:aws:iam::111122223333:user/ops", "Allow", `"EvalDecision": "allowed"`},
		{" --policy-source-arn arn:aws:iam::111122223333:role/AuditRole --caller-arn arn:aws:iam::111122223333:user/dev", "Allow", `"EvalDecision": "implicitDeny"`},
	} {
		o := sb.Run("root", base+tc.args)
		if !o.Matches(tc.want) && o.Code != tc.want {
			t.Errorf("%s: got %s %s, want %s", tc.args, o.Verdict(), o.Message, tc.want)
		}
		if !strings.Contains(o.Output, tc.decision) {
			t.Errorf("%s: output %s, want %s", tc.args, o.Output, tc.decision)
		}
	}
}

// iam get-user names a user, or without --user-name answers for the
// caller's own user; a role session must name one.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetUser.html
func TestGetUser(t *testing.T) {
	sb := builtin(t, "instance-role-removed").NewSandbox()
	for _, tc := range []struct{ as, line, want, output string }{
		{"alice", "aws iam get-user", "Allow", `"Arn": "arn:aws:iam::111122223333:user/alice"`},
		{"root", "aws iam get-user --user-name alice", "Allow", `"UserName": "alice"`},
		{"root", "aws iam get-user --user-name nobody", "NoSuchEntity", ""},
		{"instance i-0a1b2c3d4e5f60718", "aws iam get-user", "ValidationError", ""},
	} {
		o := sb.Run(tc.as, tc.line)
		if !o.Matches(tc.want) && o.Code != tc.want {
			t.Errorf("%s as %s: got %s %s, want %s", tc.line, tc.as, o.Verdict(), o.Message, tc.want)
		}
		if !strings.Contains(o.Output, tc.output) {
			t.Errorf("%s as %s: output %s, want %s", tc.line, tc.as, o.Output, tc.output)
		}
	}
}
