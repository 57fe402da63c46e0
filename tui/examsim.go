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

// topicPools returns the bank's questions for the exam grouped by topic, in
// the order topics first appear in the library. The bank covers only the
// identity-and-access part of each exam, and most of its questions sit in
// one or two of an exam's domains, so an attempt cannot follow the official
// domain weights; it is drawn across the bank's topics instead.
func topicPools(lib *content.Library, exam content.Exam) [][]*content.Question {
	var pools [][]*content.Question
	index := map[string]int{}
	for _, q := range lib.Questions {
		if q.Domains[exam.Code] == "" {
			continue
		}
		i, ok := index[q.Topic]
		if !ok {
			i = len(pools)
			index[q.Topic] = i
			pools = append(pools, nil)
		}
		pools[i] = append(pools[i], q)
	}
	return pools
}

// shareOut splits n across pools in proportion to their sizes, by largest
// remainder; no share exceeds its pool, and the shares sum to n or to
// everything there is.
func shareOut(sizes []int, n int) []int {
	total := 0
	for _, s := range sizes {
		total += s
	}
	shares := make([]int, len(sizes))
	if total <= n {
		copy(shares, sizes)
		return shares
	}
	type rem struct {
		i int
		r float64
	}
	rems := make([]rem, len(sizes))
	sum := 0
	for i, s := range sizes {
		exact := float64(n) * float64(s) / float64(total)
		shares[i] = int(math.Floor(exact))
		sum += shares[i]
		rems[i] = rem{i, exact - math.Floor(exact)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].r > rems[b].r })
	for k := 0; sum < n && k < len(rems); k++ {
		if shares[rems[k].i] < sizes[rems[k].i] {
			shares[rems[k].i]++
			sum++
		}
	}
	return shares
}

// drawExam picks up to n of the bank's questions for an exam: each topic
// gives its share (shareOut), chosen at random within the topic, so every
// topic is asked about and a retake draws different questions. The order
// is shuffled.
func drawExam(lib *content.Library, exam content.Exam, n int, rng *rand.Rand) []*content.Question {
	pools := topicPools(lib, exam)
	sizes := make([]int, len(pools))
	for i, p := range pools {
		sizes[i] = len(p)
	}
	shares := shareOut(sizes, n)
	var out []*content.Question
	for i, p := range pools {
		p = slices.Clone(p)
		rng.Shuffle(len(p), func(a, b int) { p[a], p[b] = p[b], p[a] })
		out = append(out, p[:shares[i]]...)
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
