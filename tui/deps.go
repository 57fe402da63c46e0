package tui

import (
	"time"

	"iamlab/content"
	"iamlab/scenarios"
	"iamlab/tui/common"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// Deps is what the app needs from outside: cmd fills it in, tests pass
// fakes.
type Deps struct {
	// Library is the study material. When it is nil, LoadLibrary reads it
	// in a command after the first frame, which the home screen does not
	// need it for.
	Library *content.Library
	// LoadLibrary returns the material and notices about the learner's own
	// part of it (shown as a banner); an error ends the app with it.
	LoadLibrary func() (*content.Library, []string, error)
	Progress    Progress
	// OpenProgress, used when Progress is nil, opens the store in a command
	// after the first frame: the store (nil when it could not be opened,
	// and then nothing is kept), notices for the banner, and how to close
	// it when the app ends.
	OpenProgress func() (Progress, []string, func())
	// Now is the clock; nil means time.Now. Every time the app shows or
	// records comes from it, so tests can fix it.
	Now func() time.Time
	// Notices are messages from opening the store (a damaged file set
	// aside, a store that could not be opened), shown once as a banner.
	Notices []string
	// Scenarios loads the sandbox's scenarios; nil means the built-in ones.
	// It runs in a command the first time the sandbox opens.
	Scenarios func() ([]*scenarios.Scenario, error)
}

// Progress is the part of the store the screens use. *store.Store
// implements it; tests pass an in-memory fake.
type Progress interface {
	RecordAnswer(a store.Answer) error
	Card(questionID string) (srs.Card, error)
	Due(now time.Time) ([]string, error)
	Stats(now time.Time) (store.Stats, error)
	// RecordExam saves a finished attempt, logs its answers and ends the
	// exam's draft, in one transaction.
	RecordExam(e store.ExamAttempt, answers []store.Answer) error
	Exams() ([]store.ExamAttempt, error)
	// SaveExamDraft keeps the exam under way as each answer is given;
	// ExamDraft reads it back after a restart; AbandonExam logs the answers
	// given and drops it.
	SaveExamDraft(d store.ExamDraft) error
	ExamDraft() (store.ExamDraft, bool, error)
	AbandonExam(answers []store.Answer) error
	// SaveSandbox and LoadSandbox keep the sandbox's drafts, versions and
	// console history of one scenario; the store does not look inside.
	SaveSandbox(scenarioID string, state []byte) error
	LoadSandbox(scenarioID string) ([]byte, bool, error)
	MarkSolved(scenarioID string, at time.Time) error
	// RecordSandboxDay makes at's day a study day for work in the sandbox.
	RecordSandboxDay(at time.Time) error
}

// noProgress stands in when the store could not be opened: the app still
// works, nothing is kept.
type noProgress struct{}

func (noProgress) RecordAnswer(store.Answer) error                    { return nil }
func (noProgress) Card(string) (srs.Card, error)                      { return srs.Card{}, nil }
func (noProgress) Due(time.Time) ([]string, error)                    { return nil, nil }
func (noProgress) Stats(time.Time) (store.Stats, error)               { return store.Stats{}, nil }
func (noProgress) RecordExam(store.ExamAttempt, []store.Answer) error { return nil }
func (noProgress) Exams() ([]store.ExamAttempt, error)                { return nil, nil }
func (noProgress) SaveExamDraft(store.ExamDraft) error                { return nil }
func (noProgress) ExamDraft() (store.ExamDraft, bool, error)          { return store.ExamDraft{}, false, nil }
func (noProgress) AbandonExam([]store.Answer) error                   { return nil }
func (noProgress) SaveSandbox(string, []byte) error                   { return nil }
func (noProgress) LoadSandbox(string) ([]byte, bool, error) {
	return nil, false, nil
}
func (noProgress) MarkSolved(string, time.Time) error { return nil }
func (noProgress) RecordSandboxDay(time.Time) error   { return nil }

// shared is what every screen reads: the material, the store, the clock,
// the current styles and the Markdown cache. App owns it and screens hold a
// pointer; only App changes it, except the Markdown cache's bookkeeping and
// the exam screen's examDeadline.
type shared struct {
	*common.Shared
	lib      *content.Library
	progress Progress
	sched    srs.Scheduler
	// scenarios loads the sandbox's scenarios (Deps.Scenarios).
	scenarios func() ([]*scenarios.Scenario, error)
	// writes runs the exam's store writes in order; quitting waits for it.
	writes *writer
	// examDeadline is when the exam under way ends, zero when none is: the
	// exam screen sets it, the header and the home screen show the time left.
	examDeadline time.Time
}

// Messages between screens and App. A screen asks for navigation by
// returning a command that yields one of these.
type (
	navigateMsg      struct{ to screenID }
	openNoteMsg      struct{ id string }
	practiceTopicMsg struct{ topic string }
	// libraryLoadedMsg brings the study material after the first frame.
	libraryLoadedMsg struct {
		lib     *content.Library
		notices []string
		err     error
	}
	// openScenarioMsg opens a scenario in the sandbox.
	openScenarioMsg struct{ id string }
)

// examRemaining is the time left in the exam under way, or 0.
func (sh *shared) examRemaining() time.Duration {
	if sh.examDeadline.IsZero() {
		return 0
	}
	return max(sh.examDeadline.Sub(sh.Now()), time.Second)
}
