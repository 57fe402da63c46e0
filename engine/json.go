package engine

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// The policy grammar needs what encoding/json does not give: the line and
// column of every value (so errors can point at what the learner typed),
// duplicate-key detection, and a nesting limit that fails cleanly. This is a
// small strict RFC 8259 parser that builds a tree of positioned nodes.

// maxJSONDepth bounds nesting. AWS policies never nest deeper than a
// condition value list (depth 6); the margin allows eval requests around them.
const maxJSONDepth = 64

type nodeKind uint8

const (
	nodeNull nodeKind = iota
	nodeBool
	nodeNumber
	nodeString
	nodeArray
	nodeObject
)

func (k nodeKind) String() string {
	switch k {
	case nodeNull:
		return "null"
	case nodeBool:
		return "a boolean"
	case nodeNumber:
		return "a number"
	case nodeString:
		return "a string"
	case nodeArray:
		return "a list"
	default:
		return "an object"
	}
}

// Pos is a place in a source text: 1-based line and column (in characters).
type Pos struct {
	Line, Col int
}

// node is one JSON value with where it starts.
type node struct {
	kind nodeKind
	pos  Pos
	// raw marks an object that was only scanned for its end (see
	// jsonParser.rawFrom): str holds its text, members are not parsed.
	raw bool
	// str is a string's value, a number's or boolean's literal text, or
	// the source text of an object or list.
	str     string
	items   []*node  // array elements
	members []member // object members in source order
}

type member struct {
	key    string
	keyPos Pos
	value  *node
}

type jsonParser struct {
	src  string
	i    int
	line int
	// col is the column (in characters) of src[colAt]; pos counts on
	// from there only when a position is asked for, so scanning text
	// costs no per-character bookkeeping.
	col, colAt int
	// rawFrom, when above zero, is the depth from which objects are not
	// parsed but scanned to their end and kept as raw text, for a caller
	// that may already know them. The text of a raw object is not checked;
	// the caller parses it before use.
	rawFrom int
	// valuesLeft, when maxValues is above zero, counts down the values the
	// document may still hold.
	maxValues, valuesLeft int
	// slabs hold the nodes: a policy has hundreds of values, and one
	// allocation per value would dominate parsing. Parsers and their slabs
	// are reused; no node outlives the parse that made it.
	slabs [][]node
	cur   int
	// Members and items are gathered on stacks while an object or list is
	// open, then copied into pooled slabs as one contiguous run.
	mstack []member
	istack []*node
	mslabs [][]member
	mcur   int
	islabs [][]*node
	icur   int
}

// takeMembers copies the members gathered since base into a slab.
func (p *jsonParser) takeMembers(base int) []member {
	src := p.mstack[base:]
	if len(src) == 0 {
		return nil
	}
	for {
		if p.mcur == len(p.mslabs) {
			p.mslabs = append(p.mslabs, make([]member, 0, max(256, len(src))))
		}
		s := &p.mslabs[p.mcur]
		if cap(*s)-len(*s) >= len(src) {
			start := len(*s)
			*s = append(*s, src...)
			p.mstack = p.mstack[:base]
			return (*s)[start:len(*s):len(*s)]
		}
		p.mcur++
	}
}

// takeItems copies the items gathered since base into a slab.
func (p *jsonParser) takeItems(base int) []*node {
	src := p.istack[base:]
	if len(src) == 0 {
		return nil
	}
	for {
		if p.icur == len(p.islabs) {
			p.islabs = append(p.islabs, make([]*node, 0, max(256, len(src))))
		}
		s := &p.islabs[p.icur]
		if cap(*s)-len(*s) >= len(src) {
			start := len(*s)
			*s = append(*s, src...)
			p.istack = p.istack[:base]
			return (*s)[start:len(*s):len(*s)]
		}
		p.icur++
	}
}

const slabSize = 128

var parserPool = sync.Pool{New: func() any { return new(jsonParser) }}

func (p *jsonParser) newNode(kind nodeKind, pos Pos) *node {
	for {
		if p.cur == len(p.slabs) {
			p.slabs = append(p.slabs, make([]node, 0, slabSize))
		}
		s := &p.slabs[p.cur]
		if len(*s) < cap(*s) {
			*s = append(*s, node{kind: kind, pos: pos})
			return &(*s)[len(*s)-1]
		}
		p.cur++
	}
}

// release clears the parser's nodes and returns it to the pool.
func (p *jsonParser) release() {
	if len(p.slabs) > 64 || len(p.mslabs) > 16 || len(p.islabs) > 16 {
		return // a huge document: let the memory go
	}
	for i := 0; i <= p.cur && i < len(p.slabs); i++ {
		clear(p.slabs[i])
		p.slabs[i] = p.slabs[i][:0]
	}
	for i := 0; i <= p.mcur && i < len(p.mslabs); i++ {
		clear(p.mslabs[i])
		p.mslabs[i] = p.mslabs[i][:0]
	}
	for i := 0; i <= p.icur && i < len(p.islabs); i++ {
		clear(p.islabs[i])
		p.islabs[i] = p.islabs[i][:0]
	}
	clear(p.mstack[:cap(p.mstack)])
	clear(p.istack[:cap(p.istack)])
	p.mstack, p.istack = p.mstack[:0], p.istack[:0]
	p.cur, p.mcur, p.icur, p.src, p.rawFrom, p.maxValues = 0, 0, 0, "", 0, 0
	parserPool.Put(p)
}

// parseJSON parses one JSON document. Errors are *InputError with the
// position of the problem; path is left for the caller to fill in.
//
// The nodes belong to the returned parser: call release when done with
// them, and keep no node past that.
func parseJSON(src []byte) (*node, *jsonParser, error) {
	return parseJSONText(string(src), 0, 0)
}

// parseJSONText is parseJSON on a string, with objects from depth rawFrom
// on (when above zero) kept as raw text, and at most maxValues values
// (when above zero).
func parseJSONText(src string, rawFrom, maxValues int) (*node, *jsonParser, error) {
	p := parserPool.Get().(*jsonParser)
	p.src, p.i, p.line, p.col, p.colAt, p.rawFrom = src, 0, 1, 1, 0, rawFrom
	p.maxValues, p.valuesLeft = maxValues, maxValues
	root, err := p.document()
	if err != nil {
		p.release()
		return nil, nil, err
	}
	return root, p, nil
}

func (p *jsonParser) document() (*node, error) {
	if !utf8.ValidString(p.src) {
		// Find the first bad byte for the message.
		for p.i < len(p.src) {
			r, size := utf8.DecodeRuneInString(p.src[p.i:])
			if r == utf8.RuneError && size <= 1 {
				return nil, p.errorf("invalid UTF-8: the text must be UTF-8 encoded")
			}
			p.advance(size)
		}
	}
	p.skipSpace()
	if p.i >= len(p.src) {
		return nil, p.errorf("empty document: expected a JSON object")
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.src) {
		return nil, p.errorf("unexpected %s after the end of the JSON value", p.describeHere())
	}
	return n, nil
}

// pos is the line and column of src[i].
func (p *jsonParser) pos() Pos {
	p.col += utf8.RuneCountInString(p.src[p.colAt:p.i])
	p.colAt = p.i
	return Pos{p.line, p.col}
}

func (p *jsonParser) errorf(format string, args ...any) *InputError {
	return &InputError{Pos: p.pos(), Problem: sprintf(format, args...)}
}

// advance moves n bytes on.
func (p *jsonParser) advance(n int) {
	p.skipTo(p.i + n)
}

func (p *jsonParser) skipSpace() {
	for p.i < len(p.src) {
		switch p.src[p.i] {
		case ' ', '\t', '\r':
			p.i++
		case '\n':
			p.i++
			p.line++
			p.col, p.colAt = 1, p.i
		default:
			return
		}
	}
}

func (p *jsonParser) describeHere() string {
	if p.i >= len(p.src) {
		return "end of text"
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.i:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) value(depth int) (*node, error) {
	if depth >= maxJSONDepth {
		return nil, p.errorf("nesting deeper than %d levels", maxJSONDepth)
	}
	p.skipSpace()
	if p.i >= len(p.src) {
		return nil, p.errorf("unexpected end of text: expected a value")
	}
	if p.maxValues > 0 {
		if p.valuesLeft == 0 {
			return nil, p.errorf("more than %d JSON values (objects, lists, strings, numbers, booleans and nulls): %s", p.maxValues, tooManyValuesWhy)
		}
		p.valuesLeft--
	}
	start := p.pos()
	switch c := p.src[p.i]; {
	case c == '{':
		if p.rawFrom > 0 && depth >= p.rawFrom {
			return p.rawObject()
		}
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.string()
		if err != nil {
			return nil, err
		}
		n := p.newNode(nodeString, start)
		n.str = s
		return n, nil
	case c == 't' && strings.HasPrefix(p.src[p.i:], "true"):
		p.advance(4)
		n := p.newNode(nodeBool, start)
		n.str = "true"
		return n, nil
	case c == 'f' && strings.HasPrefix(p.src[p.i:], "false"):
		p.advance(5)
		n := p.newNode(nodeBool, start)
		n.str = "false"
		return n, nil
	case c == 'n' && strings.HasPrefix(p.src[p.i:], "null"):
		p.advance(4)
		return p.newNode(nodeNull, start), nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == '\'':
		return nil, p.errorf("strings must use double quotes (\"), not single quotes")
	default:
		return nil, p.errorf("unexpected %s: expected a value (object, list, string, number, true, false or null)", p.describeHere())
	}
}

func (p *jsonParser) object(depth int) (n *node, err error) {
	n = p.newNode(nodeObject, p.pos())
	begin := p.i
	defer func() {
		if n != nil {
			n.str = p.src[begin:p.i]
		}
	}()
	p.advance(1) // {
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == '}' {
		p.advance(1)
		return n, nil
	}
	base := len(p.mstack)
	var seen map[string]Pos // keys of a large object, built when it grows
	for {
		p.skipSpace()
		if p.i >= len(p.src) {
			return nil, p.errorf("unexpected end of text: expected a key in double quotes or }")
		}
		if p.src[p.i] != '"' {
			if p.src[p.i] == '}' {
				return nil, p.errorf("trailing comma before }")
			}
			return nil, p.errorf("unexpected %s: expected a key in double quotes", p.describeHere())
		}
		keyPos := p.pos()
		key, err := p.string()
		if err != nil {
			return nil, err
		}
		if first, dup := p.seenKey(base, &seen, key); dup {
			return nil, &InputError{Pos: keyPos, Problem: sprintf("duplicate key %q (first at line %d, column %d)", key, first.Line, first.Col)}
		}
		p.skipSpace()
		if p.i >= len(p.src) || p.src[p.i] != ':' {
			return nil, p.errorf("unexpected %s: expected : after key %q", p.describeHere(), key)
		}
		p.advance(1)
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.mstack = append(p.mstack, member{key: key, keyPos: keyPos, value: v})
		p.skipSpace()
		if p.i >= len(p.src) {
			return nil, p.errorf("unexpected end of text: expected , or }")
		}
		switch p.src[p.i] {
		case ',':
			p.advance(1)
		case '}':
			p.advance(1)
			n.members = p.takeMembers(base)
			return n, nil
		default:
			return nil, p.errorf("unexpected %s: expected , or } after the value of %q", p.describeHere(), key)
		}
	}
}

// rawObject scans the object at p.i to its closing brace, minding only
// strings and nesting, and returns it as a raw node. It fails only when the
// text ends first; anything else wrong inside is for the caller's parse of
// the raw text to find.
func (p *jsonParser) rawObject() (*node, error) {
	n := p.newNode(nodeObject, p.pos())
	n.raw = true
	begin, depth := p.i, 0
	i := p.i
scan:
	for i < len(p.src) {
		switch p.src[i] {
		case '"':
			i++
			for {
				k := strings.IndexByte(p.src[i:], '"')
				if k < 0 {
					break scan
				}
				i += k + 1
				// The quote is escaped when an odd number of backslashes
				// come before it.
				bs := 0
				for j := i - 2; p.src[j] == '\\'; j-- {
					bs++
				}
				if bs%2 == 0 {
					break
				}
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				i++
				n.str = p.src[begin:i]
				p.skipTo(i)
				return n, nil
			}
		}
		i++
	}
	p.skipTo(len(p.src))
	return nil, p.errorf("unexpected end of text inside an object")
}

// skipTo moves to src[end], counting lines and columns in one pass.
func (p *jsonParser) skipTo(end int) {
	end = min(end, len(p.src))
	span := p.src[p.i:end]
	if n := strings.Count(span, "\n"); n > 0 {
		p.line += n
		p.col, p.colAt = 1, p.i+strings.LastIndexByte(span, '\n')+1
	}
	p.i = end
}

// seenKey reports whether the object whose members start at base already
// has key, and where. A small object is searched in place; past 16 members
// the keys go into *seen, so an object of 100,000 keys is checked in linear
// time.
func (p *jsonParser) seenKey(base int, seen *map[string]Pos, key string) (Pos, bool) {
	members := p.mstack[base:]
	if *seen == nil {
		for _, m := range members {
			if m.key == key {
				return m.keyPos, true
			}
		}
		if len(members) < 16 {
			return Pos{}, false
		}
		*seen = make(map[string]Pos, 2*len(members))
		for _, m := range members {
			(*seen)[m.key] = m.keyPos
		}
		return Pos{}, false
	}
	// The member added since the last call joins the map first.
	if n := len(members); n > 0 {
		last := members[n-1]
		(*seen)[last.key] = last.keyPos
	}
	pos, ok := (*seen)[key]
	return pos, ok
}

func (p *jsonParser) array(depth int) (n *node, err error) {
	n = p.newNode(nodeArray, p.pos())
	begin := p.i
	defer func() {
		if n != nil {
			n.str = p.src[begin:p.i]
		}
	}()
	p.advance(1) // [
	p.skipSpace()
	if p.i < len(p.src) && p.src[p.i] == ']' {
		p.advance(1)
		return n, nil
	}
	base := len(p.istack)
	for {
		p.skipSpace()
		if p.i < len(p.src) && p.src[p.i] == ']' {
			return nil, p.errorf("trailing comma before ]")
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.istack = append(p.istack, v)
		p.skipSpace()
		if p.i >= len(p.src) {
			return nil, p.errorf("unexpected end of text: expected , or ]")
		}
		switch p.src[p.i] {
		case ',':
			p.advance(1)
		case ']':
			p.advance(1)
			n.items = p.takeItems(base)
			return n, nil
		default:
			return nil, p.errorf("unexpected %s: expected , or ] in a list", p.describeHere())
		}
	}
}

func (p *jsonParser) string() (string, error) {
	p.advance(1) // opening quote
	var b strings.Builder
	plainStart := p.i
	plain := true
	for {
		if p.i >= len(p.src) {
			return "", p.errorf("unterminated string: expected a closing \"")
		}
		c := p.src[p.i]
		switch {
		case c == '"':
			var s string
			if plain {
				s = p.src[plainStart:p.i]
			} else {
				s = b.String()
			}
			p.advance(1)
			return s, nil
		case c == '\\':
			if plain {
				b.WriteString(p.src[plainStart:p.i])
				plain = false
			}
			if p.i+1 >= len(p.src) {
				return "", p.errorf("unterminated escape sequence")
			}
			esc := p.src[p.i+1]
			switch esc {
			case '"', '\\', '/':
				b.WriteByte(esc)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, width, err := p.unicodeEscape()
				if err != nil {
					return "", err
				}
				b.WriteRune(r)
				p.advance(width)
				continue
			default:
				return "", p.errorf("invalid escape \\%c in a string", esc)
			}
			p.advance(2)
		case c < 0x20:
			return "", p.errorf("control character %U inside a string: write it escaped (\\n, \\t, ...)", rune(c))
		case c < utf8.RuneSelf:
			if !plain {
				b.WriteByte(c)
			}
			p.i++
		default:
			r, size := utf8.DecodeRuneInString(p.src[p.i:])
			if !plain {
				b.WriteRune(r)
			}
			p.i += size
		}
	}
}

// unicodeEscape reads \uXXXX (and a following low surrogate) at p.i and
// returns the rune and how many bytes it spans.
func (p *jsonParser) unicodeEscape() (rune, int, error) {
	hex := func(at int) (rune, bool) {
		if at+6 > len(p.src) || p.src[at] != '\\' || p.src[at+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(p.src[at+2:at+6], 16, 32)
		if err != nil {
			return 0, false
		}
		return rune(v), true
	}
	r, ok := hex(p.i)
	if !ok {
		return 0, 0, p.errorf("invalid \\u escape: expected four hex digits")
	}
	if utf16.IsSurrogate(r) {
		if r2, ok := hex(p.i + 6); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, 12, nil
			}
		}
		return utf8.RuneError, 6, nil
	}
	return r, 6, nil
}

func (p *jsonParser) number() (*node, error) {
	start := p.pos()
	begin := p.i
	j := p.i
	if j < len(p.src) && p.src[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
			j++
		}
		return j - k
	}
	if n := digits(); n == 0 {
		return nil, p.errorf("invalid number: expected a digit")
	} else if n > 1 && p.src[j-n] == '0' {
		return nil, p.errorf("invalid number: leading zeros are not allowed")
	}
	if j < len(p.src) && p.src[j] == '.' {
		j++
		if digits() == 0 {
			p.advance(j - p.i)
			return nil, p.errorf("invalid number: expected a digit after the decimal point")
		}
	}
	if j < len(p.src) && (p.src[j] == 'e' || p.src[j] == 'E') {
		j++
		if j < len(p.src) && (p.src[j] == '+' || p.src[j] == '-') {
			j++
		}
		if digits() == 0 {
			p.advance(j - p.i)
			return nil, p.errorf("invalid number: expected a digit in the exponent")
		}
	}
	p.advance(j - begin)
	n := p.newNode(nodeNumber, start)
	n.str = p.src[begin:j]
	return n, nil
}
