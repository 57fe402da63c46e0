package content

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// CodeBlock is one fenced code block of a note.
type CodeBlock struct {
	// Item is the note or question the block belongs to.
	Item string
	File string
	Line int // line of the first line of code
	Lang string
	Text string
}

// CodeBlocks returns the note's fenced code blocks.
func (n *Note) CodeBlocks() []CodeBlock {
	return codeBlocks(n.File, n.bodyLine, n.Body)
}

// codeBlocks finds the blocks between fence lines (```lang, then ```),
// in one pass over the lines of text, whose first line is firstLine.
func codeBlocks(file string, firstLine int, text string) []CodeBlock {
	var (
		out    []CodeBlock
		open   bool
		lang   string
		start  int // offset of the block's first line of code
		line   = firstLine - 1
		offset int
	)
	for l := range strings.Lines(text) {
		line++
		lineStart := offset
		offset += len(l)
		tag, ok := fenceLine(l)
		if !ok {
			continue
		}
		if !open {
			open, lang, start = true, tag, offset
			out = append(out, CodeBlock{File: file, Line: line + 1, Lang: lang})
			continue
		}
		open = false
		out[len(out)-1].Text = text[start:lineStart]
	}
	if open {
		out = out[:len(out)-1] // never closed
	}
	return out
}

// fenceLine says whether l is a fence line, ``` and a language name made
// of letters and digits, and returns the name.
func fenceLine(l string) (string, bool) {
	rest, ok := strings.CutPrefix(strings.TrimRight(l, " \t\r\n"), "```")
	if !ok {
		return "", false
	}
	for _, r := range rest {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "", false
		}
	}
	return rest, true
}

// lineCounter gives the line of offsets that only grow, counting each
// stretch of text once: counting from the start for every match made a
// long note take a minute.
type lineCounter struct {
	text string
	off  int
	line int // the line of off
}

func (c *lineCounter) at(off int) int {
	c.line += strings.Count(c.text[c.off:off], "\n")
	c.off = off
	return c.line
}

// PolicyBlocks returns every JSON code block that holds a policy document,
// in notes and in question texts, so a caller can parse them with the engine.
func (l *Library) PolicyBlocks() []CodeBlock {
	var out []CodeBlock
	keep := func(bs []CodeBlock, item string) {
		for _, b := range bs {
			if b.Lang == "json" && strings.Contains(b.Text, `"Statement"`) {
				b.Item = item
				out = append(out, b)
			}
		}
	}
	for _, n := range l.Notes {
		keep(n.CodeBlocks(), "note "+n.ID)
	}
	for _, q := range l.Questions {
		keep(codeBlocks(q.File, q.Line, q.Question), "question "+q.ID+"@"+q.File)
	}
	return out
}

// Failed counts the items (notes and questions) with a problem; a problem
// in no item, such as a file that does not parse, counts as one.
func (ps Problems) Failed() int {
	items := map[string]bool{}
	n := 0
	for _, p := range ps {
		if p.Item == "" {
			n++
		} else if !items[p.Item] {
			items[p.Item] = true
			n++
		}
	}
	return n
}

// Links says which outside ids exist, so Check can resolve links to
// scenarios without this package knowing about them.
type Links struct {
	Scenario func(id string) bool
	// Policy parses a policy document; nil skips policy checks.
	Policy func(text []byte) error
	// Probe runs p in the scenario and reports whether it gave p.Outcome,
	// and what it gave; nil skips the checks of keyed answers.
	Probe func(scenario string, p Probe) (held bool, got string, err error)
}

// Check resolves every link (a question's topic note and scenario, a note's
// links to other notes) and parses every policy in the material. It returns
// the problems found, each located in its file.
func (l *Library) Check(links Links) Problems {
	var ps Problems
	for _, q := range l.Questions {
		if _, ok := l.notes[q.Topic]; !ok {
			ps = append(ps, Problem{q.File, q.Line, "question " + q.ID + "@" + q.File, fmt.Sprintf("question %q: topic %q has no note", q.ID, q.Topic)})
		}
		if q.Scenario != "" && links.Scenario != nil && !links.Scenario(q.Scenario) {
			ps = append(ps, Problem{q.File, q.Line, "question " + q.ID + "@" + q.File, fmt.Sprintf("question %q: scenario %q does not exist", q.ID, q.Scenario)})
			continue
		}
		if q.Scenario != "" && links.Probe != nil {
			ps = append(ps, q.checkAnswers(links.Probe)...)
		}
	}
	for _, n := range l.Notes {
		lines := lineCounter{text: n.Body, line: n.bodyLine}
		broken := 0
		for off, id := range noteLinks(n.Body) {
			if _, ok := l.notes[id]; ok {
				continue
			}
			if broken++; broken <= maxBrokenLinks {
				ps = append(ps, Problem{n.File, lines.at(off), "note " + n.ID, fmt.Sprintf("note %q links to note %q, which does not exist", n.ID, id)})
			}
		}
		if broken > maxBrokenLinks {
			ps = append(ps, Problem{n.File, 0, "note " + n.ID, fmt.Sprintf("note %q has %d more links to notes that do not exist", n.ID, broken-maxBrokenLinks)})
		}
	}
	if links.Policy != nil {
		for _, b := range l.PolicyBlocks() {
			if err := links.Policy([]byte(b.Text)); err != nil {
				ps = append(ps, Problem{b.File, b.Line, b.Item, "policy does not parse: " + err.Error()})
			}
		}
	}
	return ps
}

// maxBrokenLinks is how many broken links of one note are each reported;
// the rest are counted.
const maxBrokenLinks = 20

// noteLinks yields the offset and the id of each Markdown link to another
// note, [text](note:ID), where an id is made of a-z, 0-9 and hyphens.
func noteLinks(text string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		const mark = "](note:"
		for from := 0; ; {
			i := strings.Index(text[from:], mark)
			if i < 0 {
				return
			}
			start := from + i
			idStart := start + len(mark)
			end := idStart
			for end < len(text) && (text[end] >= 'a' && text[end] <= 'z' || text[end] >= '0' && text[end] <= '9' || text[end] == '-') {
				end++
			}
			from = idStart
			if end > idStart && end < len(text) && text[end] == ')' {
				if !yield(start, text[idStart:end]) {
					return
				}
				from = end + 1
			}
		}
	}
}

// checkAnswers runs the checks of a question's options in its scenario: a
// keyed option whose checks do not all hold, or a wrong option whose do,
// is a problem; so is a keyed option with no check, as nothing then shows
// that the scenario agrees with it.
func (q *Question) checkAnswers(probe func(string, Probe) (bool, string, error)) Problems {
	var ps Problems
	item := "question " + q.ID + "@" + q.File
	for i, o := range q.Options {
		if len(o.Check) == 0 {
			if o.Correct {
				ps = append(ps, Problem{q.File, q.Line, item, fmt.Sprintf("question %q: option %d is keyed correct but has no check against scenario %s", q.ID, i+1, q.Scenario)})
			}
			continue
		}
		held, why, line := true, "", q.Line
		for _, p := range o.Check {
			ok, got, err := probe(q.Scenario, p)
			if err != nil {
				ps = append(ps, Problem{q.File, p.Line, item, fmt.Sprintf("question %q: option %d: check cannot run: %v", q.ID, i+1, err)})
				held = false
				why = ""
				break
			}
			if !ok {
				held, line = false, p.Line
				why = fmt.Sprintf("%s gives %s, not %s", probeName(p), got, p.Outcome)
				break
			}
		}
		switch {
		case o.Correct && !held && why != "":
			ps = append(ps, Problem{q.File, line, item, fmt.Sprintf("question %q: option %d is keyed correct, but in scenario %s %s", q.ID, i+1, q.Scenario, why)})
		case !o.Correct && held:
			ps = append(ps, Problem{q.File, o.Check[0].Line, item, fmt.Sprintf("question %q: option %d is keyed wrong, but every check of it holds in scenario %s", q.ID, i+1, q.Scenario)})
		}
	}
	return ps
}

// String says what the probe runs and the outcome it expects, as a
// learner reads it beside the option.
func (p Probe) String() string { return probeName(p) + " gives " + p.Outcome }

func probeName(p Probe) string {
	name := "step " + p.Step
	if p.Run != "" {
		name = fmt.Sprintf("%q as %s", p.Run, p.As)
	}
	if p.Solution {
		name += " with the challenge's solution"
	}
	if len(p.Edit) > 0 {
		name += " with edits to " + strings.Join(slices.Sorted(maps.Keys(p.Edit)), ", ")
	}
	return name
}
