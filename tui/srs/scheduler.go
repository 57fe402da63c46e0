package srs

import (
	"math"
	"time"
)

// defaultParams are FSRS-6's published default parameters w0…w20, the same
// in py-fsrs (DEFAULT_PARAMETERS, fsrs/scheduler.py) and go-fsrs v4
// (DefaultWeights). They were fitted on many Anki users' review logs; a later
// optimiser can fit the learner's own from the review log the store keeps.
var defaultParams = [21]float64{
	0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
	1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
}

const (
	minStability  = 0.001
	minDifficulty = 1.0
	maxDifficulty = 10.0
	day           = 24 * time.Hour
)

// Scheduler computes a card's next state with FSRS-6. The zero value is not
// useful: start from NewScheduler and change fields as needed.
//
// Unlike py-fsrs, the Scheduler never fuzzes intervals: the store rebuilds
// every card by replaying the review log, and a replay has to give the same
// due date each time it runs.
type Scheduler struct {
	// Params are the model weights w0…w20.
	Params [21]float64
	// DesiredRetention is the probability of recall at which a review falls
	// due (0.9 means a review is scheduled when recall has dropped to 90%).
	DesiredRetention float64
	// LearningSteps are the short waits between the first reviews of a new
	// card before it graduates to day-long intervals.
	LearningSteps []time.Duration
	// RelearningSteps are the short waits after a lapse, before the card
	// returns to day-long intervals.
	RelearningSteps []time.Duration
	// MaxInterval caps any interval, in days.
	MaxInterval int
}

// NewScheduler returns the FSRS-6 defaults of py-fsrs's Scheduler: the
// published parameters, desired retention 0.9, learning steps of 1 and 10
// minutes, one relearning step of 10 minutes and a maximum interval of 36500
// days (fuzz off).
func NewScheduler() Scheduler {
	return Scheduler{
		Params:           defaultParams,
		DesiredRetention: 0.9,
		LearningSteps:    []time.Duration{time.Minute, 10 * time.Minute},
		RelearningSteps:  []time.Duration{10 * time.Minute},
		MaxInterval:      36500,
	}
}

// curve is FSRS-6's power forgetting curve R(t, S) = (1 + factor·t/S)^decay
// with decay = −w20. The factor is chosen so that R(t = S) = 0.9 whatever the
// decay: stability is, by definition, the number of days for recall to fall
// to 90%. perStability is the interval, in days per day of stability, at
// which R falls to the desired retention.
type curve struct {
	decay, factor, perStability float64
}

func (s Scheduler) curve() curve {
	decay := -s.Params[20]
	factor := math.Pow(0.9, 1/decay) - 1
	return curve{decay, factor, (math.Pow(s.DesiredRetention, 1/decay) - 1) / factor}
}

// retrievability is R(t, S) for t days since the last review.
func (k curve) retrievability(t, stability float64) float64 {
	return math.Pow(1+k.factor*t/stability, k.decay)
}

// Retrievability is the predicted probability that the learner recalls the
// card at now. A card never reviewed has none (0). As in py-fsrs, time since
// the last review counts in whole elapsed days, the unit FSRS was fitted in.
func (s Scheduler) Retrievability(c Card, now time.Time) float64 {
	if c.State == New || c.LastReview.IsZero() || c.Stability <= 0 {
		return 0
	}
	return s.curve().retrievability(float64(max(0, elapsedDays(c.LastReview, now))), c.Stability)
}

// Review returns the card after the learner rates it r at now. It follows
// py-fsrs's Scheduler.review_card (FSRS-6) without fuzz: a New card takes its
// initial stability and difficulty from the rating; a second review on the
// same day uses the short-term stability formula; later ones the recall or
// forget formula. A rating outside Again…Easy is taken as the nearest one.
func (s Scheduler) Review(c Card, r Rating, now time.Time) Card {
	r = min(max(r, Again), Easy)
	k := s.curve()
	days := -1 // no previous review
	if c.State != New && !c.LastReview.IsZero() {
		days = elapsedDays(c.LastReview, now)
	}

	var next time.Duration
	switch c.State {
	case Review:
		c = s.updateMemory(c, r, k, days)
		if r == Again {
			c.Lapses++
			if len(s.RelearningSteps) == 0 {
				next = s.intervalDays(k, c.Stability)
			} else {
				c.State, c.Step = Relearning, 0
				next = s.RelearningSteps[0]
			}
		} else {
			next = s.intervalDays(k, c.Stability)
		}
	case Relearning:
		c = s.updateMemory(c, r, k, days)
		c, next = s.step(c, r, k, s.RelearningSteps)
	default: // New, Learning
		if c.State == New || c.Stability <= 0 {
			c.Stability = s.initialStability(r)
			c.Difficulty = clampDifficulty(s.initialDifficulty(r))
			c.State, c.Step = Learning, 0
		} else {
			c = s.updateMemory(c, r, k, days)
		}
		c, next = s.step(c, r, k, s.LearningSteps)
	}

	c.Reps++
	c.LastReview = now
	c.Due = now.Add(next)
	return c
}

// Preview returns the card as it would be after each rating at now, indexed
// Again, Hard, Good, Easy (Preview(c, now)[Good-1] is the Good outcome), so
// a screen can show each button's next interval.
func (s Scheduler) Preview(c Card, now time.Time) [4]Card {
	var out [4]Card
	for r := Again; r <= Easy; r++ {
		out[r-1] = s.Review(c, r, now)
	}
	return out
}

// updateMemory applies the stability and difficulty formulas of a card that
// has been reviewed before. In the Review state, as in py-fsrs, difficulty is
// updated the same way; only the interval logic differs between states.
func (s Scheduler) updateMemory(c Card, r Rating, k curve, days int) Card {
	if days < 1 {
		c.Stability = s.shortTermStability(c.Stability, r)
	} else {
		ret := k.retrievability(float64(days), c.Stability)
		if r == Again {
			c.Stability = s.forgetStability(c.Difficulty, c.Stability, ret)
		} else {
			c.Stability = s.recallStability(c.Difficulty, c.Stability, ret, r)
		}
	}
	c.Difficulty = s.nextDifficulty(c.Difficulty, r)
	return c
}

// step moves a Learning or Relearning card along steps and returns the
// wait until its next review. A card graduates to Review after Good on the
// last step or on Easy at any step; Hard repeats the step (on the first step,
// halfway to the second, or 1.5× a single step); Again restarts the steps.
func (s Scheduler) step(c Card, r Rating, k curve, steps []time.Duration) (Card, time.Duration) {
	graduate := func() (Card, time.Duration) {
		c.State, c.Step = Review, 0
		return c, s.intervalDays(k, c.Stability)
	}
	// A card left on a step this scheduler does not have (the steps were
	// shortened) graduates on any pass, as py-fsrs does.
	if len(steps) == 0 || (c.Step >= len(steps) && r != Again) {
		return graduate()
	}
	switch r {
	case Again:
		c.Step = 0
		return c, steps[0]
	case Hard:
		switch {
		case c.Step == 0 && len(steps) == 1:
			return c, steps[0] * 3 / 2
		case c.Step == 0:
			return c, (steps[0] + steps[1]) / 2
		default:
			return c, steps[c.Step]
		}
	case Good:
		if c.Step+1 >= len(steps) {
			return graduate()
		}
		c.Step++
		return c, steps[c.Step]
	default: // Easy
		return graduate()
	}
}

// intervalDays solves R(t, S) = DesiredRetention for t, rounded to whole days
// (half to even, as Python's round does) and kept within 1…MaxInterval.
func (s Scheduler) intervalDays(k curve, stability float64) time.Duration {
	n := int(math.RoundToEven(stability * k.perStability))
	return time.Duration(min(max(n, 1), max(s.MaxInterval, 1))) * day
}

// initialStability is S0(G) = w[G-1]: the first rating alone says how long
// the memory will last.
func (s Scheduler) initialStability(r Rating) float64 {
	return max(s.Params[r-1], minStability)
}

// initialDifficulty is D0(G) = w4 − e^(w5·(G−1)) + 1, not clamped: the mean
// reversion in nextDifficulty uses D0(Easy) unclamped.
func (s Scheduler) initialDifficulty(r Rating) float64 {
	return s.Params[4] - math.Exp(s.Params[5]*float64(r-1)) + 1
}

// nextDifficulty moves difficulty by −w6·(G−3), damped linearly as it nears
// 10 so it never overshoots, then pulls it slightly (w7) back towards
// D0(Easy) so a run of Hard ratings cannot pin a card at 10 for ever.
func (s Scheduler) nextDifficulty(d float64, r Rating) float64 {
	delta := -s.Params[6] * float64(r-3)
	damped := d + (10-d)*delta/9
	next := s.Params[7]*s.initialDifficulty(Easy) + (1-s.Params[7])*damped
	return clampDifficulty(next)
}

// shortTermStability is FSRS-6's same-day rule: S·e^(w17·(G−3+w18))·S^(−w19).
// A Good or Easy never lowers stability.
func (s Scheduler) shortTermStability(stability float64, r Rating) float64 {
	inc := math.Exp(s.Params[17]*(float64(r)-3+s.Params[18])) * math.Pow(stability, -s.Params[19])
	if r >= Good {
		inc = max(inc, 1)
	}
	return max(stability*inc, minStability)
}

// recallStability is the stability after a successful review: the gain is
// larger for easy cards (11 − D), for weak memories (S^−w9) and for reviews
// made when recall had dropped further (e^(w10·(1−R)) − 1).
func (s Scheduler) recallStability(d, stability, ret float64, r Rating) float64 {
	hardPenalty, easyBonus := 1.0, 1.0
	if r == Hard {
		hardPenalty = s.Params[15]
	}
	if r == Easy {
		easyBonus = s.Params[16]
	}
	next := stability * (1 + math.Exp(s.Params[8])*(11-d)*math.Pow(stability, -s.Params[9])*
		(math.Exp((1-ret)*s.Params[10])-1)*hardPenalty*easyBonus)
	return max(next, minStability)
}

// forgetStability is the stability after a lapse, capped so that forgetting
// never leaves a card more stable than the short-term rule would.
func (s Scheduler) forgetStability(d, stability, ret float64) float64 {
	long := s.Params[11] * math.Pow(d, -s.Params[12]) * (math.Pow(stability+1, s.Params[13]) - 1) *
		math.Exp((1-ret)*s.Params[14])
	short := stability / math.Exp(s.Params[17]*s.Params[18])
	return max(min(long, short), minStability)
}

func clampDifficulty(d float64) float64 {
	return min(max(d, minDifficulty), maxDifficulty)
}

// elapsedDays counts whole 24-hour periods from last to now, rounding down
// as Python's timedelta.days does (so it is −1 when now is before last).
func elapsedDays(last, now time.Time) int {
	d := now.Sub(last)
	n := int(d / day)
	if d < 0 && d%day != 0 {
		n--
	}
	return n
}
