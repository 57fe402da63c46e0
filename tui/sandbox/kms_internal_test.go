package sandbox

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"iamlab/scenarios"
	"iamlab/tui/internal/tuitest"
)

// scenarioExplainer runs a built-in scenario as shipped and returns its
// report and a function drawing a step's last authorization as text.
func scenarioExplainer(t *testing.T, id string) (*scenarios.Report, func(step string) string) {
	t.Helper()
	hs := newHarness(t, 100, 40)
	scens, err := tuitest.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scens {
		if sc.ID != id {
			continue
		}
		rep := sc.Run(nil)
		return rep, func(step string) string {
			o := rep.Outcome(step)
			if o == nil || len(o.Checks) == 0 {
				t.Fatalf("step %s has no authorization", step)
			}
			return ansi.Strip(strings.Join(hs.s.explainCheck(o.Checks[len(o.Checks)-1], 0, 1, 100), "\n"))
		}
	}
	t.Fatalf("scenario %s not found", id)
	return nil, nil
}

// The explanation draws a key's KMS grants as their own stage, after the
// key policy, and marks it "denied here" when a grant's encryption context
// constraint is what refused; requests without grants draw no such stage.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
func TestExplainKMSGrantStage(t *testing.T) {
	_, draw := scenarioExplainer(t, "kms-grant-encryption-context")
	denied := draw("payroll-decrypts-hr")
	for _, want := range []string{"KMS grants  ← denied here", `✗`, `grant "payroll-decrypt" (Allow): the encryption context constraint is not met`} {
		if !strings.Contains(denied, want) {
			t.Errorf("explanation of payroll-decrypts-hr lacks %q:\n%s", want, denied)
		}
	}
	allowed := draw("payroll-decrypts-payroll")
	if !strings.Contains(allowed, `✓ grant "payroll-decrypt" (Allow): matched`) || strings.Contains(allowed, "denied here") {
		t.Errorf("explanation of payroll-decrypts-payroll:\n%s", allowed)
	}
	if !strings.Contains(draw("constrained-grant"), "KMS grants") {
		t.Errorf("CreateGrant on a key with grants should draw the grant stage")
	}
}

// RestrictPublicBuckets is drawn as its own stage, marked where it denied.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestExplainBlockPublicAccessStage(t *testing.T) {
	rep, draw := scenarioExplainer(t, "block-public-access-restrict")
	for _, step := range []string{"anonymous-after", "partner-after"} {
		if got := draw(step); !strings.Contains(got, "S3 Block Public Access  ← denied here") || !strings.Contains(got, "setting RestrictPublicBuckets (Deny): the bucket policy is public") {
			t.Errorf("explanation of %s:\n%s", step, got)
		}
	}
	if got := draw("anonymous-before"); strings.Contains(got, "Block Public Access") {
		t.Errorf("before the settings, the explanation shows a Block Public Access stage:\n%s", got)
	}
	if o := rep.Outcome("restore-public-policy"); !strings.Contains(o.Message, "because public policies are blocked by the BlockPublicPolicy block public access setting") {
		t.Errorf("put-bucket-policy under BlockPublicPolicy says %q", o.Message)
	}
}
