package estate

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"iamlab/engine/internal/apiparam"
)

// The IAM write operations. They are the sandbox's own setup moves (no
// caller is authorized; authorize the caller with Authorize first when a
// learner makes them) and enforce IAM's rules and quotas with AWS's
// codes and messages.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html

func (e *Estate) mustAccount(id string) (*Account, error) {
	if a := e.account(id); a != nil {
		return a, nil
	}
	return nil, noSuchEntity("The account " + id + " does not exist in this estate.")
}

func exists(what string) *Error {
	return newError(CodeEntityAlreadyExists, http.StatusConflict, what+" already exists.")
}

func (e *Estate) mustUser(account, name string) (*Account, *User, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, nil, err
	}
	u := a.Users[name]
	if u == nil {
		return nil, nil, noSuchEntity("The user with name " + name + " cannot be found.")
	}
	return a, u, nil
}

func (e *Estate) mustRole(account, name string) (*Account, *Role, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, nil, err
	}
	r := a.Roles[name]
	if r == nil {
		return nil, nil, noSuchEntity("The role with name " + name + " cannot be found.")
	}
	return a, r, nil
}

func (e *Estate) mustGroup(account, name string) (*Account, *Group, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, nil, err
	}
	g := a.Groups[name]
	if g == nil {
		return nil, nil, noSuchEntity("The group with name " + name + " cannot be found.")
	}
	return a, g, nil
}

func checkEntityName(field, name string, max int, path string) error {
	var c apiparam.Constraints
	c.String(field, name, false, 1, max, patName)
	c.String("path", normPath(path), false, 1, 512, patPath)
	return c.Err(ValidationError)
}

// CreateUser adds a user.
func (e *Estate) CreateUser(account, name, path string) (*User, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if err := checkEntityName("userName", name, 64, path); err != nil {
		return nil, err
	}
	if a.Users[name] != nil {
		return nil, exists("User with name " + name)
	}
	u := &User{Path: normPath(path), ID: e.newID(prefixUser, 17)}
	if a.Users == nil {
		a.Users = map[string]*User{}
	}
	a.Users[name] = u
	return u, nil
}

// DeleteUserConsole deletes a user as the IAM console does: its inline
// policies, group memberships and access keys go with it, while customer
// managed policies attached to it stay in the account, only detached. Its
// MFA device is deactivated. DeleteUserAPI is what `aws iam delete-user`
// does.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_remove.html
func (e *Estate) DeleteUserConsole(account, name string) error {
	a, _, err := e.mustUser(account, name)
	if err != nil {
		return err
	}
	e.removeUser(a, name)
	return nil
}

// removeUser deletes a user and deactivates its MFA devices.
func (e *Estate) removeUser(a *Account, name string) {
	for _, d := range a.MFADevices {
		if d.AssignedTo == name {
			d.AssignedTo, d.LastStep = "", 0
		}
	}
	delete(a.Users, name)
}

// DeleteUserAPI deletes a user as the IAM API DeleteUser and the AWS CLI's
// `aws iam delete-user` do: AWS refuses while the user still has inline
// policies, attached managed policies, group memberships or an MFA device
// (only the console removes them for you; see DeleteUserConsole). Access
// keys, which the sandbox gives every user, go with it.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUser.html
func (e *Estate) DeleteUserAPI(account, name string) error {
	a, u, err := e.mustUser(account, name)
	if err != nil {
		return err
	}
	hasMFA := false
	for _, d := range a.MFADevices {
		hasMFA = hasMFA || d.AssignedTo == name
	}
	switch {
	case len(u.InlinePolicies) > 0 || len(u.ManagedPolicies) > 0:
		return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete entity, must delete policies first.")
	case len(u.Groups) > 0:
		return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete entity, must remove users from group first.")
	case hasMFA:
		return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete entity, must delete MFA device first.")
	}
	e.removeUser(a, name)
	return nil
}

// CreateGroup adds a group.
func (e *Estate) CreateGroup(account, name, path string) (*Group, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if err := checkEntityName("groupName", name, 128, path); err != nil {
		return nil, err
	}
	if a.Groups[name] != nil {
		return nil, exists("Group with name " + name)
	}
	g := &Group{Path: normPath(path), ID: e.newID(prefixGroup, 17)}
	if a.Groups == nil {
		a.Groups = map[string]*Group{}
	}
	a.Groups[name] = g
	return g, nil
}

// DeleteGroup deletes a group, its inline policies and its memberships.
func (e *Estate) DeleteGroup(account, name string) error {
	a, _, err := e.mustGroup(account, name)
	if err != nil {
		return err
	}
	for _, u := range a.Users {
		u.Groups = slices.DeleteFunc(u.Groups, func(g string) bool { return g == name })
	}
	delete(a.Groups, name)
	return nil
}

// AddUserToGroup makes a user a member of a group (at most 10 groups).
func (e *Estate) AddUserToGroup(account, group, user string) error {
	a, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	if a.Groups[group] == nil {
		return noSuchEntity("The group with name " + group + " cannot be found.")
	}
	if slices.Contains(u.Groups, group) {
		return nil
	}
	if len(u.Groups) >= quotaGroupsPerUser {
		return limitExceeded("Cannot exceed quota for GroupsPerUser: 10")
	}
	u.Groups = append(u.Groups, group)
	return nil
}

// RemoveUserFromGroup ends a membership.
func (e *Estate) RemoveUserFromGroup(account, group, user string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	if !slices.Contains(u.Groups, group) {
		return noSuchEntity("The user with name " + user + " is not in group " + group + ".")
	}
	u.Groups = slices.DeleteFunc(u.Groups, func(g string) bool { return g == group })
	return nil
}

// RoleOptions are CreateRole's optional settings.
type RoleOptions struct {
	Path               string
	Description        string
	MaxSessionDuration int // seconds, 3600 to 43200; 0 means 3600
	Tags               map[string]string
}

// CreateRole adds a role with its trust policy.
func (e *Estate) CreateRole(account, name, trustPolicy string, o RoleOptions) (*Role, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if err := checkEntityName("roleName", name, 64, o.Path); err != nil {
		return nil, err
	}
	if err := checkMaxSession(o.MaxSessionDuration, true); err != nil {
		return nil, err
	}
	if err := checkTags(o.Tags); err != nil {
		return nil, err
	}
	d := &Document{text: trustPolicy}
	if err := checkTrust(d); err != nil {
		return nil, err
	}
	if a.Roles[name] != nil {
		return nil, exists("Role with name " + name)
	}
	r := &Role{Path: normPath(o.Path), ID: e.newID(prefixRole, 17), Description: o.Description,
		TrustPolicy: d, MaxSessionDuration: o.MaxSessionDuration, Tags: o.Tags}
	if a.Roles == nil {
		a.Roles = map[string]*Role{}
	}
	a.Roles[name] = r
	return r, nil
}

// DeleteRole deletes a role and its inline policies; a role still in an
// instance profile cannot be deleted. Sessions of the role lose its
// permissions: a new role of the same name has a new ID.
func (e *Estate) DeleteRole(account, name string) error {
	a, _, err := e.mustRole(account, name)
	if err != nil {
		return err
	}
	for _, pn := range sortedKeys(a.InstanceProfiles) {
		if a.InstanceProfiles[pn].Role == name {
			return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete entity, must remove roles from instance profile first.")
		}
	}
	delete(a.Roles, name)
	return nil
}

// UpdateAssumeRolePolicy replaces a role's trust policy.
func (e *Estate) UpdateAssumeRolePolicy(account, role, doc string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	d := &Document{text: doc}
	if err := checkTrust(d); err != nil {
		return err
	}
	r.TrustPolicy = d
	return nil
}

// UpdateRoleMaxSessionDuration sets how long the role's sessions may last.
func (e *Estate) UpdateRoleMaxSessionDuration(account, role string, seconds int) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	if err := checkMaxSession(seconds, false); err != nil {
		return err
	}
	r.MaxSessionDuration = seconds
	return nil
}

// putInline checks and stores an inline policy against the owner's
// aggregate quota.
func putInline(docs *map[string]*Document, ownerKind, owner, name, text string, quota int) error {
	var c apiparam.Constraints
	c.String("policyName", name, false, 1, 128, patName)
	if err := c.Err(ValidationError); err != nil {
		return err
	}
	d := &Document{text: text}
	if err := checkDocument(d, kindIdentityPolicy); err != nil {
		return err
	}
	total := d.Size()
	for n, o := range *docs {
		if n != name {
			total += o.Size()
		}
	}
	if total > quota {
		return inlineQuotaError(ownerKind, owner, quota)
	}
	if *docs == nil {
		*docs = map[string]*Document{}
	}
	(*docs)[name] = d
	return nil
}

// PutUserPolicy adds or replaces a user's inline policy. A user's inline
// policies together may hold 2,048 characters (whitespace not counted).
func (e *Estate) PutUserPolicy(account, user, name, doc string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	return putInline(&u.InlinePolicies, "user", user, name, doc, quotaUserInline)
}

// PutGroupPolicy adds or replaces a group's inline policy (5,120
// characters together).
func (e *Estate) PutGroupPolicy(account, group, name, doc string) error {
	_, g, err := e.mustGroup(account, group)
	if err != nil {
		return err
	}
	return putInline(&g.InlinePolicies, "group", group, name, doc, quotaGroupInline)
}

// PutRolePolicy adds or replaces a role's inline policy (10,240
// characters together).
func (e *Estate) PutRolePolicy(account, role, name, doc string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	return putInline(&r.InlinePolicies, "role", role, name, doc, quotaRoleInline)
}

func deleteInline(docs map[string]*Document, ownerKind, owner, name string) error {
	if docs[name] == nil {
		return noSuchEntity("The " + ownerKind + " policy with name " + name + " cannot be found.")
	}
	delete(docs, name)
	return nil
}

// DeleteUserPolicy deletes a user's inline policy.
func (e *Estate) DeleteUserPolicy(account, user, name string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	return deleteInline(u.InlinePolicies, "user", user, name)
}

// DeleteRolePolicy deletes a role's inline policy.
func (e *Estate) DeleteRolePolicy(account, role, name string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	return deleteInline(r.InlinePolicies, "role", role, name)
}

// CreatePolicy adds a customer managed policy with version v1 as default
// and returns its ARN.
func (e *Estate) CreatePolicy(account, name, path, doc string) (string, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return "", err
	}
	var c apiparam.Constraints
	c.String("policyName", name, false, 1, 128, patName)
	c.String("path", normPath(path), false, 1, 512, patPath)
	if err := c.Err(ValidationError); err != nil {
		return "", err
	}
	d := &Document{text: doc}
	if err := checkManaged(d); err != nil {
		return "", err
	}
	if a.Policies[name] != nil {
		return "", exists("A policy called " + name)
	}
	if a.Policies == nil {
		a.Policies = map[string]*ManagedPolicy{}
	}
	a.Policies[name] = &ManagedPolicy{Path: normPath(path), ID: e.newID(prefixPolicy, 17),
		Versions: []*PolicyVersion{{ID: "v1", Document: d}}, DefaultVersion: "v1", NextVersion: 2}
	return PolicyARN(account, path, name), nil
}

func (e *Estate) mustPolicy(arn string) (*Account, string, *ManagedPolicy, error) {
	notFound := noSuchEntity("Policy " + arn + " does not exist or is not attachable.")
	parts, ok := splitARN(arn)
	if !ok || parts[4] == "aws" {
		return nil, "", nil, notFound
	}
	a := e.account(parts[4])
	_, path, name := iamResource(parts[5])
	if a == nil || a.Policies[name] == nil || normPath(a.Policies[name].Path) != path {
		return nil, "", nil, notFound
	}
	return a, name, a.Policies[name], nil
}

// CreatePolicyVersion adds a version to a customer managed policy. A
// policy keeps at most five versions; IAM numbers them on and never
// reuses a number.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-versioning.html
func (e *Estate) CreatePolicyVersion(arn, doc string, setAsDefault bool) (string, error) {
	_, _, p, err := e.mustPolicy(arn)
	if err != nil {
		return "", err
	}
	d := &Document{text: doc}
	if err := checkManaged(d); err != nil {
		return "", err
	}
	if len(p.Versions) >= quotaVersions {
		return "", versionsExceeded()
	}
	if p.NextVersion == 0 {
		p.NextVersion = len(p.Versions) + 1
	}
	id := "v" + strconv.Itoa(p.NextVersion)
	p.NextVersion++
	p.Versions = append(p.Versions, &PolicyVersion{ID: id, Document: d})
	if setAsDefault {
		p.DefaultVersion = id
	}
	return id, nil
}

// SetDefaultPolicyVersion makes another version the one in effect: the
// rollback of managed policies.
func (e *Estate) SetDefaultPolicyVersion(arn, version string) error {
	_, _, p, err := e.mustPolicy(arn)
	if err != nil {
		return err
	}
	for _, v := range p.Versions {
		if v.ID == version {
			p.DefaultVersion = version
			return nil
		}
	}
	return noSuchEntity("Policy " + arn + " version " + version + " does not exist.")
}

// DeletePolicyVersion deletes a version that is not the default.
func (e *Estate) DeletePolicyVersion(arn, version string) error {
	_, _, p, err := e.mustPolicy(arn)
	if err != nil {
		return err
	}
	if p.DefaultVersion == version {
		return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete the default version of a policy.")
	}
	i := slices.IndexFunc(p.Versions, func(v *PolicyVersion) bool { return v.ID == version })
	if i < 0 {
		return noSuchEntity("Policy " + arn + " version " + version + " does not exist.")
	}
	p.Versions = slices.Delete(p.Versions, i, i+1)
	return nil
}

// DeletePolicy deletes a customer managed policy that nothing is attached
// to and that has no version but the default.
func (e *Estate) DeletePolicy(arn string) error {
	a, name, p, err := e.mustPolicy(arn)
	if err != nil {
		return err
	}
	if e.attachedAnywhere(a, arn) {
		return newError(CodeDeleteConflict, http.StatusConflict, "Cannot delete a policy attached to entities.")
	}
	if len(p.Versions) > 1 {
		return newError(CodeDeleteConflict, http.StatusConflict, "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.")
	}
	delete(a.Policies, name)
	return nil
}

func (e *Estate) attachedAnywhere(a *Account, arn string) bool {
	for _, u := range a.Users {
		if slices.Contains(u.ManagedPolicies, arn) || u.PermissionsBoundary == arn {
			return true
		}
	}
	for _, g := range a.Groups {
		if slices.Contains(g.ManagedPolicies, arn) {
			return true
		}
	}
	for _, r := range a.Roles {
		if slices.Contains(r.ManagedPolicies, arn) || r.PermissionsBoundary == arn {
			return true
		}
	}
	return false
}

func (e *Estate) attach(list *[]string, account, arn, quota string) error {
	resolved, ok := e.resolvePolicyRef(account, arn)
	if !ok {
		return noSuchEntity("Policy " + arn + " does not exist or is not attachable.")
	}
	if slices.Contains(*list, resolved) {
		return nil
	}
	if len(*list) >= quotaAttached {
		return limitExceeded("Cannot exceed quota for " + quota + ": 10")
	}
	*list = append(*list, resolved)
	return nil
}

func detach(list *[]string, arn string) error {
	i := slices.Index(*list, arn)
	if i < 0 {
		return noSuchEntity("Policy " + arn + " was not found.")
	}
	*list = slices.Delete(*list, i, i+1)
	return nil
}

// AttachUserPolicy attaches a managed policy to a user (at most 10).
func (e *Estate) AttachUserPolicy(account, user, arn string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	return e.attach(&u.ManagedPolicies, account, arn, "PoliciesPerUser")
}

// DetachUserPolicy detaches a managed policy from a user.
func (e *Estate) DetachUserPolicy(account, user, arn string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	return detach(&u.ManagedPolicies, arn)
}

// AttachGroupPolicy attaches a managed policy to a group (at most 10).
func (e *Estate) AttachGroupPolicy(account, group, arn string) error {
	_, g, err := e.mustGroup(account, group)
	if err != nil {
		return err
	}
	return e.attach(&g.ManagedPolicies, account, arn, "PoliciesPerGroup")
}

// AttachRolePolicy attaches a managed policy to a role (at most 10).
func (e *Estate) AttachRolePolicy(account, role, arn string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	return e.attach(&r.ManagedPolicies, account, arn, "PoliciesPerRole")
}

// DetachRolePolicy detaches a managed policy from a role.
func (e *Estate) DetachRolePolicy(account, role, arn string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	return detach(&r.ManagedPolicies, arn)
}

// PutUserPermissionsBoundary sets a user's permissions boundary (a
// managed policy ARN; at most one).
func (e *Estate) PutUserPermissionsBoundary(account, user, arn string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	resolved, ok := e.resolvePolicyRef(account, arn)
	if !ok {
		return noSuchEntity("Policy " + arn + " does not exist or is not attachable.")
	}
	u.PermissionsBoundary = resolved
	return nil
}

// PutRolePermissionsBoundary sets a role's permissions boundary.
func (e *Estate) PutRolePermissionsBoundary(account, role, arn string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	resolved, ok := e.resolvePolicyRef(account, arn)
	if !ok {
		return noSuchEntity("Policy " + arn + " does not exist or is not attachable.")
	}
	r.PermissionsBoundary = resolved
	return nil
}

// TagUser adds or replaces tags of a user (at most 50; keys are case
// insensitive).
func (e *Estate) TagUser(account, user string, tags map[string]string) error {
	_, u, err := e.mustUser(account, user)
	if err != nil {
		return err
	}
	merged, err := mergeTagMap(u.Tags, tags)
	if err != nil {
		return err
	}
	u.Tags = merged
	return nil
}

// TagRole adds or replaces tags of a role.
func (e *Estate) TagRole(account, role string, tags map[string]string) error {
	_, r, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	merged, err := mergeTagMap(r.Tags, tags)
	if err != nil {
		return err
	}
	r.Tags = merged
	return nil
}

func mergeTagMap(old, add map[string]string) (map[string]string, error) {
	if err := checkTags(add); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(old)+len(add))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range add {
		for o := range out {
			if strings.EqualFold(o, k) {
				delete(out, o)
			}
		}
		out[k] = v
	}
	if err := checkTags(out); err != nil {
		return nil, err
	}
	return out, nil
}

// CreateAccessKey gives a user (or, with user "root", the root user) a new
// long-term access key. A user may have two.
func (e *Estate) CreateAccessKey(account, user string) (*AccessKey, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	var keys *[]*AccessKey
	if user == "root" {
		if a.Root == nil {
			a.Root = &RootUser{}
		}
		keys = &a.Root.AccessKeys
	} else {
		u := a.Users[user]
		if u == nil {
			return nil, noSuchEntity("The user with name " + user + " cannot be found.")
		}
		keys = &u.AccessKeys
	}
	if len(*keys) >= 2 {
		return nil, limitExceeded("Cannot exceed quota for AccessKeysPerUser: 2")
	}
	k := &AccessKey{ID: e.newID(prefixAccessKey, 16), Secret: e.NewSecret(), Status: "Active"}
	*keys = append(*keys, k)
	return k, nil
}

// CreateInstanceProfile adds an empty instance profile.
func (e *Estate) CreateInstanceProfile(account, name, path string) (*InstanceProfile, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return nil, err
	}
	if err := checkEntityName("instanceProfileName", name, 128, path); err != nil {
		return nil, err
	}
	if a.InstanceProfiles[name] != nil {
		return nil, exists("Instance Profile " + name)
	}
	p := &InstanceProfile{Path: normPath(path), ID: e.newID(prefixInstanceProfile, 17)}
	if a.InstanceProfiles == nil {
		a.InstanceProfiles = map[string]*InstanceProfile{}
	}
	a.InstanceProfiles[name] = p
	return p, nil
}

// AddRoleToInstanceProfile puts a role in a profile; a profile holds one.
func (e *Estate) AddRoleToInstanceProfile(account, profile, role string) error {
	a, _, err := e.mustRole(account, role)
	if err != nil {
		return err
	}
	p := a.InstanceProfiles[profile]
	if p == nil {
		return noSuchEntity("Instance Profile " + profile + " cannot be found.")
	}
	if p.Role != "" {
		return limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	}
	p.Role = role
	return nil
}

// RemoveRoleFromInstanceProfile empties a profile: instances using it
// then call without credentials.
func (e *Estate) RemoveRoleFromInstanceProfile(account, profile, role string) error {
	a, err := e.mustAccount(account)
	if err != nil {
		return err
	}
	p := a.InstanceProfiles[profile]
	if p == nil {
		return noSuchEntity("Instance Profile " + profile + " cannot be found.")
	}
	if p.Role != role {
		return noSuchEntity("The role with name " + role + " cannot be found in instance profile " + profile + ".")
	}
	p.Role = ""
	return nil
}

// CreateSAMLProvider registers a SAML IdP from its metadata document.
func (e *Estate) CreateSAMLProvider(account, name, metadata string) (string, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return "", err
	}
	var c apiparam.Constraints
	c.String("name", name, false, 1, 128, patName)
	c.String("sAMLMetadataDocument", metadata, false, 1000, 10000000, nil)
	if err := c.Err(ValidationError); err != nil {
		return "", err
	}
	if a.SAMLProviders[name] != nil {
		return "", exists("SAMLProvider " + name)
	}
	if a.SAMLProviders == nil {
		a.SAMLProviders = map[string]*SAMLProvider{}
	}
	a.SAMLProviders[name] = &SAMLProvider{Metadata: metadata}
	return SAMLProviderARN(account, name), nil
}

// CreateOpenIDConnectProvider registers an OIDC IdP by its issuer URL and
// the client IDs (audiences) it accepts.
func (e *Estate) CreateOpenIDConnectProvider(account, url string, clientIDs []string) (string, error) {
	a, err := e.mustAccount(account)
	if err != nil {
		return "", err
	}
	host, ok := strings.CutPrefix(url, "https://")
	if !ok || !patOIDCURL.MatchString(host) {
		return "", invalidInput("Invalid OpenID Connect Provider URL: " + url + " (it must begin with https://)")
	}
	if a.OIDCProviders[host] != nil {
		return "", exists("Provider with url " + url)
	}
	if a.OIDCProviders == nil {
		a.OIDCProviders = map[string]*OIDCProvider{}
	}
	a.OIDCProviders[host] = &OIDCProvider{ClientIDs: slices.Clone(clientIDs)}
	return OIDCProviderARN(account, host), nil
}
