package engine

import (
	"sort"
	"strconv"
	"strings"

	"iamlab/internal/textdist"
)

// Lint findings follow IAM Access Analyzer's policy checks: errors are what
// AWS would reject where the policy is attached, security warnings grant
// more than they seem to, warnings are mistakes, suggestions are style.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html

// Severity ranks a finding.
type Severity uint8

const (
	SeverityError Severity = iota + 1
	SeveritySecurityWarning
	SeverityWarning
	SeveritySuggestion
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeveritySecurityWarning:
		return "security warning"
	case SeverityWarning:
		return "warning"
	}
	return "suggestion"
}

// Finding is one lint result, pointing at the place it concerns.
type Finding struct {
	Severity Severity
	// Code is a stable identifier such as "unknown-action".
	Code    string
	Path    string
	Pos     Pos
	Message string
}

// Placement says where a policy is attached, which decides the elements it
// may hold and its size quota.
type Placement uint8

const (
	PlacementIdentity Placement = iota + 1 // an identity-based policy, attachment unknown
	PlacementUserInline
	PlacementGroupInline
	PlacementRoleInline
	PlacementManaged
	PlacementBoundary
	PlacementSession
	PlacementResource // bucket policy, key policy, queue policy, ...
	PlacementTrust    // a role's trust policy
	PlacementSCP
	PlacementRCP
)

func (p Placement) identityBased() bool {
	return p <= PlacementSession
}

// sizeQuota is the character limit (whitespace excluded) for a placement.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func (p Placement) sizeQuota() (int, string) {
	switch p {
	case PlacementUserInline:
		return 2048, "a user's inline policies (2,048 characters in all, whitespace excluded)"
	case PlacementGroupInline:
		return 5120, "a group's inline policies (5,120 characters in all, whitespace excluded)"
	case PlacementRoleInline:
		return 10240, "a role's inline policies (10,240 characters in all, whitespace excluded)"
	case PlacementManaged, PlacementBoundary:
		return 6144, "a managed policy (6,144 characters, whitespace excluded)"
	case PlacementTrust:
		return 2048, "a role trust policy (2,048 characters by default, up to 4,096 on request)"
	case PlacementSession:
		return 2048, "a session policy (2,048 characters)"
	case PlacementSCP:
		return 5120, "a service control policy (5,120 characters)"
	case PlacementRCP:
		return 5120, "a resource control policy (5,120 characters)"
	}
	return 0, ""
}

type linter struct {
	p     *Policy
	place Placement
	out   []Finding
}

func (l *linter) add(sev Severity, code, path string, pos Pos, format string, args ...any) {
	l.out = append(l.out, Finding{Severity: sev, Code: code, Path: path, Pos: pos, Message: sprintf(format, args...)})
}

// Lint checks a parsed policy for what AWS would reject where it is
// attached and for common mistakes, in the spirit of IAM Access Analyzer.
// Findings are sorted by position.
func Lint(p *Policy, place Placement) []Finding {
	l := &linter{p: p, place: place}
	if q, what := place.sizeQuota(); q > 0 && p.Size() > q {
		l.add(SeverityError, "policy-size", "", Pos{1, 1}, "the policy has %d characters (whitespace excluded), over the quota for %s: AWS answers LimitExceeded", p.Size(), what)
	}
	switch p.Version {
	case "":
		l.add(SeverityWarning, "missing-version", "", Pos{1, 1}, `no Version: AWS assumes "2008-10-17", in which policy variables are literal text; add "Version": "2012-10-17"`)
	case "2008-10-17":
		l.add(SeveritySuggestion, "old-version", "Version", Pos{1, 1}, `Version "2008-10-17" is the old policy language; use "2012-10-17"`)
	}
	if len(p.Statements) == 0 {
		l.add(SeverityWarning, "no-statements", "Statement", Pos{1, 1}, "the policy has no statements, so it allows and denies nothing")
	}
	for i := range p.Statements {
		l.statement(i, &p.Statements[i])
	}
	sort.SliceStable(l.out, func(i, j int) bool {
		a, b := l.out[i].Pos, l.out[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	return l.out
}

func (l *linter) stmtPath(i int) string {
	if !l.p.statementList {
		return "Statement"
	}
	return "Statement[" + strconv.Itoa(i) + "]"
}

func (l *linter) statement(i int, s *Statement) {
	path := l.stmtPath(i)
	place := l.place
	if s.sidSet && (place.identityBased() || place == PlacementTrust) && !isAlnum(s.Sid) {
		l.add(SeverityError, "invalid-sid", path+".Sid", s.SidPos, "IAM accepts only letters and digits in a Sid here, not %q", s.Sid)
	}
	hasPrincipal := s.Principal != nil || s.NotPrincipal != nil
	switch {
	case place.identityBased() || place == PlacementSCP:
		if hasPrincipal {
			l.add(SeverityError, "unsupported-principal", path+".Principal", s.PrincipalPos, "an identity-based policy cannot name a Principal: it applies to whoever it is attached to")
		}
		if !s.HasResource {
			l.add(SeverityError, "missing-resource", path, s.Pos, "this statement needs Resource or NotResource: IAM rejects an identity-based policy statement without one")
		}
	case place == PlacementResource:
		if !hasPrincipal {
			l.add(SeverityError, "missing-principal", path, s.Pos, "a resource-based policy statement must name a Principal, or it applies to no one")
		}
	case place == PlacementTrust:
		if !hasPrincipal {
			l.add(SeverityError, "missing-principal", path, s.Pos, "a trust policy statement must name who may assume the role in Principal")
		}
		if s.HasResource {
			l.add(SeverityError, "trust-resource", path+".Resource", s.ResourcePos, "a trust policy cannot have Resource: the resource is the role itself (IAM answers \"Has prohibited field Resource\")")
		}
	case place == PlacementRCP:
		if s.Principal == nil || !s.Principal.Star {
			l.add(SeverityError, "rcp-principal", path+".Principal", s.PrincipalPos, `an RCP statement must use "Principal": "*" (conditions narrow it)`)
		}
		if s.Effect == EffectAllow {
			l.add(SeverityError, "rcp-allow", path+".Effect", s.EffectPos, "RCPs can only deny: every level already holds RCPFullAWSAccess")
		}
	}
	if s.NotPrincipal != nil {
		if s.Effect == EffectAllow {
			l.add(SeverityError, "notprincipal-allow", path+".NotPrincipal", s.PrincipalPos, "NotPrincipal with Allow is not supported: it would grant everyone else, anonymous users included")
		} else {
			l.add(SeveritySuggestion, "notprincipal-deny", path+".NotPrincipal", s.PrincipalPos, "AWS recommends a Deny with the condition ArnNotEquals on aws:PrincipalArn instead of NotPrincipal; a NotPrincipal Deny always applies to principals with a permissions boundary")
		}
	}
	if s.Effect == EffectAllow && s.NotAction {
		l.add(SeveritySecurityWarning, "allow-notaction", path+".NotAction", s.ActionPos, "Allow with NotAction allows every action not listed, in every service, including ones AWS adds later")
	}
	if s.Effect == EffectAllow && s.NotResource {
		l.add(SeveritySecurityWarning, "allow-notresource", path+".NotResource", s.ResourcePos, "Allow with NotResource allows the actions on every resource not listed, in every account")
	}
	if s.Principal != nil && s.Effect == EffectAllow && (place == PlacementResource || place == PlacementTrust) {
		for _, e := range s.Principal.Entries {
			if e.Kind == PrincipalAWS && e.aws.form == awsAny && len(s.Conditions) == 0 {
				l.add(SeveritySecurityWarning, "public-principal", path+".Principal", e.Pos, `{"AWS": "*"} with no condition allows every AWS account and anonymous callers`)
			}
		}
		if s.Principal.Star && len(s.Conditions) == 0 {
			l.add(SeveritySecurityWarning, "public-principal", path+".Principal", s.PrincipalPos, `"Principal": "*" with no condition allows everyone, anonymous callers included`)
		}
	}
	for _, e := range principalEntries(s) {
		if e.Kind == PrincipalAWS && e.aws.form == awsUniqueID {
			l.add(SeverityWarning, "deleted-principal", path+".Principal", e.Pos, "%s is a unique ID: AWS shows it in place of a principal that was deleted, and it matches no one now", e.Value)
		}
	}
	l.actions(path, s)
	l.resources(path, s)
	l.conditions(path, s)
	l.variablesWithoutVersion(path, s)
}

func principalEntries(s *Statement) []PrincipalEntry {
	if s.Principal != nil {
		return s.Principal.Entries
	}
	if s.NotPrincipal != nil {
		return s.NotPrincipal.Entries
	}
	return nil
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func (l *linter) actions(path string, s *Statement) {
	el := "Action"
	if s.NotAction {
		el = "NotAction"
	}
	passRole := false
	for i, a := range s.Actions {
		ap := itemPath(path+"."+el, i, s.actionList)
		if a.Text == "*" {
			continue
		}
		prefix, name, _ := strings.Cut(a.Text, ":")
		if strings.ContainsAny(prefix, "*?") {
			continue
		}
		svc, ok := lookupService(prefix)
		if !ok {
			if _, real := otherServiceName(prefix); real {
				continue
			}
			l.add(SeverityError, "unknown-service", ap, a.Pos, "%q: there is no AWS service with the prefix %q%s", a.Text, prefix, nearestPrefix(prefix))
			continue
		}
		if strings.ContainsAny(name, "*?") {
			matches := svc.actionsMatching(name)
			if len(matches) == 0 {
				l.add(SeverityError, "unknown-action", ap, a.Pos, "%q matches no %s action", a.Text, svc.Prefix)
			}
			for _, m := range matches {
				if strings.EqualFold(svc.Prefix+":"+m.Name, "iam:PassRole") {
					passRole = true
				}
			}
			continue
		}
		act, ok := svc.action(name)
		if !ok {
			l.add(SeverityError, "unknown-action", ap, a.Pos, "%q is not an action of %s%s", a.Text, svc.Name, nearestAction(svc, name))
			continue
		}
		if act.Name != name {
			l.add(SeveritySuggestion, "action-case", ap, a.Pos, "actions match case-insensitively, but AWS writes this one %s:%s", svc.Prefix, act.Name)
		}
		if strings.EqualFold(a.Text, "iam:PassRole") {
			passRole = true
		}
	}
	if passRole && !s.NotAction && s.Effect == EffectAllow && s.HasResource && !s.NotResource {
		for _, r := range s.Resources {
			if r.Text == "*" {
				l.add(SeveritySecurityWarning, "passrole-star", path+".Resource", r.Pos, `iam:PassRole on "*" lets this principal hand any role, an administrator's included, to a service; name the roles, and consider iam:PassedToService`)
			}
		}
	}
}

func nearestPrefix(prefix string) string {
	best, bestD := "", 3
	for _, p := range catalogServicePrefixes() {
		if d := textdist.Distance(strings.ToLower(prefix), p); d < bestD {
			best, bestD = p, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}

func nearestAction(svc *serviceInfo, name string) string {
	lower := strings.ToLower(name)
	best, bestD := "", 4
	for i, a := range svc.actionLower {
		if d := textdist.Distance(lower, a); d < bestD {
			best, bestD = svc.actions[i].Name, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(svc.Prefix+":"+best) + "?"
}

// resources flags ARNs that can never match a real resource: a region or
// account field filled where the service leaves it empty, or empty where
// it needs one (the seed's arn:aws:iam:::role/RDS-* matches no role in any
// account), and ARNs of another service than all the statement's actions.
func (l *linter) resources(path string, s *Statement) {
	if !s.HasResource {
		return
	}
	el := "Resource"
	if s.NotResource {
		el = "NotResource"
	}
	actionSvc := statementService(s)
	for i, r := range s.Resources {
		rp := itemPath(path+"."+el, i, s.resourceList)
		if r.Text == "*" {
			continue
		}
		var arr [6]string
		parts := arr[:splitPatternARN(r.Text, &arr)]
		if len(parts) < 6 {
			if parts[len(parts)-1] != "*" {
				l.add(SeverityError, "arn-parts", rp, r.Pos, "%q has %d colon-separated parts; an ARN has 6 (arn:partition:service:region:account:resource)", r.Text, len(parts))
			}
			continue
		}
		service := parts[2]
		if strings.ContainsAny(service, "*?") || strings.Contains(service, "${") {
			continue
		}
		if actionSvc != "" && !strings.EqualFold(actionSvc, service) && !(actionSvc == "sts" && service == "iam") {
			l.add(SeverityWarning, "resource-service-mismatch", rp, r.Pos, "%q is a %s resource, but every action of this statement belongs to %s", r.Text, service, actionSvc)
		}
		if msg := partsNeverMatch(parts); msg != "" {
			l.add(SeverityError, "arn-never-matches", rp, r.Pos, "%q can never match: %s", r.Text, msg)
		}
	}
}

// resourceNeverMatches says why a Resource ARN pattern can match no
// resource of its service, or "" when it could match one. The trace's
// explanation of a statement that missed quotes it too.
func resourceNeverMatches(text string) string {
	if text == "*" {
		return ""
	}
	var arr [6]string
	parts := arr[:splitPatternARN(text, &arr)]
	if len(parts) < 6 {
		return ""
	}
	return partsNeverMatch(parts)
}

// partsNeverMatch is resourceNeverMatches for a pattern already split into
// its six parts.
func partsNeverMatch(parts []string) string {
	service := parts[2]
	if strings.ContainsAny(service, "*?") || strings.Contains(service, "${") {
		return ""
	}
	svc, ok := lookupService(service)
	if !ok {
		return ""
	}
	return arnNeverMatches(svc, parts)
}

// statementService returns the one service all of a statement's actions
// belong to, or "" when they span several or use wildcards in the prefix.
func statementService(s *Statement) string {
	if s.NotAction {
		return ""
	}
	svc := ""
	for _, a := range s.Actions {
		prefix, _, ok := strings.Cut(a.Text, ":")
		if !ok || strings.ContainsAny(prefix, "*?") {
			return ""
		}
		if svc != "" && !strings.EqualFold(svc, prefix) {
			return ""
		}
		svc = strings.ToLower(prefix)
	}
	return svc
}

// arnNeverMatches compares a Resource ARN's region, account and resource
// type with the ARN formats the service documents.
func arnNeverMatches(svc *serviceInfo, parts []string) string {
	var formats []string
	for _, rt := range svc.resourceTypes {
		formats = append(formats, rt.ARNFormats...)
	}
	if len(formats) == 0 {
		return ""
	}
	sort.Strings(formats)
	region, account, res := parts[3], parts[4], parts[5]
	fieldOK := func(pat, format string) bool {
		if strings.ContainsAny(pat, "*?") || strings.Contains(pat, "${") {
			return true
		}
		return (pat == "") == (format == "")
	}
	var regionBad, accountBad, typeBad bool
	var example string
	for _, f := range formats {
		fp := strings.SplitN(f, ":", 6)
		if len(fp) < 6 {
			continue
		}
		rOK, aOK := fieldOK(region, fp[3]), fieldOK(account, fp[4])
		tOK := resourcePrefixCompatible(res, fp[5])
		if rOK && aOK && tOK {
			return ""
		}
		if tOK {
			regionBad, accountBad = regionBad || !rOK, accountBad || !aOK
			if example == "" {
				example = f
			}
		} else {
			typeBad = true
		}
	}
	switch {
	case accountBad && account == "":
		return "its account field is empty, but " + svc.Prefix + " resource ARNs of this kind carry an account ID (" + example + "); no resource in any account has this ARN"
	case accountBad:
		return "its account field is set, but " + svc.Prefix + " resource ARNs of this kind have none (" + example + ")"
	case regionBad && region == "":
		return "its region field is empty, but " + svc.Prefix + " resource ARNs of this kind carry a region (" + example + ")"
	case regionBad:
		return "its region field is set, but " + svc.Prefix + " resource ARNs of this kind have none (" + example + ")"
	case typeBad:
		return "no " + svc.Prefix + " resource type has ARNs that start like this"
	}
	return ""
}

// resourcePrefixCompatible reports whether a pattern's resource part could
// match some ARN of the format: their literal starts must agree.
func resourcePrefixCompatible(pat, format string) bool {
	lit := pat
	if i := strings.IndexAny(lit, "*?$"); i >= 0 {
		lit = lit[:i]
	}
	flit := format
	if i := strings.Index(flit, "${"); i >= 0 {
		flit = flit[:i]
	}
	n := min(len(lit), len(flit))
	return lit[:n] == flit[:n]
}

func (l *linter) conditions(path string, s *Statement) {
	for _, c := range s.Conditions {
		cp := path + ".Condition." + c.Operator + "." + c.Key
		info, known := conditionKeyInfoFor(c.Key, s)
		if !known {
			if prefix, _, _ := strings.Cut(c.Key, ":"); strings.EqualFold(prefix, "aws") {
				l.add(SeverityError, "unknown-condition-key", cp, c.Pos, "%s is not an AWS global condition key%s", c.Key, nearestGlobalKey(c.Key))
			} else if _, ok := lookupService(prefix); ok {
				l.add(SeverityWarning, "unknown-condition-key", cp, c.Pos, "%s is not a condition key of %s", c.Key, prefix)
			}
		}
		multi := known && strings.HasPrefix(info.Type, "ArrayOf")
		if c.op.set != setNone && known && !multi {
			l.add(SeverityWarning, "set-operator-single-value", cp, c.Pos, "%s is single-valued: ForAnyValue/ForAllValues are for multivalued keys, and ForAllValues on a missing key is true", c.Key)
		}
		if c.op.set == setForAllValues && s.Effect == EffectAllow {
			l.add(SeveritySuggestion, "forallvalues-allow", cp, c.Pos, "ForAllValues is also true when the request has no %s at all; add a Null condition with \"false\" if the key must be present", c.Key)
		}
		if c.op.set == setNone && multi {
			l.add(SeverityWarning, "multivalued-without-set-operator", cp, c.Pos, "%s can hold several values: use ForAnyValue: or ForAllValues: with it", c.Key)
		}
		if s.Effect == EffectDeny && c.op.base == opBool && !c.op.ifExists && strings.EqualFold(c.Key, "aws:MultiFactorAuthPresent") {
			for _, v := range c.Values {
				if strings.EqualFold(v.Text, "false") {
					l.add(SeveritySecurityWarning, "mfa-bool-deny", cp, c.Pos, "long-term access keys send no aws:MultiFactorAuthPresent at all, so Bool \"false\" never denies them: use BoolIfExists")
				}
			}
		}
		fam := c.op.base.family()
		for i, v := range c.Values {
			vp := itemPath(cp, i, c.list)
			switch fam {
			case famNumeric, famDate, famIP, famBinary:
				if !v.typed.ok {
					l.add(SeverityError, "invalid-condition-value", vp, v.Pos, "%q is not a valid %s value for %s", v.Text, familyNoun(fam), c.Operator)
				}
			case famBool, famNull:
				if !strings.EqualFold(v.Text, "true") && !strings.EqualFold(v.Text, "false") {
					l.add(SeverityError, "invalid-condition-value", vp, v.Pos, "%s takes \"true\" or \"false\", not %q", c.Operator, v.Text)
				}
			}
			if v.vars && fam != famString && fam != famARN {
				l.add(SeverityWarning, "variable-in-operator", vp, v.Pos, "policy variables work only with string and ARN operators; %s compares %q as written", c.Operator, v.Text)
			}
		}
		if fam == famString && !(c.op.base == opStringLike || c.op.base == opStringNotLike) {
			for i, v := range c.Values {
				if strings.ContainsAny(v.Text, "*?") && !v.vars {
					l.add(SeverityWarning, "wildcard-in-equals", itemPath(cp, i, c.list), v.Pos, "%s compares exactly, so %q matches only that literal text; use StringLike for wildcards", c.Operator, v.Text)
				}
			}
		}
	}
}

func familyNoun(f opFamily) string {
	switch f {
	case famNumeric:
		return "number"
	case famDate:
		return "date (ISO 8601 or epoch seconds)"
	case famIP:
		return "IP address or CIDR range"
	case famBinary:
		return "base64"
	}
	return ""
}

// conditionKeyInfoFor looks a key up among the global keys and the keys of
// the services of the statement's actions.
func conditionKeyInfoFor(key string, s *Statement) (*conditionKeyInfo, bool) {
	if k, ok := globalConditionKey(key); ok {
		return k, true
	}
	prefix, _, _ := strings.Cut(key, ":")
	if svc, ok := lookupService(prefix); ok {
		if k, ok := svc.conditionKey(key); ok {
			return k, true
		}
	}
	// Federation keys (accounts.google.com:aud, saml:aud) live under sts.
	if svc, ok := lookupService("sts"); ok {
		if k, ok := svc.conditionKey(key); ok {
			return k, true
		}
	}
	for _, a := range s.Actions {
		p, _, _ := strings.Cut(a.Text, ":")
		if svc, ok := lookupService(p); ok {
			if k, ok := svc.conditionKey(key); ok {
				return k, true
			}
		}
	}
	if _, ok := lookupService(prefix); !ok && !strings.EqualFold(prefix, "aws") {
		// A service outside the catalog: nothing to say about its keys.
		return &conditionKeyInfo{Name: key, Type: "String"}, true
	}
	return nil, false
}

func nearestGlobalKey(key string) string {
	lower := strings.ToLower(key)
	best, bestD := "", 4
	for name, k := range loadCatalog().globals.exact {
		if d := textdist.Distance(lower, name); d < bestD || d == bestD && k.Name < best {
			best, bestD = k.Name, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

// variablesWithoutVersion: without Version 2012-10-17, AWS reads ${...} as
// literal text, which then never matches.
func (l *linter) variablesWithoutVersion(path string, s *Statement) {
	if l.p.Version == "2012-10-17" {
		return
	}
	check := func(p Pattern, where string) {
		if strings.Contains(p.Text, "${") {
			l.add(SeverityError, "variable-without-version", where, p.Pos, "%q holds a policy variable, but without \"Version\": \"2012-10-17\" AWS reads it as literal text", p.Text)
		}
	}
	for i, r := range s.Resources {
		check(r, itemPath(path+".Resource", i, s.resourceList))
	}
	for _, c := range s.Conditions {
		for i, v := range c.Values {
			check(v, itemPath(path+".Condition."+c.Operator+"."+c.Key, i, c.list))
		}
	}
}
