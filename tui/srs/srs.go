// Package srs schedules reviews with FSRS-6, the spaced-repetition model
// that Anki and the open-spaced-repetition project use.
// https://github.com/open-spaced-repetition/py-fsrs (the reference implementation)
package srs

import "time"

// Rating is the learner's grade of one review: Again, Hard, Good or Easy.
type Rating int

const (
	Again Rating = iota + 1
	Hard
	Good
	Easy
)

// State is where a card is in FSRS's learning state machine.
type State int

const (
	New State = iota
	Learning
	Review
	Relearning
)

// Card is one question's memory state.
type Card struct {
	State      State
	Step       int // index into the (re)learning steps
	Stability  float64
	Difficulty float64
	Due        time.Time
	LastReview time.Time
	Reps       int
	Lapses     int
}
