package sts

import (
	"time"

	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// GetSessionTokenInput holds GetSessionToken's parameters.
type GetSessionTokenInput struct {
	DurationSeconds *int32 `json:",omitempty"`
	SerialNumber    string `json:",omitempty"`
	TokenCode       string `json:",omitempty"`
}

// GetSessionTokenOutput is GetSessionToken's result: credentials only.
type GetSessionTokenOutput struct {
	Credentials *Credentials
}

// Validate checks the parameters against the STS API model.
func (in *GetSessionTokenInput) Validate() error {
	var c apiparam.Constraints
	checkDuration(&c, in.DurationSeconds, userMaxDuration)
	if in.SerialNumber != "" {
		c.String("serialNumber", in.SerialNumber, false, 9, 256, patSerial)
	}
	if in.TokenCode != "" {
		c.String("tokenCode", in.TokenCode, false, 6, 6, patTokenCode)
	}
	if err := c.Err(estate.ValidationError); err != nil {
		return err
	}
	return nil
}

// GetSessionToken returns temporary credentials for an IAM user or the
// root user, calling with long-term keys. No policy can deny it. With an
// MFA device's serial number and current code, the new session carries
// aws:MultiFactorAuthPresent true and aws:MultiFactorAuthAge. A user's
// session lasts 900 to 129,600 seconds (default 43,200); the root user's
// at most 3,600, longer requests being cut to one hour. Its credentials
// cannot call IAM without MFA, nor STS except AssumeRole and
// GetCallerIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
func (s *Service) GetSessionToken(caller estate.Caller, in GetSessionTokenInput) (*GetSessionTokenOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e := s.Estate
	id, now, err := s.authenticate(caller)
	if err != nil {
		return nil, err
	}
	if err := id.Restriction("sts:GetSessionToken"); err != nil {
		return nil, err
	}
	var mfaAt time.Time
	if in.SerialNumber != "" && in.TokenCode != "" {
		if err := e.VerifyMFA(id, in.SerialNumber, in.TokenCode, now); err != nil {
			return nil, err
		}
		mfaAt = now
	}
	secs := defaultUserDuration
	if id.Kind == estate.KindRoot {
		secs = rootMaxDuration
	}
	if in.DurationSeconds != nil {
		secs = int(*in.DurationSeconds)
	}
	if id.Kind == estate.KindRoot && secs > rootMaxDuration {
		secs = rootMaxDuration
	}
	sess := &estate.Session{Type: estate.SessionUser, Account: id.Account, UserName: id.UserName,
		IssuedAt: now, Expiration: now.Add(time.Duration(secs) * time.Second), MFAAuthenticatedAt: mfaAt}
	return &GetSessionTokenOutput{Credentials: s.issue(sess)}, nil
}

// GetFederationTokenInput holds GetFederationToken's parameters.
type GetFederationTokenInput struct {
	Name            string
	Policy          string             `json:",omitempty"`
	PolicyArns      []PolicyDescriptor `json:",omitempty"`
	DurationSeconds *int32             `json:",omitempty"`
	Tags            []Tag              `json:",omitempty"`
}

// GetFederationTokenOutput is GetFederationToken's result.
type GetFederationTokenOutput struct {
	Credentials      *Credentials
	FederatedUser    *FederatedUser
	PackedPolicySize *int `json:",omitempty"`
}

// Validate checks the parameters against the STS API model.
func (in *GetFederationTokenInput) Validate() error {
	var c apiparam.Constraints
	if in.Name == "" {
		c.Null("name")
	} else {
		c.String("name", in.Name, false, 2, 32, patUserName)
	}
	if in.Policy != "" {
		c.String("policy", in.Policy, false, 1, 2048, patPolicy)
	}
	checkPolicyArns(&c, in.PolicyArns)
	checkDuration(&c, in.DurationSeconds, userMaxDuration)
	checkTags(&c, in.Tags, nil)
	if err := c.Err(estate.ValidationError); err != nil {
		return err
	}
	return nil
}

// GetFederationToken returns credentials for a federated user, called by
// an IAM user (or the root user) with long-term keys and
// sts:GetFederationToken. The federated user may do what both the
// calling user's policies and the session policies passed allow; with no
// session policy it may do nothing, except where a resource policy names
// the federated user. Sessions last 900 to 129,600 seconds (default
// 43,200; the root user's at most 3,600). Its credentials cannot call IAM,
// nor STS except GetCallerIdentity.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetFederationToken.html
func (s *Service) GetFederationToken(caller estate.Caller, in GetFederationTokenInput) (*GetFederationTokenOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e := s.Estate
	id, now, err := s.authenticate(caller)
	if err != nil {
		return nil, err
	}
	if err := id.Restriction("sts:GetFederationToken"); err != nil {
		return nil, err
	}
	if err := sessionTags(in.Tags, nil, nil); err != nil {
		return nil, err
	}
	docs, arns, _, err := s.sessionPolicies(id.Account, in.Policy, in.PolicyArns)
	if err != nil {
		return nil, err
	}
	pct := packedSize(docs, arns, in.Tags)
	if pct > 100 {
		return nil, packedTooLarge(pct)
	}
	arn := estate.FederatedUserARN(id.Account, in.Name)
	call := estate.Call{Time: now, Context: map[string][]string{}}
	tagContext(call.Context, in.Tags, nil)
	if d := e.AuthorizeAs(id, call, "sts:GetFederationToken", arn); !d.Allowed() {
		return nil, d.Err
	}
	if len(in.Tags) > 0 {
		if d := e.AuthorizeAs(id, call, "sts:TagSession", arn); !d.Allowed() {
			return nil, d.Err
		}
	}
	secs := defaultUserDuration
	if in.DurationSeconds != nil {
		secs = int(*in.DurationSeconds)
	}
	if id.Kind == estate.KindRoot && secs > rootMaxDuration {
		secs = rootMaxDuration
	}
	sess := &estate.Session{Type: estate.SessionFederatedUser, Account: id.Account, Name: in.Name,
		UserName: id.UserName, IssuedAt: now, Expiration: now.Add(time.Duration(secs) * time.Second),
		Policies: docs, PolicyARNs: arns, Tags: in.Tags}
	out := &GetFederationTokenOutput{
		Credentials:   s.issue(sess),
		FederatedUser: &FederatedUser{FederatedUserId: id.Account + ":" + in.Name, Arn: arn},
	}
	if len(docs) > 0 || len(in.Tags) > 0 {
		out.PackedPolicySize = &pct
	}
	return out, nil
}
