package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"iamlab/engine"
	"iamlab/engine/estate"
	"iamlab/internal/learnerfile"
	"iamlab/scenarios/awscli"
)

//go:embed data
var builtin embed.FS

// Problem is one thing wrong with a scenario file: `file:line: what`.
type Problem struct {
	File    string
	Line    int
	Message string
}

func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return p.File + ": " + p.Message
}

// Problems is a list of problems, itself an error.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// Builtin loads the scenarios embedded in the binary.
func Builtin() ([]*Scenario, error) {
	return load(builtin, "data", "")
}

// LoadDir loads the scenario files under dir: every YAML file that holds a
// mapping (a list is a file of questions, which the content package
// loads). Each file that cannot be read (not a regular file, too large,
// unreadable, a dangling link) or parsed is reported by its full path, and
// the others are loaded; the error is then Problems. A dir that cannot be
// read is the only error that returns no scenario.
func LoadDir(dir string) ([]*Scenario, error) {
	files, skipped, err := learnerfile.Read(dir, ".yaml", ".yml")
	if err != nil {
		return nil, err
	}
	var out []*Scenario
	var problems Problems
	for _, sk := range skipped {
		problems = append(problems, Problem{sk.Path, 0, sk.Reason})
	}
	for _, f := range files {
		if isQuestionFile(f.Src) {
			continue
		}
		s, ps := Parse(f.Path, f.Src)
		problems = append(problems, ps...)
		if s != nil {
			out = append(out, s)
		}
	}
	return finish(out, problems)
}

// isQuestionFile tells a file of quiz questions, a YAML list, from a
// scenario; it looks at the first thing in the file that is not a
// comment, a blank line or a document marker.
func isQuestionFile(src []byte) bool {
	for line := range strings.Lines(string(learnerfile.TrimBOM(src))) {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "#") || t == "---" || strings.HasPrefix(t, "%") {
			continue
		}
		return strings.HasPrefix(t, "- ") || t == "-" || strings.HasPrefix(t, "[")
	}
	return false
}

func load(fsys fs.FS, root, prefix string) ([]*Scenario, error) {
	var out []*Scenario
	var problems Problems
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || (path.Ext(name) != ".yaml" && path.Ext(name) != ".yml") {
			return nil
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		display := name
		if prefix != "" {
			display = path.Join(prefix, name)
		}
		s, ps := Parse(display, src)
		problems = append(problems, ps...)
		if s != nil {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return finish(out, problems)
}

// finish reports duplicate ids and sorts the scenarios by id.
func finish(out []*Scenario, problems Problems) ([]*Scenario, error) {
	seen := map[string]string{}
	for _, s := range out {
		if other, dup := seen[s.ID]; dup {
			problems = append(problems, Problem{s.File, s.lines["id"], fmt.Sprintf("scenario id %q is already used by %s", s.ID, other)})
		}
		seen[s.ID] = s.File
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if len(problems) > 0 {
		return out, problems
	}
	return out, nil
}

var scenarioFields = []string{"id", "title", "topics", "difficulty", "story", "lesson", "account", "clock", "estate", "identityProviders", "steps", "challenge"}
var stepFields = []string{"name", "as", "run", "advance", "expect", "note"}
var challengeFields = []string{"goal", "edit", "expect", "hints", "solution"}

// Parse reads one scenario file and checks it: the estate validates, every
// step parses and names a caller that can exist, every challenge
// reference resolves. It returns the scenario when it could be read at all.
func Parse(file string, src []byte) (*Scenario, Problems) {
	doc, err := learnerfile.DecodeYAML(src)
	if err != nil {
		line, msg := splitYAMLError(err)
		return nil, Problems{{file, line, msg}}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{file, 1, "a scenario file is a YAML mapping of id, title, story, estate, steps, ..."}}
	}
	root := doc.Content[0]
	if n := largeMapping(root); n != nil {
		return nil, Problems{{file, n.Line, fmt.Sprintf("a mapping of %d entries: iamlab reads at most %d, "+
			"as many as the IAM users or roles AWS allows in one account (IAM and AWS STS quotas)", len(n.Content)/2, maxEntries)}}
	}
	var ps Problems
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{file, line, fmt.Sprintf(format, args...)})
	}
	lines := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		lines[k.Value] = k.Line
		if !contains(scenarioFields, k.Value) {
			add(k.Line, "unknown field %q: a scenario has %s", k.Value, strings.Join(scenarioFields, ", "))
		}
	}
	if stepsNode := child(root, "steps"); stepsNode != nil {
		for _, st := range stepsNode.Content {
			unknownKeys(st, stepFields, "step", add)
		}
	}
	if ch := child(root, "challenge"); ch != nil {
		unknownKeys(ch, challengeFields, "challenge", add)
	}
	if c := child(root, "clock"); c != nil {
		var t time.Time
		if err := c.Decode(&t); err != nil {
			add(c.Line, "clock %q is not a time: write it as 2026-06-15T12:00:00Z (RFC 3339)", c.Value)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	s := &Scenario{File: file, lines: lines}
	if err := root.Decode(s); err != nil {
		line, msg := splitYAMLError(err)
		return nil, Problems{{file, line, msg}}
	}
	if stepsNode := child(root, "steps"); stepsNode != nil {
		for i := range s.Steps {
			if i < len(stepsNode.Content) {
				s.Steps[i].line = stepsNode.Content[i].Line
			}
		}
	}
	ps = append(ps, s.check(root)...)
	if len(ps) > 0 {
		return s, ps
	}
	return s, nil
}

func (s *Scenario) check(root *yaml.Node) Problems {
	var ps Problems
	add := func(line int, format string, args ...any) {
		ps = append(ps, Problem{s.File, line, fmt.Sprintf(format, args...)})
	}
	if s.ID == "" {
		add(1, "a scenario needs an id")
	}
	if s.Title == "" {
		add(s.lines["title"], "a scenario needs a title")
	}
	if !difficulties[s.Difficulty] {
		add(s.lines["difficulty"], "difficulty must be easy, medium or hard, not %q", s.Difficulty)
	}
	if len(s.Topics) == 0 {
		add(s.lines["topics"], "a scenario lists the topics (note ids) it illustrates")
	}
	if strings.TrimSpace(s.Story) == "" {
		add(s.lines["story"], "a scenario needs a story")
	}
	if s.Estate == nil {
		add(1, "a scenario needs an estate")
		return ps
	}
	if s.Clock.IsZero() {
		s.Clock = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	}
	if s.Estate.Seed == "" {
		s.Estate.Seed = s.ID
	}
	prov, err := newProviders(s)
	if err != nil {
		add(s.lines["identityProviders"], "%v", err)
		return ps
	}
	s.providers = prov
	if err := s.Estate.Validate(); err != nil {
		estateNode := child(root, "estate")
		for _, e := range unjoin(err) {
			var pe *estate.PathError
			line := s.lines["estate"]
			msg := e.Error()
			if errors.As(e, &pe) {
				var at *yaml.Node
				line, at = lineAtPath(estateNode, pe.Path, line)
				msg = "estate." + pe.Path + ": " + pe.Err.Error()
				// A policy's own error points into the block of JSON: count
				// its lines from the line the block starts.
				var ie *engine.InputError
				if errors.As(e, &ie) && ie.Pos.Line > 0 && at != nil && at.Kind == yaml.ScalarNode && at.Style == yaml.LiteralStyle {
					line = at.Line + ie.Pos.Line
				}
			}
			add(line, "%s", msg)
		}
		return ps
	}
	if s.Account == "" {
		ids := make([]string, 0, len(s.Estate.Accounts))
		for id := range s.Estate.Accounts {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		if len(ids) > 0 {
			s.Account = ids[0]
		}
	} else if _, ok := s.Estate.Accounts[s.Account]; !ok {
		add(s.lines["account"], "account %s is not in the estate", s.Account)
	}
	names := map[string]bool{}
	for i := range s.Steps {
		st := &s.Steps[i]
		switch {
		case st.Advance != "" && st.Run != "":
			add(st.line, "a step either runs a command or advances the clock, not both")
		case st.Advance != "":
			d, err := time.ParseDuration(st.Advance)
			if err != nil || d <= 0 {
				add(st.line, "advance %q must be a positive duration such as 1h or 90s", st.Advance)
			}
			st.advance = d
		case st.Run == "":
			add(st.line, "a step needs run (an AWS CLI command) or advance")
		default:
			if _, err := awscli.Parse(stripTemplates(st.Run)); err != nil {
				add(st.line, "run: %v", err)
			}
			if err := checkCaller(s, st.As, names); err != nil {
				add(st.line, "as: %v", err)
			}
			if st.Expect == "" {
				add(st.line, "step %q needs expect: Allow, ExplicitDeny, ImplicitDeny or an AWS error code", st.Name)
			} else if !validOutcome(st.Expect) {
				add(st.line, "expect %q is not an outcome: use Allow, Success, ExplicitDeny, ImplicitDeny or an AWS error code", st.Expect)
			}
		}
		if st.Name != "" {
			if names[st.Name] {
				add(st.line, "step name %q is used twice", st.Name)
			}
			names[st.Name] = true
		}
	}
	if c := s.Challenge; c != nil {
		line := s.lines["challenge"]
		if strings.TrimSpace(c.Goal) == "" {
			add(line, "a challenge needs a goal")
		}
		if len(c.Hints) != 3 {
			add(line, "a challenge has three tiers of hints, not %d", len(c.Hints))
		}
		if len(c.Expect) == 0 {
			add(line, "a challenge needs expect: the step outcomes that solve it")
		}
		for name, want := range c.Expect {
			if !names[name] {
				add(line, "challenge expect names step %q, which does not exist", name)
			}
			if !validOutcome(want) {
				add(line, "challenge expect %q for step %q is not an outcome", want, name)
			}
		}
		if len(c.Edit) == 0 {
			add(line, "a challenge lists the policies the learner edits")
		}
		sb := newSandbox(s)
		for _, addr := range c.Edit {
			if _, err := sb.policyAt(addr); err != nil {
				add(line, "challenge edit: %v", err)
			}
		}
		if len(c.Solution) == 0 {
			add(line, "a challenge needs a reference solution")
		}
		for addr := range c.Solution {
			if !contains(c.Edit, addr) {
				add(line, "the solution changes %s, which is not among the policies the learner may edit", addr)
			}
		}
	}
	return ps
}

// maxEntries is the most entries a mapping of a scenario may have. AWS
// allows 5,000 IAM users in an account, and at most 5,000 roles (IAM and
// AWS STS quotas); the YAML decoder checks a mapping's keys for duplicates
// pair by pair, so a mapping of 100,000 entries would take it many
// seconds.
const maxEntries = 5000

// largeMapping returns the first mapping under n with more than maxEntries
// entries, or nil.
func largeMapping(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.MappingNode && len(n.Content)/2 > maxEntries {
		return n
	}
	for _, c := range n.Content {
		if m := largeMapping(c); m != nil {
			return m
		}
	}
	return nil
}

func validOutcome(o string) bool {
	if o == "" || strings.ContainsAny(o, " \t") {
		return false
	}
	// AWS error codes are words in CamelCase, as are the decisions.
	return o[0] >= 'A' && o[0] <= 'Z'
}

// stripTemplates replaces {{...}} with a placeholder word so a step's
// command can be checked before its values exist.
func stripTemplates(line string) string {
	var b strings.Builder
	for {
		i := strings.Index(line, "{{")
		if i < 0 {
			b.WriteString(line)
			return b.String()
		}
		j := strings.Index(line[i:], "}}")
		if j < 0 {
			b.WriteString(line)
			return b.String()
		}
		b.WriteString(line[:i])
		b.WriteString("TEMPLATE")
		line = line[i+j+2:]
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func unknownKeys(n *yaml.Node, allowed []string, what string, add func(int, string, ...any)) {
	if n.Kind == yaml.AliasNode {
		add(n.Line, "a %s is written out in full: a YAML alias (*%s) cannot stand for one", what, n.Value)
		return
	}
	if n.Kind != yaml.MappingNode {
		add(n.Line, "a %s is a mapping of %s", what, strings.Join(allowed, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !contains(allowed, k.Value) {
			add(k.Line, "unknown field %q in a %s: expected one of %s", k.Value, what, strings.Join(allowed, ", "))
		}
	}
}

// lineAtPath follows an estate path such as accounts["1111"].users["alice"]
// through the YAML nodes and returns the line it ends at.
func lineAtPath(n *yaml.Node, p string, fallback int) (int, *yaml.Node) {
	line := fallback
	for p != "" && n != nil {
		var key string
		switch {
		case strings.HasPrefix(p, "["):
			end := strings.Index(p, "]")
			if end < 0 {
				return line, nil
			}
			inner := p[1:end]
			p = p[end+1:]
			if q, err := strconv.Unquote(inner); err == nil {
				key = q
			} else if i, err := strconv.Atoi(inner); err == nil && n.Kind == yaml.SequenceNode && i < len(n.Content) {
				n = n.Content[i]
				line = n.Line
				continue
			} else {
				return line, nil
			}
		default:
			p = strings.TrimPrefix(p, ".")
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			key, p = p[:end], p[end:]
		}
		found := false
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					line = n.Content[i].Line
					n = n.Content[i+1]
					found = true
					break
				}
			}
		}
		if !found {
			return line, nil
		}
	}
	return line, n
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// splitYAMLError takes the first "line N: message" out of a YAML error.
func splitYAMLError(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	return line, msg
}

// ParseEstate reads an estate file (the `estate` of a scenario, on its
// own) as a scenario with no steps, named after the file.
func ParseEstate(file string, src []byte) (*Scenario, error) {
	name := strings.TrimSuffix(strings.TrimSuffix(file[strings.LastIndexAny(file, `/\`)+1:], ".yaml"), ".yml")
	header := fmt.Sprintf("id: %q\ntitle: %q\ndifficulty: easy\ntopics: [estate]\nstory: An estate served from %q.\nestate:\n", name, name, file)
	offset := strings.Count(header, "\n")
	var b strings.Builder
	b.WriteString(header)
	for _, line := range strings.Split(string(src), "\n") {
		b.WriteString("  " + line + "\n")
	}
	s, ps := Parse(file, []byte(b.String()))
	if len(ps) > 0 {
		for i := range ps {
			if ps[i].Line > offset {
				ps[i].Line -= offset
			}
		}
		return nil, ps
	}
	return s, nil
}
