package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"iamlab/tui/srs"
)

// fill writes n answers over qs questions and 120 days in one transaction,
// far faster than n RecordAnswer calls with an fsync each.
func fill(b *testing.B, s *Store, n, qs int) {
	b.Helper()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	start := testNow.Add(-120 * 24 * time.Hour)
	for i := range n {
		q := i % qs
		a := Answer{
			QuestionID: fmt.Sprintf("q%03d", q), Topic: fmt.Sprintf("topic%d", q%12),
			Domains: map[string]string{"DVA-C02": fmt.Sprintf("Domain %d", q%4), "SCS-C02": fmt.Sprintf("Domain %d", q%6)},
			At:      start.Add(time.Duration(i) * 120 * 24 * time.Hour / time.Duration(n)),
			Correct: i%3 != 0, Chosen: []int{i % 4}, Rating: srs.RatingFor(i%3 != 0, 0, i%7 == 0),
			ResponseTime: time.Duration(i%90) * time.Second, Mode: ModePractice,
		}
		if err := insertAnswer(ctx, tx, a); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func benchStore(b *testing.B) *Store {
	b.Helper()
	s, msgs, err := Open(b.TempDir(), testNow)
	if err != nil || len(msgs) != 0 {
		b.Fatalf("Open: %q, %v", msgs, err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkRecordAnswer is one committed answer: an INSERT and an fsync
// (synchronous=FULL).
func BenchmarkRecordAnswer(b *testing.B) {
	s := benchStore(b)
	a := Answer{QuestionID: "q1", Topic: "iam", Domains: map[string]string{"DVA-C02": "Security"},
		At: testNow, Correct: true, Chosen: []int{1, 2}, Rating: srs.Good, ResponseTime: 8 * time.Second}
	for b.Loop() {
		if err := s.RecordAnswer(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStats derives every statistic from a log of 10,000 answers over
// 500 questions, replaying each question's schedule.
func BenchmarkStats(b *testing.B) {
	s := benchStore(b)
	fill(b, s, 10_000, 500)
	for b.Loop() {
		st, err := s.Stats(testNow)
		if err != nil || st.Answered != 10_000 {
			b.Fatalf("Stats: %d answers, %v", st.Answered, err)
		}
	}
}

// BenchmarkDue is the Review screen's question list over the same log.
func BenchmarkDue(b *testing.B) {
	s := benchStore(b)
	fill(b, s, 10_000, 500)
	for b.Loop() {
		if _, err := s.Due(testNow); err != nil {
			b.Fatal(err)
		}
	}
}
