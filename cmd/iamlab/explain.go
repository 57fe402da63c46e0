package main

import (
	"fmt"
	"io"

	"iamlab/engine"
)

// writeExplanation renders a result and its trace for a person, policy by
// policy in the order AWS evaluates them.
func writeExplanation(w io.Writer, req *engine.Request, res *engine.Result) {
	mark := map[engine.Decision]string{engine.Allow: "✓", engine.ExplicitDeny: "✗", engine.ImplicitDeny: "✗"}[res.Decision]
	fmt.Fprintf(w, "%s %s\n%s\n", mark, res.Decision, res.Reason())
	if res.Decision != engine.Allow {
		arn := ""
		if req.Principal != nil {
			arn = req.Principal.ARN
		}
		fmt.Fprintf(w, "\nAWS would answer:\n  %s\n", engine.AccessDeniedMessage(res, arn, req.Action, req.Resource.ARN))
	}
	if len(res.Trace) == 0 {
		return
	}
	fmt.Fprintln(w, "\nTrace:")
	var last string
	for _, s := range res.Trace {
		p := req.PolicyOf(s.Type, s.Policy)
		heading := policyHeading(s)
		if heading != last {
			last = heading
			if res.Decision != engine.Allow && s.Type == res.Denial {
				heading += "  ← denied here"
			}
			fmt.Fprintf(w, "  %s\n", heading)
		}
		name := engine.StatementName(s.Statement, s.Sid)
		if s.Type == engine.AccessPointPolicy && s.Statement < 0 {
			name = "check " + s.Sid
		}
		sym := "·"
		if s.Matched {
			sym = "✓"
			if s.Effect == engine.EffectDeny {
				sym = "✗"
			}
		}
		if s.Type == engine.S3ACL {
			fmt.Fprintf(w, "    %s %s: %s\n", sym, engine.ACLStepName(s), s.Reason(p))
			continue
		}
		fmt.Fprintf(w, "    %s %s (%s): %s\n", sym, name, s.Effect, s.Reason(p))
	}
}

func policyHeading(s engine.Step) string {
	switch s.Type {
	case engine.SCP:
		return fmt.Sprintf("service control policy %d (organization level %d)", s.Policy+1, s.Level)
	case engine.RCP:
		return fmt.Sprintf("resource control policy %d (organization level %d)", s.Policy+1, s.Level)
	case engine.ResourcePolicy:
		return "resource-based policy"
	case engine.IdentityPolicy:
		return fmt.Sprintf("identity-based policy %d", s.Policy+1)
	case engine.PermissionsBoundary:
		return "permissions boundary"
	case engine.SessionPolicy:
		return fmt.Sprintf("session policy %d", s.Policy+1)
	case engine.EndpointPolicy:
		return "VPC endpoint policy"
	case engine.KMSGrant:
		return fmt.Sprintf("KMS grant %d", s.Policy+1)
	case engine.S3BlockPublicAccess:
		return "S3 Block Public Access"
	case engine.AccessPointPolicy:
		return "S3 access point (network origin and access point policy)"
	case engine.AccessPointIdentity:
		return fmt.Sprintf("identity-based policy %d, on the access point's ARN", s.Policy+1)
	case engine.AccessPointEndpoint:
		return "VPC endpoint policy, on the access point's ARN"
	case engine.S3ACL:
		return "S3 access control list"
	}
	return "policy"
}
