package main

import (
	"fmt"
	"io"
	"strings"

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

// policyHeadings name a trace's policies by type; %d is the policy's
// number, counted from 1.
var policyHeadings = map[engine.PolicyType]string{
	engine.SCP:                 "service control policy %d",
	engine.RCP:                 "resource control policy %d",
	engine.ResourcePolicy:      "resource-based policy",
	engine.IdentityPolicy:      "identity-based policy %d",
	engine.PermissionsBoundary: "permissions boundary",
	engine.SessionPolicy:       "session policy %d",
	engine.EndpointPolicy:      "VPC endpoint policy",
	engine.KMSGrant:            "KMS grant %d",
	engine.S3BlockPublicAccess: "S3 Block Public Access",
	engine.AccessPointPolicy:   "S3 access point (network origin and access point policy)",
	engine.AccessPointIdentity: "identity-based policy %d, on the access point's ARN",
	engine.AccessPointEndpoint: "VPC endpoint policy, on the access point's ARN",
	engine.S3ACL:               "S3 access control list",
}

func policyHeading(s engine.Step) string {
	h, ok := policyHeadings[s.Type]
	if !ok {
		return "policy"
	}
	if strings.Contains(h, "%d") {
		h = fmt.Sprintf(h, s.Policy+1)
	}
	if s.Type == engine.SCP || s.Type == engine.RCP {
		h += fmt.Sprintf(" (organization level %d)", s.Level)
	}
	return h
}
