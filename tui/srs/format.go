package srs

import (
	"math"
	"strconv"
	"time"
)

// SlowAnswer is the response time above which a right answer counts as Hard.
const SlowAnswer = 60 * time.Second

// RatingFor turns a quiz answer into an FSRS rating. A multiple-choice
// answer is not a self-rating, so the mapping is fixed: wrong is Again
// (the Anki manual's advice: a failure is Again, never Hard), right but slow
// (over SlowAnswer) or flagged as unsure is Hard, right is Good. Easy is left
// to the learner's own rating on the Review screen.
func RatingFor(correct bool, responseTime time.Duration, flagged bool) Rating {
	switch {
	case !correct:
		return Again
	case flagged || responseTime > SlowAnswer:
		return Hard
	default:
		return Good
	}
}

// String returns the rating's button label.
func (r Rating) String() string {
	switch r {
	case Again:
		return "Again"
	case Hard:
		return "Hard"
	case Good:
		return "Good"
	case Easy:
		return "Easy"
	}
	return "Rating(" + strconv.Itoa(int(r)) + ")"
}

// String returns the state's name.
func (s State) String() string {
	switch s {
	case New:
		return "New"
	case Learning:
		return "Learning"
	case Review:
		return "Review"
	case Relearning:
		return "Relearning"
	}
	return "State(" + strconv.Itoa(int(s)) + ")"
}

// FormatInterval renders a wait the way review buttons show it: "<1m",
// "1m", "5.5m", "3h", "2d", "3mo", "1.2y". Units are minutes below an hour,
// hours below a day, days below 30 days, months of 30 days below 365 days,
// then years of 365 days; at most one decimal, dropped when it is zero.
func FormatInterval(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "<1m"
	case d < time.Hour:
		return unit(d.Minutes(), "m")
	case d < day:
		return unit(d.Hours(), "h")
	case d < 30*day:
		return unit(d.Hours()/24, "d")
	case d < 365*day:
		return unit(d.Hours()/24/30, "mo")
	default:
		return unit(d.Hours()/24/365, "y")
	}
}

func unit(v float64, suffix string) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + suffix
}
