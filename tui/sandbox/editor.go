package sandbox

import (
	"strings"
	"unicode"

	"iamlab/tui/common"
)

// editBuffer is the policy editor's text: lines of runes, a cursor, a
// scroll position and undo history. Its methods are plain edits with no
// terminal in sight, so they are tested directly.
type editBuffer struct {
	lines [][]rune
	row   int
	col   int // in runes; may sit one past the line's end
	// want is the column up and down aim for, kept across short lines.
	want int
	// top and left are the first line and column shown.
	top, left int

	undo, redo []editSnap
	// last is the kind of the last edit, to group a run of typing into one
	// undo step.
	last editKind
	// rev counts changes to the text, so views can cache what they derive.
	rev int
	// joined is the text as one string at revision joinedRev.
	joined    string
	joinedRev int
}

type editSnap struct {
	text     string
	row, col int
}

type editKind int

const (
	editNone editKind = iota
	editType
	editSpace
	editDelete
	editOther
)

// maxUndo bounds the undo history; policies are small, so whole texts are
// kept.
const maxUndo = 300

func newEditBuffer(text string) *editBuffer {
	b := &editBuffer{}
	b.setText(text)
	return b
}

func (b *editBuffer) setText(text string) {
	parts := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	b.lines = make([][]rune, len(parts))
	for i, p := range parts {
		b.lines[i] = []rune(strings.ReplaceAll(p, "\t", "  "))
	}
	b.row = common.ClampInt(b.row, 0, len(b.lines)-1)
	b.col = common.ClampInt(b.col, 0, len(b.lines[b.row]))
	b.rev++
}

// text is the buffer as one string. A frame asks for it several times
// per policy (the list's marks, the version it matches), so it is joined
// once per revision.
func (b *editBuffer) text() string {
	if b.joinedRev == b.rev {
		return b.joined
	}
	var sb strings.Builder
	for i, l := range b.lines {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(string(l))
	}
	b.joined, b.joinedRev = sb.String(), b.rev
	return b.joined
}

// replace sets the whole text as one undoable edit (a restored version,
// a file back from $EDITOR), keeping the cursor where it can.
func (b *editBuffer) replace(text string) {
	if text == b.text() {
		return
	}
	b.checkpoint(editOther)
	b.setText(text)
}

// checkpoint records the text before an edit of kind k. A run of typed
// characters is one step; a space, a newline or another kind of edit
// starts the next.
func (b *editBuffer) checkpoint(k editKind) {
	b.redo = nil
	if k == b.last && (k == editType || k == editDelete) {
		return
	}
	b.last = k
	b.undo = append(b.undo, editSnap{b.text(), b.row, b.col})
	if len(b.undo) > maxUndo {
		b.undo = b.undo[len(b.undo)-maxUndo:]
	}
}

func (b *editBuffer) undoEdit() bool { return b.step(&b.undo, &b.redo) }

func (b *editBuffer) redoEdit() bool { return b.step(&b.redo, &b.undo) }

// step restores the newest snapshot of from, keeping the current text on
// to, so that undo and redo each reverse the other.
func (b *editBuffer) step(from, to *[]editSnap) bool {
	if len(*from) == 0 {
		return false
	}
	s := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	*to = append(*to, editSnap{b.text(), b.row, b.col})
	b.restore(s)
	return true
}

func (b *editBuffer) restore(s editSnap) {
	b.row, b.col = s.row, s.col
	b.setText(s.text)
	b.want = b.col
	b.last = editNone
}

// insert types text at the cursor: characters as typed, a newline with
// the line's indentation (one level more after { or [).
func (b *editBuffer) insert(s string) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.newline()
		case r == '\t':
			b.typeRunes([]rune("  "), editSpace)
		case r == '}' || r == ']':
			b.typeClose(r)
		case unicode.IsPrint(r):
			k := editType
			if r == ' ' {
				k = editSpace
			}
			b.typeRunes([]rune{r}, k)
		}
	}
}

// paste inserts text as it is, indentation and all, as one undo step.
func (b *editBuffer) paste(s string) {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\t", "  ")
	if s == "" {
		return
	}
	b.checkpoint(editOther)
	line := b.lines[b.row]
	before, after := string(line[:b.col]), string(line[b.col:])
	parts := strings.Split(s, "\n")
	parts[0] = before + parts[0]
	last := len(parts) - 1
	b.col = len([]rune(parts[last]))
	parts[last] += after
	newLines := make([][]rune, len(parts))
	for i, p := range parts {
		newLines[i] = []rune(p)
	}
	b.lines = append(b.lines[:b.row], append(newLines, b.lines[b.row+1:]...)...)
	b.row += last
	b.want = b.col
	b.last = editNone
	b.rev++
}

func (b *editBuffer) typeRunes(rs []rune, k editKind) {
	b.checkpoint(k)
	b.put(rs)
}

// put inserts runes at the cursor, with no undo step of its own.
func (b *editBuffer) put(rs []rune) {
	line := b.lines[b.row]
	nl := make([]rune, 0, len(line)+len(rs))
	nl = append(nl, line[:b.col]...)
	nl = append(nl, rs...)
	nl = append(nl, line[b.col:]...)
	b.lines[b.row] = nl
	b.col += len(rs)
	b.want = b.col
	b.rev++
}

// typeClose types a closing bracket, first taking back one level of
// indentation when only blanks precede the cursor.
func (b *editBuffer) typeClose(r rune) {
	b.checkpoint(editOther)
	line := b.lines[b.row]
	if b.col >= 2 && strings.TrimSpace(string(line[:b.col])) == "" {
		b.lines[b.row] = append(append([]rune{}, line[:b.col-2]...), line[b.col:]...)
		b.col -= 2
	}
	b.put([]rune{r})
}

func (b *editBuffer) newline() {
	b.checkpoint(editOther)
	line := b.lines[b.row]
	indent := leadingBlanks(line)
	if b.col < indent {
		indent = b.col
	}
	before := strings.TrimRight(string(line[:b.col]), " ")
	if strings.HasSuffix(before, "{") || strings.HasSuffix(before, "[") {
		indent += 2
	}
	rest := line[b.col:]
	// Leading blanks of what moves down would double the indentation.
	for len(rest) > 0 && rest[0] == ' ' {
		rest = rest[1:]
	}
	head := append([]rune{}, line[:b.col]...)
	tail := append([]rune(strings.Repeat(" ", indent)), rest...)
	b.lines[b.row] = head
	b.lines = append(b.lines[:b.row+1], append([][]rune{tail}, b.lines[b.row+1:]...)...)
	b.row++
	b.col = indent
	b.want = b.col
	b.rev++
}

func leadingBlanks(l []rune) int {
	n := 0
	for n < len(l) && l[n] == ' ' {
		n++
	}
	return n
}

// backspace deletes the character before the cursor, joining lines at the
// start of one.
func (b *editBuffer) backspace() {
	switch {
	case b.col > 0:
		b.checkpoint(editDelete)
		line := b.lines[b.row]
		b.lines[b.row] = append(append([]rune{}, line[:b.col-1]...), line[b.col:]...)
		b.col--
	case b.row > 0:
		b.checkpoint(editOther)
		prev := b.lines[b.row-1]
		b.col = len(prev)
		b.lines[b.row-1] = append(append([]rune{}, prev...), b.lines[b.row]...)
		b.lines = append(b.lines[:b.row], b.lines[b.row+1:]...)
		b.row--
	default:
		return
	}
	b.want = b.col
	b.rev++
}

// deleteForward deletes the character under the cursor, joining the next
// line at the end of one.
func (b *editBuffer) deleteForward() {
	line := b.lines[b.row]
	switch {
	case b.col < len(line):
		b.checkpoint(editDelete)
		b.lines[b.row] = append(append([]rune{}, line[:b.col]...), line[b.col+1:]...)
	case b.row < len(b.lines)-1:
		b.checkpoint(editOther)
		b.lines[b.row] = append(append([]rune{}, line...), b.lines[b.row+1]...)
		b.lines = append(b.lines[:b.row+1], b.lines[b.row+2:]...)
	default:
		return
	}
	b.rev++
}

// killLine deletes from the cursor to the end of the line, or the line
// break when the cursor is at the end.
func (b *editBuffer) killLine() {
	line := b.lines[b.row]
	if b.col >= len(line) {
		b.deleteForward()
		return
	}
	b.checkpoint(editOther)
	b.lines[b.row] = append([]rune{}, line[:b.col]...)
	b.rev++
}

// Cursor movement. Moving ends a run of typing for undo.

func (b *editBuffer) moveLeft() {
	b.last = editNone
	switch {
	case b.col > 0:
		b.col--
	case b.row > 0:
		b.row--
		b.col = len(b.lines[b.row])
	}
	b.want = b.col
}

func (b *editBuffer) moveRight() {
	b.last = editNone
	switch {
	case b.col < len(b.lines[b.row]):
		b.col++
	case b.row < len(b.lines)-1:
		b.row++
		b.col = 0
	}
	b.want = b.col
}

func (b *editBuffer) moveVert(n int) {
	b.last = editNone
	b.row = common.ClampInt(b.row+n, 0, len(b.lines)-1)
	b.col = min(b.want, len(b.lines[b.row]))
}

func (b *editBuffer) home() {
	b.last = editNone
	// First to the indentation, then to column 0.
	ind := leadingBlanks(b.lines[b.row])
	if b.col != ind {
		b.col = ind
	} else {
		b.col = 0
	}
	b.want = b.col
}

func (b *editBuffer) end() {
	b.last = editNone
	b.col = len(b.lines[b.row])
	b.want = b.col
}

func (b *editBuffer) docStart() {
	b.last = editNone
	b.row, b.col, b.want = 0, 0, 0
}

func (b *editBuffer) docEnd() {
	b.last = editNone
	b.row = len(b.lines) - 1
	b.col = len(b.lines[b.row])
	b.want = b.col
}

// wordLeft and wordRight jump over a word and the blanks and punctuation
// beside it.
func (b *editBuffer) wordLeft() {
	if b.col == 0 {
		b.moveLeft()
		return
	}
	l := b.lines[b.row]
	c := b.col
	for c > 0 && !isWordRune(l[c-1]) {
		c--
	}
	for c > 0 && isWordRune(l[c-1]) {
		c--
	}
	b.col, b.want, b.last = c, c, editNone
}

func (b *editBuffer) wordRight() {
	l := b.lines[b.row]
	if b.col >= len(l) {
		b.moveRight()
		return
	}
	c := b.col
	for c < len(l) && !isWordRune(l[c]) {
		c++
	}
	for c < len(l) && isWordRune(l[c]) {
		c++
	}
	b.col, b.want, b.last = c, c, editNone
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-'
}

// scrollTo keeps the cursor inside a view of h lines and w columns,
// moving the view as little as possible.
func (b *editBuffer) scrollTo(h, w int) {
	h, w = max(h, 1), max(w, 2)
	if b.row < b.top {
		b.top = b.row
	}
	if b.row >= b.top+h {
		b.top = b.row - h + 1
	}
	b.top = common.ClampInt(b.top, 0, max(0, len(b.lines)-1))
	if b.col < b.left {
		b.left = max(0, b.col-w/4)
	}
	if b.col >= b.left+w {
		b.left = b.col - w + w/4 + 1
	}
	if b.left < 0 {
		b.left = 0
	}
}
