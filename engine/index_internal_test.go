package engine

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestValueIndexAgreesWithScan: for long String value lists, the index
// gives the same answer as trying every value, for every String operator.
func TestValueIndexAgreesWithScan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "A", "-", "*", "?", "ſ", "K", "${aws:username}"}
	word := func(n int) string {
		var b strings.Builder
		for range rng.IntN(n) + 1 {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	ops := []string{"StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike"}
	ctx := Context{}
	ctx.Set("aws:username", "ab")
	ev := &evaluator{req: &Request{Context: ctx}}
	for round := range 400 {
		opName := ops[round%len(ops)]
		op, problem := parseConditionOp(opName)
		if problem != "" {
			t.Fatal(problem)
		}
		values := make([]Pattern, indexMinValues+rng.IntN(20))
		for i := range values {
			values[i] = compileConditionValue(word(6), op, true)
		}
		indexed := Condition{op: op, Values: values, index: newValueIndex(op.base, values)}
		if indexed.index == nil {
			t.Fatalf("%s over %d values has no index", opName, len(values))
		}
		scanned := Condition{op: op, Values: values}
		for range 50 {
			v := strings.ReplaceAll(strings.ReplaceAll(word(8), "${aws:username}", "ab"), "ſ", "s")
			if rng.IntN(3) == 0 {
				v = word(8) // keeps ſ and K: not ASCII
			}
			if got, want := ev.anyValueMatches(&indexed, v, parseRequestValue(indexed.op.base.family(), v)), ev.anyValueMatches(&scanned, v, parseRequestValue(scanned.op.base.family(), v)); got != want {
				texts := make([]string, len(values))
				for i := range values {
					texts[i] = values[i].Text
				}
				t.Fatalf("%s %q against %q: index says %v, scan says %v", opName, texts, v, got, want)
			}
		}
	}
}

// TestGlobMatchLong: past the length where case is folded once, the
// matcher still agrees with the reference.
func TestGlobMatchLong(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("aB", 100)
	tests := []struct {
		pattern, s string
		fold       bool
	}{
		{"s3:*" + long + "c", "S3:" + long + long + "C", true},
		{"s3:*" + long + "c", "S3:" + long + long + "C", false},
		{"s3:*" + long + "*c", "s3:x" + strings.ToLower(long) + "yc", true},
		{"s3:*" + long + "*c", "s3:x" + strings.ToLower(long) + "yc", false},
		{"s3:*a?b*" + long + "*", "s3:" + long + "azb" + long, true},
		{"*?*?*", strings.Repeat("é", 70), false},
		{"*" + long + "*" + long + "*", long + long, false},
		{"*" + long + "*" + long + "*", long + "x" + long, false},
	}
	for _, tc := range tests {
		toks, _ := compileGlob(tc.pattern, false)
		want := naiveGlob([]rune(tc.pattern), []rune(tc.s), tc.fold)
		if got := globMatch(toks, tc.s, tc.fold); got != want {
			t.Errorf("globMatch(%.20q..., %.20q..., fold=%v) = %v, want %v", tc.pattern, tc.s, tc.fold, got, want)
		}
	}
}
