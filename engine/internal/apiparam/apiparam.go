// Package apiparam checks AWS API parameters against the constraints of
// the services' API models (length, range, pattern) and words the failures
// as AWS's ValidationError does. The estate's IAM operations and STS share
// it; nothing outside the engine needs it.
package apiparam

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Constraints collects parameter validation failures and words them as
// AWS's ValidationError does: `1 validation error detected: Value 'x y' at
// 'roleSessionName' failed to satisfy constraint: Member must satisfy
// regular expression pattern: [\w+=,.@-]*`.
type Constraints struct {
	msgs []string
}

// Sensitive marks a field whose value AWS leaves out of the message.
const Sensitive = true

func (c *Constraints) fail(field, value string, hidden bool, rule string) {
	var b strings.Builder
	b.WriteString("Value ")
	if !hidden {
		b.WriteString("'" + value + "' ")
	}
	b.WriteString("at '" + field + "' failed to satisfy constraint: Member must " + rule)
	c.msgs = append(c.msgs, b.String())
}

// Null records a required parameter that is missing.
func (c *Constraints) Null(field string) {
	c.msgs = append(c.msgs, "Value null at '"+field+"' failed to satisfy constraint: Member must not be null")
}

// String checks a string parameter's length (in characters) and pattern;
// pattern may be nil. It returns whether the value passed.
func (c *Constraints) String(field, value string, hidden bool, min, max int, pattern *Regexp) bool {
	n := utf8.RuneCountInString(value)
	switch {
	case n < min:
		c.fail(field, value, hidden, "have length greater than or equal to "+strconv.Itoa(min))
	case max > 0 && n > max:
		c.fail(field, value, hidden, "have length less than or equal to "+strconv.Itoa(max))
	case pattern != nil && !pattern.MatchString(value):
		c.fail(field, value, hidden, "satisfy regular expression pattern: "+patternText(pattern))
	default:
		return true
	}
	return false
}

// Int checks an integer parameter's range.
func (c *Constraints) Int(field string, v, min, max int) bool {
	s := strconv.Itoa(v)
	switch {
	case v < min:
		c.fail(field, s, false, "have value greater than or equal to "+strconv.Itoa(min))
	case v > max:
		c.fail(field, s, false, "have value less than or equal to "+strconv.Itoa(max))
	default:
		return true
	}
	return false
}

// Len checks a list parameter's length.
func (c *Constraints) Len(field string, n, max int) bool {
	if n > max {
		c.msgs = append(c.msgs, "Value at '"+field+"' failed to satisfy constraint: Member must have length less than or equal to "+strconv.Itoa(max))
		return false
	}
	return true
}

// Message is the ValidationError's message, or "" when every check passed.
func (c *Constraints) Message() string {
	if len(c.msgs) == 0 {
		return ""
	}
	head := "1 validation error detected: "
	if len(c.msgs) > 1 {
		head = strconv.Itoa(len(c.msgs)) + " validation errors detected: "
	}
	return head + strings.Join(c.msgs, "; ")
}

// Err returns the failures as the error validationError makes of the
// message (the estate's AWS ValidationError), or nil when every check passed.
func (c *Constraints) Err(validationError func(msg string) error) error {
	if msg := c.Message(); msg != "" {
		return validationError(msg)
	}
	return nil
}

// patternText shows a pattern as AWS's messages do, without the anchors
// Go needs.
func patternText(re *Regexp) string {
	s := re.String()
	s = strings.TrimPrefix(s, "^(?:")
	s = strings.TrimSuffix(s, ")$")
	return s
}

// Pattern is an AWS model pattern, anchored as AWS applies it to the
// whole value.
func Pattern(p string) *Regexp { return Lazy("^(?:" + p + ")$") }

// Regexp is a regular expression compiled on first use: the estate and
// STS declare a few dozen patterns, and compiling them all at start-up
// cost the app's first frame a few milliseconds.
type Regexp struct {
	expr string
	re   func() *regexp.Regexp
}

// Lazy is expr, compiled (and checked) on first use.
func Lazy(expr string) *Regexp {
	return &Regexp{expr: expr, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// MatchString reports whether s matches.
func (r *Regexp) MatchString(s string) bool { return r.re().MatchString(s) }

// String is the expression's source text.
func (r *Regexp) String() string { return r.expr }
