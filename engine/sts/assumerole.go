package sts

import (
	"net/http"

	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// AssumeRoleInput holds AssumeRole's parameters, named as in the API.
// Empty strings and nil mean "not given".
type AssumeRoleInput struct {
	RoleArn           string
	RoleSessionName   string
	PolicyArns        []PolicyDescriptor `json:",omitempty"`
	Policy            string             `json:",omitempty"`
	DurationSeconds   *int32             `json:",omitempty"`
	Tags              []Tag              `json:",omitempty"`
	TransitiveTagKeys []string           `json:",omitempty"`
	ExternalId        string             `json:",omitempty"`
	SerialNumber      string             `json:",omitempty"`
	TokenCode         string             `json:",omitempty"`
	SourceIdentity    string             `json:",omitempty"`
}

// AssumeRoleOutput is AssumeRole's result.
type AssumeRoleOutput struct {
	Credentials      *Credentials
	AssumedRoleUser  *AssumedRoleUser
	PackedPolicySize *int   `json:",omitempty"`
	SourceIdentity   string `json:",omitempty"`
}

// Validate checks the parameters against the STS API model, in the
// model's order, and returns AWS's ValidationError.
func (in *AssumeRoleInput) Validate() error {
	var c apiparam.Constraints
	if in.RoleArn == "" {
		c.Null("roleArn")
	} else {
		c.String("roleArn", in.RoleArn, false, 20, 2048, patARN)
	}
	if in.RoleSessionName == "" {
		c.Null("roleSessionName")
	} else {
		c.String("roleSessionName", in.RoleSessionName, false, 2, 64, patSessionName)
	}
	checkPolicyArns(&c, in.PolicyArns)
	if in.Policy != "" {
		c.String("policy", in.Policy, false, 1, 0, patPolicy)
	}
	checkDuration(&c, in.DurationSeconds, roleMaxDuration)
	checkTags(&c, in.Tags, in.TransitiveTagKeys)
	if in.ExternalId != "" {
		c.String("externalId", in.ExternalId, false, 2, 1224, patExternalID)
	}
	if in.SerialNumber != "" {
		c.String("serialNumber", in.SerialNumber, false, 9, 256, patSerial)
	}
	if in.TokenCode != "" {
		c.String("tokenCode", in.TokenCode, false, 6, 6, patTokenCode)
	}
	if in.SourceIdentity != "" {
		c.String("sourceIdentity", in.SourceIdentity, false, 2, 64, patSessionName)
	}
	if err := c.Err(estate.ValidationError); err != nil {
		return err
	}
	return nil
}

// AssumeRole returns credentials for a role session. The caller (an IAM
// user or a role session, never the root user) must be allowed by the
// role's trust policy, and also by its own identity policies unless the
// trust policy names it directly in the role's account. Passing tags needs
// sts:TagSession, setting or carrying a source identity
// sts:SetSourceIdentity. A role session assuming a role is role chaining,
// limited to one hour, as are credentials from GetSessionToken.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
func (s *Service) AssumeRole(caller estate.Caller, in AssumeRoleInput) (*AssumeRoleOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e := s.Estate
	id, now, err := s.authenticate(caller)
	if err != nil {
		return nil, err
	}
	switch id.Kind {
	case estate.KindRoot:
		return nil, &estate.Error{Code: estate.CodeAccessDenied, Status: http.StatusForbidden,
			Message: "Roles may not be assumed by root accounts."}
	}
	if err := id.Restriction("sts:AssumeRole"); err != nil {
		return nil, err
	}
	// MFA given with the request counts for this request's trust policy
	// check and for the new session.
	if in.SerialNumber != "" && in.TokenCode != "" {
		if err := e.VerifyMFA(id, in.SerialNumber, in.TokenCode, now); err != nil {
			return nil, err
		}
		mfa := *id
		mfa.MFAAt = now
		id = &mfa
	}
	roleAccount, roleName, role := e.RoleByARN(in.RoleArn)
	if roleAccount == "" {
		return nil, estate.ValidationError("Request ARN is invalid")
	}
	var inherited []Tag
	var inheritedKeys []string
	sourceIdentity := in.SourceIdentity
	// Any role session assuming a role is role chaining, an EC2 instance's
	// role credentials included: AWS answers such a request for more than
	// an hour with the role-chaining ValidationError.
	chained := id.Kind == estate.KindAssumedRole
	// Credentials from GetSessionToken are temporary too: a role assumed
	// with them is limited to one hour, with the same ValidationError.
	// https://repost.aws/knowledge-center/iam-role-chaining-limit
	oneHour := chained || (id.Session != nil && id.Session.Type == estate.SessionUser)
	if chained && id.Session != nil {
		for _, t := range id.Session.Tags {
			for _, k := range id.TransitiveTagKeys {
				if k == t.Key {
					inherited = append(inherited, t)
					inheritedKeys = append(inheritedKeys, k)
				}
			}
		}
	}
	// A source identity, once set, goes with every role the session
	// assumes: asking for another one is denied, not invalid.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
	if id.SourceIdentity != "" {
		if sourceIdentity != "" && sourceIdentity != id.SourceIdentity {
			return nil, &estate.Error{Code: estate.CodeAccessDenied, Status: http.StatusForbidden,
				Message: "User: " + id.ARN + " is not authorized to perform: sts:SetSourceIdentity on resource: " + in.RoleArn,
				Detail:  "the calling session's source identity is " + id.SourceIdentity + ", and a source identity cannot be changed once set"}
		}
		sourceIdentity = id.SourceIdentity
	}
	if err := sessionTags(in.Tags, in.TransitiveTagKeys, inherited); err != nil {
		return nil, err
	}
	docs, arns, plain, err := s.sessionPolicies(roleAccount, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	tags := append(append([]Tag(nil), inherited...), in.Tags...)
	pct := packedSize(docs, arns, in.Tags)
	if plain > maxPlaintextPolicies || pct > 100 {
		return nil, packedTooLarge(pct)
	}

	call := estate.Call{Time: now, Context: map[string][]string{
		"sts:rolesessionname": {in.RoleSessionName},
	}}
	if in.ExternalId != "" {
		call.Context["sts:externalid"] = []string{in.ExternalId}
	}
	if sourceIdentity != "" {
		call.Context["sts:sourceidentity"] = []string{sourceIdentity}
	}
	tagContext(call.Context, in.Tags, in.TransitiveTagKeys)
	d := e.AuthorizeAs(id, call, "sts:AssumeRole", in.RoleArn)
	if !d.Allowed() {
		return nil, d.Err
	}
	if len(in.Tags) > 0 {
		if d := e.AuthorizeAs(id, call, "sts:TagSession", in.RoleArn); !d.Allowed() {
			return nil, d.Err
		}
	}
	// Setting a source identity, or carrying one from the calling session
	// into the next role, needs sts:SetSourceIdentity in the role's trust
	// policy and in the caller's permissions.
	if sourceIdentity != "" {
		if d := e.AuthorizeAs(id, call, "sts:SetSourceIdentity", in.RoleArn); !d.Allowed() {
			return nil, d.Err
		}
	}
	if role == nil {
		// The trust policy of a role that does not exist allows no one, so
		// AuthorizeAs has denied already; this is a safeguard.
		return nil, &estate.Error{Code: estate.CodeAccessDenied, Status: http.StatusForbidden,
			Message: "User: " + id.ARN + " is not authorized to perform: sts:AssumeRole on resource: " + in.RoleArn}
	}
	dur, err := roleDuration(in.DurationSeconds, role, oneHour)
	if err != nil {
		return nil, err
	}
	sess := &estate.Session{Type: estate.SessionAssumedRole, Account: roleAccount,
		RoleName: roleName, RolePath: role.Path, RoleID: role.ID, SessionName: in.RoleSessionName,
		IssuedAt: now, Expiration: now.Add(dur), MFAAuthenticatedAt: id.MFAAt,
		Policies: docs, PolicyARNs: arns, Tags: tags,
		TransitiveTagKeys: append(inheritedKeys, in.TransitiveTagKeys...),
		SourceIdentity:    sourceIdentity, Chained: chained}
	out := &AssumeRoleOutput{
		Credentials:     s.issue(sess),
		AssumedRoleUser: &AssumedRoleUser{AssumedRoleId: role.ID + ":" + in.RoleSessionName, Arn: sess.ARN()},
		SourceIdentity:  sourceIdentity,
	}
	if len(docs) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = &pct
	}
	return out, nil
}
