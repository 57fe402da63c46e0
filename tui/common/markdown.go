package common

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2"
	gansi "charm.land/glamour/v2/ansi"
	gstyles "charm.land/glamour/v2/styles"
	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
)

// MDKey names one rendering: a piece of Markdown (a note or a question, by
// id), at a width, for a background.
type MDKey struct {
	ID    string
	Width int
	Dark  bool
}

// MDRenderedMsg carries a finished rendering back to the model.
type MDRenderedMsg struct {
	Key   MDKey
	Lines []string
	Err   error
}

// Markdown is the app's cache of rendered Markdown. The map is touched
// only by Update (through Get and Put); the renderers behind it are safe to
// use from commands.
type Markdown struct {
	// mu guards the maps. One program touches them from one goroutine, but
	// tests share a cache between apps.
	mu      sync.Mutex
	pool    *RendererPool
	cache   map[MDKey][]string
	pending map[MDKey]bool
}

// NewMarkdown is an empty cache with its own renderers.
func NewMarkdown() *Markdown { return NewMarkdownWith(NewRendererPool()) }

// NewMarkdownWith is an empty cache over existing renderers: tests start
// each app with a cold cache without building the renderers again.
func NewMarkdownWith(pool *RendererPool) *Markdown {
	return &Markdown{pool: pool, cache: map[MDKey][]string{}, pending: map[MDKey]bool{}}
}

// Pool is the cache's renderers.
func (m *Markdown) Pool() *RendererPool { return m.pool }

// Size is how many renderings are kept and how many are under way.
func (m *Markdown) Size() (cached, pending int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.cache), len(m.pending)
}

// Get returns the cached rendering of src under key, or nil and a command
// that renders it (nil again if that rendering is already under way).
func (m *Markdown) Get(key MDKey, src string) ([]string, tea.Cmd) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if lines, ok := m.cache[key]; ok {
		return lines, nil
	}
	if key.Width <= 0 || m.pending[key] {
		return nil, nil
	}
	m.pending[key] = true
	pool := m.pool
	return nil, func() tea.Msg {
		lines, err := pool.Render(src, key.Width, key.Dark)
		return MDRenderedMsg{Key: key, Lines: lines, Err: err}
	}
}

// Put stores a finished rendering. A failed one is kept as the source text,
// wrapped, so the screen still has something to show.
func (m *Markdown) Put(msg MDRenderedMsg) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.pending, msg.Key)
	if len(m.cache) > 300 {
		// Resizing leaves renderings at widths nobody will see again.
		for k := range m.cache {
			if k.Width != msg.Key.Width {
				delete(m.cache, k)
			}
		}
	}
	m.cache[msg.Key] = msg.Lines
}

// RendererPool keeps one Glamour renderer per (width, background):
// building one parses a whole style, so it is done once.
type RendererPool struct {
	mu sync.Mutex
	m  map[[2]int]*pooledRenderer
}

type pooledRenderer struct {
	mu sync.Mutex
	r  *glamour.TermRenderer
}

func NewRendererPool() *RendererPool {
	return &RendererPool{m: map[[2]int]*pooledRenderer{}}
}

func (p *RendererPool) get(width int, dark bool) (*pooledRenderer, error) {
	k := [2]int{width, 0}
	if dark {
		k[1] = 1
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.m[k]; ok {
		return r, nil
	}
	r, err := glamour.NewTermRenderer(glamour.WithStyles(glamourStyle(dark)), glamour.WithWordWrap(width))
	if err != nil {
		return nil, fmt.Errorf("markdown renderer: %w", err)
	}
	pr := &pooledRenderer{r: r}
	p.m[k] = pr
	return pr, nil
}

// MaxRender is the largest Markdown rendered, in bytes; larger text is
// shown as it is, wrapped. The longest built-in note is under 8 KB, and
// Glamour spends tens of microseconds a byte on text dense with links or
// code blocks: 32 KB render in a fraction of a second, a megabyte took
// over a minute.
const MaxRender = 32 << 10

// Render renders Markdown at a width and returns its lines.
func (p *RendererPool) Render(src string, width int, dark bool) ([]string, error) {
	if len(src) > MaxRender {
		return FallbackLines(src, width), fmt.Errorf("render markdown: the text is %d KB, over the %d KB iamlab renders: it is shown as written", len(src)>>10, MaxRender>>10)
	}
	pr, err := p.get(width, dark)
	if err != nil {
		return FallbackLines(src, width), err
	}
	pr.mu.Lock()
	out, err := pr.r.Render(protectMarkdownHyphens(joinSoftBreaks(stackTables(src, width))))
	pr.mu.Unlock()
	if err != nil {
		return FallbackLines(src, width), fmt.Errorf("render markdown: %w", err)
	}
	return tidyLines(out), nil
}

// FallbackLines shows Markdown source wrapped, before or instead of a
// rendering.
func FallbackLines(src string, width int) []string {
	return strings.Split(strings.TrimRight(Wrap(src, max(width-2, 10)), "\n"), "\n")
}

// trailingPad matches the styled spaces Glamour pads every line with.
var trailingPad = regexp.MustCompile(`(?:\x1b\[[0-9;]*m| )+$`)

// tidyLines splits Glamour's output into lines without the padding to full
// width (which multiplies the bytes per line) and without blank lines at the
// ends.
func tidyLines(out string) []string {
	lines := strings.Split(restoreHyphens(out), "\n")
	for i, l := range lines {
		t := trailingPad.ReplaceAllString(l, "")
		if strings.Contains(t, "\x1b[") {
			t += "\x1b[m"
		}
		lines[i] = t
	}
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

var registerChroma sync.Once

// glamourStyle is Glamour's dark or light style with code highlighted by
// a Chroma style of our own per background (see codecolors.go). Glamour registers its code
// colours under one global name, "charm", the first time it renders, so a
// light rendering after a dark one would keep the dark code colours; two
// names avoid that.
func glamourStyle(dark bool) gansi.StyleConfig {
	registerChroma.Do(func() {
		gansi.RegisterCodeLexer(jsonLexer())
		gansi.RegisterCodeStyle(chromaFrom("iamlab-dark", gstyles.DarkStyleConfig().CodeBlock.Chroma))
		gansi.RegisterCodeStyle(chromaFrom("iamlab-light", gstyles.LightStyleConfig().CodeBlock.Chroma))
	})
	cfg, theme := gstyles.LightStyleConfig(), "iamlab-light"
	if dark {
		cfg, theme = gstyles.DarkStyleConfig(), "iamlab-dark"
	}
	cfg.CodeBlock.Chroma = nil
	cfg.CodeBlock.Theme = theme
	// Headings are told apart by colour and weight; Glamour's "## " would
	// read as Markdown that failed to render.
	for _, h := range []*gansi.StyleBlock{&cfg.H2, &cfg.H3, &cfg.H4, &cfg.H5, &cfg.H6} {
		h.Prefix = ""
	}
	return cfg
}

func chromaFrom(name string, c *gansi.Chroma) *chroma.Style {
	if c == nil {
		return chroma.MustNewStyle(name, chroma.StyleEntries{})
	}
	entries := chroma.StyleEntries{
		chroma.Text: chromaEntry(c.Text), chroma.Error: chromaEntry(c.Error),
		chroma.Comment: chromaEntry(c.Comment), chroma.CommentPreproc: chromaEntry(c.CommentPreproc),
		chroma.Keyword: chromaEntry(c.Keyword), chroma.KeywordReserved: chromaEntry(c.KeywordReserved),
		chroma.KeywordNamespace: chromaEntry(c.KeywordNamespace), chroma.KeywordType: chromaEntry(c.KeywordType),
		chroma.Operator: chromaEntry(c.Operator), chroma.Punctuation: chromaEntry(c.Punctuation),
		chroma.Name: chromaEntry(c.Name), chroma.NameBuiltin: chromaEntry(c.NameBuiltin),
		chroma.NameTag: chromaEntry(c.NameTag), chroma.NameAttribute: chromaEntry(c.NameAttribute),
		chroma.NameClass: chromaEntry(c.NameClass), chroma.NameConstant: chromaEntry(c.NameConstant),
		chroma.NameDecorator: chromaEntry(c.NameDecorator), chroma.NameException: chromaEntry(c.NameException),
		chroma.NameFunction: chromaEntry(c.NameFunction), chroma.NameOther: chromaEntry(c.NameOther),
		chroma.Literal: chromaEntry(c.Literal), chroma.LiteralNumber: chromaEntry(c.LiteralNumber),
		chroma.LiteralDate: chromaEntry(c.LiteralDate), chroma.LiteralString: chromaEntry(c.LiteralString),
		chroma.LiteralStringEscape: chromaEntry(c.LiteralStringEscape), chroma.GenericDeleted: chromaEntry(c.GenericDeleted),
		chroma.GenericEmph: chromaEntry(c.GenericEmph), chroma.GenericInserted: chromaEntry(c.GenericInserted),
		chroma.GenericStrong: chromaEntry(c.GenericStrong), chroma.GenericSubheading: chromaEntry(c.GenericSubheading),
		chroma.Background: chromaEntry(c.Background),
	}
	s, err := chroma.NewStyle(name, entries)
	if err != nil {
		return chroma.MustNewStyle(name, chroma.StyleEntries{})
	}
	return s
}

// chromaEntry writes one Glamour colour rule in Chroma's style syntax.
func chromaEntry(p gansi.StylePrimitive) string {
	var parts []string
	if p.Color != nil {
		parts = append(parts, *p.Color)
	}
	if p.BackgroundColor != nil {
		parts = append(parts, "bg:"+*p.BackgroundColor)
	}
	if p.Italic != nil && *p.Italic {
		parts = append(parts, "italic")
	}
	if p.Bold != nil && *p.Bold {
		parts = append(parts, "bold")
	}
	if p.Underline != nil && *p.Underline {
		parts = append(parts, "underline")
	}
	return strings.Join(parts, " ")
}

// Lookup returns a cached rendering, or nil; it never starts one, so views
// may call it.
func (m *Markdown) Lookup(key MDKey) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cache[key]
}

// blockStart matches a line that starts a Markdown block of its own.
var blockStart = regexp.MustCompile(`^\s*(?:[-*+] |\d+[.)] |#|>|\||` + "```" + `|---|\*\*\*)`)

// joinSoftBreaks joins the lines of each paragraph and list item into one.
// Glamour renders a soft line break inside a list item as a hard one
// (glamour#580, glow#858), which leaves ragged lines when it also wraps;
// joined lines wrap cleanly at any width. Code blocks, tables, headings and
// hard breaks (two trailing spaces or a backslash) are left alone.
func joinSoftBreaks(md string) string {
	// The output grows in b, one line at a time: joining each line onto a
	// copy of the one before took minutes and gigabytes on a long
	// paragraph. A line's trailing spaces wait in trail until it is clear
	// whether the next line joins it (they go) or not (they stay).
	var (
		b        strings.Builder
		trail    string
		last     byte // the last byte written to b
		blocky   bool // the current output line starts a block of its own
		started  bool
		inFence  bool
		joinable = func(l, trimmed string) bool {
			hardBreak := len(trail) >= 2 || (trail == "" && last == '\\')
			return started && !inFence && trimmed != "" && !blockStart.MatchString(l) && !blocky && !hardBreak
		}
	)
	b.Grow(len(md))
	for l := range strings.SplitSeq(md, "\n") {
		trimmed := strings.TrimSpace(l)
		fence := strings.HasPrefix(trimmed, "```")
		if !fence && joinable(l, trimmed) {
			b.WriteByte(' ')
			b.WriteString(trimmed)
			trail, last = "", trimmed[len(trimmed)-1]
			continue
		}
		if fence {
			inFence = !inFence
		}
		if started {
			b.WriteString(trail)
			b.WriteByte('\n')
		}
		kept := strings.TrimRight(l, " ")
		b.WriteString(kept)
		trail, started = l[len(kept):], true
		if kept != "" {
			last = kept[len(kept)-1]
		} else {
			last = 0
		}
		pt := trimmed
		blocky = pt == "" || strings.HasPrefix(pt, "#") || strings.HasPrefix(pt, "|") || strings.HasPrefix(pt, "```") || strings.HasPrefix(pt, "---")
	}
	b.WriteString(trail)
	return b.String()
}

// protectMarkdownHyphens keeps Glamour from breaking a line inside code: in
// code spans every hyphen, elsewhere those of code-like words (see
// protectHyphens). Fenced code blocks are left alone.
func protectMarkdownHyphens(md string) string {
	if !strings.Contains(md, "-") {
		return md
	}
	lines := strings.Split(md, "\n")
	inFence := false
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
			continue
		}
		if inFence || !strings.Contains(l, "-") {
			continue
		}
		parts := strings.Split(l, "`")
		for j := range parts {
			if j%2 == 1 && j < len(parts)-1 {
				parts[j] = strings.ReplaceAll(parts[j], "-", nbHyphen)
			} else {
				parts[j] = protectHyphens(parts[j])
			}
		}
		lines[i] = strings.Join(parts, "`")
	}
	return strings.Join(lines, "\n")
}

// stackTables rewrites each Markdown table that would not fit width with
// every cell on one line as a stacked list: a row's first cell in bold,
// then "header: cell" for the others. Glamour would otherwise squeeze the
// columns, breaking words in the middle and cutting headers.
func stackTables(md string, width int) string {
	if !strings.Contains(md, "|") {
		return md
	}
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	inFence := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			inFence = !inFence
		}
		if inFence || !isTableRow(l) || i+1 >= len(lines) || !isTableRule(lines[i+1]) {
			out = append(out, l)
			continue
		}
		end := i + 2
		for end < len(lines) && isTableRow(lines[end]) {
			end++
		}
		header := tableCells(l)
		var rows [][]string
		for _, r := range lines[i+2 : end] {
			rows = append(rows, tableCells(r))
		}
		if tableFits(header, rows, width) {
			out = append(out, lines[i:end]...)
		} else {
			out = append(out, stackedTable(header, rows)...)
		}
		i = end - 1
	}
	return strings.Join(out, "\n")
}

func isTableRow(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "|") }

func isTableRule(l string) bool {
	t := strings.TrimSpace(l)
	return strings.HasPrefix(t, "|") && strings.Trim(t, "|-: ") == ""
}

// tableCells splits a table row at the pipes that are not escaped.
func tableCells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cur.WriteString(`\|`)
			i++
		case row[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// tableFits says whether Glamour can draw the table with no cell wrapped:
// each column as wide as its widest cell, plus a separator and padding of
// three cells per column and the note's margins.
func tableFits(header []string, rows [][]string, width int) bool {
	cols := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for j, c := range r {
			if j < len(cols) {
				// Glamour pads each code span with a space on either side.
				spans := strings.Count(c, "`") / 2
				cols[j] = max(cols[j], lipgloss.Width(strings.ReplaceAll(c, "`", ""))+2*spans)
			}
		}
	}
	total := 3*len(cols) + 4
	for _, c := range cols {
		total += c
	}
	return total <= width
}

// stackedTable is a table as one block per row.
func stackedTable(header []string, rows [][]string) []string {
	var out []string
	for _, r := range rows {
		if len(r) == 0 {
			continue
		}
		out = append(out, "", "**"+strings.Trim(r[0], "*")+"**", "")
		for j := 1; j < len(r) && j < len(header); j++ {
			if r[j] == "" {
				continue
			}
			out = append(out, "- "+strings.Trim(header[j], "*")+": "+r[j])
		}
	}
	return append(out, "")
}
