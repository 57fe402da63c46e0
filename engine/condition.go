package engine

import (
	"bytes"
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"iamlab/internal/textdist"
)

// Condition operators, their IfExists forms and the ForAnyValue: and
// ForAllValues: set operators.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html

type baseOp uint8

const (
	opStringEquals baseOp = iota + 1
	opStringNotEquals
	opStringEqualsIgnoreCase
	opStringNotEqualsIgnoreCase
	opStringLike
	opStringNotLike
	opNumericEquals
	opNumericNotEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateNotEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opNotIPAddress
	opArnEquals
	opArnLike
	opArnNotEquals
	opArnNotLike
	opNull
)

var baseOpNames = map[string]baseOp{
	"stringequals": opStringEquals, "stringnotequals": opStringNotEquals,
	"stringequalsignorecase": opStringEqualsIgnoreCase, "stringnotequalsignorecase": opStringNotEqualsIgnoreCase,
	"stringlike": opStringLike, "stringnotlike": opStringNotLike,
	"numericequals": opNumericEquals, "numericnotequals": opNumericNotEquals,
	"numericlessthan": opNumericLessThan, "numericlessthanequals": opNumericLessThanEquals,
	"numericgreaterthan": opNumericGreaterThan, "numericgreaterthanequals": opNumericGreaterThanEquals,
	"dateequals": opDateEquals, "datenotequals": opDateNotEquals,
	"datelessthan": opDateLessThan, "datelessthanequals": opDateLessThanEquals,
	"dategreaterthan": opDateGreaterThan, "dategreaterthanequals": opDateGreaterThanEquals,
	"bool": opBool, "binaryequals": opBinaryEquals,
	"ipaddress": opIPAddress, "notipaddress": opNotIPAddress,
	"arnequals": opArnEquals, "arnlike": opArnLike, "arnnotequals": opArnNotEquals, "arnnotlike": opArnNotLike,
	"null": opNull,
}

type setOp uint8

const (
	setNone setOp = iota
	setForAnyValue
	setForAllValues
)

type conditionOp struct {
	base     baseOp
	set      setOp
	ifExists bool
}

// negated operators are true when no policy value matches (the values are
// NOR'd), and true when the key is absent.
func (o baseOp) negated() bool {
	switch o {
	case opStringNotEquals, opStringNotEqualsIgnoreCase, opStringNotLike, opNumericNotEquals,
		opDateNotEquals, opNotIPAddress, opArnNotEquals, opArnNotLike:
		return true
	}
	return false
}

// family groups operators that parse and compare values alike.
type opFamily uint8

const (
	famString opFamily = iota + 1
	famNumeric
	famDate
	famBool
	famBinary
	famIP
	famARN
	famNull
)

func (o baseOp) family() opFamily {
	switch {
	case o <= opStringNotLike:
		return famString
	case o <= opNumericGreaterThanEquals:
		return famNumeric
	case o <= opDateGreaterThanEquals:
		return famDate
	case o == opBool:
		return famBool
	case o == opBinaryEquals:
		return famBinary
	case o == opIPAddress || o == opNotIPAddress:
		return famIP
	case o == opNull:
		return famNull
	}
	return famARN
}

func parseConditionOp(s string) (conditionOp, string) {
	var op conditionOp
	name := s
	if prefix, rest, ok := strings.Cut(s, ":"); ok {
		switch strings.ToLower(prefix) {
		case "foranyvalue":
			op.set = setForAnyValue
		case "forallvalues":
			op.set = setForAllValues
		default:
			return op, sprintf("unknown set operator %q: use ForAnyValue: or ForAllValues:", prefix+":")
		}
		name = rest
	}
	lower := strings.ToLower(name)
	if b, ok := baseOpNames[lower]; ok {
		op.base = b
		return op, ""
	}
	if base, ok := strings.CutSuffix(lower, "ifexists"); ok {
		if b, ok := baseOpNames[base]; ok && b != opNull {
			op.base, op.ifExists = b, true
			return op, ""
		}
		if base == "null" {
			return op, "Null cannot take IfExists: Null itself tests whether the key exists"
		}
	}
	return op, sprintf("unknown condition operator %q%s", s, suggestOperator(lower))
}

func suggestOperator(lower string) string {
	best, bestD := "", 4
	for _, canon := range canonicalOpNames {
		if d := textdist.Distance(lower, strings.ToLower(canon)); d < bestD {
			best, bestD = canon, d
		}
	}
	if best != "" {
		return sprintf(": did you mean %q?", best)
	}
	return ": see the IAM condition operator reference"
}

var canonicalOpNames = []string{
	"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
	"NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
	"DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
}

// conditionValue is a policy value parsed once for its operator family.
type conditionValue struct {
	num    float64
	when   time.Time
	prefix netip.Prefix
	bin    []byte
	ok     bool
}

// compileConditionValue prepares one value. String and ARN values may hold
// policy variables; only the Like operators give * and ? their wildcard
// meaning.
func compileConditionValue(text string, op conditionOp, vars bool) Pattern {
	var a tokenArena
	return a.conditionValue(text, op, vars)
}

func (a *tokenArena) conditionValue(text string, op conditionOp, vars bool) Pattern {
	p := Pattern{Text: text}
	switch op.base.family() {
	case famString:
		if op.base == opStringLike || op.base == opStringNotLike {
			p.tokens, p.vars = a.glob(text, vars)
		} else {
			p.tokens, p.vars = a.literal(text, vars)
		}
	case famARN:
		// ArnEquals and ArnLike behave alike: each of the six parts is
		// compared on its own and may hold wildcards.
		p = a.resource(text, vars)
	case famNumeric, famDate, famIP, famBinary:
		v := parseTypedValue(text, op.base.family())
		p.typed = &v
	}
	return p
}

// compileLiteral is compileGlob without wildcards: * and ? stand for
// themselves, but policy variables still resolve.
func (a *tokenArena) literal(text string, vars bool) ([]token, bool) {
	if !vars || !strings.Contains(text, "${") {
		a.reserve(1)
		a.buf = append(a.buf, token{kind: tokLit, lit: text})
		return a.buf[len(a.buf)-1 : len(a.buf) : len(a.buf)], false
	}
	toks, hasVars := a.glob(text, vars)
	out := toks[:0:0]
	var lit strings.Builder
	for _, t := range toks {
		switch t.kind {
		case tokStar:
			lit.WriteByte('*')
		case tokOne:
			lit.WriteByte('?')
		case tokLit:
			lit.WriteString(t.lit)
		case tokVar:
			if lit.Len() > 0 {
				out = append(out, token{kind: tokLit, lit: lit.String()})
				lit.Reset()
			}
			out = append(out, t)
		}
	}
	if lit.Len() > 0 {
		out = append(out, token{kind: tokLit, lit: lit.String()})
	}
	return out, hasVars
}

func parseTypedValue(text string, fam opFamily) conditionValue {
	var v conditionValue
	switch fam {
	case famNumeric:
		f, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
		v.num, v.ok = f, err == nil
	case famDate:
		v.when, v.ok = parseDate(text)
	case famIP:
		v.prefix, v.ok = parseIPOrCIDR(text)
	case famBinary:
		b, err := base64.StdEncoding.DecodeString(text)
		v.bin, v.ok = b, err == nil
	}
	return v
}

// parseDate accepts the forms AWS accepts for Date operators: ISO 8601
// dates and times, and epoch seconds.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func parseIPOrCIDR(s string) (netip.Prefix, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// condOutcome says why a condition held or failed, for the trace.
type condOutcome struct {
	ok         bool
	absent     bool   // the key was not in the request
	unresolved string // a policy variable with no value
	value      string // the request value that decided, when one did
}

// evalCondition evaluates one operator/key pair against the request.
func (ev *evaluator) evalCondition(c *Condition) condOutcome {
	vals, present := ev.lookupInto(c.key, &ev.condScratch)
	if len(vals) == 0 {
		present = false
	}
	if c.op.base == opNull {
		for _, pv := range c.Values {
			// "true" asks that the key be absent, "false" that it be present.
			if strings.EqualFold(pv.Text, "true") == present {
				continue
			}
			return condOutcome{ok: true, absent: !present}
		}
		return condOutcome{absent: !present}
	}
	// A value whose variable has no value matches nothing: StringEquals
	// then fails and StringNotEquals holds, as AWS documents.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-no-value
	unresolved := ""
	for i := range c.Values {
		if c.Values[i].vars {
			if key, ok := ev.unresolvedVar(c.Values[i].tokens); !ok && unresolved == "" {
				unresolved = key
			}
		}
	}
	out := ev.evalPresent(c, vals, present)
	if !out.ok {
		out.unresolved = unresolved
	}
	return out
}

func (ev *evaluator) evalPresent(c *Condition, vals []string, present bool) condOutcome {
	if !present {
		switch {
		case c.op.set == setForAllValues:
			// Vacuously true: no request value fails to match.
			return condOutcome{ok: true, absent: true}
		case c.op.ifExists:
			return condOutcome{ok: true, absent: true}
		case c.op.set == setForAnyValue:
			return condOutcome{absent: true}
		}
		return condOutcome{ok: c.op.base.negated(), absent: true}
	}
	neg := c.op.base.negated()
	fam := c.op.base.family()
	one := func(v string) bool {
		rv := parseRequestValue(fam, v)
		if neg && !ofOperatorType(fam, v, rv) {
			return false
		}
		return ev.anyValueMatches(c, v, rv) != neg
	}
	switch c.op.set {
	case setForAllValues:
		for _, v := range vals {
			if !one(v) {
				return condOutcome{value: v}
			}
		}
		return condOutcome{ok: true, value: vals[0]}
	case setForAnyValue:
		for _, v := range vals {
			if one(v) {
				return condOutcome{ok: true, value: v}
			}
		}
		return condOutcome{value: vals[0]}
	}
	// No set operator. A single-valued key has one value; for a list we
	// take a non-negated operator as true when any value matches and a
	// negated one as true when none does, the plain reading of "values are
	// OR'd" that AWS documents for policy values.
	if neg {
		for _, v := range vals {
			if !one(v) {
				return condOutcome{value: v}
			}
		}
		return condOutcome{ok: true, value: vals[0]}
	}
	for _, v := range vals {
		if one(v) {
			return condOutcome{ok: true, value: v}
		}
	}
	return condOutcome{value: vals[0]}
}

// ofOperatorType reports whether a request value parses as the type its
// operator compares: an ARN for the Arn operators, a number, a date, an IP
// address. A negated operator does not match a value of the wrong type:
// ArnNotLike against "not-an-arn" is false, as is NumericNotEquals against
// "ten", DateNotEquals against "yesterday" and NotIpAddress against
// "localhost", just as their positive forms are false. AWS's condition
// operator reference is silent on it; other simulators checked against AWS
// report it for ArnNotLike and ArnNotEquals, and iamlab applies the same
// rule to every negated operator. A missing key is another matter: there
// the negated operators match.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// rv is v as parseRequestValue gave it.
func ofOperatorType(fam opFamily, v string, rv conditionValue) bool {
	switch fam {
	case famARN:
		parts, ok := splitARN(v)
		return ok && parts[0] == "arn"
	case famNumeric, famDate, famIP:
		return rv.ok
	}
	return true
}

// parseRequestValue parses a request value once for the typed operator
// families (number, date, IP, binary); other families compare the text.
func parseRequestValue(fam opFamily, v string) conditionValue {
	if fam == famNumeric || fam == famDate || fam == famIP || fam == famBinary {
		return parseTypedValue(v, fam)
	}
	return conditionValue{}
}

// anyValueMatches reports whether the request value v (rv as
// parseRequestValue gave it) matches any of the policy values under the
// operator's positive form.
func (ev *evaluator) anyValueMatches(c *Condition, v string, rv conditionValue) bool {
	fam := c.op.base.family()
	if (fam == famNumeric || fam == famDate || fam == famIP) && !rv.ok {
		return false
	}
	if c.index != nil {
		if ok, decided := c.index.matches(ev, c, v); decided {
			return ok
		}
	}
	for i := range c.Values {
		pv := &c.Values[i]
		if pv.vars {
			if _, ok := ev.unresolvedVar(pv.tokens); !ok {
				continue
			}
		}
		switch fam {
		case famString:
			if ev.stringValueMatches(c.op.base, pv, v) {
				return true
			}
		case famARN:
			if ev.matchARNValue(pv, v) {
				return true
			}
		case famBool:
			if strings.EqualFold(strings.TrimSpace(pv.Text), strings.TrimSpace(v)) {
				return true
			}
		case famBinary:
			if pv.typed.ok && rv.ok && bytes.Equal(pv.typed.bin, rv.bin) || pv.Text == v {
				return true
			}
		case famIP:
			if pv.typed.ok && (pv.typed.prefix.Contains(rv.prefix.Addr()) || pv.typed.prefix.Contains(rv.prefix.Addr().Unmap())) {
				return true
			}
		case famNumeric:
			if pv.typed.ok && compareOrdered(c.op.base, cmpFloat(rv.num, pv.typed.num)) {
				return true
			}
		case famDate:
			if pv.typed.ok && compareOrdered(c.op.base, rv.when.Compare(pv.typed.when)) {
				return true
			}
		}
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareOrdered applies a Numeric or Date operator to the result of
// comparing the request value with the policy value.
func compareOrdered(op baseOp, c int) bool {
	switch op {
	case opNumericEquals, opNumericNotEquals, opDateEquals, opDateNotEquals:
		return c == 0
	case opNumericLessThan, opDateLessThan:
		return c < 0
	case opNumericLessThanEquals, opDateLessThanEquals:
		return c <= 0
	case opNumericGreaterThan, opDateGreaterThan:
		return c > 0
	case opNumericGreaterThanEquals, opDateGreaterThanEquals:
		return c >= 0
	}
	return false
}

// stringValueMatches applies one String policy value, whose variables
// resolve, to the request value v under the operator's positive form.
func (ev *evaluator) stringValueMatches(op baseOp, pv *Pattern, v string) bool {
	switch op {
	case opStringEquals, opStringNotEquals:
		return ev.equalTokens(pv, v, false)
	case opStringEqualsIgnoreCase, opStringNotEqualsIgnoreCase:
		return ev.equalTokens(pv, v, true)
	}
	return ev.globTokens(pv.tokens, pv.vars, v, false)
}

// indexMinValues is the list length from which String values are indexed.
// AWS's policy size quotas keep real lists short, but `iamlab eval` takes
// any policy, and ForAnyValue over 100,000 values on each side would
// otherwise compare every pair.
const indexMinValues = 8

// valueIndex finds which String policy values can match a request value.
// Equality values sit in a hash set. A StringLike pattern is keyed on one
// of its literal pieces: the piece it starts with, else the one it ends
// with, else its longest; the request value's substrings of the keyed
// lengths then name the few patterns worth trying. Duplicates are kept
// once. Values with variables, and patterns with no literal piece, are
// tried one by one.
type valueIndex struct {
	exact  map[string]struct{} // equality values, ASCII-lowered under IgnoreCase
	fold   bool
	prefix keyedPatterns
	suffix keyedPatterns
	inner  keyedPatterns
	rest   []int // indexes into Values
	// size is how many distinct values the index holds, to decide when
	// scanning them all is cheaper than probing.
	size int
}

// keyedPatterns maps a literal piece to the patterns keyed on it.
type keyedPatterns struct {
	byKey  map[string][]int
	lens   []int // distinct key lengths
	hasLen map[int]bool
}

func (k *keyedPatterns) add(key string, i int) {
	if k.byKey == nil {
		k.byKey = map[string][]int{}
	}
	if _, ok := k.byKey[key]; !ok {
		if k.hasLen == nil {
			k.hasLen = map[int]bool{}
		}
		if !k.hasLen[len(key)] {
			k.hasLen[len(key)] = true
			k.lens = append(k.lens, len(key))
		}
	}
	k.byKey[key] = append(k.byKey[key], i)
}

func newValueIndex(op baseOp, values []Pattern) *valueIndex {
	if len(values) < indexMinValues || op.family() != famString {
		return nil
	}
	x := &valueIndex{fold: op == opStringEqualsIgnoreCase || op == opStringNotEqualsIgnoreCase}
	like := op == opStringLike || op == opStringNotLike
	seen := make(map[string]struct{}, len(values))
	for i := range values {
		pv := &values[i]
		if _, dup := seen[pv.Text]; dup {
			continue
		}
		seen[pv.Text] = struct{}{}
		x.size++
		switch {
		case pv.vars:
			x.rest = append(x.rest, i)
		case !like:
			if x.fold && !isASCII(pv.Text) {
				// Unicode case folding has no single lower form to key on.
				x.rest = append(x.rest, i)
				continue
			}
			if x.exact == nil {
				x.exact = make(map[string]struct{}, len(values))
			}
			key := pv.Text
			if x.fold {
				key = lowerASCII(key)
			}
			x.exact[key] = struct{}{}
		default:
			x.addPattern(pv.tokens, i)
		}
	}
	return x
}

func (x *valueIndex) addPattern(toks []token, i int) {
	if len(toks) == 0 {
		if x.exact == nil {
			x.exact = map[string]struct{}{}
		}
		x.exact[""] = struct{}{}
		return
	}
	if len(toks) == 1 && toks[0].kind == tokLit {
		if x.exact == nil {
			x.exact = map[string]struct{}{}
		}
		x.exact[toks[0].lit] = struct{}{}
		return
	}
	if toks[0].kind == tokLit {
		x.prefix.add(toks[0].lit, i)
		return
	}
	if t := toks[len(toks)-1]; t.kind == tokLit {
		x.suffix.add(t.lit, i)
		return
	}
	longest := ""
	for _, t := range toks {
		if t.kind == tokLit && len(t.lit) > len(longest) {
			longest = t.lit
		}
	}
	if longest == "" {
		x.rest = append(x.rest, i)
		return
	}
	x.inner.add(longest, i)
}

// matches reports whether v matches a value of c through the index.
// decided is false when probing would cost more than trying every value,
// and the caller then does that.
func (x *valueIndex) matches(ev *evaluator, c *Condition, v string) (ok, decided bool) {
	if x.fold && !isASCII(v) {
		return false, false
	}
	probes := len(x.prefix.lens) + len(x.suffix.lens)
	for _, l := range x.inner.lens {
		probes += max(0, len(v)-l+1)
	}
	if probes > x.size {
		return false, false
	}
	if x.exact != nil {
		key := v
		if x.fold {
			key = lowerASCII(v)
		}
		if _, hit := x.exact[key]; hit {
			return true, true
		}
	}
	try := func(idx []int) bool {
		for _, i := range idx {
			if ev.stringValueMatches(c.op.base, &c.Values[i], v) {
				return true
			}
		}
		return false
	}
	for _, l := range x.prefix.lens {
		if l <= len(v) && try(x.prefix.byKey[v[:l]]) {
			return true, true
		}
	}
	for _, l := range x.suffix.lens {
		if l <= len(v) && try(x.suffix.byKey[v[len(v)-l:]]) {
			return true, true
		}
	}
	for _, l := range x.inner.lens {
		for at := 0; at+l <= len(v); at++ {
			if try(x.inner.byKey[v[at:at+l]]) {
				return true, true
			}
		}
	}
	for _, i := range x.rest {
		pv := &c.Values[i]
		if pv.vars {
			if _, resolved := ev.unresolvedVar(pv.tokens); !resolved {
				continue
			}
		}
		if ev.stringValueMatches(c.op.base, pv, v) {
			return true, true
		}
	}
	return false, true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
