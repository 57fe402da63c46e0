package engine

import (
	"strings"
	"unicode/utf8"
)

// Patterns in the policy language use * (any run of characters) and ? (any
// one character). With Version 2012-10-17 they may hold policy variables,
// ${key} or ${key, 'default'}, and the escapes ${*}, ${?}, ${$} for literal
// characters.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

type tokenKind uint8

const (
	tokLit tokenKind = iota
	tokStar
	tokOne
	tokVar
)

type token struct {
	kind tokenKind
	lit  string    // literal text, or the variable's key as written
	v    *variable // for tokVar
}

// variable is a policy variable's key and default value.
type variable struct {
	key string // lower case, for lookup
	def string
	// hasDef marks a default, which may be the empty string.
	hasDef bool
}

// compileGlob turns pattern text into tokens. Variables are recognised only
// when vars is true (Version 2012-10-17); otherwise ${...} is literal text,
// as AWS treats it.
func compileGlob(text string, vars bool) ([]token, bool) {
	var a tokenArena
	return a.glob(text, vars)
}

// tokenArena hands out token slices from shared chunks, so that parsing a
// policy with hundreds of patterns makes a handful of allocations.
type tokenArena struct {
	buf []token
}

func (a *tokenArena) reserve(n int) {
	if cap(a.buf)-len(a.buf) < n {
		a.buf = make([]token, 0, max(64, n))
	}
}

// glob compiles text into the arena and returns its tokens.
func (a *tokenArena) glob(text string, vars bool) ([]token, bool) {
	specials := 0
	for i := 0; i < len(text); i++ {
		if c := text[i]; c == '*' || c == '?' || c == '$' {
			specials++
		}
	}
	if specials == 0 {
		if text == "" {
			return nil, false
		}
		a.reserve(1)
		a.buf = append(a.buf, token{kind: tokLit, lit: text})
		return a.buf[len(a.buf)-1 : len(a.buf) : len(a.buf)], false
	}
	a.reserve(2*specials + 1)
	first := len(a.buf)
	hasVars := false
	start := 0 // where the current run of literal text began
	flush := func(end int) {
		if end > start {
			a.buf = append(a.buf, token{kind: tokLit, lit: text[start:end]})
		}
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '*':
			flush(i)
			if n := len(a.buf); n == first || a.buf[n-1].kind != tokStar {
				a.buf = append(a.buf, token{kind: tokStar})
			}
			start = i + 1
		case c == '?':
			flush(i)
			a.buf = append(a.buf, token{kind: tokOne})
			start = i + 1
		case c == '$' && vars && i+1 < len(text) && text[i+1] == '{':
			end := strings.IndexByte(text[i:], '}')
			if end < 0 {
				continue
			}
			body := text[i+2 : i+end]
			switch body {
			case "*", "?", "$":
				flush(i)
				a.buf = append(a.buf, token{kind: tokLit, lit: body})
				start = i + end + 1
			default:
				if v, ok := parseVariable(body); ok {
					flush(i)
					a.buf = append(a.buf, v)
					hasVars = true
					start = i + end + 1
				}
			}
			i += end
		}
	}
	flush(len(text))
	return a.buf[first:len(a.buf):len(a.buf)], hasVars
}

// parseVariable parses the inside of ${...}: a key, optionally followed by
// a comma and a default in single quotes, where two quotes stand for one.
func parseVariable(body string) (token, bool) {
	key, rest, hasComma := strings.Cut(body, ",")
	key = strings.TrimSpace(key)
	if key == "" || strings.ContainsAny(key, " '${") {
		return token{}, false
	}
	t := token{kind: tokVar, lit: key, v: &variable{key: strings.ToLower(key)}}
	if hasComma {
		rest = strings.TrimSpace(rest)
		if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
			return token{}, false
		}
		inner := rest[1 : len(rest)-1]
		if strings.Count(strings.ReplaceAll(inner, "''", ""), "'") > 0 {
			return token{}, false
		}
		t.v.def = strings.ReplaceAll(inner, "''", "'")
		t.v.hasDef = true
	}
	return t, true
}

// globMatch reports whether s matches the tokens. foldCase compares ASCII
// letters case-insensitively. Variables resolve through ev, and must be
// resolvable (see unresolvedVar); ev may be nil when there are none.
func globMatch(toks []token, s string, foldCase bool) bool {
	return globMatchVars(toks, s, foldCase, nil)
}

func globMatchVars(toks []token, s string, foldCase bool, ev *evaluator) bool {
	// Most patterns are one literal, or a literal and a trailing star.
	switch len(toks) {
	case 0:
		return s == ""
	case 1:
		switch toks[0].kind {
		case tokStar:
			return true
		case tokLit:
			return len(s) == len(toks[0].lit) && hasPrefixFold(s, toks[0].lit, foldCase)
		}
	case 2:
		if toks[0].kind == tokLit && toks[1].kind == tokStar {
			return hasPrefixFold(s, toks[0].lit, foldCase)
		}
	}
	// The tokens between two stars form a run of fixed width (literals and
	// ?). The run before the first star is anchored at the start, the run
	// after the last star at the end, and each run between takes its
	// leftmost place: a later place only leaves less room for the runs
	// after it. Literal runs are found with strings.Index, so a pattern of
	// 300,000 characters against an action of 600,000 costs a few linear
	// scans, not their product.
	if foldCase && len(s) > longText {
		// Fold a long text once, so that runs are searched with
		// strings.Index instead of a case-folding loop at every offset.
		s = lowerASCII(s)
	}
	first := -1
	last := -1
	for i, t := range toks {
		if t.kind == tokStar {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		end, ok := matchRun(toks, s, 0, foldCase, ev)
		return ok && end == len(s)
	}
	from, ok := matchRun(toks[:first], s, 0, foldCase, ev)
	if !ok {
		return false
	}
	to, ok := matchRunBack(toks[last+1:], s, from, foldCase, ev)
	if !ok {
		return false
	}
	for i := first + 1; i < last; {
		j := i
		for toks[j].kind != tokStar {
			j++
		}
		if i < j {
			if from, ok = findRun(toks[i:j], s[:to], from, foldCase, ev); !ok {
				return false
			}
		}
		i = j + 1
	}
	return true
}

// literal is a literal token's text, or a variable's value (which the
// caller has checked resolves).
func (t *token) literal(ev *evaluator) string {
	if t.kind == tokVar {
		v, _ := ev.varValue(*t)
		return v
	}
	return t.lit
}

// matchRun matches a run of literals and ? at s[at:] and returns where it
// ends.
func matchRun(run []token, s string, at int, fold bool, ev *evaluator) (int, bool) {
	for i := range run {
		if run[i].kind == tokOne {
			if at >= len(s) {
				return 0, false
			}
			_, size := utf8.DecodeRuneInString(s[at:])
			at += size
			continue
		}
		lit := run[i].literal(ev)
		if !hasPrefixFold(s[at:], lit, fold) {
			return 0, false
		}
		at += len(lit)
	}
	return at, true
}

// matchRunBack matches a run so that it ends where s ends, without reaching
// before lo, and returns where it starts.
func matchRunBack(run []token, s string, lo int, fold bool, ev *evaluator) (int, bool) {
	at := len(s)
	for i := len(run) - 1; i >= 0; i-- {
		if run[i].kind == tokOne {
			if at <= lo {
				return 0, false
			}
			_, size := utf8.DecodeLastRuneInString(s[lo:at])
			at -= size
			continue
		}
		lit := run[i].literal(ev)
		if at-lo < len(lit) || !hasPrefixFold(s[at-len(lit):at], lit, fold) {
			return 0, false
		}
		at -= len(lit)
	}
	return at, true
}

// findRun finds the leftmost place at or after from where run matches
// inside s, and returns where that match ends.
func findRun(run []token, s string, from int, fold bool, ev *evaluator) (int, bool) {
	var lead string
	if run[0].kind != tokOne {
		lead = run[0].literal(ev)
	}
	for from <= len(s) {
		if lead != "" {
			k := indexFold(s[from:], lead, fold)
			if k < 0 {
				return 0, false
			}
			from += k
		}
		if end, ok := matchRun(run, s, from, fold, ev); ok {
			return end, true
		}
		if from == len(s) {
			break
		}
		_, size := utf8.DecodeRuneInString(s[from:])
		from += size
	}
	return 0, false
}

// longText is the length past which a case-insensitive match folds its
// text once rather than comparing byte pairs at every offset.
const longText = 64

// indexFold is strings.Index, comparing ASCII letters without case when
// fold is set. A long s has been folded by globMatchVars already.
func indexFold(s, sub string, fold bool) int {
	if !fold {
		return strings.Index(s, sub)
	}
	if len(s) > longText {
		return strings.Index(s, lowerASCII(sub))
	}
	for i := 0; i+len(sub) <= len(s); i++ {
		if hasPrefixFold(s[i:], sub, true) {
			return i
		}
	}
	return -1
}

func hasPrefixFold(s, prefix string, fold bool) bool {
	if len(s) < len(prefix) {
		return false
	}
	if !fold {
		return s[:len(prefix)] == prefix
	}
	for i := 0; i < len(prefix); i++ {
		a, b := s[i], prefix[i]
		if a == b {
			continue
		}
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// lowerASCII lowers ASCII letters only, as the policy language folds case.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// splitARN splits an ARN into its six parts; the resource part keeps any
// further colons. ok is false when s has fewer than six parts.
func splitARN(s string) (parts [6]string, ok bool) {
	rest := s
	for i := 0; i < 5; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return parts, false
		}
		parts[i] = rest[:j]
		rest = rest[j+1:]
	}
	parts[5] = rest
	return parts, true
}

// compileResource compiles a Resource pattern. ARN patterns are matched part
// by part, so a * in the account part cannot swallow the colon after it.
func compileResource(text string, vars bool) Pattern {
	var a tokenArena
	return a.resource(text, vars)
}

func (a *tokenArena) resource(text string, vars bool) Pattern {
	p := Pattern{Text: text}
	if !strings.HasPrefix(text, "arn:") {
		p.tokens, p.vars = a.glob(text, vars)
		return p
	}
	var segs [6]string
	n := splitPatternARN(text, &segs)
	p.arn = make([][]token, n)
	for i := 0; i < n; i++ {
		toks, v := a.glob(segs[i], vars)
		p.arn[i] = toks
		if v {
			p.vars = true
			// tokens keeps the variables, for the unresolved-variable check.
			p.tokens = append(p.tokens, toks...)
		}
	}
	return p
}

// matchARNSegments matches resource (an ARN) against compiled segments
// without variables.
func matchARNSegments(segs [][]token, resource string) bool {
	parts, ok := splitARN(resource)
	return ok && matchARNParts(segs, &parts, nil)
}

// matchARNParts matches an ARN, already split, part by part; variables
// resolve through ev.
func matchARNParts(segs [][]token, parts *[6]string, ev *evaluator) bool {
	for i, seg := range segs {
		if i == len(segs)-1 && i < 5 {
			// A short pattern: its last part is matched against all that
			// is left of the ARN, colons included.
			return globMatchVars(seg, strings.Join(parts[i:], ":"), false, ev)
		}
		if !globMatchVars(seg, parts[i], false, ev) {
			return false
		}
	}
	return true
}

// splitPatternARN splits an ARN pattern into at most six parts at the colons
// outside policy variables, so ${aws:username} stays whole. It returns how
// many parts it found.
func splitPatternARN(text string, parts *[6]string) int {
	n, start, depth := 0, 0, 0
	for i := 0; i < len(text) && n < 5; i++ {
		switch {
		case text[i] == '$' && i+1 < len(text) && text[i+1] == '{':
			depth++
		case text[i] == '}' && depth > 0:
			depth--
		case text[i] == ':' && depth == 0:
			parts[n] = text[start:i]
			n++
			start = i + 1
		}
	}
	parts[n] = text[start:]
	return n + 1
}
