package engine

import "testing"

// TestDecide checks the decision step alone, in the order of AWS's
// flowchart: an explicit deny before anything else, then every SCP level,
// then the resource-based and identity-based policies.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
func TestDecide(t *testing.T) {
	t.Parallel()
	allowed := facts{iam: true, sameAccount: true, scpOK: true, identityOK: true, boundaryOK: true, sessionOK: true}
	with := func(change func(f *facts)) facts {
		f := allowed
		change(&f)
		return f
	}
	tests := []struct {
		name     string
		f        facts
		decision Decision
		denial   PolicyType
	}{
		{"identity policy allows", allowed, Allow, 0},
		{"a deny anywhere wins over every allow", with(func(f *facts) { f.denyBy[SessionPolicy] = true; f.resGrant = grantDirect }), ExplicitDeny, SessionPolicy},
		{"the first deny in evaluation order is named", with(func(f *facts) { f.denyBy[SCP], f.denyBy[IdentityPolicy] = true, true }), ExplicitDeny, SCP},
		{"an SCP level without allow comes before the identity side", with(func(f *facts) { f.scpOK, f.identityOK = false, false }), ImplicitDeny, SCP},
		{"boundary limits the identity policy", with(func(f *facts) { f.boundaryOK = false }), ImplicitDeny, PermissionsBoundary},
		{"a resource policy naming the caller needs no identity allow", with(func(f *facts) { f.identityOK, f.resGrant = false, grantDirect }), Allow, 0},
		{"a KMS key without a key policy", with(func(f *facts) { f.keyPolicy = true }), ImplicitDeny, ResourcePolicy},
		{"a key policy delegating to the account", with(func(f *facts) { f.keyPolicy, f.resourcePolicy, f.resGrant = true, true, grantAccount }), Allow, 0},
		{"across accounts both sides must allow", with(func(f *facts) { f.sameAccount = false }), ImplicitDeny, ResourcePolicy},
		{"anonymous needs a resource policy", facts{scpOK: true, boundaryOK: true, sessionOK: true}, ImplicitDeny, ResourcePolicy},
		// https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
		{"a VPC endpoint policy must allow even a direct grant", with(func(f *facts) { f.endpointGap, f.resGrant = true, grantDirect }), ImplicitDeny, EndpointPolicy},
		{"an SCP gap is named before the endpoint's", with(func(f *facts) { f.endpointGap, f.scpOK = true, false }), ImplicitDeny, SCP},
		{"an endpoint policy's deny is explicit", with(func(f *facts) { f.denyBy[EndpointPolicy] = true }), ExplicitDeny, EndpointPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d, p := decide(&tc.f)
			if d != tc.decision || p != tc.denial {
				t.Errorf("decide(%+v) = %v, %v; want %v, %v", tc.f, d, p, tc.decision, tc.denial)
			}
		})
	}
}
