package sandbox

import (
	"strings"
	"testing"
)

// TestSandboxAccessPointDeniedHere: a step refused by a VPC access point
// marks the access point's layer, before the bucket's, and names its
// network origin check.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-vpc.html
func TestSandboxAccessPointDeniedHere(t *testing.T) {
	hs := newHarness(t, 120, 60)
	openScenario(hs, "access-point-delegation")
	hs.press("3")
	selectStep(hs, "analyst-to-vpc-access-point-from-internet")
	screen := hs.screen()
	for _, want := range []string{"● S3 access point  ← denied here", "(network origin VPC vpc-0aa11bb2)", "✗ check NetworkOrigin (Deny): the access point's network"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the explanation lacks %q:\n%s", want, screen)
		}
	}
	if strings.Index(screen, "S3 access point") > strings.Index(screen, "Resource-based policy") {
		t.Errorf("the access point's layer should come before the bucket policy:\n%s", screen)
	}
}
