package sts

import (
	"iamlab/engine/estate"
	"iamlab/engine/internal/apiparam"
)

// GetCallerIdentityOutput is who the caller is.
type GetCallerIdentityOutput struct {
	UserId  string
	Account string
	Arn     string
}

// GetCallerIdentity returns the caller's user ID, account and ARN. It
// needs no permission, and an explicit deny of sts:GetCallerIdentity does
// not stop it; it still needs valid credentials.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
func (s *Service) GetCallerIdentity(caller estate.Caller) (*GetCallerIdentityOutput, error) {
	id, _, err := s.authenticate(caller)
	if err != nil {
		return nil, err
	}
	return &GetCallerIdentityOutput{UserId: id.UserID, Account: id.Account, Arn: id.ARN}, nil
}

// DecodeAuthorizationMessageInput holds the encoded message.
type DecodeAuthorizationMessageInput struct {
	EncodedMessage string
}

// DecodeAuthorizationMessageOutput holds the decoded JSON.
type DecodeAuthorizationMessageOutput struct {
	DecodedMessage string
}

// Validate checks the parameters against the STS API model.
func (in *DecodeAuthorizationMessageInput) Validate() error {
	var c apiparam.Constraints
	if in.EncodedMessage == "" {
		c.Null("encodedMessage")
	} else {
		c.String("encodedMessage", in.EncodedMessage, false, 1, 10240, nil)
	}
	if err := c.Err(estate.ValidationError); err != nil {
		return err
	}
	return nil
}

// DecodeAuthorizationMessage decodes the message EC2 attaches to an
// UnauthorizedOperation: whether the denial was explicit, the matched
// statements and the request's principal, action, resource and context.
// The caller needs sts:DecodeAuthorizationMessage.
// https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html
func (s *Service) DecodeAuthorizationMessage(caller estate.Caller, in DecodeAuthorizationMessageInput) (*DecodeAuthorizationMessageOutput, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	e := s.Estate
	id, now, err := s.authenticate(caller)
	if err != nil {
		return nil, err
	}
	if d := e.AuthorizeAs(id, estate.Call{Time: now}, "sts:DecodeAuthorizationMessage", "*"); !d.Allowed() {
		return nil, d.Err
	}
	msg, err := e.DecodeAuthorizationMessage(in.EncodedMessage)
	if err != nil {
		return nil, err
	}
	return &DecodeAuthorizationMessageOutput{DecodedMessage: msg}, nil
}
