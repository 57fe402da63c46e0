package sandbox

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"iamlab/scenarios"
	"iamlab/scenarios/serve"
	"iamlab/tui/common"
)

// Serving the open scenario (S): its estate as a local AWS endpoint
// (scenarios/serve) on 127.0.0.1 and a free port, in this process, with
// the AWS CLI's files in a private temporary folder. The server calls
// back from its own goroutines; a feed hands those events to Bubble Tea
// through a command that waits for the next ones (waitLive). Starting
// and stopping are I/O, so they run in commands; the servers registry
// makes sure none outlives the app.

// maxLiveEvents bounds the requests kept, in the feed and in the Live
// pane, so a flood of requests cannot grow memory without bound.
const maxLiveEvents = 500

// stopWait bounds how long stopping waits for requests in flight.
const stopWait = 3 * time.Second

// liveServer is one server of one scenario, with its CLI files.
type liveServer struct {
	id       string
	srv      *serve.Server
	env      *serve.Env
	endpoint string
	// envFile holds the export lines, for `. FILE` in another shell.
	envFile string
	// mfa are the estate's virtual MFA devices, whose codes `iamlab
	// totp` prints.
	mfa  []string
	feed *liveFeed

	stopOnce sync.Once
	stopErr  error
}

// stop shuts the server down and removes its files; it runs once, and
// later calls return the first call's error.
func (l *liveServer) stop() error {
	l.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), stopWait)
		defer cancel()
		err := l.srv.Shutdown(ctx)
		close(l.feed.done)
		if rerr := l.env.Remove(); err == nil {
			err = rerr
		}
		l.stopErr = err
	})
	return l.stopErr
}

// setPolicies puts policy texts in the served estate: what the editor's
// drafts say now, so the next request is decided by them.
func (l *liveServer) setPolicies(texts map[scenarios.PolicyAddress]string) error {
	return l.srv.Update(func(sb *scenarios.Sandbox) error {
		for addr, text := range texts {
			if err := sb.SetPolicy(addr, text); err != nil {
				return fmt.Errorf("serve %s: %w", addr, err)
			}
		}
		return nil
	})
}

// liveFeed carries the server's events to the app: the server's
// goroutines push, one command at a time waits and takes what came.
type liveFeed struct {
	mu      sync.Mutex
	pending []serve.Event
	// dropped counts events pushed out of pending before anyone took
	// them: more than maxLiveEvents at once.
	dropped int
	// ready holds a token while pending has events; done closes when
	// the server stops.
	ready chan struct{}
	done  chan struct{}
}

func newLiveFeed() *liveFeed {
	return &liveFeed{ready: make(chan struct{}, 1), done: make(chan struct{})}
}

// push keeps an event for the app; it never blocks the request.
func (f *liveFeed) push(ev serve.Event) {
	f.mu.Lock()
	f.pending = append(f.pending, ev)
	if n := len(f.pending) - maxLiveEvents; n > 0 {
		f.pending = append(f.pending[:0], f.pending[n:]...)
		f.dropped += n
	}
	f.mu.Unlock()
	select {
	case f.ready <- struct{}{}:
	default:
	}
}

// liveEventsMsg brings the requests served since the last one.
type liveEventsMsg struct {
	feed    *liveFeed
	events  []serve.Event
	dropped int
}

// wait is a command that waits for events and takes them all; once the
// server stops it yields nothing, and no one waits again.
func (f *liveFeed) wait() tea.Msg {
	select {
	case <-f.ready:
	case <-f.done:
		// Requests answered just before the stop still count.
		select {
		case <-f.ready:
		default:
			return nil
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	msg := liveEventsMsg{feed: f, events: f.pending, dropped: f.dropped}
	f.pending, f.dropped = nil, 0
	return msg
}

// liveServers are the servers started and not yet stopped. Close stops
// them all, and any that a start command finishes afterwards.
type liveServers struct {
	mu     sync.Mutex
	closed bool
	live   map[*liveServer]bool
}

// add registers a server; false once closed: the caller then stops it.
func (r *liveServers) add(l *liveServer) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if r.live == nil {
		r.live = map[*liveServer]bool{}
	}
	r.live[l] = true
	return true
}

// stop stops a server and forgets it.
func (r *liveServers) stop(l *liveServer) error {
	err := l.stop()
	r.mu.Lock()
	delete(r.live, l)
	r.mu.Unlock()
	return err
}

// close stops every server, and any started from now on.
func (r *liveServers) close() error {
	r.mu.Lock()
	r.closed = true
	all := make([]*liveServer, 0, len(r.live))
	for l := range r.live {
		all = append(all, l)
	}
	r.live = nil
	r.mu.Unlock()
	var first error
	for _, l := range all {
		if err := l.stop(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Messages of serving.
type (
	// servingMsg says a server started (or failed to) for the scenario
	// open under gen.
	servingMsg struct {
		gen int
		l   *liveServer
		err error
	}
	// servingStoppedMsg says a server stopped; err is what stopping it
	// met.
	servingStoppedMsg struct{ err error }
)

// startServing is a command that serves a scenario on 127.0.0.1 and a
// free port and writes the CLI's files.
func startServing(reg *liveServers, it *scenarios.Scenario, now func() time.Time, gen int) tea.Cmd {
	return func() tea.Msg {
		feed := newLiveFeed()
		srv, err := serve.New(it, serve.Options{Clock: now, OnEvent: feed.push})
		if err != nil {
			return servingMsg{gen: gen, err: fmt.Errorf("serve %s: %w", it.ID, err)}
		}
		endpoint, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return servingMsg{gen: gen, err: fmt.Errorf("serve %s: %w", it.ID, err)}
		}
		l := &liveServer{id: it.ID, srv: srv, endpoint: endpoint, feed: feed}
		_ = srv.Update(func(sb *scenarios.Sandbox) error {
			l.mfa = sb.MFADevices()
			return nil
		})
		l.env, err = serve.WriteEnv(endpoint, srv.Profiles())
		if err != nil {
			ctx, cancel := context.WithTimeout(context.Background(), stopWait)
			defer cancel()
			_ = srv.Shutdown(ctx)
			return servingMsg{gen: gen, err: fmt.Errorf("serve %s: write the AWS CLI files: %w", it.ID, err)}
		}
		l.envFile = filepath.Join(l.env.Dir, "env")
		err = os.WriteFile(l.envFile, []byte(l.env.Exports()), 0o600)
		if !reg.add(l) {
			// The app quit meanwhile.
			_ = l.stop()
			return nil
		}
		if err != nil {
			_ = reg.stop(l)
			return servingMsg{gen: gen, err: fmt.Errorf("serve %s: write %s: %w", it.ID, l.envFile, err)}
		}
		return servingMsg{gen: gen, l: l}
	}
}

// stopServing is a command that stops a server and removes its files.
func stopServing(reg *liveServers, l *liveServer) tea.Cmd {
	return func() tea.Msg { return servingStoppedMsg{err: reg.stop(l)} }
}

// toggleServing serves the open scenario, or stops serving it.
func (s *Screen) toggleServing() tea.Cmd {
	sc := s.sc
	live := s.panes.live
	switch {
	case live.starting:
		return nil
	case sc.serving != nil:
		l := sc.serving
		sc.serving = nil
		// The Live pane keeps listing the requests it answered.
		s.setMessage("Stopped serving: the port is closed and the AWS CLI files are removed.", false)
		return stopServing(s.servers, l)
	}
	live.starting = true
	live.started = true
	s.focus(paneLive)
	return startServing(s.servers, sc.s, s.sh.Now, s.openGen)
}

// served takes a started server: the open scenario's, unless the
// learner left it meanwhile.
func (s *Screen) served(msg servingMsg) tea.Cmd {
	sc := s.sc
	if msg.err != nil {
		if sc != nil && msg.gen == s.openGen {
			s.panes.live.starting = false
		}
		return common.ReportErr(msg.err)
	}
	if sc == nil || msg.gen != s.openGen {
		return stopServing(s.servers, msg.l)
	}
	live := s.panes.live
	live.starting = false
	sc.serving = msg.l
	live.serving(msg.l)
	// The editor's drafts, as the steps run them.
	if err := msg.l.setPolicies(sc.servedTexts()); err != nil {
		return tea.Batch(common.ReportErr(err), s.waitLive(msg.l.feed.wait))
	}
	return s.waitLive(msg.l.feed.wait)
}

// liveEvents adds the requests that came to the Live pane, and waits for
// more while the server serves.
func (s *Screen) liveEvents(msg liveEventsMsg) tea.Cmd {
	if s.sc == nil || s.panes.live.feed != msg.feed {
		return nil
	}
	s.panes.live.add(msg.events, msg.dropped)
	if s.sc.serving == nil || s.sc.serving.feed != msg.feed {
		return nil
	}
	return s.waitLive(msg.feed.wait)
}

// waitLive is the command that waits for a server's next requests, run
// through Shared.Await.
func (s *Screen) waitLive(wait tea.Cmd) tea.Cmd {
	if s.sh.Await != nil {
		return s.sh.Await(wait)
	}
	return wait
}

// stopServingScenario stops serving as the scenario closes.
func (s *Screen) stopServingScenario() tea.Cmd {
	if s.sc == nil || s.sc.serving == nil {
		return nil
	}
	l := s.sc.serving
	s.sc.serving = nil
	return stopServing(s.servers, l)
}

// servedTexts is every policy's text as the steps run it: the last
// draft that parsed, or the text as shipped.
func (sc *scenarioState) servedTexts() map[scenarios.PolicyAddress]string {
	edits := sc.ws.Edits()
	out := make(map[scenarios.PolicyAddress]string, len(sc.policies))
	for _, p := range sc.policies {
		if t, ok := edits[p.Address]; ok {
			out[p.Address] = t
		} else {
			out[p.Address] = p.Text
		}
	}
	return out
}

// serveAll puts every policy in the served estate as the steps run it,
// after a reset or a restored state.
func (s *Screen) serveAll() tea.Cmd {
	if l := s.sc.serving; l != nil {
		return common.ReportErr(l.setPolicies(s.sc.servedTexts()))
	}
	return nil
}
