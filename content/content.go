// Package content holds iamlab's study material: a note per topic in
// Markdown and exam-style questions in YAML, embedded in the binary, plus
// whatever a learner adds in a folder of their own. Load parses and checks
// everything and reports problems as `file:line: what is wrong`.
package content

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"iamlab/internal/learnerfile"
)

//go:embed notes quiz
var builtin embed.FS

// Note is one topic's study note.
type Note struct {
	ID    string
	Title string
	Tags  []string
	Order int
	// Body is the Markdown after the front matter.
	Body string
	// File is where the note came from, for messages.
	File string
	// bodyLine is the line of File on which Body starts; idLine that of
	// the id in the front matter.
	bodyLine, idLine int
}

// Question is one exam-style question.
type Question struct {
	ID       string `yaml:"id"`
	Question string `yaml:"question"`
	// Choose is how many options are correct; the learner must pick
	// exactly those, with no partial credit, as on the real exams.
	Choose  int      `yaml:"choose"`
	Options []Option `yaml:"options"`
	Topic   string   `yaml:"topic"`
	// Domains maps an exam code (DVA-C02, SAA-C03, SCS-C03) to the exam
	// domain the question belongs to.
	Domains    map[string]string `yaml:"domains"`
	Difficulty string            `yaml:"difficulty"`
	// Scenario is the id of a runnable scenario that proves the answer.
	Scenario string `yaml:"scenario,omitempty"`
	Docs     string `yaml:"docs"`
	File     string `yaml:"-"`
	Line     int    `yaml:"-"`
}

// Option is one answer option, with why it is right or wrong.
type Option struct {
	Text    string `yaml:"text"`
	Correct bool   `yaml:"correct"`
	Why     string `yaml:"why"`
	// Check is what the question's scenario shows when this option is
	// true: the option is true exactly when every probe gives its outcome.
	// Check compares that with Correct, so a keyed answer cannot drift
	// from what the engine does.
	Check Probes `yaml:"check,omitempty"`
}

// Probe asks the question's scenario for one outcome: a named step's, or
// that of a command (As, Run) run after the steps; Edit (policy address
// to text) and Solution (the challenge's reference solution) change
// policies before the steps run.
type Probe struct {
	Step     string            `yaml:"step"`
	As       string            `yaml:"as"`
	Run      string            `yaml:"run"`
	Edit     map[string]string `yaml:"edit"`
	Solution bool              `yaml:"solution"`
	// Outcome is what the probe gives when the option is true: Allow,
	// Success, ExplicitDeny, ImplicitDeny or an AWS error code.
	Outcome string `yaml:"outcome"`
	Line    int    `yaml:"-"`
}

// Probes are an option's probes, written as one mapping or a list.
type Probes []Probe

// UnmarshalYAML takes one probe or a list, each remembering its line.
func (ps *Probes) UnmarshalYAML(n *yaml.Node) error {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	for _, item := range items {
		if item.Kind != yaml.MappingNode {
			return fmt.Errorf("line %d: a check is a mapping of step (or as and run), outcome, and optionally edit and solution", item.Line)
		}
		for i := 0; i+1 < len(item.Content); i += 2 {
			if k := item.Content[i]; !slices.Contains(probeFields, k.Value) {
				return fmt.Errorf("line %d: unknown field %q in a check: expected one of %s", k.Line, k.Value, strings.Join(probeFields, ", "))
			}
		}
		var p Probe
		if err := item.Decode(&p); err != nil {
			return err
		}
		p.Line = item.Line
		*ps = append(*ps, p)
	}
	return nil
}

// Correct returns the indexes of the correct options.
func (q *Question) Correct() []int {
	var out []int
	for i, o := range q.Options {
		if o.Correct {
			out = append(out, i)
		}
	}
	return out
}

// Problem is one thing wrong with the material, located in its file.
type Problem struct {
	File string
	Line int
	// Item is the id of the note or question at fault, when there is one.
	Item    string
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

// Library is every note and question, looked up by id.
type Library struct {
	Notes     []*Note
	Questions []*Question
	notes     map[string]*Note
	questions map[string]*Question
}

// Builtin loads the material embedded in the binary.
func Builtin() (*Library, error) {
	return load(builtin, ".", "")
}

// LoadDir loads a learner's own material: Markdown notes and YAML question
// files anywhere under dir. A YAML file that holds a mapping rather than a
// list is a scenario, left to the scenarios package. Each file that cannot
// be read (not a regular file, too large, unreadable, a dangling link) or
// parsed is reported by its full path, and everything else is loaded: the
// error is then Problems and the Library is not nil. A dir that cannot be
// read gives a nil Library.
func LoadDir(dir string) (*Library, error) {
	files, skipped, err := learnerfile.Read(dir, ".md", ".yaml", ".yml")
	if err != nil {
		return nil, err
	}
	lib := newLibrary()
	var problems Problems
	for _, sk := range skipped {
		problems = append(problems, Problem{File: sk.Path, Message: sk.Reason})
	}
	for _, f := range files {
		problems = append(problems, lib.add(f.Path, f.Rel, f.Src)...)
	}
	problems = append(problems, lib.index()...)
	if len(problems) > 0 {
		return lib, problems
	}
	return lib, nil
}

func newLibrary() *Library {
	return &Library{notes: map[string]*Note{}, questions: map[string]*Question{}}
}

// load reads every .md and .yaml file under root in fsys; prefix is put in
// front of file names in messages.
func load(fsys fs.FS, root, prefix string) (*Library, error) {
	lib := newLibrary()
	var problems Problems
	err := fs.WalkDir(fsys, root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		switch path.Ext(name) {
		case ".md", ".yaml", ".yml":
		default:
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
		problems = append(problems, lib.add(display, name, src)...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	problems = append(problems, lib.index()...)
	if len(problems) > 0 {
		return lib, problems
	}
	return lib, nil
}

// add parses one file, named display in messages, into l.
func (l *Library) add(display, name string, src []byte) Problems {
	switch path.Ext(name) {
	case ".md":
		if path.Base(name) == "README.md" {
			return nil
		}
		n, ps := parseNote(display, src)
		if n != nil {
			l.Notes = append(l.Notes, n)
		}
		return ps
	case ".yaml", ".yml":
		qs, ps := parseQuestions(display, src)
		l.Questions = append(l.Questions, qs...)
		return ps
	}
	return nil
}

// index builds the id maps and reports duplicate ids.
func (l *Library) index() Problems {
	var ps Problems
	sort.SliceStable(l.Notes, func(i, j int) bool {
		a, b := l.Notes[i], l.Notes[j]
		return a.Order < b.Order || a.Order == b.Order && a.ID < b.ID
	})
	l.notes = make(map[string]*Note, len(l.Notes))
	for _, n := range l.Notes {
		if other, dup := l.notes[n.ID]; dup {
			ps = append(ps, Problem{n.File, 2, "note " + n.ID, fmt.Sprintf("note id %q is already used by %s", n.ID, other.File)})
			continue
		}
		l.notes[n.ID] = n
	}
	l.questions = make(map[string]*Question, len(l.Questions))
	for _, q := range l.Questions {
		if other, dup := l.questions[q.ID]; dup {
			ps = append(ps, Problem{q.File, q.Line, "question " + q.ID + "@" + q.File, fmt.Sprintf("question id %q is already used at %s:%d", q.ID, other.File, other.Line)})
			continue
		}
		l.questions[q.ID] = q
	}
	return ps
}

// Merge adds other's material (the learner's) to l (the built-in one). An
// item of other whose id l already has is left out, and reported at its
// own file and line: the built-in item stays.
func (l *Library) Merge(other *Library) error {
	var ps Problems
	for _, n := range other.Notes {
		if mine, dup := l.notes[n.ID]; dup {
			ps = append(ps, Problem{n.File, n.idLine, "note " + n.ID,
				fmt.Sprintf("note id %q is already used by the built-in note %s: choose another id", n.ID, mine.File)})
			continue
		}
		l.Notes = append(l.Notes, n)
	}
	for _, q := range other.Questions {
		if mine, dup := l.questions[q.ID]; dup {
			ps = append(ps, Problem{q.File, q.Line, "question " + q.ID + "@" + q.File,
				fmt.Sprintf("question id %q is already used by the built-in question at %s:%d: choose another id", q.ID, mine.File, mine.Line)})
			continue
		}
		l.Questions = append(l.Questions, q)
	}
	ps = append(ps, l.index()...)
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// Note returns the note with the given id.
func (l *Library) Note(id string) (*Note, bool) {
	n, ok := l.notes[id]
	return n, ok
}

// Question returns the question with the given id.
func (l *Library) Question(id string) (*Question, bool) {
	q, ok := l.questions[id]
	return q, ok
}

// QuestionsFor returns the questions of a topic, in file order.
func (l *Library) QuestionsFor(topic string) []*Question {
	var out []*Question
	for _, q := range l.Questions {
		if q.Topic == topic {
			out = append(out, q)
		}
	}
	return out
}

// frontMatter is a note's YAML header.
type frontMatter struct {
	ID    string   `yaml:"id"`
	Title string   `yaml:"title"`
	Tags  []string `yaml:"tags"`
	Order int      `yaml:"order"`
}

func parseNote(file string, src []byte) (*Note, Problems) {
	text := strings.ReplaceAll(string(learnerfile.TrimBOM(src)), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		return nil, Problems{{file, 1, "", "a note starts with front matter: a line ---, then id, title, tags and order, then ---"}}
	}
	end := strings.Index(text[4:], "\n---\n")
	if end < 0 {
		return nil, Problems{{file, 1, "", "the front matter is not closed by a line ---"}}
	}
	header := text[4 : 4+end]
	var fm frontMatter
	dec := yaml.NewDecoder(strings.NewReader(header))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		line, msg := splitYAMLError(err)
		return nil, Problems{{file, 1 + max(line, 1), "", "front matter: " + msg}}
	}
	var ps Problems
	if fm.ID == "" {
		ps = append(ps, Problem{file, 2, "", "front matter needs an id"})
	}
	if fm.Title == "" {
		ps = append(ps, Problem{file, 2, "note " + fm.ID, "front matter needs a title"})
	}
	bodyStart := 4 + end + len("\n---\n")
	n := &Note{ID: fm.ID, Title: fm.Title, Tags: fm.Tags, Order: fm.Order, Body: text[bodyStart:], File: file,
		bodyLine: strings.Count(text[:bodyStart], "\n") + 1, idLine: 2}
	var fmNode yaml.Node
	if yaml.Unmarshal([]byte(header), &fmNode) == nil && len(fmNode.Content) > 0 {
		n.idLine = 1 + lineOf(fmNode.Content[0], "id")
	}
	return n, ps
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
	msg = strings.Replace(msg, " in type content.frontMatter", "", 1)
	return line, msg
}

var difficulties = map[string]bool{"easy": true, "medium": true, "hard": true}

func parseQuestions(file string, src []byte) ([]*Question, Problems) {
	doc, err := learnerfile.DecodeYAML(src)
	if err != nil {
		line, msg := splitYAMLError(err)
		return nil, Problems{{file, line, "", msg}}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	list := doc.Content[0]
	if isScenario(list) {
		return nil, nil // the scenarios package loads it
	}
	if list.Kind != yaml.SequenceNode {
		return nil, Problems{{file, list.Line, "", "a question file is a YAML list of questions"}}
	}
	var out []*Question
	var ps Problems
	for _, item := range list.Content {
		q := &Question{File: file, Line: item.Line}
		if bad := unknownFields(file, item, questionFields, optionFields); len(bad) > 0 {
			ps = append(ps, bad...)
			continue
		}
		if err := item.Decode(q); err != nil {
			line, msg := splitYAMLError(err)
			ps = append(ps, Problem{file, max(line, item.Line), "", msg})
			continue
		}
		ps = append(ps, q.validate(item)...)
		out = append(out, q)
	}
	return out, ps
}

var (
	questionFields = []string{"id", "question", "choose", "options", "topic", "domains", "difficulty", "scenario", "docs"}
	optionFields   = []string{"text", "correct", "why", "check"}
	probeFields    = []string{"step", "as", "run", "edit", "solution", "outcome"}
)

// unknownFields reports keys a question or its options should not have,
// each at its own line.
func unknownFields(file string, item *yaml.Node, fields, optFields []string) Problems {
	if item.Kind != yaml.MappingNode {
		return Problems{{file, item.Line, "", "each question is a mapping of id, question, choose, options, ..."}}
	}
	var ps Problems
	check := func(n *yaml.Node, allowed []string, what string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if !slices.Contains(allowed, k.Value) {
				ps = append(ps, Problem{file, k.Line, "", fmt.Sprintf("unknown field %q in a %s: expected one of %s", k.Value, what, strings.Join(allowed, ", "))})
			}
		}
	}
	check(item, fields, "question")
	for i := 0; i+1 < len(item.Content); i += 2 {
		if item.Content[i].Value == "options" && item.Content[i+1].Kind == yaml.SequenceNode {
			for _, opt := range item.Content[i+1].Content {
				if opt.Kind == yaml.MappingNode {
					check(opt, optFields, "question's option")
				}
			}
		}
	}
	return ps
}

// isScenario tells a scenario file, a mapping with an estate, steps or a
// story, from a question file, which is a list.
func isScenario(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && (child(n, "estate") != nil || child(n, "steps") != nil || child(n, "story") != nil)
}

// child returns the value of key in a mapping node, or nil.
func child(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// lineOf finds the line of a field in a question's node.
func lineOf(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

// validate checks a question on its own; links are checked by Check.
func (q *Question) validate(n *yaml.Node) Problems {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{q.File, lineOf(n, key), "question " + q.ID + "@" + q.File, fmt.Sprintf("question %q: ", q.ID) + fmt.Sprintf(format, args...)})
	}
	if q.ID == "" {
		add("id", "needs an id")
	}
	if strings.TrimSpace(q.Question) == "" {
		add("question", "needs the question text")
	}
	correct := len(q.Correct())
	if q.Choose < 1 || q.Choose > 3 {
		add("choose", "choose must be 1, 2 or 3, not %d", q.Choose)
	} else if correct != q.Choose {
		add("options", "choose is %d but %d options are marked correct", q.Choose, correct)
	}
	if want := map[int][2]int{1: {4, 4}, 2: {5, 5}, 3: {5, 6}}[q.Choose]; want[0] > 0 && (len(q.Options) < want[0] || len(q.Options) > want[1]) {
		add("options", "a choose-%d question has %d to %d options, not %d", q.Choose, want[0], want[1], len(q.Options))
	}
	for i, o := range q.Options {
		if strings.TrimSpace(o.Text) == "" || strings.TrimSpace(o.Why) == "" {
			add("options", "option %d needs both text and why", i+1)
		}
		if len(o.Check) > 0 && q.Scenario == "" {
			add("options", "option %d has a check but the question links no scenario", i+1)
		}
		for _, p := range o.Check {
			if (p.Step == "") == (p.Run == "") || (p.Run != "" && p.As == "") || p.Outcome == "" {
				ps = append(ps, Problem{q.File, p.Line, "question " + q.ID + "@" + q.File, fmt.Sprintf("question %q: option %d: a check needs step (or as and run) and outcome", q.ID, i+1)})
			}
		}
	}
	if q.Choose > 1 && !strings.Contains(q.Question, map[int]string{2: "(Choose two.)", 3: "(Choose three.)"}[q.Choose]) {
		add("question", "a choose-%d question says so in its text: %q", q.Choose, map[int]string{2: "(Choose two.)", 3: "(Choose three.)"}[q.Choose])
	}
	if !difficulties[q.Difficulty] {
		add("difficulty", "difficulty must be easy, medium or hard, not %q", q.Difficulty)
	}
	if len(q.Domains) == 0 {
		add("domains", "needs at least one exam domain")
	}
	for exam, domain := range q.Domains {
		e, ok := ExamByCode(exam)
		if !ok {
			add("domains", "unknown exam %q: use %s", exam, strings.Join(examCodes(), ", "))
			continue
		}
		if !e.hasDomain(domain) {
			add("domains", "%s has no domain %q: use one of %s", exam, domain, strings.Join(e.domainNames(), "; "))
		}
	}
	if q.Docs != "" && !strings.HasPrefix(q.Docs, "https://docs.aws.amazon.com/") {
		add("docs", "docs must link to a page of docs.aws.amazon.com")
	}
	return ps
}
