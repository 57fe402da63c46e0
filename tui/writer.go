package tui

import (
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
)

// writer runs the app's store writes (answers, the exam's draft and
// attempt, sandbox study days; the sandbox's own saves are its own) one
// after another, in the order they were asked for, on a goroutine of its
// own. A write is queued when it is asked for, not when Bubble Tea gets
// round to running a command: a program that quits drops the commands it
// has not started, and with them the answers they carried. Quitting waits
// for the queue (see App.quitNow and Run).
type writer struct {
	mu      sync.Mutex
	queue   []func()
	running bool
	idle    *sync.Cond
}

func newWriter() *writer {
	w := &writer{}
	w.idle = sync.NewCond(&w.mu)
	return w
}

// write queues fn and returns a command that yields fn's message once it has
// run.
func (w *writer) write(fn func() tea.Msg) tea.Cmd {
	done := make(chan tea.Msg, 1)
	w.mu.Lock()
	w.queue = append(w.queue, func() { done <- fn() })
	if !w.running {
		w.running = true
		go w.drain()
	}
	w.mu.Unlock()
	return func() tea.Msg { return <-done }
}

func (w *writer) drain() {
	w.mu.Lock()
	for len(w.queue) > 0 {
		next := w.queue[0]
		w.queue = w.queue[1:]
		w.mu.Unlock()
		next()
		w.mu.Lock()
	}
	w.running = false
	w.idle.Broadcast()
	w.mu.Unlock()
}

// wait blocks until every queued write has run, or timeout has passed, and
// says whether the queue is empty.
func (w *writer) wait(timeout time.Duration) bool {
	timer := time.AfterFunc(timeout, func() {
		w.mu.Lock()
		w.idle.Broadcast()
		w.mu.Unlock()
	})
	defer timer.Stop()
	deadline := time.Now().Add(timeout)
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.running && time.Now().Before(deadline) {
		w.idle.Wait()
	}
	return !w.running
}
