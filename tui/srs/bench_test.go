package srs_test

import (
	"testing"
	"time"

	"iamlab/tui/srs"
)

// BenchmarkReview is one review of a card in the Review state, days after
// the last: the store replays the whole log with it.
func BenchmarkReview(b *testing.B) {
	s := srs.NewScheduler()
	c := s.Review(srs.Card{}, srs.Good, t0)
	c = s.Review(c, srs.Good, t0.Add(10*time.Minute))
	for b.Loop() {
		s.Review(c, srs.Good, t0.Add(5*day))
	}
}
