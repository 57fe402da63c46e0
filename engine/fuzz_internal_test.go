package engine

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// naiveGlob is the obvious recursive matcher, the reference for globMatch.
func naiveGlob(p, s []rune, fold bool) bool {
	if len(p) == 0 {
		return len(s) == 0
	}
	switch p[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if naiveGlob(p[1:], s[i:], fold) {
				return true
			}
		}
		return false
	case '?':
		return len(s) > 0 && naiveGlob(p[1:], s[1:], fold)
	}
	if len(s) == 0 {
		return false
	}
	a, b := p[0], s[0]
	if fold && a < utf8.RuneSelf && b < utf8.RuneSelf {
		a, b = []rune(strings.ToLower(string(a)))[0], []rune(strings.ToLower(string(b)))[0]
	}
	return a == b && naiveGlob(p[1:], s[1:], fold)
}

// naiveARN matches part by part, the last pattern part taking the rest.
func naiveARN(pattern, s string) bool {
	if pattern == "*" {
		return true
	}
	pp := strings.SplitN(pattern, ":", 6)
	sp := strings.SplitN(s, ":", 6)
	if len(sp) < 6 {
		return false
	}
	for i, seg := range pp {
		subject := sp[i]
		if i == len(pp)-1 {
			subject = strings.Join(sp[i:], ":")
		}
		if !naiveGlob([]rune(seg), []rune(subject), false) {
			return false
		}
	}
	return true
}

// FuzzMatch checks the wildcard and ARN matchers against naive references.
func FuzzMatch(f *testing.F) {
	seeds := [][2]string{
		{"s3:Get*", "s3:GetObject"}, {"s3:*Object*", "s3:PutObjectAcl"}, {"iam:?etRole", "iam:GetRole"},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y"}, {"arn:aws:iam:::role/RDS-*", "arn:aws:iam::111122223333:role/RDS-x"},
		{"arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/a:b"}, {"a*b*c?", "aXbYcZ"}, {"*", ""}, {"arn:aws:sqs:*", "arn:aws:sqs:us-east-1:111122223333:q"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], false)
		f.Add(s[0], s[1], true)
	}
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if len(pattern) > 64 || len(s) > 64 || !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		toks, _ := compileGlob(pattern, false)
		got := globMatch(toks, s, fold)
		want := naiveGlob([]rune(pattern), []rune(s), fold)
		if got != want {
			t.Fatalf("globMatch(%q, %q, fold=%v) = %v, want %v", pattern, s, fold, got, want)
		}
		if strings.HasPrefix(pattern, "arn:") {
			r := compileResource(pattern, false)
			got := matchARNSegments(r.arn, s)
			if want := naiveARN(pattern, s); got != want {
				t.Fatalf("matchARNSegments(%q, %q) = %v, want %v", pattern, s, got, want)
			}
		}
	})
}

// FuzzCondition evaluates one condition against one request value: no
// panic; when the key is present, the values hold no variables and the
// request value is of the operator's type, each negated operator is the
// complement of its positive form; when the request value is not of that
// type (not an ARN, a number, a date, an IP address), the negated operator
// does not match.
func FuzzCondition(f *testing.F) {
	f.Add("StringEquals", "alice", "alice")
	f.Add("StringLike", "home/*", "home/alice/x")
	f.Add("NumericLessThan", "10", "9.5")
	f.Add("DateGreaterThan", "2020-01-01T00:00:00Z", "1700000000")
	f.Add("IpAddress", "203.0.113.0/24", "203.0.113.9")
	f.Add("IpAddress", "2001:db8::/32", "2001:db8::1")
	f.Add("ArnLike", "arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/x")
	f.Add("BinaryEquals", "QmluYXJ5", "QmluYXJ5")
	f.Add("Bool", "true", "TRUE")
	f.Add("StringEqualsIgnoreCase", "ALICE", "alice")
	f.Add("ArnLike", "arn:aws:iam::*:role/*", "not-an-arn")
	f.Add("NumericEquals", "10", "ten")
	f.Add("DateEquals", "2020-01-01", "yesterday")
	f.Add("IpAddress", "203.0.113.0/24", "localhost")
	complements := map[baseOp]baseOp{
		opStringEquals: opStringNotEquals, opStringEqualsIgnoreCase: opStringNotEqualsIgnoreCase, opStringLike: opStringNotLike,
		opNumericEquals: opNumericNotEquals, opDateEquals: opDateNotEquals, opIPAddress: opNotIPAddress,
		opArnEquals: opArnNotEquals, opArnLike: opArnNotLike,
	}
	f.Fuzz(func(t *testing.T, op, policyValue, requestValue string) {
		cop, problem := parseConditionOp(op)
		if problem != "" {
			return
		}
		eval := func(o conditionOp) bool {
			c := Condition{Operator: op, Key: "test:key", key: "test:key", op: o,
				Values: []Pattern{compileConditionValue(policyValue, o, false)}}
			ev := evaluator{req: &Request{Context: Context{"test:key": {requestValue}}}}
			return ev.evalCondition(&c).ok
		}
		got := eval(cop)
		if neg, ok := complements[cop.base]; ok && cop.set == setNone {
			o := cop
			o.base = neg
			negated := eval(o)
			if !ofOperatorType(neg.family(), requestValue, parseRequestValue(neg.family(), requestValue)) {
				if negated {
					t.Fatalf("the negation of %s matches request %q, which is not of its type (policy %q)", op, requestValue, policyValue)
				}
				return
			}
			if negated == got {
				t.Fatalf("%s and its negation agree (%v) on policy %q, request %q", op, got, policyValue, requestValue)
			}
		}
	})
}
