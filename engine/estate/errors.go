package estate

import (
	"errors"
	"net/http"
)

// Error codes AWS returns that the estate and STS produce.
const (
	CodeAccessDenied                 = "AccessDenied"
	CodeAccessDeniedException        = "AccessDeniedException" // KMS
	CodeUnauthorizedOperation        = "UnauthorizedOperation" // EC2
	CodeInvalidClientTokenID         = "InvalidClientTokenId"
	CodeExpiredToken                 = "ExpiredToken"
	CodeMissingAuthenticationToken   = "MissingAuthenticationToken"
	CodeLimitExceeded                = "LimitExceeded"
	CodeMalformedPolicyDocument      = "MalformedPolicyDocument"
	CodeMalformedPolicy              = "MalformedPolicy" // S3 bucket policies
	CodeNoSuchEntity                 = "NoSuchEntity"
	CodeEntityAlreadyExists          = "EntityAlreadyExists"
	CodeDeleteConflict               = "DeleteConflict"
	CodeInvalidInput                 = "InvalidInput"
	CodeValidationError              = "ValidationError"
	CodeNoSuchBucket                 = "NoSuchBucket"
	CodeNoSuchKey                    = "NoSuchKey"
	CodeInvalidParameterValue        = "InvalidParameterValue"
	CodeDryRunOperation              = "DryRunOperation"
	CodeInvalidAuthorizationMessage  = "InvalidAuthorizationMessageException"
	CodeInvalidIdentityToken         = "InvalidIdentityToken"
	CodeIDPRejectedClaim             = "IDPRejectedClaim"
	CodeExpiredTokenException        = "ExpiredTokenException"
	CodePackedPolicyTooLarge         = "PackedPolicyTooLarge"
	CodeNotFoundException            = "NotFoundException" // KMS
	CodeInvalidInstanceIDNotFound    = "InvalidInstanceID.NotFound"
	CodeConstraintViolationException = "ConstraintViolationException"
)

// Error is a failure as AWS reports it: a code, an HTTP status and AWS's
// message. Detail adds, in iamlab's words, what AWS's message leaves out.
// Decision is set when a policy evaluation denied the request, so the TUI
// can show its trace.
type Error struct {
	Code     string    `json:"code"`
	Message  string    `json:"message"`
	Status   int       `json:"status"`
	Detail   string    `json:"detail,omitempty"`
	Decision *Decision `json:"-"`
	Err      error     `json:"-"`
}

func (e *Error) Error() string {
	s := e.Code + ": " + e.Message
	if e.Detail != "" {
		s += " [" + e.Detail + "]"
	}
	return s
}

// Unwrap returns the cause, such as the *engine.InputError behind a
// MalformedPolicyDocument.
func (e *Error) Unwrap() error { return e.Err }

// Is matches another *Error with the same code and no message, so callers
// can test errors.Is(err, estate.ErrAccessDenied).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// CLI renders the error as the AWS CLI prints it.
func (e *Error) CLI(operation string) string {
	return "An error occurred (" + e.Code + ") when calling the " + operation + " operation: " + e.Message
}

// Sentinel errors for errors.Is; they match any *Error with their code.
var (
	ErrAccessDenied            = &Error{Code: CodeAccessDenied}
	ErrUnauthorizedOperation   = &Error{Code: CodeUnauthorizedOperation}
	ErrLimitExceeded           = &Error{Code: CodeLimitExceeded}
	ErrMalformedPolicyDocument = &Error{Code: CodeMalformedPolicyDocument}
	ErrNoSuchEntity            = &Error{Code: CodeNoSuchEntity}
	ErrExpiredToken            = &Error{Code: CodeExpiredToken}
	ErrInvalidClientTokenID    = &Error{Code: CodeInvalidClientTokenID}
	ErrValidation              = &Error{Code: CodeValidationError}
)

// Code returns the AWS error code of err, or "" when err is not an *Error.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// The constructors below return *Error, never nil, so a caller can add a
// Detail; a function that may succeed returns error instead.
func newError(code string, status int, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

func accessDenied(msg string) *Error { return newError(CodeAccessDenied, http.StatusForbidden, msg) }

func limitExceeded(msg string) *Error {
	return newError(CodeLimitExceeded, http.StatusConflict, msg)
}

func noSuchEntity(msg string) *Error { return newError(CodeNoSuchEntity, http.StatusNotFound, msg) }

func invalidInput(msg string) *Error { return newError(CodeInvalidInput, http.StatusBadRequest, msg) }

// invalidToken is what AWS answers for credentials it does not know, and
// for session credentials that may not call an API at all.
// https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html
func invalidToken() *Error {
	return newError(CodeInvalidClientTokenID, http.StatusForbidden, "The security token included in the request is invalid.")
}

func expiredToken() *Error {
	return newError(CodeExpiredToken, http.StatusBadRequest, "The security token included in the request is expired")
}
