package srs_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"iamlab/tui/srs"
)

const day = 24 * time.Hour

// t0 is the start time every published FSRS test uses.
var t0 = time.Date(2022, 11, 29, 12, 30, 0, 0, time.UTC)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestPublishedIntervalHistory replays the rating sequence of py-fsrs
// tests/test_basic.py test_review_card (Scheduler(enable_fuzzing=False), the
// FSRS-6 defaults with w20 = 0.1542); each review happens when the card falls
// due. go-fsrs fsrs_test.go TestBasicSchedulerExample publishes the same
// intervals and the states before each review.
func TestPublishedIntervalHistory(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	ratings := []srs.Rating{srs.Good, srs.Good, srs.Good, srs.Good, srs.Good, srs.Good,
		srs.Again, srs.Again, srs.Good, srs.Good, srs.Good, srs.Good, srs.Good}
	wantIvl := []int{0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21}
	wantState := []srs.State{srs.New, srs.Learning, srs.Review, srs.Review, srs.Review, srs.Review,
		srs.Review, srs.Relearning, srs.Relearning, srs.Review, srs.Review, srs.Review, srs.Review}

	var c srs.Card
	now := t0
	var ivl []int
	var states []srs.State
	for _, r := range ratings {
		states = append(states, c.State)
		c = s.Review(c, r, now)
		ivl = append(ivl, int(c.Due.Sub(c.LastReview)/day))
		now = c.Due
	}
	if !slices.Equal(ivl, wantIvl) {
		t.Errorf("intervals = %v, want %v", ivl, wantIvl)
	}
	if !slices.Equal(states, wantState) {
		t.Errorf("states before each review = %v, want %v", states, wantState)
	}
	if c.Reps != len(ratings) || c.Lapses != 1 {
		t.Errorf("Reps, Lapses = %d, %d, want %d, 1", c.Reps, c.Lapses, len(ratings))
	}
}

// TestPublishedMemoryState checks stability and difficulty after reviews at
// fixed offsets, against two published figures:
//   - py-fsrs tests/test_basic.py test_memo_state and go-fsrs fsrs_test.go
//     TestNextStatesMemoryStateShortTerm: Again, Good, Good, Good, Good, Good
//     at days 0, 0, 1, 4, 12, 33 → S 53.62691, D 6.3574867 (±1e-4);
//   - go-fsrs TestBasicSchedulerMemoState, whose loop reviews once more on
//     day 0 (Again, Good, Good at day 0, then Good at 1, 4, 12, 33) → S 54.0393, D 6.3464.
func TestPublishedMemoryState(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		ratings      []srs.Rating
		days         []int // days after t0
		wantS, wantD float64
	}{
		{
			name:    "py-fsrs test_memo_state",
			ratings: []srs.Rating{srs.Again, srs.Good, srs.Good, srs.Good, srs.Good, srs.Good},
			days:    []int{0, 0, 1, 4, 12, 33},
			wantS:   53.62691, wantD: 6.3574867,
		},
		{
			name:    "go-fsrs TestBasicSchedulerMemoState",
			ratings: []srs.Rating{srs.Again, srs.Good, srs.Good, srs.Good, srs.Good, srs.Good, srs.Good},
			days:    []int{0, 0, 0, 1, 4, 12, 33},
			wantS:   54.0393, wantD: 6.3464,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := srs.NewScheduler()
			var c srs.Card
			for i, r := range tc.ratings {
				c = s.Review(c, r, t0.Add(time.Duration(tc.days[i])*day))
			}
			if !near(c.Stability, tc.wantS, 1e-4) || !near(c.Difficulty, tc.wantD, 1e-4) {
				t.Errorf("S, D = %.5f, %.5f, want %.5f, %.5f", c.Stability, c.Difficulty, tc.wantS, tc.wantD)
			}
		})
	}
}

// TestPublishedRetrievability follows go-fsrs fsrs_test.go
// TestGetRetrievability: a new card, then three Good reviews each made when
// due, with the retrievability read at the next due time: 0, 1, 0.9095, 0.8998.
func TestPublishedRetrievability(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	var c srs.Card
	now := t0
	got := []float64{s.Retrievability(c, now)}
	for range 3 {
		c = s.Review(c, srs.Good, now)
		now = c.Due
		got = append(got, math.Round(s.Retrievability(c, now)*1e4)/1e4)
	}
	if want := []float64{0, 1, 0.9095, 0.8998}; !slices.Equal(got, want) {
		t.Errorf("retrievability = %v, want %v", got, want)
	}
}

// TestRetrievabilityAtStability: stability is defined as the time for recall
// to fall to 90%, so R(t = S) = 0.9 for any S.
func TestRetrievabilityAtStability(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	for _, stab := range []float64{1, 2, 10, 37, 365, 3650} {
		c := srs.Card{State: srs.Review, Stability: stab, Difficulty: 5, LastReview: t0}
		got := s.Retrievability(c, t0.Add(time.Duration(stab)*day))
		if !near(got, 0.9, 1e-12) {
			t.Errorf("Retrievability(S=%v, t=S) = %v, want 0.9", stab, got)
		}
	}
}

// TestFirstRating checks the initial stability S0(G) = w[G-1], the initial
// difficulty D0(G) = w4 − e^(w5·(G−1)) + 1 clamped to [1, 10], and where
// each rating sends a new card, as in the facts file §1.2 (re-verified
// against py-fsrs _initial_stability, _initial_difficulty and review_card).
func TestFirstRating(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		r         srs.Rating
		wantS     float64
		wantD     float64
		wantState srs.State
		wantStep  int
		wantWait  time.Duration
	}{
		{"Again", srs.Again, 0.212, 6.4133, srs.Learning, 0, time.Minute},
		{"Hard", srs.Hard, 1.2931, 5.1122, srs.Learning, 0, 5*time.Minute + 30*time.Second},
		{"Good", srs.Good, 2.3065, 2.1181, srs.Learning, 1, 10 * time.Minute},
		{"Easy", srs.Easy, 8.2956, 1, srs.Review, 0, 8 * day},
	}
	s := srs.NewScheduler()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := s.Review(srs.Card{}, tc.r, t0)
			if !near(c.Stability, tc.wantS, 1e-9) || !near(c.Difficulty, tc.wantD, 1e-4) {
				t.Errorf("Review(new, %v): S, D = %v, %v, want %v, %v", tc.r, c.Stability, c.Difficulty, tc.wantS, tc.wantD)
			}
			if c.State != tc.wantState || c.Step != tc.wantStep {
				t.Errorf("Review(new, %v): state %v step %d, want %v step %d", tc.r, c.State, c.Step, tc.wantState, tc.wantStep)
			}
			if got := c.Due.Sub(t0); got != tc.wantWait {
				t.Errorf("Review(new, %v): due in %v, want %v", tc.r, got, tc.wantWait)
			}
			if !c.LastReview.Equal(t0) || c.Reps != 1 || c.Lapses != 0 {
				t.Errorf("Review(new, %v): LastReview %v Reps %d Lapses %d", tc.r, c.LastReview, c.Reps, c.Lapses)
			}
		})
	}
}

// TestFactsVectors re-verifies the self-computed vectors of the facts file
// §1.2.1 through the public API. Each figure was also recomputed by hand
// from py-fsrs's formulas (fsrs/scheduler.py _next_recall_stability,
// _next_forget_stability, _short_term_stability, _next_interval).
func TestFactsVectors(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	good := s.Review(srs.Card{}, srs.Good, t0) // S 2.3065, D 2.1181, Learning step 1

	t.Run("Good 2 days later", func(t *testing.T) {
		t.Parallel()
		if r := s.Retrievability(good, t0.Add(2*day)); !near(r, 0.9095, 1e-4) {
			t.Errorf("R after 2 days = %v, want 0.9095", r)
		}
		c := s.Review(good, srs.Good, t0.Add(2*day))
		if !near(c.Stability, 10.964, 1e-3) || !near(c.Difficulty, 2.111, 1e-3) {
			t.Errorf("S, D = %v, %v, want 10.964, 2.111", c.Stability, c.Difficulty)
		}
		if c.State != srs.Review || c.Due.Sub(c.LastReview) != 11*day {
			t.Errorf("state %v, interval %v, want Review, 11 days", c.State, c.Due.Sub(c.LastReview))
		}
	})
	t.Run("Again 2 days later", func(t *testing.T) {
		t.Parallel()
		c := s.Review(good, srs.Again, t0.Add(2*day))
		if !near(c.Stability, 0.608, 1e-3) || !near(c.Difficulty, 7.395, 1e-3) {
			t.Errorf("S, D = %v, %v, want 0.608, 7.395", c.Stability, c.Difficulty)
		}
	})
	t.Run("same-day Good keeps S", func(t *testing.T) {
		t.Parallel()
		c := s.Review(good, srs.Good, t0.Add(10*time.Minute))
		if c.Stability != 2.3065 {
			t.Errorf("S = %v, want 2.3065", c.Stability)
		}
	})
	t.Run("same-day Again", func(t *testing.T) {
		t.Parallel()
		c := s.Review(good, srs.Again, t0.Add(10*time.Minute))
		if !near(c.Stability, 0.775, 1e-3) {
			t.Errorf("S = %v, want 0.775", c.Stability)
		}
	})
	t.Run("interval at other retentions", func(t *testing.T) {
		t.Parallel()
		c := srs.Card{State: srs.Review, Stability: 10, Difficulty: 5, LastReview: t0}
		for _, tc := range []struct {
			r    float64
			want int
		}{{0.8, 33}, {0.9, 10}, {0.95, 4}} {
			s := s
			s.DesiredRetention = tc.r
			// Preview at t0 is a same-day Good, which keeps S = 10.
			got := s.Preview(c, t0)[srs.Good-1]
			if got.Stability != 10 {
				t.Fatalf("same-day Good changed S to %v", got.Stability)
			}
			if ivl := int(got.Due.Sub(t0) / day); ivl != tc.want {
				t.Errorf("I(r=%v, S=10) = %d days, want %d", tc.r, ivl, tc.want)
			}
		}
	})
}

// TestPublishedNextInterval follows go-fsrs fsrs_test.go TestNextInterval:
// the interval for S = 1 at desired retention 0.1, 0.2, …, 1.0.
func TestPublishedNextInterval(t *testing.T) {
	t.Parallel()
	c := srs.Card{State: srs.Review, Stability: 1, Difficulty: 5, LastReview: t0}
	want := []int{36500, 34793, 2508, 387, 90, 27, 9, 3, 1, 1}
	var got []int
	for i := 1; i <= 10; i++ {
		s := srs.NewScheduler()
		s.DesiredRetention = float64(i) / 10
		s.Params[17], s.Params[18] = 0, 0 // same-day Good must leave S = 1 (SInc = 1)
		next := s.Preview(c, t0)[srs.Good-1]
		got = append(got, int(next.Due.Sub(t0)/day))
	}
	if !slices.Equal(got, want) {
		t.Errorf("intervals = %v, want %v", got, want)
	}
}

// TestStateMachine walks the transitions of py-fsrs review_card.
func TestStateMachine(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	learning1 := s.Review(srs.Card{}, srs.Good, t0) // Learning, step 1
	review := s.Review(learning1, srs.Good, learning1.Due)
	relearning := s.Review(review, srs.Again, review.Due)

	tests := []struct {
		name      string
		from      srs.Card
		r         srs.Rating
		wantState srs.State
		wantStep  int
		wantWait  time.Duration // 0: a whole number of days, at least one
	}{
		{"learning step 1 Again restarts", learning1, srs.Again, srs.Learning, 0, time.Minute},
		{"learning step 1 Hard repeats the step", learning1, srs.Hard, srs.Learning, 1, 10 * time.Minute},
		{"learning last step Good graduates", learning1, srs.Good, srs.Review, 0, 0},
		{"learning Easy graduates", learning1, srs.Easy, srs.Review, 0, 0},
		{"review Again lapses", review, srs.Again, srs.Relearning, 0, 10 * time.Minute},
		{"review Hard", review, srs.Hard, srs.Review, 0, 0},
		{"review Good", review, srs.Good, srs.Review, 0, 0},
		{"review Easy", review, srs.Easy, srs.Review, 0, 0},
		{"relearning Again", relearning, srs.Again, srs.Relearning, 0, 10 * time.Minute},
		{"relearning Hard, one step: 1.5×", relearning, srs.Hard, srs.Relearning, 0, 15 * time.Minute},
		{"relearning Good graduates", relearning, srs.Good, srs.Review, 0, 0},
		{"relearning Easy graduates", relearning, srs.Easy, srs.Review, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			now := tc.from.Due
			c := s.Review(tc.from, tc.r, now)
			if c.State != tc.wantState || c.Step != tc.wantStep {
				t.Errorf("Review(%v step %d, %v) = %v step %d, want %v step %d",
					tc.from.State, tc.from.Step, tc.r, c.State, c.Step, tc.wantState, tc.wantStep)
			}
			wait := c.Due.Sub(now)
			switch {
			case tc.wantWait != 0 && wait != tc.wantWait:
				t.Errorf("wait = %v, want %v", wait, tc.wantWait)
			case tc.wantWait == 0 && (wait < day || wait%day != 0):
				t.Errorf("wait = %v, want whole days", wait)
			}
			if c.Reps != tc.from.Reps+1 {
				t.Errorf("Reps = %d, want %d", c.Reps, tc.from.Reps+1)
			}
		})
	}
	if review.Lapses != 0 || relearning.Lapses != 1 {
		t.Errorf("Lapses before/after a lapse = %d/%d, want 0/1", review.Lapses, relearning.Lapses)
	}
}

// TestNoSteps: with no learning or relearning steps a card goes straight to
// day intervals, and a lapse stays in Review (py-fsrs test_no_learning_steps,
// test_no_relearning_steps).
func TestNoSteps(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	s.LearningSteps, s.RelearningSteps = nil, nil
	c := s.Review(srs.Card{}, srs.Again, t0)
	if c.State != srs.Review || c.Due.Sub(t0) < day {
		t.Fatalf("new card Again without steps: %v due in %v, want Review ≥ 1 day", c.State, c.Due.Sub(t0))
	}
	c = s.Review(c, srs.Again, c.Due)
	if c.State != srs.Review || c.Lapses != 1 || c.Due.Sub(c.LastReview) < day {
		t.Errorf("review Again without relearning steps: %v lapses %d due in %v", c.State, c.Lapses, c.Due.Sub(c.LastReview))
	}
}

// TestBounds: difficulty stays in [1, 10], stability ≥ 0.001 and intervals
// ≤ MaxInterval whatever the ratings (py-fsrs test_stability_lower_bound,
// test_repeated_correct_reviews, test_maximum_interval).
func TestBounds(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	c := srs.Card{}
	now := t0
	for range 200 {
		c = s.Review(c, srs.Again, now)
		if c.Stability < 0.001 || c.Difficulty > 10 {
			t.Fatalf("after Again: S %v D %v", c.Stability, c.Difficulty)
		}
		now = c.Due.Add(day)
	}
	// Mean reversion (w7) holds the fixed point just under 10.
	if c.Difficulty < 9.9 {
		t.Errorf("D after 200 Again = %v, want near 10", c.Difficulty)
	}

	c = srs.Card{}
	for i := range 10 {
		c = s.Review(c, srs.Easy, t0.Add(time.Duration(i)*time.Microsecond))
	}
	if c.Difficulty != 1 {
		t.Errorf("D after 10 Easy = %v, want 1", c.Difficulty)
	}

	s.MaxInterval = 100
	c = srs.Card{}
	now = t0
	for range 20 {
		c = s.Review(c, srs.Easy, now)
		if ivl := c.Due.Sub(now); ivl > 100*day {
			t.Fatalf("interval %v over MaxInterval 100", ivl)
		}
		now = c.Due
	}
}

func TestPreviewMatchesReview(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	c := s.Review(s.Review(srs.Card{}, srs.Good, t0), srs.Good, t0.Add(10*time.Minute))
	now := c.Due.Add(3 * day)
	p := s.Preview(c, now)
	for r := srs.Again; r <= srs.Easy; r++ {
		if p[r-1] != s.Review(c, r, now) {
			t.Errorf("Preview[%v] = %+v, want %+v", r, p[r-1], s.Review(c, r, now))
		}
	}
	if !(p[0].Due.Before(p[1].Due) && p[1].Due.Before(p[2].Due) && p[2].Due.Before(p[3].Due)) {
		t.Errorf("Preview dues not increasing: %v %v %v %v", p[0].Due, p[1].Due, p[2].Due, p[3].Due)
	}
}

func TestRatingFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		correct bool
		rt      time.Duration
		flagged bool
		want    srs.Rating
	}{
		{"wrong", false, 5 * time.Second, false, srs.Again},
		{"wrong and flagged", false, 5 * time.Second, true, srs.Again},
		{"wrong and slow", false, 2 * time.Minute, false, srs.Again},
		{"right", true, 5 * time.Second, false, srs.Good},
		{"right at exactly 60 s", true, 60 * time.Second, false, srs.Good},
		{"right but slow", true, 61 * time.Second, false, srs.Hard},
		{"right but flagged", true, 5 * time.Second, true, srs.Hard},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := srs.RatingFor(tc.correct, tc.rt, tc.flagged); got != tc.want {
				t.Errorf("RatingFor(%v, %v, %v) = %v, want %v", tc.correct, tc.rt, tc.flagged, got, tc.want)
			}
		})
	}
}

func TestFormatInterval(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "<1m"},
		{30 * time.Second, "<1m"},
		{time.Minute, "1m"},
		{5*time.Minute + 30*time.Second, "5.5m"},
		{10 * time.Minute, "10m"},
		{3 * time.Hour, "3h"},
		{day, "1d"},
		{2 * day, "2d"},
		{11 * day, "11d"},
		{45 * day, "1.5mo"},
		{90 * day, "3mo"},
		{365 * day, "1y"},
		{438 * day, "1.2y"},
		{36500 * day, "100y"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			t.Parallel()
			if got := srs.FormatInterval(tc.d); got != tc.want {
				t.Errorf("FormatInterval(%v) = %q, want %q", tc.d, got, tc.want)
			}
		})
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	if got := srs.Good.String(); got != "Good" {
		t.Errorf("Good.String() = %q", got)
	}
	if got := srs.Relearning.String(); got != "Relearning" {
		t.Errorf("Relearning.String() = %q", got)
	}
}

// TestDefaults: the parameters are py-fsrs DEFAULT_PARAMETERS (fsrs/scheduler.py)
// and go-fsrs v4 DefaultWeights, and the scheduler settings those of py-fsrs
// Scheduler.__init__ without fuzz.
func TestDefaults(t *testing.T) {
	t.Parallel()
	s := srs.NewScheduler()
	want := [21]float64{0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
		1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542}
	if s.Params != want {
		t.Errorf("Params = %v, want %v", s.Params, want)
	}
	if s.DesiredRetention != 0.9 || s.MaxInterval != 36500 ||
		!slices.Equal(s.LearningSteps, []time.Duration{time.Minute, 10 * time.Minute}) ||
		!slices.Equal(s.RelearningSteps, []time.Duration{10 * time.Minute}) {
		t.Errorf("NewScheduler() = %+v", s)
	}
	// Each call gets its own steps: changing one scheduler leaves the next alone.
	s.LearningSteps[0] = time.Hour
	if srs.NewScheduler().LearningSteps[0] != time.Minute {
		t.Error("NewScheduler shares its LearningSteps slice")
	}
}
