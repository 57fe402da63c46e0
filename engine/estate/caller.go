package estate

import (
	"strings"
	"time"
)

// SessionType says which STS operation issued a session.
type SessionType string

// Session types.
const (
	// SessionAssumedRole: AssumeRole, AssumeRoleWithSAML,
	// AssumeRoleWithWebIdentity.
	SessionAssumedRole SessionType = "AssumedRole"
	// SessionFederatedUser: GetFederationToken.
	SessionFederatedUser SessionType = "FederatedUser"
	// SessionUser: GetSessionToken, the same user (or root) with
	// temporary credentials.
	SessionUser SessionType = "SessionToken"
)

// Session is a set of temporary credentials STS issued. It never changes
// once issued, so clones of the estate share it.
type Session struct {
	Type            SessionType `json:"type" yaml:"type"`
	AccessKeyID     string      `json:"accessKeyId" yaml:"accessKeyId"`
	SecretAccessKey string      `json:"secretAccessKey" yaml:"secretAccessKey"`
	SessionToken    string      `json:"sessionToken" yaml:"sessionToken"`
	Account         string      `json:"account" yaml:"account"`
	// RoleName, RolePath, RoleID and SessionName describe an assumed-role
	// session; RoleID ties it to the role that existed when it was issued.
	RoleName    string `json:"roleName,omitempty" yaml:"roleName,omitempty"`
	RolePath    string `json:"rolePath,omitempty" yaml:"rolePath,omitempty"`
	RoleID      string `json:"roleId,omitempty" yaml:"roleId,omitempty"`
	SessionName string `json:"sessionName,omitempty" yaml:"sessionName,omitempty"`
	// Name is a federated user's name.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// UserName is the IAM user who called GetFederationToken or
	// GetSessionToken; empty for the root user.
	UserName   string    `json:"userName,omitempty" yaml:"userName,omitempty"`
	IssuedAt   time.Time `json:"issuedAt" yaml:"issuedAt"`
	Expiration time.Time `json:"expiration" yaml:"expiration"`
	// MFAAuthenticatedAt is when MFA was used for (or before) this session;
	// zero when it was not.
	MFAAuthenticatedAt time.Time `json:"mfaAuthenticatedAt,omitzero" yaml:"mfaAuthenticatedAt,omitempty"`
	// Policies are the session policies: the inline Policy and the
	// documents of PolicyArns as they were when the session was issued.
	Policies          []*Document `json:"policies,omitempty" yaml:"policies,omitempty"`
	PolicyARNs        []string    `json:"policyArns,omitempty" yaml:"policyArns,omitempty"`
	Tags              []Tag       `json:"tags,omitempty" yaml:"tags,omitempty"`
	TransitiveTagKeys []string    `json:"transitiveTagKeys,omitempty" yaml:"transitiveTagKeys,omitempty"`
	SourceIdentity    string      `json:"sourceIdentity,omitempty" yaml:"sourceIdentity,omitempty"`
	// FederatedProvider is the identity provider of a SAML or web identity
	// session: its IAM ARN, or a well-known name such as accounts.google.com.
	FederatedProvider string `json:"federatedProvider,omitempty" yaml:"federatedProvider,omitempty"`
	// ProviderKeys are the provider's condition keys that survive into the
	// session's requests (saml:sub, accounts.google.com:sub, ...).
	ProviderKeys map[string][]string `json:"providerKeys,omitempty" yaml:"providerKeys,omitempty"`
	// Chained: the session was made by a role session assuming a role.
	Chained bool `json:"chained,omitempty" yaml:"chained,omitempty"`
}

// Tag is a key-value pair; keys compare case-insensitively.
type Tag struct {
	Key   string `json:"Key" yaml:"Key"`
	Value string `json:"Value" yaml:"Value"`
}

// ARN returns the principal ARN the session acts as.
func (s *Session) ARN() string {
	switch s.Type {
	case SessionAssumedRole:
		return AssumedRoleARN(s.Account, s.RoleName, s.SessionName)
	case SessionFederatedUser:
		return FederatedUserARN(s.Account, s.Name)
	}
	if s.UserName == "" {
		return RootARN(s.Account)
	}
	return "" // filled from the user, whose path the session does not keep
}

// AddSession records temporary credentials STS issued.
func (e *Estate) AddSession(s *Session) {
	if e.Sessions == nil {
		e.Sessions = map[string]*Session{}
	}
	e.Sessions[s.AccessKeyID] = s
}

// Caller says whose credentials sign a call. The zero Caller is anonymous:
// no credentials at all.
type Caller struct {
	// AccessKeyID is a long-term key (AKIA...) of a user or the root user,
	// or a temporary key (ASIA...) STS issued.
	AccessKeyID string `json:"accessKeyId,omitempty" yaml:"accessKeyId,omitempty"`
	// SessionToken, when given with a temporary key, must match it.
	SessionToken string `json:"sessionToken,omitempty" yaml:"sessionToken,omitempty"`
	// ARN names a user or root user calling with its long-term credentials,
	// for scenarios that do not bother with keys.
	ARN string `json:"arn,omitempty" yaml:"arn,omitempty"`
	// Instance is an EC2 instance ID: the call uses the instance profile's
	// role credentials, or none when the instance has no role.
	Instance string `json:"instance,omitempty" yaml:"instance,omitempty"`

	// Service is a service principal (cloudtrail.amazonaws.com) calling
	// on behalf of the resource SourceARN of account SourceAccount.
	Service       string `json:"service,omitempty" yaml:"service,omitempty"`
	SourceARN     string `json:"sourceArn,omitempty" yaml:"sourceArn,omitempty"`
	SourceAccount string `json:"sourceAccount,omitempty" yaml:"sourceAccount,omitempty"`

	// IdentityCenterUser signs in through IAM Identity Center with the
	// permission set PermissionSet in TargetAccount.
	IdentityCenterUser string `json:"identityCenterUser,omitempty" yaml:"identityCenterUser,omitempty"`
	PermissionSet      string `json:"permissionSet,omitempty" yaml:"permissionSet,omitempty"`
	TargetAccount      string `json:"targetAccount,omitempty" yaml:"targetAccount,omitempty"`
}

// Kind is the kind of principal making a request.
type Kind uint8

// Kinds of principal.
const (
	KindAnonymous Kind = iota
	KindRoot
	KindUser
	KindAssumedRole
	KindFederatedUser
	// KindService and KindProvider are the principals of trust-policy
	// checks made for a service (ec2.amazonaws.com) or an identity
	// provider during federation.
	KindService
	KindProvider
)

var kindNames = [...]string{"Anonymous", "Account", "User", "AssumedRole", "FederatedUser", "Service", "WebIdentityProvider"}

// String returns the kind as aws:PrincipalType names it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// Identity is the authenticated caller of a request with everything the
// request context derives from it.
type Identity struct {
	Kind    Kind
	Account string
	// ARN is the principal ARN AWS names in messages and policies match.
	ARN string
	// UserID is aws:userid and GetCallerIdentity's UserId.
	UserID string
	// PrincipalARN is aws:PrincipalArn: for a role session, the role's ARN
	// with its path.
	PrincipalARN string
	// UserName is the IAM user (for users, GetSessionToken sessions and the
	// user behind a federated user); RoleName and RolePath the session's
	// role; SessionName its session name.
	UserName    string
	RoleName    string
	RolePath    string
	SessionName string
	// Temporary credentials carry aws:MultiFactorAuthPresent and
	// aws:TokenIssueTime; MFAAt is zero when MFA was not used.
	Temporary  bool
	IssuedAt   time.Time
	Expiration time.Time
	MFAAt      time.Time
	// Tags are aws:PrincipalTag values: the user's or role's tags with
	// session tags overriding them.
	Tags              []Tag
	TransitiveTagKeys []string
	SourceIdentity    string
	FederatedProvider string
	ProviderKeys      map[string][]string
	// Session is the temporary credentials, nil for long-term ones.
	Session *Session
	// Instance is the EC2 instance whose role the session belongs to.
	Instance string
	// SourceARN and SourceAccount are, for a service principal, what it
	// acts for (aws:SourceArn, aws:SourceAccount).
	SourceARN, SourceAccount string
}

// Resolve authenticates a caller at time now, as AWS does before it looks
// at any policy: unknown or inactive keys get InvalidClientTokenId, expired
// temporary credentials ExpiredToken.
func (e *Estate) Resolve(c Caller, now time.Time) (*Identity, error) {
	switch {
	case c.Service != "":
		return serviceIdentity(c)
	case c.IdentityCenterUser != "":
		return e.ssoIdentity(c, now)
	case c.Instance != "":
		return e.instanceIdentity(c.Instance)
	case c.ARN != "":
		return e.arnIdentity(c.ARN)
	case c.AccessKeyID != "":
		return e.keyIdentity(c, now)
	}
	return &Identity{Kind: KindAnonymous}, nil
}

func (e *Estate) arnIdentity(arn string) (*Identity, error) {
	parts, ok := splitARN(arn)
	if !ok || parts[2] != "iam" {
		return nil, invalidToken()
	}
	if parts[5] == "root" {
		if e.account(parts[4]) == nil {
			return nil, invalidToken()
		}
		return rootIdentity(parts[4]), nil
	}
	typ, path, name := iamResource(parts[5])
	u := e.User(parts[4], name)
	if typ != "user" || u == nil || normPath(u.Path) != path {
		return nil, invalidToken()
	}
	return userIdentity(parts[4], name, u), nil
}

func rootIdentity(account string) *Identity {
	arn := RootARN(account)
	return &Identity{Kind: KindRoot, Account: account, ARN: arn, UserID: account, PrincipalARN: arn}
}

func userIdentity(account, name string, u *User) *Identity {
	arn := UserARN(account, u.Path, name)
	return &Identity{Kind: KindUser, Account: account, ARN: arn, UserID: u.ID, PrincipalARN: arn,
		UserName: name, Tags: mapTags(u.Tags)}
}

func (e *Estate) keyIdentity(c Caller, now time.Time) (*Identity, error) {
	if s := e.Sessions[c.AccessKeyID]; s != nil {
		if c.SessionToken != "" && c.SessionToken != s.SessionToken {
			return nil, invalidToken()
		}
		if !now.Before(s.Expiration) {
			return nil, expiredToken()
		}
		return e.sessionIdentity(s)
	}
	for _, acct := range e.accountIDs() {
		a := e.Accounts[acct]
		if a.Root != nil {
			for _, k := range a.Root.AccessKeys {
				if k.ID == c.AccessKeyID {
					if !k.active() {
						return nil, invalidToken()
					}
					return rootIdentity(acct), nil
				}
			}
		}
		for _, name := range sortedKeys(a.Users) {
			u := a.Users[name]
			for _, k := range u.AccessKeys {
				if k.ID == c.AccessKeyID {
					if !k.active() {
						return nil, invalidToken()
					}
					return userIdentity(acct, name, u), nil
				}
			}
		}
	}
	return nil, invalidToken()
}

func (k *AccessKey) active() bool { return k.Status == "" || k.Status == "Active" }

// sessionIdentity describes temporary credentials. Credentials of a user
// who no longer exists stop working.
func (e *Estate) sessionIdentity(s *Session) (*Identity, error) {
	id := &Identity{Account: s.Account, Temporary: true, IssuedAt: s.IssuedAt, Expiration: s.Expiration,
		MFAAt: s.MFAAuthenticatedAt, SourceIdentity: s.SourceIdentity, FederatedProvider: s.FederatedProvider,
		ProviderKeys: s.ProviderKeys, TransitiveTagKeys: s.TransitiveTagKeys, Session: s}
	switch s.Type {
	case SessionAssumedRole:
		id.Kind = KindAssumedRole
		id.ARN = AssumedRoleARN(s.Account, s.RoleName, s.SessionName)
		id.UserID = s.RoleID + ":" + s.SessionName
		id.PrincipalARN = RoleARN(s.Account, s.RolePath, s.RoleName)
		id.RoleName, id.RolePath, id.SessionName = s.RoleName, s.RolePath, s.SessionName
		var roleTags map[string]string
		if r := e.Role(s.Account, s.RoleName); r != nil && r.ID == s.RoleID {
			roleTags = r.Tags
		}
		id.Tags = mergeTags(mapTags(roleTags), s.Tags)
	case SessionFederatedUser:
		id.Kind = KindFederatedUser
		id.ARN = FederatedUserARN(s.Account, s.Name)
		id.UserID = s.Account + ":" + s.Name
		id.PrincipalARN = id.ARN
		id.UserName = s.UserName
		var userTags map[string]string
		if s.UserName != "" {
			u := e.User(s.Account, s.UserName)
			if u == nil {
				return nil, invalidToken()
			}
			userTags = u.Tags
		}
		id.Tags = mergeTags(mapTags(userTags), s.Tags)
	case SessionUser:
		if s.UserName == "" {
			r := rootIdentity(s.Account)
			id.Kind, id.ARN, id.UserID, id.PrincipalARN = r.Kind, r.ARN, r.UserID, r.PrincipalARN
			break
		}
		u := e.User(s.Account, s.UserName)
		if u == nil {
			return nil, invalidToken()
		}
		base := userIdentity(s.Account, s.UserName, u)
		id.Kind, id.ARN, id.UserID, id.PrincipalARN, id.UserName, id.Tags = base.Kind, base.ARN, base.UserID, base.PrincipalARN, base.UserName, base.Tags
	default:
		return nil, invalidToken()
	}
	return id, nil
}

// instanceIdentity gives an instance's calls its role's credentials, or
// none: an instance without an instance profile role, or whose role does
// not trust ec2.amazonaws.com, gets no credentials and calls anonymously.
func (e *Estate) instanceIdentity(id string) (*Identity, error) {
	acct, inst := e.instance(id)
	if inst == nil {
		return nil, newError(CodeInvalidInstanceIDNotFound, 400, "The instance ID '"+id+"' does not exist")
	}
	roleName, role := e.instanceRole(acct, inst)
	if role == nil || !e.trustsService(acct, roleName, role, "ec2.amazonaws.com") {
		return &Identity{Kind: KindAnonymous, Instance: id}, nil
	}
	return &Identity{Kind: KindAssumedRole, Account: acct,
		ARN:          AssumedRoleARN(acct, roleName, id),
		UserID:       role.ID + ":" + id,
		PrincipalARN: RoleARN(acct, role.Path, roleName),
		RoleName:     roleName, RolePath: normPath(role.Path), SessionName: id,
		Temporary: true, IssuedAt: inst.ProfileAssociated, Tags: mapTags(role.Tags), Instance: id}, nil
}

func (e *Estate) instance(id string) (string, *Instance) {
	for _, acct := range e.accountIDs() {
		if inst := e.Accounts[acct].Instances[id]; inst != nil {
			return acct, inst
		}
	}
	return "", nil
}

func (e *Estate) instanceRole(acct string, inst *Instance) (string, *Role) {
	if inst.InstanceProfile == "" {
		return "", nil
	}
	a := e.Accounts[acct]
	p := a.InstanceProfiles[inst.InstanceProfile]
	if p == nil || p.Role == "" {
		return "", nil
	}
	return p.Role, a.Roles[p.Role]
}

func mapTags(m map[string]string) []Tag {
	if len(m) == 0 {
		return nil
	}
	out := make([]Tag, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, Tag{k, m[k]})
	}
	return out
}

// mergeTags lays session tags over entity tags; keys compare
// case-insensitively and the session tag wins.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
func mergeTags(base, over []Tag) []Tag {
	if len(over) == 0 {
		return base
	}
	out := make([]Tag, 0, len(base)+len(over))
	for _, t := range base {
		if !hasTagKey(over, t.Key) {
			out = append(out, t)
		}
	}
	return append(out, over...)
}

func hasTagKey(tags []Tag, key string) bool {
	for _, t := range tags {
		if strings.EqualFold(t.Key, key) {
			return true
		}
	}
	return false
}
