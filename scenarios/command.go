package scenarios

import (
	"fmt"
	"strings"
)

// Command is one AWS CLI command line as the sandbox understands it:
// `aws sts assume-role --role-arn ARN --role-session-name NAME`.
type Command struct {
	Service   string // "sts", "s3api", "ec2", "iam"
	Operation string // "assume-role"
	// Args holds each option's values without the leading dashes; a
	// boolean option has the value "true".
	Args map[string][]string
	// Line is the command as typed.
	Line string
}

// Arg returns the option's first value, or "".
func (c *Command) Arg(name string) string {
	if v := c.Args[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Has reports whether the option was given.
func (c *Command) Has(name string) bool {
	_, ok := c.Args[name]
	return ok
}

// CommandSpec describes one command the sandbox knows: its options, which
// are required, and what it does.
type CommandSpec struct {
	Service, Operation string
	Required           []string
	Optional           []string
	// Flags are options that take no value.
	Flags []string
	Help  string
}

// Name is "SERVICE OPERATION".
func (s *CommandSpec) Name() string { return s.Service + " " + s.Operation }

func (s *CommandSpec) takes(opt string) (known, flag bool) {
	for _, f := range s.Flags {
		if f == opt {
			return true, true
		}
	}
	for _, o := range append(s.Required[:len(s.Required):len(s.Required)], s.Optional...) {
		if o == opt {
			return true, false
		}
	}
	return false, false
}

// Commands lists every command the sandbox runs, in a fixed order.
func Commands() []CommandSpec {
	out := make([]CommandSpec, len(commandSpecs))
	copy(out, commandSpecs)
	return out
}

func findSpec(service, op string) *CommandSpec {
	for i := range commandSpecs {
		if commandSpecs[i].Service == service && commandSpecs[i].Operation == op {
			return &commandSpecs[i]
		}
	}
	return nil
}

// ParseCommand parses an AWS CLI command line. The error says what is
// wrong and, for a command it does not know, the nearest one it does.
func ParseCommand(line string) (*Command, error) {
	words, err := splitWords(line)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command: type an AWS CLI command such as aws sts get-caller-identity")
	}
	if words[0] != "aws" {
		return nil, fmt.Errorf("commands start with aws, as in the AWS CLI: aws %s", strings.Join(words, " "))
	}
	if len(words) < 3 {
		return nil, fmt.Errorf("incomplete command: give a service and an operation, such as aws sts get-caller-identity")
	}
	service, op := words[1], words[2]
	spec := findSpec(service, op)
	if spec == nil {
		return nil, fmt.Errorf("unknown command aws %s %s; did you mean aws %s?", service, op, nearestCommand(service+" "+op))
	}
	c := &Command{Service: service, Operation: op, Args: map[string][]string{}, Line: line}
	rest := words[3:]
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		if !strings.HasPrefix(w, "--") || len(w) == 2 {
			return nil, fmt.Errorf("aws %s: unexpected %q: options start with --", spec.Name(), w)
		}
		name, value, hasValue := strings.Cut(w[2:], "=")
		known, flag := spec.takes(name)
		if !known {
			return nil, fmt.Errorf("aws %s: unknown option --%s; it takes %s", spec.Name(), name, optionList(spec))
		}
		switch {
		case flag:
			value = "true"
		case !hasValue:
			if i+1 >= len(rest) || strings.HasPrefix(rest[i+1], "--") {
				return nil, fmt.Errorf("aws %s: --%s needs a value", spec.Name(), name)
			}
			i++
			value = rest[i]
		}
		c.Args[name] = append(c.Args[name], value)
	}
	for _, req := range spec.Required {
		if !c.Has(req) {
			return nil, fmt.Errorf("aws %s: the following arguments are required: --%s", spec.Name(), req)
		}
	}
	return c, nil
}

func optionList(s *CommandSpec) string {
	var opts []string
	for _, o := range s.Required {
		opts = append(opts, "--"+o)
	}
	for _, o := range s.Optional {
		opts = append(opts, "[--"+o+"]")
	}
	for _, o := range s.Flags {
		opts = append(opts, "[--"+o+"]")
	}
	if len(opts) == 0 {
		return "no options"
	}
	return strings.Join(opts, " ")
}

// splitWords splits a command line as a POSIX shell would for plain words:
// blanks separate words; single quotes keep everything; double quotes keep
// everything but \" and \\; a backslash outside quotes escapes the next
// character. JSON policies can so be passed in single quotes.
func splitWords(line string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote at column %d", i+1)
			}
			cur.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				if line[j] == '\\' && j+1 < len(line) && (line[j+1] == '"' || line[j+1] == '\\') {
					j++
				}
				cur.WriteByte(line[j])
			}
			if j >= len(line) {
				return nil, fmt.Errorf("unterminated double quote at column %d", i+1)
			}
			i = j
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// nearestCommand is the known command closest to what was typed.
func nearestCommand(typed string) string {
	names := make([]string, len(commandSpecs))
	for i := range commandSpecs {
		names[i] = commandSpecs[i].Name()
	}
	best, _ := Nearest(typed, names)
	return best
}

// Nearest returns the candidate closest to word by edit distance, and the
// distance; the first of equals wins.
func Nearest(word string, candidates []string) (string, int) {
	best, bd := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(word, c); d < bd {
			best, bd = c, d
		}
	}
	return best, bd
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Complete returns completions for the last word of a partly typed command
// line: services, operations, options, and the values given by values
// (ARNs of the estate, for instance).
func Complete(line string, values func(option string) []string) []string {
	words, err := splitWords(line)
	if err != nil {
		return nil
	}
	trailing := strings.HasSuffix(line, " ")
	if trailing || len(words) == 0 {
		words = append(words, "")
	}
	last := words[len(words)-1]
	var cands []string
	switch len(words) {
	case 1:
		cands = []string{"aws"}
	case 2:
		seen := map[string]bool{}
		for _, s := range commandSpecs {
			if !seen[s.Service] {
				seen[s.Service] = true
				cands = append(cands, s.Service)
			}
		}
	case 3:
		for _, s := range commandSpecs {
			if s.Service == words[1] {
				cands = append(cands, s.Operation)
			}
		}
	default:
		spec := findSpec(words[1], words[2])
		if spec == nil {
			return nil
		}
		prev := words[len(words)-2]
		if strings.HasPrefix(prev, "--") {
			if known, flag := spec.takes(prev[2:]); known && !flag && values != nil {
				cands = values(prev[2:])
				break
			}
		}
		for _, o := range append(append(append([]string{}, spec.Required...), spec.Optional...), spec.Flags...) {
			cands = append(cands, "--"+o)
		}
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, last) && c != last {
			out = append(out, c)
		}
	}
	return out
}

var commandSpecs = []CommandSpec{
	{Service: "sts", Operation: "get-caller-identity", Help: "who am I: the caller's UserId, Account and Arn"},
	{Service: "sts", Operation: "assume-role", Required: []string{"role-arn", "role-session-name"},
		Optional: []string{"serial-number", "token-code", "external-id", "policy", "policy-arns", "duration-seconds", "source-identity", "tags", "transitive-tag-keys"},
		Help:     "temporary credentials of a role, in this account or another"},
	{Service: "sts", Operation: "assume-role-with-web-identity", Required: []string{"role-arn", "role-session-name", "web-identity-token"},
		Optional: []string{"provider-id", "policy", "policy-arns", "duration-seconds"}, Help: "role credentials for a user signed in with an OIDC identity provider"},
	{Service: "sts", Operation: "assume-role-with-saml", Required: []string{"role-arn", "principal-arn", "saml-assertion"},
		Optional: []string{"policy", "policy-arns", "duration-seconds"}, Help: "role credentials for a user signed in with a SAML identity provider"},
	{Service: "sts", Operation: "get-session-token", Optional: []string{"serial-number", "token-code", "duration-seconds"},
		Help: "temporary credentials for an IAM user or the root user, with MFA"},
	{Service: "sts", Operation: "get-federation-token", Required: []string{"name"}, Optional: []string{"policy", "policy-arns", "duration-seconds", "tags"},
		Help: "temporary credentials for a federated user, limited by the policy passed"},
	{Service: "sts", Operation: "decode-authorization-message", Required: []string{"encoded-message"},
		Help: "decode the encoded authorization failure message of a denied EC2 call"},
	{Service: "s3api", Operation: "get-object", Required: []string{"bucket", "key"}, Help: "read an object (s3:GetObject)"},
	{Service: "s3api", Operation: "put-object", Required: []string{"bucket", "key"}, Optional: []string{"body"}, Help: "write an object (s3:PutObject)"},
	{Service: "s3api", Operation: "list-objects-v2", Required: []string{"bucket"}, Optional: []string{"prefix"}, Help: "list objects (s3:ListBucket)"},
	{Service: "s3api", Operation: "delete-object", Required: []string{"bucket", "key"}, Help: "delete an object (s3:DeleteObject)"},
	{Service: "ec2", Operation: "run-instances", Optional: []string{"image-id", "instance-type", "iam-instance-profile", "count"}, Flags: []string{"dry-run"},
		Help: "launch an instance (ec2:RunInstances, and iam:PassRole for its role)"},
	{Service: "ec2", Operation: "describe-instances", Help: "list instances (ec2:DescribeInstances)"},
	{Service: "ec2", Operation: "disassociate-iam-instance-profile", Required: []string{"instance-id"}, Help: "take the role away from an instance"},
	{Service: "kms", Operation: "decrypt", Required: []string{"key-id"}, Help: "use a KMS key (kms:Decrypt)"},
	{Service: "dynamodb", Operation: "get-item", Required: []string{"table-name"}, Help: "read an item (dynamodb:GetItem)"},
	{Service: "iam", Operation: "list-users", Help: "list users (iam:ListUsers)"},
	{Service: "iam", Operation: "delete-user", Required: []string{"user-name"}, Help: "delete a user (the API refuses while policies, groups or MFA remain)"},
	{Service: "iam", Operation: "detach-user-policy", Required: []string{"user-name", "policy-arn"}, Help: "detach a managed policy from a user; the policy stays in the account"},
	{Service: "iam", Operation: "remove-user-from-group", Required: []string{"group-name", "user-name"}, Help: "take a user out of a group"},
	{Service: "iam", Operation: "delete-user-policy", Required: []string{"user-name", "policy-name"}, Help: "delete a user's inline policy"},
	{Service: "iam", Operation: "put-user-policy", Required: []string{"user-name", "policy-name", "policy-document"}, Help: "write a user's inline policy"},
	{Service: "iam", Operation: "create-policy-version", Required: []string{"policy-arn", "policy-document"}, Flags: []string{"set-as-default"},
		Help: "add a version to a customer managed policy (at most 5)"},
	{Service: "iam", Operation: "set-default-policy-version", Required: []string{"policy-arn", "version-id"}, Help: "roll a managed policy back or forward"},
	{Service: "iam", Operation: "get-policy-version", Required: []string{"policy-arn", "version-id"}, Help: "show one version of a managed policy"},
	{Service: "iam", Operation: "remove-role-from-instance-profile", Required: []string{"instance-profile-name", "role-name"}, Help: "take the role out of an instance profile"},
	{Service: "iam", Operation: "get-user", Optional: []string{"user-name"}, Help: "show a user (iam:GetUser)"},
}
