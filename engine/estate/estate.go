package estate

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"time"
)

// DefaultRegion is the Region of calls that name none.
const DefaultRegion = "us-east-1"

// Estate is the whole simulated world: accounts, the organization they may
// belong to, and the temporary credentials STS has issued.
type Estate struct {
	Organization *Organization       `json:"organization,omitempty" yaml:"organization,omitempty"`
	Accounts     map[string]*Account `json:"accounts" yaml:"accounts"`
	// Sessions are the temporary credentials STS has issued, by access key ID.
	Sessions map[string]*Session `json:"sessions,omitempty" yaml:"sessions,omitempty"`
	// Region is the Region of calls that name none; DefaultRegion when empty.
	Region string `json:"region,omitempty" yaml:"region,omitempty"`
	// Seed and Serial make generated IDs, keys and secrets repeatable: the
	// same estate built the same way gives the same values.
	Seed   string `json:"seed,omitempty" yaml:"seed,omitempty"`
	Serial uint64 `json:"serial,omitempty" yaml:"serial,omitempty"`
	// IdentityCenter is the organization's IAM Identity Center instance,
	// whose permission sets Validate provisions as roles.
	IdentityCenter *IdentityCenter `json:"identityCenter,omitempty" yaml:"identityCenter,omitempty"`
}

// Account is one AWS account, keyed in Estate.Accounts by its 12-digit ID.
// Every map is keyed by the entity's name (OIDC providers by URL without
// the scheme, MFA devices by the name in their serial ARN).
type Account struct {
	Alias            string                      `json:"alias,omitempty" yaml:"alias,omitempty"`
	Root             *RootUser                   `json:"root,omitempty" yaml:"root,omitempty"`
	Users            map[string]*User            `json:"users,omitempty" yaml:"users,omitempty"`
	Groups           map[string]*Group           `json:"groups,omitempty" yaml:"groups,omitempty"`
	Roles            map[string]*Role            `json:"roles,omitempty" yaml:"roles,omitempty"`
	Policies         map[string]*ManagedPolicy   `json:"policies,omitempty" yaml:"policies,omitempty"`
	InstanceProfiles map[string]*InstanceProfile `json:"instanceProfiles,omitempty" yaml:"instanceProfiles,omitempty"`
	Instances        map[string]*Instance        `json:"instances,omitempty" yaml:"instances,omitempty"`
	SAMLProviders    map[string]*SAMLProvider    `json:"samlProviders,omitempty" yaml:"samlProviders,omitempty"`
	OIDCProviders    map[string]*OIDCProvider    `json:"oidcProviders,omitempty" yaml:"oidcProviders,omitempty"`
	MFADevices       map[string]*MFADevice       `json:"mfaDevices,omitempty" yaml:"mfaDevices,omitempty"`
	Buckets          map[string]*Bucket          `json:"buckets,omitempty" yaml:"buckets,omitempty"`
	Keys             map[string]*Key             `json:"keys,omitempty" yaml:"keys,omitempty"`
	// VPCEndpoints are the account's VPC endpoints, by ID.
	VPCEndpoints map[string]*VPCEndpoint `json:"vpcEndpoints,omitempty" yaml:"vpcEndpoints,omitempty"`
	// AccessPoints are the account's S3 access points, by name.
	AccessPoints map[string]*AccessPoint `json:"accessPoints,omitempty" yaml:"accessPoints,omitempty"`
	// PublicAccessBlock is the account's S3 Block Public Access settings,
	// which apply to every bucket it owns.
	PublicAccessBlock *PublicAccessBlock `json:"publicAccessBlock,omitempty" yaml:"publicAccessBlock,omitempty"`
}

// RootUser is the account's root user and its access keys. Its MFA
// device is the MFADevice assigned to "root".
type RootUser struct {
	AccessKeys []*AccessKey `json:"accessKeys,omitempty" yaml:"accessKeys,omitempty"`
}

// User is an IAM user; its MFA devices are the MFADevices assigned to it.
// ManagedPolicies and PermissionsBoundary hold policy
// ARNs; Validate also accepts a bare name (a customer managed policy of the
// account, else an AWS managed policy) and rewrites it to the ARN.
type User struct {
	Path                string               `json:"path,omitempty" yaml:"path,omitempty"`
	ID                  string               `json:"id,omitempty" yaml:"id,omitempty"`
	Groups              []string             `json:"groups,omitempty" yaml:"groups,omitempty"`
	InlinePolicies      map[string]*Document `json:"inlinePolicies,omitempty" yaml:"inlinePolicies,omitempty"`
	ManagedPolicies     []string             `json:"managedPolicies,omitempty" yaml:"managedPolicies,omitempty"`
	PermissionsBoundary string               `json:"permissionsBoundary,omitempty" yaml:"permissionsBoundary,omitempty"`
	Tags                map[string]string    `json:"tags,omitempty" yaml:"tags,omitempty"`
	AccessKeys          []*AccessKey         `json:"accessKeys,omitempty" yaml:"accessKeys,omitempty"`
}

// AccessKey is a long-term access key of a user or the root user.
type AccessKey struct {
	ID     string `json:"id,omitempty" yaml:"id,omitempty"`
	Secret string `json:"secret,omitempty" yaml:"secret,omitempty"`
	// Status is "Active" or "Inactive"; empty means Active.
	Status string `json:"status,omitempty" yaml:"status,omitempty"`
}

// Group is an IAM group.
type Group struct {
	Path            string               `json:"path,omitempty" yaml:"path,omitempty"`
	ID              string               `json:"id,omitempty" yaml:"id,omitempty"`
	InlinePolicies  map[string]*Document `json:"inlinePolicies,omitempty" yaml:"inlinePolicies,omitempty"`
	ManagedPolicies []string             `json:"managedPolicies,omitempty" yaml:"managedPolicies,omitempty"`
}

// Role is an IAM role.
type Role struct {
	Path                string               `json:"path,omitempty" yaml:"path,omitempty"`
	ID                  string               `json:"id,omitempty" yaml:"id,omitempty"`
	Description         string               `json:"description,omitempty" yaml:"description,omitempty"`
	TrustPolicy         *Document            `json:"trustPolicy" yaml:"trustPolicy"`
	InlinePolicies      map[string]*Document `json:"inlinePolicies,omitempty" yaml:"inlinePolicies,omitempty"`
	ManagedPolicies     []string             `json:"managedPolicies,omitempty" yaml:"managedPolicies,omitempty"`
	PermissionsBoundary string               `json:"permissionsBoundary,omitempty" yaml:"permissionsBoundary,omitempty"`
	Tags                map[string]string    `json:"tags,omitempty" yaml:"tags,omitempty"`
	// MaxSessionDuration is in seconds, 3600 to 43200; 0 means 3600.
	MaxSessionDuration int `json:"maxSessionDuration,omitempty" yaml:"maxSessionDuration,omitempty"`
	// ServiceLinked roles are not subject to SCPs.
	ServiceLinked bool `json:"serviceLinked,omitempty" yaml:"serviceLinked,omitempty"`
}

// ManagedPolicy is a customer managed policy with its versions.
// A file may give Document alone; Validate turns it into version v1.
type ManagedPolicy struct {
	Path           string           `json:"path,omitempty" yaml:"path,omitempty"`
	ID             string           `json:"id,omitempty" yaml:"id,omitempty"`
	Description    string           `json:"description,omitempty" yaml:"description,omitempty"`
	Document       *Document        `json:"document,omitempty" yaml:"document,omitempty"`
	Versions       []*PolicyVersion `json:"versions,omitempty" yaml:"versions,omitempty"`
	DefaultVersion string           `json:"defaultVersion,omitempty" yaml:"defaultVersion,omitempty"`
	// NextVersion is the number the next version gets: IAM never reuses one.
	NextVersion int `json:"nextVersion,omitempty" yaml:"nextVersion,omitempty"`
}

// PolicyVersion is one version of a managed policy.
type PolicyVersion struct {
	ID       string    `json:"id" yaml:"id"`
	Document *Document `json:"document" yaml:"document"`
}

// InstanceProfile holds at most one role for EC2 instances.
type InstanceProfile struct {
	Path string `json:"path,omitempty" yaml:"path,omitempty"`
	ID   string `json:"id,omitempty" yaml:"id,omitempty"`
	Role string `json:"role,omitempty" yaml:"role,omitempty"`
}

// Instance is an EC2 instance, keyed by its ID (i-...). With no instance
// profile (or one without a role) its calls carry no credentials and are
// anonymous.
type Instance struct {
	Region          string `json:"region,omitempty" yaml:"region,omitempty"`
	InstanceType    string `json:"instanceType,omitempty" yaml:"instanceType,omitempty"`
	InstanceProfile string `json:"instanceProfile,omitempty" yaml:"instanceProfile,omitempty"`
	// ProfileAssociated is when the instance profile was attached: the
	// issue time of the instance's role credentials.
	ProfileAssociated time.Time `json:"profileAssociated,omitzero" yaml:"profileAssociated,omitempty"`
	// Tags are the instance's tags (aws:ResourceTag, ec2:ResourceTag).
	Tags map[string]string `json:"tags,omitempty" yaml:"tags,omitempty"`
	// VPC is the VPC the instance runs in, and PrivateIP its address
	// there: its calls to a service with an endpoint in that VPC go
	// through the endpoint (vpcroute.go).
	VPC       string `json:"vpc,omitempty" yaml:"vpc,omitempty"`
	PrivateIP string `json:"privateIp,omitempty" yaml:"privateIp,omitempty"`
}

// SAMLProvider is an IAM SAML identity provider: the IdP's metadata
// document, which holds the certificate its assertions are signed with.
type SAMLProvider struct {
	Metadata string `json:"metadata" yaml:"metadata"`
}

// OIDCProvider is an IAM OpenID Connect identity provider, keyed by its
// URL without "https://".
type OIDCProvider struct {
	ClientIDs   []string `json:"clientIds,omitempty" yaml:"clientIds,omitempty"`
	Thumbprints []string `json:"thumbprints,omitempty" yaml:"thumbprints,omitempty"`
}

// MFADevice is a virtual MFA device: a TOTP secret (base32) and the user
// it is assigned to ("root" for the root user).
type MFADevice struct {
	Seed       string `json:"seed,omitempty" yaml:"seed,omitempty"`
	AssignedTo string `json:"assignedTo,omitempty" yaml:"assignedTo,omitempty"`
	// LastStep is the TOTP time step of the last code accepted: AWS does not
	// accept the same code twice.
	LastStep int64 `json:"lastStep,omitempty" yaml:"lastStep,omitempty"`
}

// Bucket is an S3 bucket; Objects maps keys to contents.
type Bucket struct {
	Region  string            `json:"region,omitempty" yaml:"region,omitempty"`
	Policy  *Document         `json:"policy,omitempty" yaml:"policy,omitempty"`
	Objects map[string]string `json:"objects,omitempty" yaml:"objects,omitempty"`
	// Tags are the bucket's tags (aws:ResourceTag).
	Tags map[string]string `json:"tags,omitempty" yaml:"tags,omitempty"`
	// Encryption is the bucket's default encryption; SSE-KMS makes reads
	// and writes call KMS as well.
	Encryption *BucketEncryption `json:"encryption,omitempty" yaml:"encryption,omitempty"`
	// PublicAccessBlock is the bucket's Block Public Access settings.
	PublicAccessBlock *PublicAccessBlock `json:"publicAccessBlock,omitempty" yaml:"publicAccessBlock,omitempty"`
	// Ownership is the bucket's S3 Object Ownership (s3acl.go), ACL its
	// ACL and ObjectACLs the owner and ACL of objects that have their own.
	Ownership  string                `json:"ownership,omitempty" yaml:"ownership,omitempty"`
	ACL        *AccessControlList    `json:"acl,omitempty" yaml:"acl,omitempty"`
	ObjectACLs map[string]*ObjectACL `json:"objectAcls,omitempty" yaml:"objectAcls,omitempty"`
}

// Key is a KMS key, keyed by its key ID. Without a policy it has AWS's
// default key policy, which delegates to the account's IAM policies.
type Key struct {
	Region      string    `json:"region,omitempty" yaml:"region,omitempty"`
	Description string    `json:"description,omitempty" yaml:"description,omitempty"`
	Policy      *Document `json:"policy,omitempty" yaml:"policy,omitempty"`
	// AWSManaged keys (aws/s3, ...) are outside RCPs.
	AWSManaged bool `json:"awsManaged,omitempty" yaml:"awsManaged,omitempty"`
	// Tags are the key's tags (aws:ResourceTag).
	Tags map[string]string `json:"tags,omitempty" yaml:"tags,omitempty"`
	// Grants are the key's KMS grants.
	Grants []*KeyGrant `json:"grants,omitempty" yaml:"grants,omitempty"`
}

// New returns an empty estate.
func New() *Estate {
	return &Estate{Accounts: map[string]*Account{}, Sessions: map[string]*Session{}}
}

// AddAccount adds an empty account with the given 12-digit ID.
func (e *Estate) AddAccount(id string) (*Account, error) {
	if !isAccountID(id) {
		return nil, invalidInput("The account ID " + id + " must be 12 digits.")
	}
	if _, ok := e.Accounts[id]; ok {
		return nil, newError(CodeEntityAlreadyExists, 409, "Account "+id+" already exists.")
	}
	a := &Account{}
	if e.Accounts == nil {
		e.Accounts = map[string]*Account{}
	}
	e.Accounts[id] = a
	return a, nil
}

func (e *Estate) region() string {
	if e.Region != "" {
		return e.Region
	}
	return DefaultRegion
}

// Clone returns a deep copy that shares only immutable values (policy
// documents and issued sessions), so a scenario can re-run on a fresh copy
// at every keystroke.
func (e *Estate) Clone() *Estate {
	c := *e
	c.Organization = e.Organization.clone()
	c.Accounts = cloneMap(e.Accounts, (*Account).clone)
	c.Sessions = maps.Clone(e.Sessions)
	c.IdentityCenter = e.IdentityCenter.clone()
	return &c
}

func cloneMap[V any](m map[string]*V, f func(*V) *V) map[string]*V {
	if m == nil {
		return nil
	}
	out := make(map[string]*V, len(m))
	for k, v := range m {
		if v != nil {
			out[k] = f(v)
		} else {
			out[k] = nil
		}
	}
	return out
}

func shallow[V any](v *V) *V {
	if v == nil {
		return nil
	}
	c := *v
	return &c
}

func (a *Account) clone() *Account {
	if a == nil {
		return nil
	}
	c := *a
	if a.Root != nil {
		r := *a.Root
		r.AccessKeys = cloneSlice(a.Root.AccessKeys)
		c.Root = &r
	}
	c.Users = cloneMap(a.Users, func(u *User) *User {
		x := *u
		x.Groups = slices.Clone(u.Groups)
		x.InlinePolicies = maps.Clone(u.InlinePolicies)
		x.ManagedPolicies = slices.Clone(u.ManagedPolicies)
		x.Tags = maps.Clone(u.Tags)
		x.AccessKeys = cloneSlice(u.AccessKeys)
		return &x
	})
	c.Groups = cloneMap(a.Groups, func(g *Group) *Group {
		x := *g
		x.InlinePolicies = maps.Clone(g.InlinePolicies)
		x.ManagedPolicies = slices.Clone(g.ManagedPolicies)
		return &x
	})
	c.Roles = cloneMap(a.Roles, func(r *Role) *Role {
		x := *r
		x.InlinePolicies = maps.Clone(r.InlinePolicies)
		x.ManagedPolicies = slices.Clone(r.ManagedPolicies)
		x.Tags = maps.Clone(r.Tags)
		return &x
	})
	c.Policies = cloneMap(a.Policies, func(p *ManagedPolicy) *ManagedPolicy {
		x := *p
		x.Versions = cloneSlice(p.Versions)
		return &x
	})
	c.InstanceProfiles = cloneMap(a.InstanceProfiles, shallow[InstanceProfile])
	c.Instances = cloneMap(a.Instances, shallow[Instance])
	c.SAMLProviders = cloneMap(a.SAMLProviders, shallow[SAMLProvider])
	c.OIDCProviders = cloneMap(a.OIDCProviders, func(p *OIDCProvider) *OIDCProvider {
		x := *p
		x.ClientIDs = slices.Clone(p.ClientIDs)
		x.Thumbprints = slices.Clone(p.Thumbprints)
		return &x
	})
	c.MFADevices = cloneMap(a.MFADevices, shallow[MFADevice])
	c.Buckets = cloneMap(a.Buckets, func(b *Bucket) *Bucket {
		x := *b
		x.Objects = maps.Clone(b.Objects)
		x.ObjectACLs = maps.Clone(b.ObjectACLs) // entries are replaced, never changed
		return &x
	})
	c.Keys = cloneMap(a.Keys, shallow[Key])
	c.VPCEndpoints = cloneMap(a.VPCEndpoints, shallow[VPCEndpoint])
	c.AccessPoints = cloneMap(a.AccessPoints, shallow[AccessPoint])
	return &c
}

func cloneSlice[V any](s []*V) []*V {
	if s == nil {
		return nil
	}
	out := make([]*V, len(s))
	for i, v := range s {
		out[i] = shallow(v)
	}
	return out
}

// ARNs. The partition is always aws: the sandbox has one.

// UserARN returns arn:aws:iam::ACCOUNT:user/PATHNAME.
func UserARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":user" + normPath(path) + name
}

// RoleARN returns arn:aws:iam::ACCOUNT:role/PATHNAME.
func RoleARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":role" + normPath(path) + name
}

// GroupARN returns arn:aws:iam::ACCOUNT:group/PATHNAME.
func GroupARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":group" + normPath(path) + name
}

// PolicyARN returns arn:aws:iam::ACCOUNT:policy/PATHNAME.
func PolicyARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":policy" + normPath(path) + name
}

// RootARN returns arn:aws:iam::ACCOUNT:root.
func RootARN(account string) string { return "arn:aws:iam::" + account + ":root" }

// AssumedRoleARN returns arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION;
// the role's path is not part of it.
func AssumedRoleARN(account, role, session string) string {
	return "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session
}

// FederatedUserARN returns arn:aws:sts::ACCOUNT:federated-user/NAME.
func FederatedUserARN(account, name string) string {
	return "arn:aws:sts::" + account + ":federated-user/" + name
}

// MFADeviceARN returns arn:aws:iam::ACCOUNT:mfa/NAME, a virtual device's
// serial number.
func MFADeviceARN(account, name string) string { return "arn:aws:iam::" + account + ":mfa/" + name }

// SAMLProviderARN returns arn:aws:iam::ACCOUNT:saml-provider/NAME.
func SAMLProviderARN(account, name string) string {
	return "arn:aws:iam::" + account + ":saml-provider/" + name
}

// OIDCProviderARN returns arn:aws:iam::ACCOUNT:oidc-provider/URL.
func OIDCProviderARN(account, url string) string {
	return "arn:aws:iam::" + account + ":oidc-provider/" + strings.TrimPrefix(url, "https://")
}

// InstanceProfileARN returns arn:aws:iam::ACCOUNT:instance-profile/PATHNAME.
func InstanceProfileARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":instance-profile" + normPath(path) + name
}

// InstanceARN returns arn:aws:ec2:REGION:ACCOUNT:instance/ID.
func InstanceARN(region, account, id string) string {
	return "arn:aws:ec2:" + region + ":" + account + ":instance/" + id
}

// BucketARN returns arn:aws:s3:::BUCKET.
func BucketARN(bucket string) string { return "arn:aws:s3:::" + bucket }

// ObjectARN returns arn:aws:s3:::BUCKET/KEY.
func ObjectARN(bucket, key string) string { return "arn:aws:s3:::" + bucket + "/" + key }

// KeyARN returns arn:aws:kms:REGION:ACCOUNT:key/ID.
func KeyARN(region, account, id string) string {
	return "arn:aws:kms:" + region + ":" + account + ":key/" + id
}

func normPath(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// splitARN splits an ARN into its six parts, the last holding the rest.
func splitARN(arn string) ([6]string, bool) {
	var parts [6]string
	s := arn
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(s, ':')
		if j < 0 {
			return parts, false
		}
		parts[i], s = s[:j], s[j+1:]
	}
	parts[5] = s
	return parts, parts[0] == "arn"
}

// iamResource splits an IAM ARN's resource part "role/path/name" into its
// type, path and name.
func iamResource(res string) (typ, path, name string) {
	typ, rest, ok := strings.Cut(res, "/")
	if !ok {
		return res, "", ""
	}
	i := strings.LastIndexByte(rest, '/')
	return typ, "/" + rest[:i+1], rest[i+1:]
}

// Lookups.

func (e *Estate) account(id string) *Account {
	if e == nil || e.Accounts == nil {
		return nil
	}
	return e.Accounts[id]
}

// User returns the user of an account, or nil.
func (e *Estate) User(account, name string) *User {
	if a := e.account(account); a != nil {
		return a.Users[name]
	}
	return nil
}

// Role returns the role of an account, or nil.
func (e *Estate) Role(account, name string) *Role {
	if a := e.account(account); a != nil {
		return a.Roles[name]
	}
	return nil
}

// roleByARN finds a role from its full ARN, path included.
func (e *Estate) roleByARN(arn string) (account, name string, r *Role) {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "iam" {
		return "", "", nil
	}
	typ, path, name := iamResource(parts[5])
	if typ != "role" {
		return "", "", nil
	}
	r = e.Role(parts[4], name)
	if r == nil || normPath(r.Path) != path {
		return parts[4], name, nil
	}
	return parts[4], name, r
}

// bucket finds a bucket in whichever account owns it. Bucket names are
// global (Validate and CreateBucket refuse a second), so at most one
// account has it and the map's order is moot: no sorted walk, which would
// allocate on every S3 authorization.
func (e *Estate) bucket(name string) (string, *Bucket) {
	for id, a := range e.Accounts {
		if a != nil && a.Buckets[name] != nil {
			return id, a.Buckets[name]
		}
	}
	return "", nil
}

func (e *Estate) accountIDs() []string {
	ids := make([]string, 0, len(e.Accounts))
	for id := range e.Accounts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (r *Role) maxSession() int {
	if r.MaxSessionDuration == 0 {
		return 3600
	}
	return r.MaxSessionDuration
}

// MaxSession returns the role's maximum session duration (3600 when unset).
func (r *Role) MaxSession() time.Duration { return time.Duration(r.maxSession()) * time.Second }

// RoleByARN finds a role from its ARN, path included; r is nil when no
// such role exists.
func (e *Estate) RoleByARN(arn string) (account, name string, r *Role) { return e.roleByARN(arn) }

// ManagedPolicyDocument returns the default version of a managed policy
// (customer or AWS managed), or nil.
func (e *Estate) ManagedPolicyDocument(arn string) *Document {
	d, _ := e.managedPolicy(arn)
	return d
}

// ParseSessionPolicy checks a session policy passed to STS as IAM checks
// identity-based policies, returning MalformedPolicyDocument with the
// reason when it is not valid.
func ParseSessionPolicy(text string) (*Document, error) {
	d := &Document{text: text}
	if err := checkDocument(d, kindSessionPolicy); err != nil {
		return nil, err
	}
	return d, nil
}

// MissingAuthenticationToken is AWS's answer to an unsigned request for an
// operation that needs credentials.
func MissingAuthenticationToken() error { return missingAuth() }
