package scenarios

import (
	"fmt"
	"sort"
	"strings"

	"iamlab/engine"
	"iamlab/engine/estate"
)

// PolicyAddress names one policy of a scenario's estate, optionally
// prefixed by its account ("444455556666/role/Auditor/trust"; the home
// account when absent):
//
//	bucket/NAME                  a bucket policy
//	accesspoint/NAME             an S3 access point's policy
//	key/ID                       a KMS key policy
//	role/NAME/trust              a role's trust policy
//	role/NAME/inline/POLICY      an inline policy of a role (user/NAME/..., group/NAME/...)
//	policy/NAME                  a customer managed policy (its default version)
//	scp/NAME, rcp/NAME           an organization policy
type PolicyAddress = string

// PolicyInfo describes one policy of an estate, for listing and editing.
type PolicyInfo struct {
	Address PolicyAddress
	// Title says where the policy is attached, in a learner's words.
	Title string
	// Placement is where it sits, for the engine's lint checks.
	Placement engine.Placement
	Text      string
}

func splitAddress(home, addr string) (acct string, parts []string) {
	parts = strings.Split(addr, "/")
	if len(parts) > 0 && len(parts[0]) == 12 && isDigits(parts[0]) {
		return parts[0], parts[1:]
	}
	return home, parts
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// slot finds where a policy lives: a pointer to the *Document field that
// holds it in this sandbox's (cloned) estate.
func (sb *Sandbox) slot(addr PolicyAddress) (**estate.Document, engine.Placement, error) {
	acct, p := splitAddress(sb.Scenario.Account, addr)
	bad := func() (**estate.Document, engine.Placement, error) {
		return nil, 0, fmt.Errorf("%q is not a policy of this scenario: use bucket/NAME, accesspoint/NAME, key/ID, vpce/ID, role/NAME/trust, user|group|role/NAME/inline/POLICY, policy/NAME, scp/NAME or rcp/NAME", addr)
	}
	a := sb.Estate.Accounts[acct]
	if len(p) < 2 {
		return bad()
	}
	if p[0] == "scp" || p[0] == "rcp" {
		if org := sb.Estate.Organization; org != nil && len(p) == 2 {
			if op := org.Policies[p[1]]; op != nil && strings.EqualFold(op.Type, p[0]) {
				place := engine.PlacementSCP
				if p[0] == "rcp" {
					place = engine.PlacementRCP
				}
				return &op.Document, place, nil
			}
		}
		return bad()
	}
	if a == nil {
		return bad()
	}
	switch {
	case p[0] == "bucket" && len(p) == 2:
		for _, acc := range sb.Estate.Accounts {
			if b := acc.Buckets[p[1]]; b != nil {
				return &b.Policy, engine.PlacementResource, nil
			}
		}
	case p[0] == "key" && len(p) == 2:
		if k := a.Keys[p[1]]; k != nil {
			return &k.Policy, engine.PlacementResource, nil
		}
	case p[0] == "accesspoint" && len(p) == 2:
		if ap := a.AccessPoints[p[1]]; ap != nil {
			return &ap.Policy, engine.PlacementResource, nil
		}
	case p[0] == "vpce" && len(p) == 2:
		if ep := a.VPCEndpoints[p[1]]; ep != nil {
			return &ep.Policy, engine.PlacementResource, nil
		}
	case p[0] == "policy" && len(p) == 2:
		if mp := a.Policies[p[1]]; mp != nil {
			for _, v := range mp.Versions {
				if v.ID == mp.DefaultVersion {
					return &v.Document, engine.PlacementManaged, nil
				}
			}
			return &mp.Document, engine.PlacementManaged, nil
		}
	case p[0] == "role" && len(p) == 3 && p[2] == "trust":
		if r := a.Roles[p[1]]; r != nil {
			return &r.TrustPolicy, engine.PlacementTrust, nil
		}
	case len(p) == 4 && p[2] == "inline":
		var m map[string]*estate.Document
		var place engine.Placement
		switch p[0] {
		case "user":
			if u := a.Users[p[1]]; u != nil {
				m, place = u.InlinePolicies, engine.PlacementUserInline
			}
		case "group":
			if g := a.Groups[p[1]]; g != nil {
				m, place = g.InlinePolicies, engine.PlacementGroupInline
			}
		case "role":
			if r := a.Roles[p[1]]; r != nil {
				m, place = r.InlinePolicies, engine.PlacementRoleInline
			}
		}
		if m != nil {
			if _, ok := m[p[3]]; ok {
				d := m[p[3]]
				// Inline policies live in a map; edit a copy and store it back.
				return &d, place, nil
			}
		}
	}
	return bad()
}

// policyAt returns the policy's current text.
func (sb *Sandbox) policyAt(addr PolicyAddress) (string, error) {
	d, _, err := sb.slot(addr)
	if err != nil {
		return "", err
	}
	return (*d).Text(), nil
}

// SetPolicy replaces a policy's text in this sandbox. The text must parse;
// the error is the engine's, with JSON path, line and column.
func (sb *Sandbox) SetPolicy(addr PolicyAddress, text string) error {
	doc, err := sb.Scenario.document(text)
	if err != nil {
		return err
	}
	return sb.setDocument(addr, doc)
}

// setDocument puts a parsed policy in place.
func (sb *Sandbox) setDocument(addr PolicyAddress, doc *estate.Document) error {
	acct, p := splitAddress(sb.Scenario.Account, addr)
	if len(p) == 4 && p[2] == "inline" {
		a := sb.Estate.Accounts[acct]
		var m map[string]*estate.Document
		switch {
		case a == nil:
		case p[0] == "user" && a.Users[p[1]] != nil:
			m = a.Users[p[1]].InlinePolicies
		case p[0] == "group" && a.Groups[p[1]] != nil:
			m = a.Groups[p[1]].InlinePolicies
		case p[0] == "role" && a.Roles[p[1]] != nil:
			m = a.Roles[p[1]].InlinePolicies
		}
		if _, ok := m[p[3]]; !ok {
			return fmt.Errorf("%q is not a policy of this scenario", addr)
		}
		m[p[3]] = doc
		return nil
	}
	slot, _, err := sb.slot(addr)
	if err != nil {
		return err
	}
	*slot = doc
	return nil
}

// Policies lists every policy of the scenario's estate, by where it is
// attached: organization policies, then each account's.
func (s *Scenario) Policies() []PolicyInfo {
	sb := newSandbox(s)
	var out []PolicyInfo
	addr := func(acct, rest string) string {
		if acct == s.Account {
			return rest
		}
		return acct + "/" + rest
	}
	add := func(a, title string) {
		d, place, err := sb.slot(a)
		if err != nil || *d == nil {
			return
		}
		out = append(out, PolicyInfo{Address: a, Title: title, Placement: place, Text: (*d).Text()})
	}
	if org := sb.Estate.Organization; org != nil {
		for _, name := range sortedKeys(org.Policies) {
			t := strings.ToLower(org.Policies[name].Type)
			add(t+"/"+name, strings.ToUpper(t)+" "+name)
		}
	}
	for _, acct := range sortedKeys(sb.Estate.Accounts) {
		a := sb.Estate.Accounts[acct]
		for _, u := range sortedKeys(a.Users) {
			for _, p := range sortedKeys(a.Users[u].InlinePolicies) {
				add(addr(acct, "user/"+u+"/inline/"+p), "inline policy "+p+" of user "+u)
			}
		}
		for _, g := range sortedKeys(a.Groups) {
			for _, p := range sortedKeys(a.Groups[g].InlinePolicies) {
				add(addr(acct, "group/"+g+"/inline/"+p), "inline policy "+p+" of group "+g)
			}
		}
		for _, r := range sortedKeys(a.Roles) {
			add(addr(acct, "role/"+r+"/trust"), "trust policy of role "+r)
			for _, p := range sortedKeys(a.Roles[r].InlinePolicies) {
				add(addr(acct, "role/"+r+"/inline/"+p), "inline policy "+p+" of role "+r)
			}
		}
		for _, p := range sortedKeys(a.Policies) {
			add(addr(acct, "policy/"+p), "managed policy "+p)
		}
		for _, b := range sortedKeys(a.Buckets) {
			add("bucket/"+b, "bucket policy of "+b)
		}
		for _, k := range sortedKeys(a.Keys) {
			add(addr(acct, "key/"+k), "key policy of "+k)
		}
		for _, id := range sortedKeys(a.VPCEndpoints) {
			add(addr(acct, "vpce/"+id), "endpoint policy of "+id)
		}
		for _, n := range sortedKeys(a.AccessPoints) {
			add(addr(acct, "accesspoint/"+n), "access point policy of "+n)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// document parses a policy text once: the sandbox re-runs a scenario on
// every keystroke with the same edited texts, and documents are immutable,
// so runs share them.
func (s *Scenario) document(text string) (*estate.Document, error) {
	s.docsMu.Lock()
	d, ok := s.docs[text]
	s.docsMu.Unlock()
	if ok {
		return d, nil
	}
	d, err := estate.NewDocument(text)
	if err != nil {
		return nil, err
	}
	s.docsMu.Lock()
	if s.docs == nil || len(s.docs) > 64 {
		s.docs = map[string]*estate.Document{}
	}
	s.docs[text] = d
	s.docsMu.Unlock()
	return d, nil
}
