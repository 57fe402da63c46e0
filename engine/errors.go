package engine

import (
	"errors"
	"fmt"
)

// InputError is a problem with input the learner or a tool gave: a policy
// AWS would reject, or a malformed evaluation request. Path is the JSON path
// of the offending value (`Statement[0].Effect`), Pos where it starts in the
// text that was parsed.
type InputError struct {
	Path    string
	Pos     Pos
	Problem string
}

func (e *InputError) Error() string {
	msg := e.Problem
	if e.Path != "" {
		msg = e.Path + ": " + msg
	}
	if e.Pos.Line > 0 {
		msg += fmt.Sprintf(" (line %d, column %d)", e.Pos.Line, e.Pos.Col)
	}
	return msg
}

// ErrInvalidPolicy is wrapped by every error ParsePolicy returns, so callers
// can tell a rejected policy from other failures with errors.Is.
var ErrInvalidPolicy = errors.New("invalid policy")

func (e *InputError) Is(target error) bool { return target == ErrInvalidPolicy }

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// atPath prefixes an InputError's path, so errors from a policy embedded in
// a request name their whole path.
func atPath(err error, prefix string) error {
	var ie *InputError
	if errors.As(err, &ie) {
		c := *ie
		switch {
		case c.Path == "":
			c.Path = prefix
		case c.Path[0] == '[':
			c.Path = prefix + c.Path
		default:
			c.Path = prefix + "." + c.Path
		}
		return &c
	}
	return err
}
