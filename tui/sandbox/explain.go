package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"iamlab/engine"
	"iamlab/engine/estate"
	"iamlab/scenarios"
	"iamlab/tui/common"
)

// The steps table and the explanation of one step: its decision, AWS's
// message, and each authorization's trace drawn stage by stage in the
// order AWS's evaluation walks them.

var stageNames = map[engine.PolicyType]string{
	engine.SCP:                 "Organization · service control policies",
	engine.RCP:                 "Organization · resource control policies",
	engine.ResourcePolicy:      "Resource-based policy",
	engine.IdentityPolicy:      "Identity-based policies",
	engine.PermissionsBoundary: "Permissions boundary",
	engine.SessionPolicy:       "Session policies",
	engine.EndpointPolicy:      "VPC endpoint policy",
	engine.KMSGrant:            "KMS grants",
	engine.S3BlockPublicAccess: "S3 Block Public Access",
	engine.AccessPointPolicy:   "S3 access point",
	engine.AccessPointIdentity: "Identity-based policies, on the access point's ARN",
	engine.AccessPointEndpoint: "VPC endpoint policy, on the access point's ARN",
	engine.S3ACL:               "S3 access control list",
}

// wrapped is text wrapped to w cells, each line styled and behind pad
// (spaces), so that pad and line fit in w.
func wrapped(style func(...string) string, text string, w int, pad string) []string {
	var out []string
	for _, l := range common.WrapTokens(text, max(w-len(pad), 10)) {
		out = append(out, pad+style(l))
	}
	return out
}

// verdictMark is ✓ for an allowed call and ✗ for any failure, so the
// table reads without colour.
func verdictMark(st common.Styles, v string) string {
	if v == scenarios.OutcomeAllow {
		return st.Correct.Render("✓ " + v)
	}
	return st.Wrong.Render("✗ " + v)
}

// stepWho is who runs a step, shortened for the table.
func stepWho(st *scenarios.Step) string {
	if st.Advance != "" {
		return ""
	}
	switch {
	case st.As == "":
		return "anonymous"
	case strings.HasPrefix(st.As, "instance "):
		// The instance ID says enough.
		return strings.TrimPrefix(st.As, "instance ")
	}
	return st.As
}

// stepResource is the resource a step acts on: its last authorization's,
// or the role or bucket its command names.
func stepResource(o *scenarios.Outcome, st *scenarios.Step) string {
	if o != nil {
		if o.Denied != nil && o.Denied.Resource != "" {
			return o.Denied.Resource
		}
		if n := len(o.Checks); n > 0 && o.Checks[n-1].Resource != "" {
			return o.Checks[n-1].Resource
		}
	}
	f := strings.Fields(st.Run)
	for i, w := range f {
		if (w == "--role-arn" || w == "--bucket" || w == "--policy-arn" || w == "--user-name") && i+1 < len(f) {
			return f[i+1]
		}
	}
	return ""
}

// stepsTable draws one row per step: who, command, resource, decision,
// and the challenge's goal for the step.
func (s *Screen) stepsTable(w int) []string {
	sc := s.sc
	st := s.sh.Styles
	chal := sc.s.Challenge
	goalW := 0
	if chal != nil {
		goalW = 3
	}
	decW := 17
	if w >= 100 {
		decW = 30
	}
	whoW := common.ClampInt(w/6, 8, 24)
	cmdW := common.ClampInt(w/4, 12, 26)
	resW := max(w-2-whoW-cmdW-decW-goalW-4, 6)
	command := stepCommand
	if w < 100 {
		command = stepOperation
	}
	head := "  " + common.PadRight("who", whoW) + " " + common.PadRight("command", cmdW) + " " + common.PadRight("resource", resW) + " " + common.PadRight("decision", decW)
	if goalW > 0 {
		head += " ⚑"
	}
	lines := []string{st.Muted.Render(common.Truncate(head, w))}
	changed, goals := sc.changedFrom(), sc.goalsByStep()
	for i, sr := range sc.ws.Report().Steps {
		step := sr.Step
		mark := "  "
		if i == sc.stepSel {
			mark = "› "
		}
		if step.Advance != "" {
			row := mark + common.PadRight("", whoW) + " " + st.Muted.Render(common.PadRight("⏱ the clock moves on "+step.Advance, cmdW+resW+1))
			lines = append(lines, s.stepRow(row, i == sc.stepSel, w))
			continue
		}
		o := sr.Outcome
		v := o.Verdict()
		dec := verdictMark(st, v)
		if was, ok := changed[i]; ok {
			if decW >= 30 {
				dec += st.Warn.Render(" ← was " + was)
			} else {
				dec += st.Warn.Render(" •")
			}
		}
		if sc.ws.Stale() {
			dec = st.Muted.Render("~") + dec
		}
		row := mark + common.PadRight(common.Truncate(stepCaller(o, step), whoW), whoW) + " " + common.PadRight(common.Truncate(command(step.Run), cmdW), cmdW) + " " +
			common.PadRight(common.Truncate(shortARN(stepResource(o, step)), resW), resW) + " " + common.PadRight(dec, decW)
		if g, ok := goals[step.Name]; ok {
			if g.Met {
				row += " " + st.Correct.Render("⚑✓")
			} else {
				row += " " + st.Wrong.Render("⚑✗")
			}
		}
		lines = append(lines, s.stepRow(row, i == sc.stepSel, w))
	}
	return lines
}

func (s *Screen) stepRow(row string, sel bool, w int) string {
	row = common.PadRight(row, w)
	if sel && s.sc.focus == paneSteps {
		return s.sh.Styles.Cursor.Render(ansi.Strip(row))
	}
	return row
}

func (s *Screen) drawExplanation(w int) []string {
	sc := s.sc
	st := s.sh.Styles
	if len(sc.ws.Report().Steps) == 0 {
		return []string{st.Muted.Render("This scenario has no steps.")}
	}
	i := common.ClampInt(sc.stepSel, 0, len(sc.ws.Report().Steps)-1)
	sr := sc.ws.Report().Steps[i]
	step := sr.Step
	var lines []string
	add := func(style func(...string) string, text string, indent int) {
		lines = append(lines, wrapped(style, text, w, strings.Repeat(" ", indent))...)
	}
	name := step.Name
	if name == "" {
		name = fmt.Sprintf("step %d", i+1)
	}
	if step.Advance != "" {
		add(st.Title.Render, fmt.Sprintf("%s · the sandbox clock moves on %s", name, step.Advance), 0)
		if step.Note != "" {
			add(st.Text.Render, step.Note, 0)
		}
		return lines
	}
	add(st.Title.Render, name+" · as "+stepCallerLong(sr.Outcome, step), 0)
	add(st.Muted.Render, "$ "+step.Run, 0)
	o := sr.Outcome
	v := o.Verdict()
	head := verdictMark(st, v)
	was, changed := sc.changedFrom()[i]
	if changed {
		head += st.Warn.Render(fmt.Sprintf("   changed: %s: %s → %s", stepOp(step.Run), was, v))
	}
	lines = append(lines, head)
	if sc.ws.Stale() {
		add(st.Warn.Render, "~ stale: a policy does not parse, so this is the last valid run.", 0)
	}
	if g, ok := sc.goalsByStep()[step.Name]; ok {
		if g.Met {
			add(st.Correct.Render, "⚑ goal "+g.Want+": met", 0)
		} else {
			add(st.Wrong.Render, "⚑ goal "+g.Want+": not yet (now "+v+")", 0)
		}
	}
	if note, shipped := s.stepNote(i); shipped {
		add(st.Muted.Render, note, 0)
	} else if note != "" {
		add(st.Text.Render, note, 0)
	}
	return append(lines, s.explainOutcome(o, w)...)
}

// explainOutcome draws what a call did, for a step or a request the
// Live pane lists: AWS's message, each authorization stage by stage, and
// the output.
func (s *Screen) explainOutcome(o *scenarios.Outcome, w int) []string {
	st := s.sh.Styles
	var lines []string
	if o.Message != "" {
		lines = append(lines, s.awsSays(o.Message, w)...)
	}
	for k, d := range o.Checks {
		lines = append(lines, "")
		lines = append(lines, s.explainCheck(d, k, len(o.Checks), w)...)
	}
	if o.Output != "" && o.Output != "{}" {
		lines = append(lines, "", st.Accent.Render("Output"))
		for j, l := range s.theme.codeBlock(o.Output, max(w-2, 10)) {
			if j >= 12 {
				lines = append(lines, st.Muted.Render("  …"))
				break
			}
			lines = append(lines, "  "+l)
		}
	}
	return lines
}

// awsSays is the error AWS answered with, under its heading.
func (s *Screen) awsSays(msg string, w int) []string {
	st := s.sh.Styles
	return append([]string{"", st.Accent.Render("AWS says")}, wrapped(st.Error.Render, msg, w, "  ")...)
}

// explainCheck draws one authorization: the request, then each stage of
// the evaluation with its policies and statements.
func (s *Screen) explainCheck(d *estate.Decision, k, n, w int) []string {
	st := s.sh.Styles
	var lines []string
	add := func(style func(...string) string, text string, indent int) {
		pad := strings.Repeat(" ", indent)
		for j, l := range common.WrapTokens(text, max(w-indent-2, 10)) {
			p := pad
			if j > 0 {
				p += "  "
			}
			lines = append(lines, p+style(l))
		}
	}
	res := d.Result
	title := d.Action + " on " + d.Resource
	if n > 1 {
		title = fmt.Sprintf("Check %d of %d: %s", k+1, n, title)
	}
	add(st.Accent.Render, title+"  "+ansi.Strip(decisionMark(res.Decision)), 0)
	who := "anonymous: the request carries no credentials"
	if d.Identity != nil && d.Identity.ARN != "" {
		who = d.Identity.ARN
	}
	add(st.Muted.Render, "caller "+who, 2)
	req := &d.Request
	for _, t := range engine.EvaluationOrder {
		if t == engine.EndpointPolicy && req.VPCEndpoint == nil {
			continue // the request did not come through a VPC endpoint
		}
		if (t == engine.AccessPointPolicy || t == engine.AccessPointIdentity || t == engine.AccessPointEndpoint) && req.AccessPoint == nil {
			continue // the request named the bucket itself
		}
		if t == engine.AccessPointEndpoint && (req.VPCEndpoint == nil || req.VPCEndpoint.Policy == nil) {
			continue // no endpoint policy to match against the access point
		}
		count := policyCount(req, t)
		if (t == engine.KMSGrant || t == engine.S3BlockPublicAccess || t == engine.S3ACL) && count == 0 {
			continue // only requests on KMS keys or restricted buckets have these
		}
		steps := engine.OfType(res.Trace, t)
		label := stageNames[t]
		mark := "○"
		style := st.Muted.Render
		if count > 0 {
			mark, style = "●", st.Text.Render
		}
		if res.Decision != engine.Allow && res.Denial == t {
			label += "  ← denied here"
			style = st.Wrong.Render
		}
		if count == 0 {
			none := "none"
			if t == engine.IdentityPolicy && req.Principal == nil {
				none = "none: an anonymous request has no identity"
			}
			if t == engine.EndpointPolicy {
				none = req.VPCEndpoint.ID + " has the default endpoint policy, which allows everything"
			}
			add(style, mark+" "+label+": "+none, 2)
			continue
		}
		add(style, mark+" "+label, 2)
		for p := range count {
			src := d.Sources.Ref(engine.StatementRef{Type: t, Policy: p}).String()
			if strings.TrimSpace(src) == "policy" || src == "" {
				src = fmt.Sprintf("policy %d", p+1)
			}
			if t == engine.S3BlockPublicAccess {
				src = "the bucket's and its owner account's settings"
			}
			if t == engine.AccessPointPolicy {
				src = accessPointSource(req.AccessPoint)
			}
			if t == engine.S3ACL {
				src = aclSource(req.S3.ACLs)
			}
			if t == engine.KMSGrant {
				src = "grant " + req.KMS.Grants[p].ID + " to " + req.KMS.Grants[p].GranteePrincipal
			}
			add(st.Muted.Render, src, 4)
			pol := req.PolicyOf(t, p)
			any := false
			for _, stp := range steps {
				if stp.Policy != p {
					continue
				}
				any = true
				name := engine.StatementName(stp.Statement, stp.Sid)
				if t == engine.KMSGrant {
					name = "grant " + strconv.Quote(stp.Sid)
				}
				if t == engine.S3BlockPublicAccess {
					name = "setting " + stp.Sid
				}
				if t == engine.AccessPointPolicy && stp.Statement < 0 {
					name = "check " + stp.Sid
				}
				text := name + " (" + stp.Effect.String() + "): " + stp.Reason(pol)
				if t == engine.S3ACL {
					text = engine.ACLStepName(stp) + ": " + stp.Reason(pol)
				}
				switch {
				case stp.Matched && stp.Effect == engine.EffectDeny:
					add(st.Wrong.Render, "✗ "+text, 6)
				case stp.Matched:
					add(st.Correct.Render, "✓ "+text, 6)
				default:
					add(st.Muted.Render, "· "+text, 6)
				}
			}
			if !any {
				add(st.Muted.Render, "(no statements)", 6)
			}
		}
	}
	add(st.Text.Render, "⇒ "+res.Reason(), 2)
	return lines
}

func decisionMark(d engine.Decision) string {
	if d == engine.Allow {
		return "✓ Allow"
	}
	return "✗ " + d.String()
}

// policyCount is how many policies of a type a request carries.
func policyCount(req *engine.Request, t engine.PolicyType) int {
	n := 0
	switch t {
	case engine.SCP:
		for _, l := range req.Organization.SCPs {
			n += len(l)
		}
	case engine.RCP:
		for _, l := range req.Organization.RCPs {
			n += len(l)
		}
	case engine.ResourcePolicy:
		if req.Resource.Policy != nil {
			n = 1
		}
	case engine.IdentityPolicy:
		if req.Principal != nil {
			n = len(req.Principal.IdentityPolicies)
		}
	case engine.PermissionsBoundary:
		if req.Principal != nil && req.Principal.PermissionsBoundary != nil {
			n = 1
		}
	case engine.S3BlockPublicAccess:
		if req.S3 != nil && req.S3.RestrictPublicBuckets && req.Resource.Policy != nil {
			n = 1
		}
	case engine.KMSGrant:
		if req.KMS != nil {
			n = len(req.KMS.Grants)
		}
	case engine.S3ACL:
		if req.S3 != nil && req.S3.ACLs != nil {
			n = 1
		}
	case engine.SessionPolicy:
		if req.Principal != nil {
			n = len(req.Principal.SessionPolicies)
		}
	case engine.EndpointPolicy:
		if req.VPCEndpoint != nil && req.VPCEndpoint.Policy != nil {
			n = 1
		}
	case engine.AccessPointPolicy:
		if req.AccessPoint != nil {
			n = 1 // its network origin check, and its policy if it has one
		}
	case engine.AccessPointIdentity:
		if req.AccessPoint != nil && req.Principal != nil {
			n = len(req.Principal.IdentityPolicies)
		}
	case engine.AccessPointEndpoint:
		if req.AccessPoint != nil && req.VPCEndpoint != nil && req.VPCEndpoint.Policy != nil {
			n = 1
		}
	}
	return n
}

// shortARN drops an ARN's partition, Region and account for the table:
// arn:aws:s3:::bucket/key is bucket/key, arn:aws:iam::111122223333:role/R
// is role/R. The explanation shows it whole.
func shortARN(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return arn
	}
	return parts[5]
}

// stepOperation is a command line's operation: "get-object".
func stepOperation(run string) string {
	f := strings.Fields(run)
	if len(f) < 3 {
		return run
	}
	return f[2]
}

// accessPointSource names an access point and its network origin.
func accessPointSource(ap *engine.AccessPoint) string {
	s := ap.ARN
	if ap.NetworkOrigin == engine.NetworkOriginVPC {
		s += " (network origin VPC " + ap.VPC + ")"
	}
	if ap.Policy == nil {
		s += ", no access point policy"
	}
	return s
}

// aclSource says whose ACL an S3 request was checked against.
func aclSource(a *engine.S3ACLs) string {
	switch {
	case a.Bucket:
		return "the bucket's ACL"
	case a.ObjectOwner != "":
		return "the object's ACL (the object belongs to account " + a.ObjectOwner + ")"
	}
	return "the object's ACL"
}
