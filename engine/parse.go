package engine

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ParsePolicy parses a policy document as AWS's policy grammar defines it
// and rejects what AWS rejects. Errors are *InputError values naming the
// JSON path and the line and column: `Statement[0].Effect: must be "Allow"
// or "Deny" (line 4, column 17)`.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
func ParsePolicy(src []byte) (*Policy, error) {
	root, parser, err := parseJSON(src)
	if err != nil {
		return nil, err
	}
	defer parser.release()
	return policyFromNode(root)
}

// countNonSpace counts characters that are not whitespace.
func countNonSpace(src string) int {
	n := 0
	for i := 0; i < len(src); {
		c := src[i]
		if c < utf8.RuneSelf {
			n += int(asciiNonSpace[c])
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(src[i:])
		if !unicode.IsSpace(r) {
			n++
		}
		i += size
	}
	return n
}

var asciiNonSpace = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f':
		default:
			t[c] = 1
		}
	}
	return t
}()

func errAt(n *node, path, format string, args ...any) *InputError {
	return &InputError{Path: path, Pos: n.pos, Problem: sprintf(format, args...)}
}

// policyFromNode builds a Policy from an already parsed JSON value; eval
// requests embed policies and call it with their own path prefix.
func policyFromNode(root *node) (*Policy, error) {
	if root.kind != nodeObject {
		return nil, errAt(root, "", "a policy must be a JSON object, not %s", root.kind)
	}
	p := &Policy{src: root.str}
	var stmtNode *node
	for _, m := range root.members {
		v := m.value
		switch m.key {
		case "Version":
			if v.kind != nodeString {
				return nil, errAt(v, "Version", "must be a string, not %s", v.kind)
			}
			if v.str != "2012-10-17" && v.str != "2008-10-17" {
				return nil, errAt(v, "Version", `must be "2012-10-17" or "2008-10-17", not %q`, v.str)
			}
			p.Version = v.str
		case "Id":
			if v.kind != nodeString {
				return nil, errAt(v, "Id", "must be a string, not %s", v.kind)
			}
			p.ID, p.idSet = v.str, true
		case "Statement":
			stmtNode = v
		default:
			return nil, &InputError{Path: m.key, Pos: m.keyPos, Problem: unknownElement(m.key, "a policy has Version, Id and Statement", "Version", "Id", "Statement")}
		}
	}
	if stmtNode == nil {
		return nil, errAt(root, "Statement", "missing: a policy needs a Statement element")
	}
	vars := p.Version == "2012-10-17"
	var arena tokenArena
	switch stmtNode.kind {
	case nodeObject:
		s, err := statementFromNode(stmtNode, vars, &arena)
		if err != nil {
			return nil, atPath(err, "Statement")
		}
		p.Statements = []Statement{s}
	case nodeArray:
		p.statementList = true
		p.Statements = make([]Statement, 0, len(stmtNode.items))
		for i, item := range stmtNode.items {
			if item.kind != nodeObject {
				return nil, errAt(item, "Statement["+strconv.Itoa(i)+"]", "a statement must be an object, not %s", item.kind)
			}
			s, err := statementFromNode(item, vars, &arena)
			if err != nil {
				// Paths are built only on failure: parsing stays allocation-lean.
				return nil, atPath(err, "Statement["+strconv.Itoa(i)+"]")
			}
			p.Statements = append(p.Statements, s)
		}
		if err := checkUniqueSids(p.Statements); err != nil {
			return nil, err
		}
	default:
		return nil, errAt(stmtNode, "Statement", "must be a statement object or a list of them, not %s", stmtNode.kind)
	}
	return p, nil
}

// checkUniqueSids rejects a Sid used twice in one policy, naming the first
// repeat and the statement it repeats. Past 64 statements the Sids go into a
// map, so a policy of 40,000 statements costs 40,000 lookups, not 800
// million comparisons.
func checkUniqueSids(stmts []Statement) error {
	dup := func(i, j int) error {
		return &InputError{Path: "Statement[" + strconv.Itoa(i) + "].Sid", Pos: stmts[i].SidPos,
			Problem: sprintf("duplicate Sid %q (also statement %d): Sids must be unique within a policy", stmts[i].Sid, j)}
	}
	if len(stmts) <= 64 {
		for i := range stmts {
			for j := 0; j < i; j++ {
				if stmts[i].Sid != "" && stmts[i].Sid == stmts[j].Sid {
					return dup(i, j)
				}
			}
		}
		return nil
	}
	first := make(map[string]int, len(stmts))
	for i := range stmts {
		sid := stmts[i].Sid
		if sid == "" {
			continue
		}
		if j, ok := first[sid]; ok {
			return dup(i, j)
		}
		first[sid] = i
	}
	return nil
}

var statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

func unknownElement(key, known string, names ...string) string {
	for _, n := range names {
		if strings.EqualFold(n, key) {
			return sprintf("unknown element %q: element names are case-sensitive; did you mean %q?", key, n)
		}
	}
	return sprintf("unknown element %q: %s", key, known)
}

// statementFromNode builds one statement; error paths are relative to it.
func statementFromNode(n *node, vars bool, arena *tokenArena) (Statement, error) {
	s := Statement{Pos: n.pos}
	var haveAction, haveNotAction, haveResource, haveNotResource bool
	for _, m := range n.members {
		v := m.value
		ep := m.key
		var err error
		switch m.key {
		case "Sid":
			if v.kind != nodeString {
				return s, errAt(v, ep, "must be a string, not %s", v.kind)
			}
			s.Sid, s.SidPos, s.sidSet = v.str, v.pos, true
		case "Effect":
			if v.kind != nodeString || (v.str != "Allow" && v.str != "Deny") {
				return s, errAt(v, ep, `must be "Allow" or "Deny"`)
			}
			s.EffectPos = v.pos
			s.Effect = EffectAllow
			if v.str == "Deny" {
				s.Effect = EffectDeny
			}
		case "Principal", "NotPrincipal":
			if s.Principal != nil || s.NotPrincipal != nil {
				return s, &InputError{Path: ep, Pos: m.keyPos, Problem: "a statement can have Principal or NotPrincipal, not both"}
			}
			pr, err := principalsFromNode(v, ep)
			if err != nil {
				return s, err
			}
			s.PrincipalPos = v.pos
			if m.key == "Principal" {
				s.Principal = pr
			} else {
				s.NotPrincipal = pr
			}
		case "Action", "NotAction":
			if haveAction || haveNotAction {
				return s, &InputError{Path: ep, Pos: m.keyPos, Problem: "a statement can have Action or NotAction, not both"}
			}
			haveAction, haveNotAction = m.key == "Action", m.key == "NotAction"
			s.NotAction = haveNotAction
			s.ActionPos = v.pos
			s.Actions, s.actionList, err = actionsFromNode(v, ep, arena)
		case "Resource", "NotResource":
			if haveResource || haveNotResource {
				return s, &InputError{Path: ep, Pos: m.keyPos, Problem: "a statement can have Resource or NotResource, not both"}
			}
			haveResource, haveNotResource = m.key == "Resource", m.key == "NotResource"
			s.NotResource, s.HasResource = haveNotResource, true
			s.ResourcePos = v.pos
			s.Resources, s.resourceList, err = resourcesFromNode(v, ep, vars, arena)
		case "Condition":
			s.ConditionPos = v.pos
			s.Conditions, err = conditionsFromNode(v, ep, vars, arena)
		default:
			return s, &InputError{Path: ep, Pos: m.keyPos, Problem: unknownElement(m.key, "a statement has Sid, Effect, Principal or NotPrincipal, Action or NotAction, Resource or NotResource, and Condition", statementElements...)}
		}
		if err != nil {
			return s, err
		}
	}
	if s.Effect == 0 {
		return s, errAt(n, "Effect", `missing: every statement needs "Effect": "Allow" or "Deny"`)
	}
	if !haveAction && !haveNotAction {
		return s, errAt(n, "Action", "missing: every statement needs Action or NotAction")
	}
	return s, nil
}

// stringList reads a value that may be one string or a list of strings.
func stringList(v *node, path, what string) ([]*node, bool, error) {
	switch v.kind {
	case nodeString:
		return []*node{v}, false, nil
	case nodeArray:
		if len(v.items) == 0 {
			return nil, true, errAt(v, path, "must list at least one %s", what)
		}
		for i, it := range v.items {
			if it.kind != nodeString {
				return nil, true, errAt(it, path+"["+strconv.Itoa(i)+"]", "must be a string %s, not %s", what, it.kind)
			}
		}
		return v.items, true, nil
	}
	return nil, false, errAt(v, path, "must be a string or a list of strings, not %s", v.kind)
}

func itemPath(path string, i int, list bool) string {
	if !list {
		return path
	}
	return path + "[" + strconv.Itoa(i) + "]"
}

func actionsFromNode(v *node, path string, arena *tokenArena) ([]Pattern, bool, error) {
	items, list, err := stringList(v, path, "action")
	if err != nil {
		return nil, list, err
	}
	out := make([]Pattern, len(items))
	for i, it := range items {
		a := it.str
		if a != "*" {
			prefix, name, ok := strings.Cut(a, ":")
			if !ok || prefix == "" || name == "" {
				return nil, list, errAt(it, itemPath(path, i, list), `%q must be "*" or service:action, such as "s3:GetObject"`, a)
			}
			if !validServicePrefix(prefix) {
				return nil, list, errAt(it, itemPath(path, i, list), "%q has an invalid service prefix %q: a prefix is letters, digits and hyphens", a, prefix)
			}
		}
		toks, _ := arena.glob(a, false)
		out[i] = Pattern{Text: a, Pos: it.pos, tokens: toks}
	}
	return out, list, nil
}

func validServicePrefix(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '*' || c == '?') {
			return false
		}
	}
	return true
}

func resourcesFromNode(v *node, path string, vars bool, arena *tokenArena) ([]Pattern, bool, error) {
	items, list, err := stringList(v, path, "resource")
	if err != nil {
		return nil, list, err
	}
	out := make([]Pattern, len(items))
	for i, it := range items {
		r := it.str
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return nil, list, errAt(it, itemPath(path, i, list), `%q must be "*" or an ARN starting with "arn:"`, r)
		}
		out[i] = arena.resource(r, vars)
		out[i].Pos = it.pos
	}
	return out, list, nil
}

func principalsFromNode(v *node, path string) (*Principals, error) {
	if v.kind == nodeString {
		if v.str != "*" {
			return nil, errAt(v, path, `must be "*" or an object such as {"AWS": "arn:aws:iam::111122223333:root"}, not the string %q`, v.str)
		}
		return &Principals{Star: true}, nil
	}
	if v.kind != nodeObject {
		return nil, errAt(v, path, `must be "*" or an object of AWS, Service, Federated or CanonicalUser entries, not %s`, v.kind)
	}
	if len(v.members) == 0 {
		return nil, errAt(v, path, "must name at least one principal")
	}
	pr := &Principals{}
	for _, m := range v.members {
		var kind PrincipalKind
		switch m.key {
		case "AWS":
			kind = PrincipalAWS
		case "Service":
			kind = PrincipalService
		case "Federated":
			kind = PrincipalFederated
		case "CanonicalUser":
			kind = PrincipalCanonicalUser
		default:
			return nil, &InputError{Path: path + "." + m.key, Pos: m.keyPos, Problem: unknownElement(m.key, "a principal is listed under AWS, Service, Federated or CanonicalUser", "AWS", "Service", "Federated", "CanonicalUser")}
		}
		ep := path + "." + m.key
		items, list, err := stringList(m.value, ep, "principal")
		if err != nil {
			return nil, err
		}
		for i, it := range items {
			e := PrincipalEntry{Kind: kind, Value: it.str, Pos: it.pos, list: list}
			ip := itemPath(ep, i, list)
			switch kind {
			case PrincipalAWS:
				a, problem := parseAWSPrincipal(it.str)
				if problem != "" {
					return nil, errAt(it, ip, "%s", problem)
				}
				e.aws = a
			default:
				if it.str == "" || strings.TrimSpace(it.str) != it.str {
					return nil, errAt(it, ip, "must be a non-empty name without spaces")
				}
				if kind != PrincipalCanonicalUser && strings.ContainsAny(it.str, "*?") && it.str != "*" {
					return nil, errAt(it, ip, "%q: wildcards are not allowed in a principal", it.str)
				}
			}
			pr.Entries = append(pr.Entries, e)
		}
	}
	return pr, nil
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < 12; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseAWSPrincipal reads an "AWS" principal entry. AWS accepts only "*",
// an account, or the ARN of a user, role, role session or federated user,
// with no wildcards.
func parseAWSPrincipal(s string) (awsPrincipal, string) {
	if s == "*" {
		return awsPrincipal{form: awsAny}, ""
	}
	if isAccountID(s) {
		return awsPrincipal{form: awsAccount, account: s}, ""
	}
	if isUniqueID(s) {
		return awsPrincipal{form: awsUniqueID, name: s}, ""
	}
	if strings.ContainsAny(s, "*?") {
		return awsPrincipal{}, sprintf(`%q: wildcards are not allowed in a principal ARN; use "*" and a condition on aws:PrincipalArn instead`, s)
	}
	parts, ok := splitARN(s)
	if !ok || parts[0] != "arn" || parts[1] == "" {
		return awsPrincipal{}, sprintf(`%q is not a valid AWS principal: expected "*", a 12-digit account ID, or an IAM or STS ARN`, s)
	}
	if !isAccountID(parts[4]) {
		return awsPrincipal{}, sprintf("%q: the account part %q must be a 12-digit account ID", s, parts[4])
	}
	acct, res := parts[4], parts[5]
	switch parts[2] {
	case "iam":
		switch {
		case res == "root":
			return awsPrincipal{form: awsAccount, account: acct}, ""
		case strings.HasPrefix(res, "user/") && len(res) > 5:
			return awsPrincipal{form: awsUser, account: acct, name: lastPathElem(res)}, ""
		case strings.HasPrefix(res, "role/") && len(res) > 5:
			return awsPrincipal{form: awsRole, account: acct, name: lastPathElem(res)}, ""
		}
	case "sts":
		if r, ok := strings.CutPrefix(res, "assumed-role/"); ok {
			role, sess, ok := strings.Cut(r, "/")
			if ok && role != "" && sess != "" {
				return awsPrincipal{form: awsSession, account: acct, name: role, session: sess}, ""
			}
		}
		if n, ok := strings.CutPrefix(res, "federated-user/"); ok && n != "" {
			return awsPrincipal{form: awsFederated, account: acct, name: n}, ""
		}
	}
	return awsPrincipal{}, sprintf("%q is not a principal AWS accepts: name an account, user, role, assumed-role session or federated user", s)
}

func lastPathElem(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// isUniqueID recognises IAM unique IDs (AIDA..., AROA...), which AWS shows in
// place of a principal ARN once the identity is deleted.
func isUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 32 {
		return false
	}
	if !strings.HasPrefix(s, "AIDA") && !strings.HasPrefix(s, "AROA") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func conditionsFromNode(v *node, path string, vars bool, arena *tokenArena) ([]Condition, error) {
	if v.kind != nodeObject {
		return nil, errAt(v, path, `must be an object such as {"StringEquals": {"aws:username": "alice"}}, not %s`, v.kind)
	}
	count := 0
	for _, om := range v.members {
		count += len(om.value.members)
	}
	out := make([]Condition, 0, count)
	for _, om := range v.members {
		op, problem := parseConditionOp(om.key)
		opPath := func() string { return path + "." + om.key }
		if problem != "" {
			return nil, &InputError{Path: opPath(), Pos: om.keyPos, Problem: problem}
		}
		if om.value.kind != nodeObject {
			return nil, errAt(om.value, opPath(), "must be an object of condition keys and values, not %s", om.value.kind)
		}
		if len(om.value.members) == 0 {
			return nil, errAt(om.value, opPath(), "must hold at least one condition key")
		}
		for _, km := range om.value.members {
			kp := func() string { return opPath() + "." + km.key }
			if !strings.Contains(km.key, ":") {
				return nil, &InputError{Path: kp(), Pos: km.keyPos, Problem: sprintf("condition key %q must have a service prefix, such as aws:SourceIp or s3:prefix", km.key)}
			}
			c := Condition{Operator: om.key, Key: km.key, Pos: km.keyPos, op: op, key: strings.ToLower(km.key)}
			vals := km.value
			var items []*node
			switch vals.kind {
			case nodeString, nodeNumber, nodeBool:
				items = []*node{vals}
			case nodeArray:
				c.list = true
				items = vals.items
			default:
				return nil, errAt(vals, kp(), "must be a string, number, boolean or a list of them, not %s", vals.kind)
			}
			c.Values = make([]Pattern, len(items))
			for i, it := range items {
				var text string
				switch it.kind {
				case nodeString, nodeNumber:
					text = it.str
				case nodeBool:
					text = it.str
				default:
					return nil, errAt(it, kp()+"["+strconv.Itoa(i)+"]", "must be a string, number or boolean, not %s", it.kind)
				}
				c.Values[i] = arena.conditionValue(text, op, vars)
				c.Values[i].Pos = it.pos
			}
			c.index = newValueIndex(c.op.base, c.Values)
			out = append(out, c)
		}
	}
	return out, nil
}
