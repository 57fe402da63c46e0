package engine

// Policy is a parsed IAM policy document: an identity-based policy, a
// resource-based policy (bucket policy, role trust policy, key policy), a
// permissions boundary, a session policy, an SCP or an RCP. They share one
// grammar; where a statement may sit is checked by Lint, as IAM Access
// Analyzer does, because the same document can be attached to several places.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
type Policy struct {
	// Version is "2012-10-17", "2008-10-17" or "" when absent. Only
	// 2012-10-17 turns ${...} into policy variables.
	Version    string
	ID         string
	Statements []Statement
	// src is the document's text, for Size.
	src string
	// values counts the JSON values of src, when a RequestDecoder parsed
	// it, so a request served from its cache keeps MaxRequestValues.
	values int
	// statementList records whether Statement was written as a list.
	statementList bool
	idSet         bool
}

// Size counts the document's characters other than whitespace, as IAM
// does for its size quotas.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
func (p *Policy) Size() int {
	return countNonSpace(p.src)
}

// Effect is a statement's Effect element.
type Effect uint8

const (
	EffectAllow Effect = iota + 1
	EffectDeny
)

func (e Effect) String() string {
	switch e {
	case EffectAllow:
		return "Allow"
	case EffectDeny:
		return "Deny"
	}
	return "?"
}

// Statement is one element of a policy's Statement list.
type Statement struct {
	Sid    string
	Effect Effect
	// Principal and NotPrincipal are nil when absent.
	Principal    *Principals
	NotPrincipal *Principals
	// Actions holds the Action or, when NotAction is set, the NotAction list.
	Actions   []Pattern
	NotAction bool
	// Resources holds Resource or NotResource; HasResource is false when the
	// statement has neither (as in a role trust policy).
	Resources   []Pattern
	NotResource bool
	HasResource bool
	Conditions  []Condition
	// Pos is where the statement's object starts; the element positions
	// let lint findings and trace steps point at the exact line.
	Pos          Pos
	SidPos       Pos
	EffectPos    Pos
	PrincipalPos Pos
	ActionPos    Pos
	ResourcePos  Pos
	ConditionPos Pos
	sidSet       bool
	actionList   bool
	resourceList bool
}

// Principals is the value of a Principal or NotPrincipal element.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
type Principals struct {
	// Star is set for "Principal": "*".
	Star bool
	// Entries are the typed entries of the object form, in source order.
	Entries []PrincipalEntry
}

// PrincipalKind is the key under which a principal entry is listed.
type PrincipalKind uint8

const (
	PrincipalAWS PrincipalKind = iota + 1
	PrincipalService
	PrincipalFederated
	PrincipalCanonicalUser
)

var principalKindNames = [...]string{PrincipalAWS: "AWS", PrincipalService: "Service", PrincipalFederated: "Federated", PrincipalCanonicalUser: "CanonicalUser"}

func (k PrincipalKind) String() string {
	if int(k) < len(principalKindNames) && k > 0 {
		return principalKindNames[k]
	}
	return "?"
}

// PrincipalEntry is one principal named in a policy.
type PrincipalEntry struct {
	Kind  PrincipalKind
	Value string
	Pos   Pos
	// list records whether this kind's value was written as a list.
	list bool
	// parsed form of an AWS entry
	aws awsPrincipal
}

// awsPrincipalForm says what an "AWS" principal entry names.
type awsPrincipalForm uint8

const (
	awsAny       awsPrincipalForm = iota + 1 // "*"
	awsAccount                               // 123456789012 or arn:aws:iam::123456789012:root
	awsUser                                  // arn:aws:iam::A:user/path/name
	awsRole                                  // arn:aws:iam::A:role/path/name
	awsSession                               // arn:aws:sts::A:assumed-role/name/session
	awsFederated                             // arn:aws:sts::A:federated-user/name
	awsUniqueID                              // AIDA..., AROA... as shown after an identity is deleted
)

type awsPrincipal struct {
	form    awsPrincipalForm
	account string
	name    string // user or role name (last path element), session's role
	session string // session name for awsSession
}

// Condition is one operator/key pair of a Condition block, with its values.
type Condition struct {
	Operator string // as written, e.g. "ForAnyValue:StringLikeIfExists"
	Key      string // as written
	Values   []Pattern
	Pos      Pos // where the key starts
	op       conditionOp
	key      string // lower case, for lookup
	list     bool
	// index finds the matching values of a long String list without
	// trying each one; nil for short lists and other operators.
	index *valueIndex
}

// Pattern is one string as written in Action, Resource or a condition value,
// with its place and, where the policy language gives it structure,
// its compiled form.
type Pattern struct {
	Text string
	Pos  Pos
	// tokens is the compiled glob; vars marks that it holds policy variables
	// and must be resolved per request.
	tokens []token
	vars   bool
	// arn is set for Resource patterns in ARN form: one token list per
	// colon-separated segment, the last spanning the rest.
	arn [][]token
	// typed is a Numeric, Date, IP or Binary condition value, parsed once.
	typed *conditionValue
}
