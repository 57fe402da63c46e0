package store

import (
	"time"

	"iamlab/tui/srs"
)

// Mode says where an answer was given.
type Mode string

const (
	ModePractice Mode = "practice"
	ModeExam     Mode = "exam"
	ModeReview   Mode = "review"
)

// Answer is one entry of the review log: every answer the learner gives,
// from which the schedule and every statistic derive.
type Answer struct {
	QuestionID string
	Topic      string
	// Domains maps exam code to domain, as the question has them.
	Domains      map[string]string
	At           time.Time
	Correct      bool
	Chosen       []int
	Rating       srs.Rating
	ResponseTime time.Duration
	Mode         Mode
}

// ExamAttempt is one finished exam simulation.
type ExamAttempt struct {
	Exam     string // exam code, e.g. "DVA-C02"
	Started  time.Time
	Finished time.Time
	// TimedOut is set when the timer ended the attempt.
	TimedOut bool
	Score    int // scaled, out of 1000
	Passed   bool
	// Questions in the order shown, with the options chosen and flags.
	Questions []ExamQuestion
}

// ExamDraft is the exam under way, saved as each answer is given so that a
// restarted iamlab can resume it. Remaining is the time left when it was
// saved: the clock does not run while iamlab is closed.
type ExamDraft struct {
	Exam      string        `json:"exam"`
	Started   time.Time     `json:"started"`
	Remaining time.Duration `json:"remaining"`
	// Current is the question on screen, counted from 0.
	Current   int             `json:"current"`
	Questions []DraftQuestion `json:"questions"`
}

// DraftQuestion is one question of the exam under way.
type DraftQuestion struct {
	QuestionID string        `json:"id"`
	Chosen     []int         `json:"chosen,omitempty"`
	Flagged    bool          `json:"flagged,omitempty"`
	Spent      time.Duration `json:"spent,omitempty"`
}

// ExamQuestion is one question of an attempt.
type ExamQuestion struct {
	QuestionID string
	Chosen     []int
	Correct    bool
	Flagged    bool
	Domain     string
}

// Stats are the figures of the Progress screen, all derived from the log.
type Stats struct {
	Answered int
	Correct  int
	// ByTopic and ByDomain ("EXAM/Domain") count answers and correct ones.
	ByTopic  map[string]Tally
	ByDomain map[string]Tally
	// DuePerDay is how many reviews fall due on each of the next 14 days,
	// today first.
	DuePerDay [14]int
	// StudyDays counts answers per calendar day (local date, "2006-01-02").
	StudyDays map[string]int
	// SandboxDays are the days with work in the sandbox (local date): study
	// days even without answers.
	SandboxDays map[string]bool
	// NextDue is when the next review falls due after now; zero when no
	// question waits.
	NextDue time.Time
	// LastAnswered is when each answered question was last answered.
	LastAnswered map[string]time.Time
	// Solved holds the scenarios solved and when.
	Solved map[string]time.Time
	// Leeches are questions missed eight times or more.
	Leeches []string
}

// Tally is a count of answers and how many were right.
type Tally struct {
	Answered, Correct int
}
