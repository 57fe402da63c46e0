package estate

import (
	"slices"

	"iamlab/engine"
)

// Organization is an AWS Organizations organization: its management
// account, its policies and the tree of OUs under the root.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
type Organization struct {
	ID                string                `json:"id,omitempty" yaml:"id,omitempty"`
	ManagementAccount string                `json:"managementAccount" yaml:"managementAccount"`
	Policies          map[string]*OrgPolicy `json:"policies,omitempty" yaml:"policies,omitempty"`
	Root              *OrgUnit              `json:"root" yaml:"root"`
}

// Policy types of an organization policy.
const (
	PolicyTypeSCP = "SCP"
	PolicyTypeRCP = "RCP"
)

// OrgPolicy is an SCP or RCP, keyed by name in Organization.Policies.
type OrgPolicy struct {
	Type     string    `json:"type" yaml:"type"`
	ID       string    `json:"id,omitempty" yaml:"id,omitempty"`
	Document *Document `json:"document" yaml:"document"`
}

// OrgUnit is the root or an OU: the policies attached to it, its child
// OUs by name and its member accounts by ID. SCPs names the attached SCPs;
// empty means FullAWSAccess alone, which AWS attaches to every target and
// never lets the last SCP be detached. RCPs lists custom RCPs; every target
// also holds RCPFullAWSAccess, which cannot be detached.
type OrgUnit struct {
	ID       string                 `json:"id,omitempty" yaml:"id,omitempty"`
	SCPs     []string               `json:"scps,omitempty" yaml:"scps,omitempty"`
	RCPs     []string               `json:"rcps,omitempty" yaml:"rcps,omitempty"`
	Units    map[string]*OrgUnit    `json:"units,omitempty" yaml:"units,omitempty"`
	Accounts map[string]*OrgAccount `json:"accounts,omitempty" yaml:"accounts,omitempty"`
}

// OrgAccount is a member account's place in the tree and the policies
// attached to it directly.
type OrgAccount struct {
	SCPs []string `json:"scps,omitempty" yaml:"scps,omitempty"`
	RCPs []string `json:"rcps,omitempty" yaml:"rcps,omitempty"`
}

// FullAWSAccess is the name of AWS's default SCP, usable in OrgUnit.SCPs.
const FullAWSAccess = "FullAWSAccess"

func (o *Organization) clone() *Organization {
	if o == nil {
		return nil
	}
	c := *o
	// Each OrgPolicy is copied: the sandbox sets a policy's Document in
	// its own clone, which must not reach the estate it came from.
	c.Policies = cloneMap(o.Policies, shallow[OrgPolicy])
	c.Root = o.Root.clone()
	return &c
}

func (u *OrgUnit) clone() *OrgUnit {
	if u == nil {
		return nil
	}
	c := *u
	c.SCPs = slices.Clone(u.SCPs)
	c.RCPs = slices.Clone(u.RCPs)
	c.Units = cloneMap(u.Units, (*OrgUnit).clone)
	c.Accounts = cloneMap(u.Accounts, func(a *OrgAccount) *OrgAccount {
		return &OrgAccount{SCPs: slices.Clone(a.SCPs), RCPs: slices.Clone(a.RCPs)}
	})
	return &c
}

// orgLevel is one target on an account's path from the root: the root,
// an OU (with its ID), or the account itself (ID "").
type orgLevel struct {
	id         string
	scps, rcps []string
}

// path returns the levels from the root down to the account, or nil when
// the account is not a member.
func (o *Organization) path(account string) []orgLevel {
	if o == nil || o.Root == nil {
		return nil
	}
	// One stack, pushed and popped on the way, so the walk allocates only
	// once for a path up to two OUs deep.
	stack := make([]orgLevel, 0, 4)
	var walk func(u *OrgUnit) bool
	walk = func(u *OrgUnit) bool {
		if u == nil {
			return false
		}
		stack = append(stack, orgLevel{u.ID, u.SCPs, u.RCPs})
		if a, ok := u.Accounts[account]; ok {
			if a == nil {
				stack = append(stack, orgLevel{})
			} else {
				stack = append(stack, orgLevel{"", a.SCPs, a.RCPs})
			}
			return true
		}
		for _, name := range sortedKeys(u.Units) {
			if walk(u.Units[name]) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		return false
	}
	if !walk(o.Root) {
		return nil
	}
	return stack
}

// member reports whether the account belongs to the organization (the
// management account included).
func (o *Organization) member(account string) bool {
	return o != nil && (account == o.ManagementAccount || o.Root.holds(account))
}

// holds reports whether the account is in u or an OU below it: path's
// answer without building the path, as every request asks it twice.
func (u *OrgUnit) holds(account string) bool {
	if u == nil {
		return false
	}
	if _, ok := u.Accounts[account]; ok {
		return true
	}
	for _, sub := range u.Units {
		if sub.holds(account) {
			return true
		}
	}
	return false
}

// scpLevels returns the SCPs that apply to principals of account, root
// level first, and their ARNs in the same order. SCPs do not apply to the
// management account.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
func (e *Estate) scpLevels(account string) ([][]*engine.Policy, []string) {
	o := e.Organization
	if o == nil || account == o.ManagementAccount {
		return nil, nil
	}
	levels := o.path(account)
	if levels == nil {
		return nil, nil
	}
	var out [][]*engine.Policy
	var arns []string
	for _, l := range levels {
		names := l.scps
		if len(names) == 0 {
			names = []string{FullAWSAccess}
		}
		var ps []*engine.Policy
		for _, n := range names {
			d, arn := e.orgPolicy(n)
			if d == nil {
				continue
			}
			if p, err := d.Policy(); err == nil {
				ps = append(ps, p)
				arns = append(arns, arn)
			}
		}
		out = append(out, ps)
	}
	return out, arns
}

// rcpLevels returns the custom RCPs that apply to resources of account.
// RCPs do not apply to the management account.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
func (e *Estate) rcpLevels(account string) ([][]*engine.Policy, []string) {
	o := e.Organization
	if o == nil || account == o.ManagementAccount {
		return nil, nil
	}
	levels := o.path(account)
	if levels == nil {
		return nil, nil
	}
	var out [][]*engine.Policy
	var arns []string
	found := false
	for _, l := range levels {
		var ps []*engine.Policy
		for _, n := range l.rcps {
			d, arn := e.orgPolicy(n)
			if d == nil {
				continue
			}
			if p, err := d.Policy(); err == nil {
				ps = append(ps, p)
				arns = append(arns, arn)
				found = true
			}
		}
		out = append(out, ps)
	}
	if !found {
		return nil, nil
	}
	return out, arns
}

func (e *Estate) orgPolicy(name string) (*Document, string) {
	o := e.Organization
	if name == FullAWSAccess {
		if p := o.Policies[name]; p == nil {
			return fullAWSAccess(), FullAWSAccessARN
		}
	}
	p := o.Policies[name]
	if p == nil {
		return nil, ""
	}
	typ := "service_control_policy"
	if p.Type == PolicyTypeRCP {
		typ = "resource_control_policy"
	}
	return p.Document, "arn:aws:organizations::" + o.ManagementAccount + ":policy/" + o.ID + "/" + typ + "/" + p.ID
}
