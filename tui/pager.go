package tui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// pager scrolls already-rendered lines and finds text in them. Scrolling
// only moves an offset: nothing is rendered again.
type pager struct {
	lines  []string
	plain  []string // lines without styling, lower-cased, for search
	offset int
	width  int
	height int

	query   string
	matches []match
	current int
}

// match is one search hit, in cells of one line.
type match struct{ line, start, end int }

func (p *pager) setSize(w, h int) {
	p.width, p.height = max(w, 1), max(h, 1)
	p.offset = clampInt(p.offset, 0, p.maxOffset())
}

// setLines replaces the content, keeping the reading position in
// proportion and the search.
func (p *pager) setLines(lines []string) {
	frac := 0.0
	if len(p.lines) > 0 {
		frac = float64(p.offset) / float64(len(p.lines))
	}
	p.lines = lines
	p.plain = nil
	p.offset = clampInt(int(frac*float64(len(lines))+0.5), 0, p.maxOffset())
	if p.query != "" {
		cur := p.current
		p.find(p.query)
		if cur < len(p.matches) {
			p.current = cur
		}
	}
}

func (p *pager) maxOffset() int { return max(0, len(p.lines)-p.height) }

func (p *pager) scroll(n int) { p.offset = clampInt(p.offset+n, 0, p.maxOffset()) }
func (p *pager) top()         { p.offset = 0 }
func (p *pager) bottom()      { p.offset = p.maxOffset() }
func (p *pager) page(dir int) { p.scroll(dir * max(1, p.height-1)) }
func (p *pager) half(dir int) { p.scroll(dir * max(1, p.height/2)) }

// percent is how far down the reader is.
func (p *pager) percent() int {
	if p.maxOffset() == 0 {
		return 100
	}
	return p.offset * 100 / p.maxOffset()
}

// find looks for q (case-insensitive) and moves to the first hit at or
// below the top of the page. It returns the number of hits.
func (p *pager) find(q string) int {
	p.query = q
	p.matches = nil
	p.current = 0
	if q == "" {
		return 0
	}
	if p.plain == nil {
		p.plain = make([]string, len(p.lines))
		for i, l := range p.lines {
			p.plain[i] = strings.ToLower(ansi.Strip(l))
		}
	}
	lq := strings.ToLower(q)
	for i, l := range p.plain {
		from := 0
		for {
			j := strings.Index(l[from:], lq)
			if j < 0 {
				break
			}
			b := from + j
			start := ansi.StringWidth(l[:b])
			p.matches = append(p.matches, match{i, start, start + ansi.StringWidth(lq)})
			from = b + len(lq)
		}
	}
	if len(p.matches) == 0 {
		return 0
	}
	p.current = 0
	for i, m := range p.matches {
		if m.line >= p.offset {
			p.current = i
			break
		}
	}
	p.show()
	return len(p.matches)
}

func (p *pager) clearSearch() {
	p.query, p.matches, p.current = "", nil, 0
}

// next moves to the next (dir 1) or previous (dir -1) hit, wrapping round.
func (p *pager) next(dir int) {
	if len(p.matches) == 0 {
		return
	}
	p.current = (p.current + dir + len(p.matches)) % len(p.matches)
	p.show()
}

// show scrolls so the current hit is on the page, a little below the top.
func (p *pager) show() {
	line := p.matches[p.current].line
	if line < p.offset || line >= p.offset+p.height {
		p.offset = clampInt(line-p.height/3, 0, p.maxOffset())
	}
}

// view draws the visible lines, cut to the width, with hits highlighted.
func (p *pager) view(st Styles) string {
	vis, off := window(p.lines, p.offset, p.height)
	out := make([]string, len(vis))
	for i, l := range vis {
		var ranges []lipgloss.Range
		for mi, m := range p.matches {
			if m.line == off+i {
				s := st.Match
				if mi == p.current {
					s = st.MatchCurrent
				}
				ranges = append(ranges, lipgloss.NewRange(m.start, m.end, s))
			}
		}
		if len(ranges) > 0 {
			l = lipgloss.StyleRanges(l, ranges...)
		}
		if ansi.StringWidth(l) > p.width {
			l = ansi.Truncate(l, p.width, "…")
		}
		out[i] = l
	}
	return strings.Join(out, "\n")
}
