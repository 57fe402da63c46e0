package tui

import (
	"time"

	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// openingProgress is the store while it opens, after the first frame:
// opening checks the whole file (PRAGMA integrity_check), and the home
// screen's first frame does not need it. Every call waits until the store
// is open; all of them run in commands, never in Update.
type openingProgress struct {
	ready chan struct{}
	p     Progress
}

// progressOpenedMsg says the store is open (or could not be): its notices
// go to the banner, close runs when the app ends.
type progressOpenedMsg struct {
	notices []string
	failed  bool
	close   func()
}

func newOpeningProgress() *openingProgress { return &openingProgress{ready: make(chan struct{})} }

// open opens the store with f and lets the waiting calls through.
func (o *openingProgress) open(f func() (Progress, []string, func())) progressOpenedMsg {
	p, notices, closeStore := f()
	failed := p == nil
	if failed {
		p = noProgress{}
	}
	o.p = p
	close(o.ready)
	return progressOpenedMsg{notices: notices, failed: failed, close: closeStore}
}

func (o *openingProgress) get() Progress { <-o.ready; return o.p }

func (o *openingProgress) RecordAnswer(a store.Answer) error        { return o.get().RecordAnswer(a) }
func (o *openingProgress) Card(id string) (srs.Card, error)         { return o.get().Card(id) }
func (o *openingProgress) Due(now time.Time) ([]string, error)      { return o.get().Due(now) }
func (o *openingProgress) Stats(now time.Time) (store.Stats, error) { return o.get().Stats(now) }
func (o *openingProgress) RecordExam(e store.ExamAttempt, answers []store.Answer) error {
	return o.get().RecordExam(e, answers)
}
func (o *openingProgress) SaveExamDraft(d store.ExamDraft) error { return o.get().SaveExamDraft(d) }
func (o *openingProgress) ExamDraft() (store.ExamDraft, bool, error) {
	return o.get().ExamDraft()
}
func (o *openingProgress) AbandonExam(answers []store.Answer) error {
	return o.get().AbandonExam(answers)
}
func (o *openingProgress) Exams() ([]store.ExamAttempt, error) { return o.get().Exams() }
func (o *openingProgress) SaveSandbox(id string, state []byte) error {
	return o.get().SaveSandbox(id, state)
}
func (o *openingProgress) LoadSandbox(id string) ([]byte, bool, error) {
	return o.get().LoadSandbox(id)
}
func (o *openingProgress) MarkSolved(id string, at time.Time) error {
	return o.get().MarkSolved(id, at)
}
func (o *openingProgress) RecordSandboxDay(at time.Time) error { return o.get().RecordSandboxDay(at) }
