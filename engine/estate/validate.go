package estate

import (
	"encoding/base32"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"iamlab/engine"
	"iamlab/engine/internal/apiparam"
)

// PathError is a problem in an estate built from data, with the path of
// the offending value: `accounts["111122223333"].users["alice"].groups[0]`.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the problem, often an *Error with AWS's code.
func (e *PathError) Unwrap() error { return e.Err }

// maxReported caps how many problems Validate reports at once.
const maxReported = 20

// IAM quotas.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
const (
	quotaUserInline    = 2048
	quotaGroupInline   = 5120
	quotaRoleInline    = 10240
	quotaManagedSize   = 6144
	quotaTrustSize     = 2048
	quotaAttached      = 10
	quotaGroupsPerUser = 10
	quotaVersions      = 5
	quotaTags          = 50
	quotaSCPSize       = 5120
	quotaBucketPolicy  = 20 * 1024
	quotaKeyPolicy     = 32 * 1024
	minSessionDuration = 3600
	maxSessionDuration = 43200
	mfaSeedBytes       = 20
)

type validator struct {
	e    *Estate
	errs []error
}

func (v *validator) fail(path string, err error) {
	if len(v.errs) < maxReported {
		v.errs = append(v.errs, &PathError{Path: path, Err: err})
	}
}

func (v *validator) failf(path, format string, args ...any) {
	v.fail(path, fmt.Errorf(format, args...))
}

func key(path, k string) string { return path + "[" + strconv.Quote(k) + "]" }

func idx(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Validate checks an estate built from data and completes it: it parses
// every policy, checks names, references and IAM's quotas, rewrites
// managed policy names to ARNs and fills in the IDs, keys and secrets a
// file left out. It reports up to 20 problems, each a *PathError naming
// where it is, joined with errors.Join.
func (e *Estate) Validate() error {
	v := &validator{e: e}
	if e.Accounts == nil {
		e.Accounts = map[string]*Account{}
	}
	if e.Sessions == nil {
		e.Sessions = map[string]*Session{}
	}
	v.provisionIdentityCenter()
	for _, id := range e.accountIDs() {
		path := key("accounts", id)
		if !isAccountID(id) {
			v.failf(path, "an account ID is 12 digits")
			continue
		}
		if e.Accounts[id] == nil {
			e.Accounts[id] = &Account{}
		}
		v.account(id, path)
	}
	// Bucket names are global.
	seen := map[string]string{}
	for _, id := range e.accountIDs() {
		if e.Accounts[id] == nil {
			continue // an invalid ID, already reported
		}
		for _, b := range sortedKeys(e.Accounts[id].Buckets) {
			if other, dup := seen[b]; dup {
				v.failf(key(key("accounts", id)+".buckets", b), "bucket names are global: %q is already a bucket of account %s", b, other)
			}
			seen[b] = id
		}
	}
	v.organization()
	for _, k := range sortedKeys(e.Sessions) {
		s := e.Sessions[k]
		path := key("sessions", k)
		if s == nil || s.AccessKeyID != k {
			v.failf(path, "a session is keyed by its access key ID")
			continue
		}
		for i, d := range s.Policies {
			if err := checkDocument(d, kindSessionPolicy); err != nil {
				v.fail(idx(path+".policies", i), err)
			}
		}
	}
	return errors.Join(v.errs...)
}

func (v *validator) account(id, path string) {
	e, a := v.e, v.e.Accounts[id]
	if a.Root != nil {
		v.accessKeys(a.Root.AccessKeys, path+".root.accessKeys")
	}
	for _, name := range sortedKeys(a.Policies) {
		v.managedPolicy(id, name, a.Policies[name], key(path+".policies", name))
	}
	for _, name := range sortedKeys(a.Groups) {
		g := a.Groups[name]
		gp := key(path+".groups", name)
		if g == nil {
			a.Groups[name] = &Group{}
			g = a.Groups[name]
		}
		v.entity(gp, "groupName", name, 128, &g.Path)
		if g.ID == "" {
			g.ID = e.newID(prefixGroup, 17)
		}
		v.inline(gp, "group", name, g.InlinePolicies, quotaGroupInline)
		v.attached(id, gp, "PoliciesPerGroup", g.ManagedPolicies)
	}
	for _, name := range sortedKeys(a.Users) {
		u := a.Users[name]
		up := key(path+".users", name)
		if u == nil {
			a.Users[name] = &User{}
			u = a.Users[name]
		}
		v.entity(up, "userName", name, 64, &u.Path)
		if u.ID == "" {
			u.ID = e.newID(prefixUser, 17)
		}
		if len(u.Groups) > quotaGroupsPerUser {
			v.fail(up+".groups", limitExceeded("Cannot exceed quota for GroupsPerUser: 10"))
		}
		for i, g := range u.Groups {
			if a.Groups[g] == nil {
				v.fail(idx(up+".groups", i), noSuchEntity("The group with name "+g+" cannot be found."))
			}
		}
		v.inline(up, "user", name, u.InlinePolicies, quotaUserInline)
		v.attached(id, up, "PoliciesPerUser", u.ManagedPolicies)
		v.boundary(id, up, &u.PermissionsBoundary)
		v.tags(up+".tags", u.Tags)
		v.accessKeys(u.AccessKeys, up+".accessKeys")
	}
	for _, name := range sortedKeys(a.Roles) {
		r := a.Roles[name]
		rp := key(path+".roles", name)
		if r == nil {
			v.failf(rp, "a role needs a trust policy")
			continue
		}
		v.entity(rp, "roleName", name, 64, &r.Path)
		if r.ID == "" {
			r.ID = e.newID(prefixRole, 17)
		}
		if r.TrustPolicy == nil {
			v.fail(rp+".trustPolicy", malformed(kindTrustPolicy, "Missing required field AssumeRolePolicyDocument", nil))
		} else if err := checkTrust(r.TrustPolicy); err != nil {
			v.fail(rp+".trustPolicy", err)
		}
		if err := checkMaxSession(r.MaxSessionDuration, true); err != nil {
			v.fail(rp+".maxSessionDuration", err)
		}
		v.inline(rp, "role", name, r.InlinePolicies, quotaRoleInline)
		v.attached(id, rp, "PoliciesPerRole", r.ManagedPolicies)
		v.boundary(id, rp, &r.PermissionsBoundary)
		v.tags(rp+".tags", r.Tags)
	}
	for _, name := range sortedKeys(a.InstanceProfiles) {
		p := a.InstanceProfiles[name]
		pp := key(path+".instanceProfiles", name)
		if p == nil {
			a.InstanceProfiles[name] = &InstanceProfile{}
			p = a.InstanceProfiles[name]
		}
		v.entity(pp, "instanceProfileName", name, 128, &p.Path)
		if p.ID == "" {
			p.ID = e.newID(prefixInstanceProfile, 17)
		}
		if p.Role != "" && a.Roles[p.Role] == nil {
			v.fail(pp+".role", noSuchEntity("The role with name "+p.Role+" cannot be found."))
		}
	}
	for _, iid := range sortedKeys(a.Instances) {
		in := a.Instances[iid]
		ip := key(path+".instances", iid)
		if !patInstID.MatchString(iid) {
			v.failf(ip, "an instance ID is i- followed by 8 or 17 hexadecimal digits")
		}
		if in == nil {
			a.Instances[iid] = &Instance{}
			in = a.Instances[iid]
		}
		if in.Region == "" {
			in.Region = e.region()
		}
		if in.InstanceProfile != "" && a.InstanceProfiles[in.InstanceProfile] == nil {
			v.fail(ip+".instanceProfile", noSuchEntity("Instance Profile "+in.InstanceProfile+" cannot be found."))
		}
		v.resourceTags(ip+".tags", in.Tags)
	}
	for _, name := range sortedKeys(a.SAMLProviders) {
		p := a.SAMLProviders[name]
		pp := key(path+".samlProviders", name)
		if !patName.MatchString(name) {
			v.failf(pp, "a SAML provider name is letters, digits and _+=,.@-")
		}
		if p == nil || !strings.Contains(p.Metadata, "EntityDescriptor") {
			v.fail(pp+".metadata", invalidInput("Could not parse metadata"))
		}
	}
	for _, url := range sortedKeys(a.OIDCProviders) {
		pp := key(path+".oidcProviders", url)
		if !patOIDCURL.MatchString(url) {
			v.failf(pp, "an OIDC provider is keyed by its URL without https://, such as token.actions.githubusercontent.com")
		}
		if a.OIDCProviders[url] == nil {
			a.OIDCProviders[url] = &OIDCProvider{}
		}
	}
	for _, name := range sortedKeys(a.MFADevices) {
		d := a.MFADevices[name]
		dp := key(path+".mfaDevices", name)
		if d == nil {
			a.MFADevices[name] = &MFADevice{}
			d = a.MFADevices[name]
		}
		if d.Seed == "" {
			d.Seed = base32.StdEncoding.EncodeToString(e.random("mfa", mfaSeedBytes))
		} else if _, err := decodeSeed(d.Seed); err != nil {
			v.failf(dp+".seed", "the seed is a base32 secret, as an authenticator app's QR code holds: %v", err)
		}
		if d.AssignedTo != "" && d.AssignedTo != "root" && a.Users[d.AssignedTo] == nil {
			v.fail(dp+".assignedTo", noSuchEntity("The user with name "+d.AssignedTo+" cannot be found."))
		}
	}
	for _, name := range sortedKeys(a.Buckets) {
		b := a.Buckets[name]
		bp := key(path+".buckets", name)
		if !patBucket.MatchString(name) || strings.Contains(name, "..") {
			v.fail(bp, newError("InvalidBucketName", http.StatusBadRequest, "The specified bucket is not valid."))
		}
		if b == nil {
			a.Buckets[name] = &Bucket{}
			b = a.Buckets[name]
		}
		if b.Region == "" {
			b.Region = e.region()
		}
		if b.Policy != nil {
			if err := checkResourcePolicy(b.Policy, quotaBucketPolicy); err != nil {
				v.fail(bp+".policy", err)
			}
		}
		v.resourceTags(bp+".tags", b.Tags)
		v.bucketEncryption(bp+".encryption", b.Encryption)
		v.validateS3ACLs(bp, id, b)
	}
	for _, kid := range sortedKeys(a.Keys) {
		k := a.Keys[kid]
		kp := key(path+".keys", kid)
		if k == nil {
			a.Keys[kid] = &Key{}
			k = a.Keys[kid]
		}
		if k.Region == "" {
			k.Region = e.region()
		}
		if k.Policy != nil {
			if err := checkResourcePolicy(k.Policy, quotaKeyPolicy); err != nil {
				v.fail(kp+".policy", err)
			}
		}
		v.resourceTags(kp+".tags", k.Tags)
		v.keyGrants(kp+".grants", k.Grants)
	}
	v.vpcEndpoints(path, a)
	v.accessPoints(path, id, a)
	v.instanceNetworks(path, a)
}

// entity checks an IAM entity's name and path, and defaults the path.
func (v *validator) entity(path, field, name string, max int, p *string) {
	var c apiparam.Constraints
	c.String(field, name, false, 1, max, patName)
	if *p == "" {
		*p = "/"
	}
	c.String("path", *p, false, 1, 512, patPath)
	if err := c.Err(ValidationError); err != nil {
		v.fail(path, err)
	}
}

func (v *validator) inline(path, ownerKind, owner string, docs map[string]*Document, quota int) {
	total := 0
	for _, n := range sortedKeys(docs) {
		var c apiparam.Constraints
		c.String("policyName", n, false, 1, 128, patName)
		if err := c.Err(ValidationError); err != nil {
			v.fail(key(path+".inlinePolicies", n), err)
		}
		if err := checkDocument(docs[n], kindIdentityPolicy); err != nil {
			v.fail(key(path+".inlinePolicies", n), err)
			continue
		}
		total += docs[n].Size()
	}
	if total > quota {
		v.fail(path+".inlinePolicies", inlineQuotaError(ownerKind, owner, quota))
	}
}

func inlineQuotaError(ownerKind, owner string, quota int) *Error {
	return limitExceeded("Maximum policy size of " + strconv.Itoa(quota) + " bytes exceeded for " + ownerKind + " " + owner)
}

// attached resolves managed policy references to ARNs and checks the
// attachment quota.
func (v *validator) attached(account, path, quota string, refs []string) {
	if len(refs) > quotaAttached {
		v.fail(path+".managedPolicies", limitExceeded("Cannot exceed quota for "+quota+": 10"))
	}
	for i, ref := range refs {
		arn, ok := v.e.resolvePolicyRef(account, ref)
		if !ok {
			v.fail(idx(path+".managedPolicies", i), noSuchEntity("Policy "+ref+" does not exist or is not attachable."))
			continue
		}
		if slices.Contains(refs[:i], arn) {
			v.failf(idx(path+".managedPolicies", i), "%s is attached twice", arn)
		}
		refs[i] = arn
	}
}

func (v *validator) boundary(account, path string, ref *string) {
	if *ref == "" {
		return
	}
	arn, ok := v.e.resolvePolicyRef(account, *ref)
	if !ok {
		v.fail(path+".permissionsBoundary", noSuchEntity("Policy "+*ref+" does not exist or is not attachable."))
		return
	}
	*ref = arn
}

// resourceTags checks the tags of a bucket, key or instance with the
// limits their services share: at most 50, keys of 1 to 128 characters,
// values of at most 256, and no key in AWS's own aws: space.
func (v *validator) resourceTags(path string, tags map[string]string) {
	if len(tags) > maxResourceTags {
		v.failf(path, "a resource has at most %d tags, not %d", maxResourceTags, len(tags))
	}
	for _, k := range sortedKeys(tags) {
		switch {
		case k == "" || utf8.RuneCountInString(k) > maxTagKeyLen:
			v.failf(key(path, k), "a tag key is 1 to 128 characters")
		case utf8.RuneCountInString(tags[k]) > maxTagVal:
			v.failf(key(path, k), "a tag value is at most 256 characters")
		case reservedTagKey(k):
			v.failf(key(path, k), "tag keys that start with aws: are reserved for AWS")
		}
	}
}

func (v *validator) tags(path string, tags map[string]string) {
	if err := checkTags(tags); err != nil {
		v.fail(path, err)
	}
}

func checkTags(tags map[string]string) error {
	if len(tags) > quotaTags {
		return limitExceeded("The number of tags has reached the maximum limit.")
	}
	var c apiparam.Constraints
	seen := map[string]bool{}
	for _, k := range sortedKeys(tags) {
		c.String("tags.member.key", k, false, 1, 128, patTagKey)
		c.String("tags.member.value", tags[k], false, 0, 256, patTagVal)
		if seen[strings.ToLower(k)] {
			return invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(k)] = true
	}
	return c.Err(ValidationError)
}

func (v *validator) accessKeys(keys []*AccessKey, path string) {
	for i, k := range keys {
		if k == nil {
			keys[i] = &AccessKey{}
			k = keys[i]
		}
		if k.ID == "" {
			k.ID = v.e.newID(prefixAccessKey, 16)
		}
		if k.Secret == "" {
			k.Secret = v.e.NewSecret()
		}
		if k.Status != "" && k.Status != "Active" && k.Status != "Inactive" {
			v.failf(idx(path, i)+".status", "an access key is Active or Inactive, not %q", k.Status)
		}
	}
}

func (v *validator) managedPolicy(account, name string, p *ManagedPolicy, path string) {
	if p == nil {
		v.failf(path, "a managed policy needs a document")
		return
	}
	var c apiparam.Constraints
	c.String("policyName", name, false, 1, 128, patName)
	if p.Path == "" {
		p.Path = "/"
	}
	c.String("path", p.Path, false, 1, 512, patPath)
	if err := c.Err(ValidationError); err != nil {
		v.fail(path, err)
	}
	if p.ID == "" {
		p.ID = v.e.newID(prefixPolicy, 17)
	}
	if len(p.Versions) == 0 {
		if p.Document == nil {
			v.failf(path, "a managed policy needs a document or versions")
			return
		}
		p.Versions = []*PolicyVersion{{ID: "v1", Document: p.Document}}
		p.DefaultVersion = "v1"
	}
	p.Document = nil
	if len(p.Versions) > quotaVersions {
		v.fail(path+".versions", versionsExceeded())
	}
	next := 1
	for i, ver := range p.Versions {
		vp := idx(path+".versions", i)
		n, err := strconv.Atoi(strings.TrimPrefix(ver.ID, "v"))
		if !strings.HasPrefix(ver.ID, "v") || err != nil || n < 1 {
			v.failf(vp+".id", "a version ID is v1, v2, ..., not %q", ver.ID)
		}
		next = max(next, n+1)
		for _, o := range p.Versions[:i] {
			if o.ID == ver.ID {
				v.failf(vp+".id", "version %s appears twice", ver.ID)
			}
		}
		if err := checkManaged(ver.Document); err != nil {
			v.fail(vp+".document", err)
		}
	}
	if p.DefaultVersion == "" {
		p.DefaultVersion = p.Versions[0].ID
	}
	if !slices.ContainsFunc(p.Versions, func(ver *PolicyVersion) bool { return ver.ID == p.DefaultVersion }) {
		v.failf(path+".defaultVersion", "the default version %s is not one of the versions", p.DefaultVersion)
	}
	p.NextVersion = max(p.NextVersion, next)
}

func versionsExceeded() *Error {
	return limitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
}

func checkManaged(d *Document) error {
	if err := checkDocument(d, kindIdentityPolicy); err != nil {
		return err
	}
	if d.Size() > quotaManagedSize {
		return limitExceeded("Cannot exceed quota for PolicySize: 6144")
	}
	return nil
}

func checkTrust(d *Document) error {
	if err := checkDocument(d, kindTrustPolicy); err != nil {
		return err
	}
	if d.Size() > quotaTrustSize {
		return limitExceeded("Cannot exceed quota for ACLSizePerRole: 2048")
	}
	return nil
}

func checkResourcePolicy(d *Document, quota int) error {
	if err := checkDocument(d, kindResourcePolicy); err != nil {
		return err
	}
	if d.Size() > quota {
		return newError(CodeMalformedPolicy, http.StatusBadRequest, "Policies must be less than "+strconv.Itoa(quota/1024)+" KB")
	}
	return nil
}

// checkMaxSession checks a role's MaxSessionDuration: 1 to 12 hours.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
func checkMaxSession(s int, zeroOK bool) error {
	if s == 0 && zeroOK {
		return nil
	}
	var c apiparam.Constraints
	c.Int("maxSessionDuration", s, minSessionDuration, maxSessionDuration)
	return c.Err(ValidationError)
}

func (v *validator) organization() {
	e, o := v.e, v.e.Organization
	if o == nil {
		return
	}
	if e.account(o.ManagementAccount) == nil {
		v.failf("organization.managementAccount", "%q is not an account of the estate", o.ManagementAccount)
	}
	if o.ID == "" {
		o.ID = "o-" + e.newLowerID("org", 10)
	}
	for _, name := range sortedKeys(o.Policies) {
		p := o.Policies[name]
		pp := key("organization.policies", name)
		if p == nil || (p.Type != PolicyTypeSCP && p.Type != PolicyTypeRCP) {
			v.failf(pp+".type", `an organization policy's type is "SCP" or "RCP"`)
			continue
		}
		if p.ID == "" {
			p.ID = "p-" + e.newLowerID("policy", 8)
		}
		if err := checkOrgPolicy(p); err != nil {
			v.fail(pp+".document", err)
		}
	}
	if o.Root == nil {
		o.Root = &OrgUnit{}
	}
	if o.Root.ID == "" {
		o.Root.ID = "r-" + e.newLowerID("root", 4)
	}
	placed := map[string]string{}
	var walk func(u *OrgUnit, path string)
	walk = func(u *OrgUnit, path string) {
		v.orgAttachments(path, u.SCPs, u.RCPs)
		for _, id := range sortedKeys(u.Accounts) {
			ap := key(path+".accounts", id)
			if e.account(id) == nil {
				v.failf(ap, "%q is not an account of the estate", id)
			}
			if where, dup := placed[id]; dup {
				v.failf(ap, "an account sits in one place of the organization; it is also at %s", where)
			}
			placed[id] = ap
			if id == o.ManagementAccount {
				v.failf(ap, "the management account is not placed under an OU: SCPs and RCPs never apply to it")
			}
			if a := u.Accounts[id]; a != nil {
				v.orgAttachments(ap, a.SCPs, a.RCPs)
			} else {
				u.Accounts[id] = &OrgAccount{}
			}
		}
		for _, n := range sortedKeys(u.Units) {
			c := u.Units[n]
			if c == nil {
				u.Units[n] = &OrgUnit{}
				c = u.Units[n]
			}
			if c.ID == "" {
				c.ID = "ou-" + strings.TrimPrefix(o.Root.ID, "r-") + "-" + e.newLowerID("ou", 8)
			}
			walk(c, key(path+".units", n))
		}
	}
	walk(o.Root, "organization.root")
}

func (v *validator) orgAttachments(path string, scps, rcps []string) {
	o := v.e.Organization
	for i, n := range scps {
		if n == FullAWSAccess && o.Policies[n] == nil {
			continue
		}
		if p := o.Policies[n]; p == nil || p.Type != PolicyTypeSCP {
			v.failf(idx(path+".scps", i), "%q is not an SCP of the organization", n)
		}
	}
	for i, n := range rcps {
		if p := o.Policies[n]; p == nil || p.Type != PolicyTypeRCP {
			v.failf(idx(path+".rcps", i), "%q is not an RCP of the organization", n)
		}
	}
}

// checkOrgPolicy applies Organizations' syntax rules: SCPs name no
// principal; RCPs deny only, for "Principal": "*".
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
func checkOrgPolicy(p *OrgPolicy) error {
	bad := func(msg string) *Error {
		return newError("MalformedPolicyDocumentException", http.StatusBadRequest, msg)
	}
	if p.Document == nil {
		return bad("The provided policy document does not meet the requirements of the specified policy type.")
	}
	if c := badPolicyChar(p.Document.Text()); c != "" {
		return bad("The provided policy document contains a character that is not allowed: " + c + ".")
	}
	pol, err := p.Document.Policy()
	if err != nil {
		e := bad("The provided policy document does not meet the requirements of the specified policy type.")
		e.Detail, e.Err = err.Error(), err
		return e
	}
	if pol.Size() > quotaSCPSize {
		return newError(CodeConstraintViolationException, http.StatusBadRequest, "You attempted to create a policy that is larger than the maximum size of 5120 characters.")
	}
	for _, s := range pol.Statements {
		hasPrincipal := s.Principal != nil || s.NotPrincipal != nil
		if p.Type == PolicyTypeSCP && hasPrincipal {
			return bad("The provided policy document does not meet the requirements of the specified policy type: SCPs do not support the Principal element.")
		}
		if p.Type == PolicyTypeRCP {
			if s.Effect != engine.EffectDeny {
				return bad("The provided policy document does not meet the requirements of the specified policy type: RCP statements must have Effect Deny.")
			}
			if s.Principal == nil || !s.Principal.Star {
				return bad(`The provided policy document does not meet the requirements of the specified policy type: RCP statements must have "Principal": "*".`)
			}
		}
	}
	return nil
}
