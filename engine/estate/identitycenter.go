package estate

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"time"
)

// IdentityCenter is an IAM Identity Center instance: its users, its
// permission sets and which user may use which set in which account.
// Validate provisions every assigned set as AWS does: a role
// AWSReservedSSO_<set>_<suffix> under /aws-reserved/sso.amazonaws.com/<Region>/
// in the account, trusted by the account's SAML provider
// AWSSSO_<suffix>_DO_NOT_DELETE, holding the set's managed and inline
// policies and boundary. A user signs in as a session of that role named
// after the user.
// https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
// https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html
type IdentityCenter struct {
	// Region is the instance's Region; the estate's when empty.
	Region         string                    `json:"region,omitempty" yaml:"region,omitempty"`
	Users          []string                  `json:"users" yaml:"users"`
	PermissionSets map[string]*PermissionSet `json:"permissionSets" yaml:"permissionSets"`
	Assignments    []Assignment              `json:"assignments" yaml:"assignments"`
}

// PermissionSet is what a set gives its role: AWS managed or customer
// managed policies (ARNs, or names of the account's customer managed
// policies), one inline policy and a permissions boundary.
type PermissionSet struct {
	ManagedPolicies     []string  `json:"managedPolicies,omitempty" yaml:"managedPolicies,omitempty"`
	InlinePolicy        *Document `json:"inlinePolicy,omitempty" yaml:"inlinePolicy,omitempty"`
	PermissionsBoundary string    `json:"permissionsBoundary,omitempty" yaml:"permissionsBoundary,omitempty"`
}

// Assignment lets an Identity Center user use a permission set in an
// account.
type Assignment struct {
	User          string `json:"user" yaml:"user"`
	PermissionSet string `json:"permissionSet" yaml:"permissionSet"`
	Account       string `json:"account" yaml:"account"`
}

// ssoInlinePolicyName is the name Identity Center gives the inline policy
// of a permission set's role.
const ssoInlinePolicyName = "AwsSSOInlinePolicy"

func (ic *IdentityCenter) clone() *IdentityCenter {
	if ic == nil {
		return nil
	}
	c := *ic
	c.Users = slices.Clone(ic.Users)
	c.PermissionSets = maps.Clone(ic.PermissionSets) // sets are replaced, never edited
	c.Assignments = slices.Clone(ic.Assignments)
	return &c
}

// ssoSuffix is the role's unique suffix: stable for a set in an account,
// so that re-provisioning keeps the role's name.
func ssoSuffix(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p + "\x00"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// SSORoleName is the name of the role a permission set becomes in an account.
func SSORoleName(set, account string) string {
	return "AWSReservedSSO_" + set + "_" + ssoSuffix("role", set, account)
}

func (e *Estate) ssoSAMLProvider() string {
	return "AWSSSO_" + ssoSuffix("instance", e.ssoRegion()) + "_DO_NOT_DELETE"
}

func (e *Estate) ssoRegion() string {
	if ic := e.IdentityCenter; ic != nil && ic.Region != "" {
		return ic.Region
	}
	return e.region()
}

// provisionIdentityCenter creates or refreshes the role and SAML provider
// of every assignment, before the accounts are validated.
func (v *validator) provisionIdentityCenter() {
	e, ic := v.e, v.e.IdentityCenter
	if ic == nil {
		return
	}
	provider := e.ssoSAMLProvider()
	for i, as := range ic.Assignments {
		path := idx("identityCenter.assignments", i)
		set := ic.PermissionSets[as.PermissionSet]
		a := e.Accounts[as.Account]
		switch {
		case !slices.Contains(ic.Users, as.User):
			v.failf(path+".user", "%q is not a user of the Identity Center instance (identityCenter.users)", as.User)
			continue
		case set == nil:
			v.failf(path+".permissionSet", "%q is not a permission set of the instance", as.PermissionSet)
			continue
		case a == nil:
			v.failf(path+".account", "%q is not an account of the estate", as.Account)
			continue
		}
		if a.SAMLProviders == nil {
			a.SAMLProviders = map[string]*SAMLProvider{}
		}
		if a.SAMLProviders[provider] == nil {
			a.SAMLProviders[provider] = &SAMLProvider{Metadata: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://portal.sso.` + e.ssoRegion() + `.amazonaws.com/saml/assertion/iamlab"/>`}
		}
		trust, err := NewDocument(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"` +
			SAMLProviderARN(as.Account, provider) + `"},"Action":["sts:AssumeRoleWithSAML","sts:TagSession"],"Condition":{"StringEquals":{"SAML:aud":"https://signin.aws.amazon.com/saml"}}}]}`)
		if err != nil {
			v.failf(path, "trust policy: %v", err)
			continue
		}
		if a.Roles == nil {
			a.Roles = map[string]*Role{}
		}
		name := SSORoleName(as.PermissionSet, as.Account)
		r := a.Roles[name]
		if r == nil {
			r = &Role{}
			a.Roles[name] = r
		}
		r.Path = "/aws-reserved/sso.amazonaws.com/" + e.ssoRegion() + "/"
		r.TrustPolicy = trust
		r.ManagedPolicies = slices.Clone(set.ManagedPolicies)
		r.PermissionsBoundary = set.PermissionsBoundary
		r.InlinePolicies = nil
		if set.InlinePolicy != nil {
			r.InlinePolicies = map[string]*Document{ssoInlinePolicyName: set.InlinePolicy}
		}
		if r.MaxSessionDuration == 0 {
			r.MaxSessionDuration = 3600
		}
	}
}

// ssoIdentity signs a user in through Identity Center: a session of the
// permission set's role in the account, named after the user. An
// unassigned set gets AWS's portal error.
func (e *Estate) ssoIdentity(c Caller, now time.Time) (*Identity, error) {
	ic := e.IdentityCenter
	ok := ic != nil && slices.Contains(ic.Assignments, Assignment{User: c.IdentityCenterUser, PermissionSet: c.PermissionSet, Account: c.TargetAccount})
	name := SSORoleName(c.PermissionSet, c.TargetAccount)
	r := e.Role(c.TargetAccount, name)
	if !ok || r == nil {
		return nil, newError("ForbiddenException", 403, "No access: "+c.IdentityCenterUser+" has no assignment of permission set "+c.PermissionSet+" in account "+c.TargetAccount)
	}
	return &Identity{
		Kind: KindAssumedRole, Account: c.TargetAccount,
		ARN:          AssumedRoleARN(c.TargetAccount, name, c.IdentityCenterUser),
		UserID:       r.ID + ":" + c.IdentityCenterUser,
		PrincipalARN: RoleARN(c.TargetAccount, r.Path, name),
		RoleName:     name, RolePath: r.Path, SessionName: c.IdentityCenterUser,
		Temporary: true, IssuedAt: now, Expiration: now.Add(time.Duration(r.MaxSessionDuration) * time.Second),
		FederatedProvider: SAMLProviderARN(c.TargetAccount, e.ssoSAMLProvider()),
		Tags:              mapTags(r.Tags),
	}, nil
}
