package sandbox

import (
	"strings"
	"testing"
)

// TestSandboxEndpointDeniedHere: a step denied by a VPC endpoint's policy
// marks that layer, in AWS's order after the organization's policies.
// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
func TestSandboxEndpointDeniedHere(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "vpc-endpoint-only-bucket")
	hs.press("3")
	selectStep(hs, "scratch-via-analytics-endpoint")
	screen := hs.screen()
	for _, want := range []string{"● VPC endpoint policy  ← denied here", "VPC endpoint policy of vpce-1a2b3c4d"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the explanation lacks %q:\n%s", want, screen)
		}
	}
	if strings.Index(screen, "VPC endpoint policy") > strings.Index(screen, "Resource-based policy") {
		t.Errorf("the endpoint layer should come before the resource-based policy:\n%s", screen)
	}
}
