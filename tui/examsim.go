package tui

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"iamlab/content"
)

// The exam simulation's rules, as pure functions: which questions an
// attempt draws, how long it lasts and how it is scored.

// examLengths are the attempt sizes offered; the last is the real exam's.
var examLengths = []int{10, 20, 65}

// examItem is one question of an attempt.
type examItem struct {
	ans     answer
	flagged bool
	// spent is the time the question was on screen, summed over visits.
	spent time.Duration
}

// domainPools returns, per domain of the exam, the bank's questions for it.
func domainPools(lib *content.Library, exam content.Exam) [][]*content.Question {
	pools := make([][]*content.Question, len(exam.Domains))
	for _, q := range lib.Questions {
		for i, d := range exam.Domains {
			if q.Domains[exam.Code] == d.Name {
				pools[i] = append(pools[i], q)
			}
		}
	}
	return pools
}

// domainQuotas splits n questions across domains in proportion to their
// percentages, by largest remainder. Where the bank has too few questions
// for a domain, that domain takes all it has and the rest are split again,
// in proportion, among the others. No quota exceeds what its pool holds.
func domainQuotas(exam content.Exam, sizes []int, n int) []int {
	total := 0
	for _, s := range sizes {
		total += s
	}
	n = min(n, total)
	quotas := make([]int, len(sizes))
	fixed := make([]bool, len(sizes))
	for {
		left, weight := n, 0
		var open []int
		for i := range sizes {
			if fixed[i] {
				left -= quotas[i]
			} else {
				open = append(open, i)
				weight += exam.Domains[i].Percent
			}
		}
		if len(open) == 0 || weight == 0 {
			return quotas
		}
		type rem struct {
			i int
			r float64
		}
		rems := make([]rem, 0, len(open))
		sum := 0
		for _, i := range open {
			exact := float64(left) * float64(exam.Domains[i].Percent) / float64(weight)
			quotas[i] = int(math.Floor(exact))
			sum += quotas[i]
			rems = append(rems, rem{i, exact - math.Floor(exact)})
		}
		sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
		for k := 0; sum < left && k < len(rems); k++ {
			quotas[rems[k].i]++
			sum++
		}
		over := false
		for _, i := range open {
			if quotas[i] >= sizes[i] {
				quotas[i], fixed[i] = sizes[i], true
				over = true
			}
		}
		if !over {
			return quotas
		}
	}
}

// drawExam picks up to n questions for an exam in proportion to its
// domains, from what the bank has, in a shuffled order. A question that
// belongs to several domains of the exam (it cannot, today: a question has
// one domain per exam) would be drawn once.
func drawExam(lib *content.Library, exam content.Exam, n int, rng *rand.Rand) []*content.Question {
	pools := domainPools(lib, exam)
	sizes := make([]int, len(pools))
	for i, p := range pools {
		sizes[i] = len(p)
	}
	quotas := domainQuotas(exam, sizes, n)
	var out []*content.Question
	for i, p := range pools {
		p = slices.Clone(p)
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
		for _, q := range p[:quotas[i]] {
			if !slices.Contains(out, q) {
				out = append(out, q)
			}
		}
	}
	rng.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// examDuration scales the real exam's time to an attempt's length: 65
// questions in 130 minutes is two minutes a question.
func examDuration(exam content.Exam, n int) time.Duration {
	if exam.Count == 0 || n == 0 {
		return 0
	}
	return (time.Duration(exam.Minutes) * time.Minute * time.Duration(n) / time.Duration(exam.Count)).Round(time.Minute)
}

// examResult is a scored attempt.
type examResult struct {
	right, total int
	score        int // scaled, 100 to 1000
	passed       bool
	domains      []domainResult
}

type domainResult struct {
	name         string
	right, total int
}

// scoreExam scores an attempt. AWS reports a scaled score from 100 to 1000
// and does not publish its equating; the simulation maps the share of right
// answers linearly onto that range, so 720 needs about 69% right. An
// unanswered question counts as wrong, and a multiple-response question
// is right only with exactly the right options.
func scoreExam(exam content.Exam, items []examItem) examResult {
	r := examResult{total: len(items)}
	for _, d := range exam.Domains {
		r.domains = append(r.domains, domainResult{name: d.Name})
	}
	for _, it := range items {
		ok := it.ans.correct()
		if ok {
			r.right++
		}
		for i := range r.domains {
			if it.ans.q.Domains[exam.Code] == r.domains[i].name {
				r.domains[i].total++
				if ok {
					r.domains[i].right++
				}
			}
		}
	}
	r.score = 100
	if r.total > 0 {
		r.score = 100 + int(math.Round(900*float64(r.right)/float64(r.total)))
	}
	r.passed = r.score >= exam.PassMark
	return r
}
