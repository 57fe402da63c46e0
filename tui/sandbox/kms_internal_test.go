package sandbox

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The explanation draws a key's KMS grants as their own stage, after the
// key policy, and marks it "denied here" when a grant's encryption context
// constraint is what refused; requests without grants draw no such stage.
// https://docs.aws.amazon.com/kms/latest/developerguide/grants.html
func TestExplainKMSGrantStage(t *testing.T) {
	hs := newHarness(t, 100, 40)
	scens, err := builtinScenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scens {
		if sc.ID != "kms-grant-encryption-context" {
			continue
		}
		rep := sc.Run(nil)
		draw := func(step string) string {
			o := rep.Outcome(step)
			if o == nil || len(o.Checks) == 0 {
				t.Fatalf("step %s has no authorization", step)
			}
			return ansi.Strip(strings.Join(hs.s.explainCheck(o.Checks[0], 0, 1, 100), "\n"))
		}
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
		if strings.Contains(draw("constrained-grant"), "KMS grants") != true {
			t.Errorf("CreateGrant on a key with grants should draw the grant stage")
		}
		return
	}
	t.Fatal("scenario kms-grant-encryption-context not found")
}

// RestrictPublicBuckets is drawn as its own stage, marked where it denied.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
func TestExplainBlockPublicAccessStage(t *testing.T) {
	hs := newHarness(t, 100, 40)
	scens, err := builtinScenarios()
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range scens {
		if sc.ID != "block-public-access-restrict" {
			continue
		}
		rep := sc.Run(nil)
		draw := func(step string) string {
			o := rep.Outcome(step)
			if o == nil || len(o.Checks) == 0 {
				t.Fatalf("step %s has no authorization", step)
			}
			return ansi.Strip(strings.Join(hs.s.explainCheck(o.Checks[len(o.Checks)-1], 0, 1, 100), "\n"))
		}
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
		return
	}
	t.Fatal("scenario block-public-access-restrict not found")
}
