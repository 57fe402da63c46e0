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
