package awscli

import (
	"fmt"
	"slices"
	"strings"

	"iamlab/engine/estate"
	"iamlab/internal/textdist"
)

// Command is one AWS CLI command line as the sandbox understands it:
// `aws sts assume-role --role-arn ARN --role-session-name NAME`.
type Command struct {
	Service   string // "sts", "s3api", "ec2", "iam", "s3"
	Operation string // "assume-role"
	// Args holds each option's values without the leading dashes; a
	// boolean option has the value "true". Positional arguments are there
	// too, under their names (outfile).
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

// Spec is one command the sandbox knows: its options, which are
// required, what it does, and the function that runs it. The table of
// them is in commands.go; a new command is one entry there.
type Spec struct {
	Service, Operation string
	Required           []string
	Optional           []string
	// Flags are options that take no value.
	Flags []string
	// Positional names the arguments given without an option, in order,
	// as the CLI's help writes them (<outfile>); Optional are not needed.
	Positional []Positional
	Help       string
	// Run runs the parsed command as caller; nil for a command the sandbox
	// knows only to refuse (Refuse says why).
	Run func(e *Env, r *Result, caller estate.Caller, c *Command)
	// Refuse is the message for a command of the real CLI the sandbox does
	// not run, naming what to use instead.
	Refuse string
}

// Positional is an argument given without an option.
type Positional struct {
	Name     string
	Optional bool
}

// globalFlags are options of the AWS CLI that every command takes.
// --no-sign-request sends the call without credentials, as anonymous.
var globalFlags = []string{"no-sign-request"}

// listOptions take one or more values, as the CLI's help writes them
// ("--tag-keys (list)"): every word up to the next option is one value.
// These names are lists in every command that has them.
var listOptions = []string{"tags", "tag-keys", "transitive-tag-keys", "policy-arns", "resources", "instance-ids", "grant-tokens",
	"action-names", "resource-arns", "policy-input-list", "context-entries"}

// globalOptions are the sandbox's options that take a value on every
// command. --via vpce-ID sends the call through that VPC endpoint of the
// estate, standing for the network path the real CLI does not name;
// --called-via SVC[,SVC] makes the call a forward access session that
// those services (cloudformation.amazonaws.com, ...) made for the caller.
// --endpoint-url is the real CLI's: http://... sends the call without TLS
// (aws:SecureTransport false), https://... with it.
var globalOptions = []string{"via", "called-via", "endpoint-url"}

// Name is "SERVICE OPERATION".
func (s *Spec) Name() string { return s.Service + " " + s.Operation }

func (s *Spec) takes(opt string) (known, flag bool) {
	if slices.Contains(globalFlags, opt) {
		return true, true
	}
	if slices.Contains(globalOptions, opt) {
		return true, false
	}
	if slices.Contains(s.Flags, opt) {
		return true, true
	}
	return slices.Contains(s.Required, opt) || slices.Contains(s.Optional, opt), false
}

// Specs lists every command the sandbox runs, in a fixed order; commands
// it only refuses are left out.
func Specs() []Spec {
	var out []Spec
	for _, s := range commandSpecs {
		if s.Run != nil {
			out = append(out, s)
		}
	}
	return out
}

// Lookup finds a command by service and operation, nil when the sandbox
// does not know it.
func Lookup(service, op string) *Spec {
	for i := range commandSpecs {
		if commandSpecs[i].Service == service && commandSpecs[i].Operation == op {
			return &commandSpecs[i]
		}
	}
	return nil
}

// Parse parses an AWS CLI command line. The error says what is wrong and,
// for a command it does not know, the nearest one it does; for a command of
// the real CLI the sandbox does not run, what to use instead.
func Parse(line string) (*Command, error) {
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
	spec := Lookup(service, op)
	if spec == nil {
		if service == "s3" {
			return nil, fmt.Errorf("aws s3 %s is not a command of the AWS CLI; aws s3 has %s", op, strings.Join(s3Commands(), ", "))
		}
		return nil, fmt.Errorf("unknown command aws %s %s; did you mean aws %s?", service, op, nearestCommand(service+" "+op))
	}
	if spec.Run == nil {
		return nil, fmt.Errorf("aws %s: %s", spec.Name(), spec.Refuse)
	}
	c := &Command{Service: service, Operation: op, Args: map[string][]string{}, Line: line}
	rest := words[3:]
	npos := 0
	for i := 0; i < len(rest); i++ {
		w := rest[i]
		if !strings.HasPrefix(w, "--") || len(w) == 2 {
			if npos >= len(spec.Positional) {
				return nil, fmt.Errorf("aws %s: unexpected %q: options start with --", spec.Name(), w)
			}
			c.Args[spec.Positional[npos].Name] = []string{w}
			npos++
			continue
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
			for slices.Contains(listOptions, name) && i+1 < len(rest) && !strings.HasPrefix(rest[i+1], "--") {
				i++
				c.Args[name] = append(c.Args[name], value)
				value = rest[i]
			}
		}
		c.Args[name] = append(c.Args[name], value)
	}
	for _, req := range spec.Required {
		if !c.Has(req) {
			return nil, fmt.Errorf("aws %s: the following arguments are required: --%s", spec.Name(), req)
		}
	}
	for _, p := range spec.Positional {
		if !p.Optional && !c.Has(p.Name) {
			return nil, fmt.Errorf("aws %s: the following arguments are required: %s (%s)", spec.Name(), p.Name, usage(spec))
		}
	}
	return c, nil
}

// usage is the command as the CLI's help writes it.
func usage(s *Spec) string {
	parts := []string{"aws", s.Service, s.Operation}
	for _, o := range s.Required {
		parts = append(parts, "--"+o, strings.ToUpper(strings.ReplaceAll(o, "-", "_")))
	}
	for _, p := range s.Positional {
		if p.Optional {
			parts = append(parts, "[<"+p.Name+">]")
		} else {
			parts = append(parts, "<"+p.Name+">")
		}
	}
	return strings.Join(parts, " ")
}

func optionList(s *Spec) string {
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
	var names []string
	for _, s := range Specs() {
		names = append(names, s.Name())
	}
	best, _ := Nearest(typed, names)
	return best
}

// Nearest returns the candidate closest to word by edit distance, and the
// distance; the first of equals wins.
func Nearest(word string, candidates []string) (string, int) {
	best, bd := "", 1<<30
	for _, c := range candidates {
		if d := textdist.Distance(word, c); d < bd {
			best, bd = c, d
		}
	}
	return best, bd
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
		for _, s := range Specs() {
			if !seen[s.Service] {
				seen[s.Service] = true
				cands = append(cands, s.Service)
			}
		}
	case 3:
		for _, s := range Specs() {
			if s.Service == words[1] {
				cands = append(cands, s.Operation)
			}
		}
	default:
		spec := Lookup(words[1], words[2])
		if spec == nil || spec.Run == nil {
			return nil
		}
		prev := words[len(words)-2]
		if strings.HasPrefix(prev, "--") {
			if known, flag := spec.takes(prev[2:]); known && !flag && values != nil {
				cands = values(prev[2:])
				break
			}
		}
		for _, o := range slices.Concat(spec.Required, spec.Optional, spec.Flags, globalFlags, globalOptions) {
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
