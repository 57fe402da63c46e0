package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"iamlab/engine/estate"
	"iamlab/scenarios"
)

// Limits on what a request may send: S3 objects are kept in memory.
const (
	// maxBody is the largest request body accepted; S3 answers a larger
	// PutObject with EntityTooLarge, the other services with 413.
	maxBody        = 16 << 20
	maxHeaderBytes = 64 << 10
)

// Options tune a Server. The zero value serves on the wall clock.
type Options struct {
	// Clock gives the time of each request (time.Now when nil): session
	// expiry, MFA codes and presigned URLs all follow it.
	Clock func() time.Time
	// Soft allows every request that policies would deny, after
	// reporting the denial (Event.Soft): one run then shows every
	// missing permission. It reruns the request as the root user of the
	// resource's account, so what root cannot do (assume a role) stays
	// denied.
	Soft bool
	// Suggest records every authorization each principal asks for, for
	// SuggestPolicies; without it nothing is kept.
	Suggest bool
	// OnEvent, when set, is called once per request after it is answered,
	// from the request's goroutine.
	OnEvent func(Event)
	// Hosts are the endpoint's host names, under which BUCKET.HOST is a
	// virtual-hosted-style S3 request; "localhost" when empty.
	Hosts []string
}

// Event is one request as the server decided it.
type Event struct {
	Seq       int64
	Time      time.Time
	Service   string // sts, iam, ec2, s3, kms, dynamodb
	Operation string // AssumeRole, GetObject
	// Principal is the caller's ARN, "anonymous", or "" when the request
	// was refused before authentication.
	Principal string
	// Action and Resource are the authorization that decided the request.
	Action, Resource string
	// Decision is Allow, ExplicitDeny, ImplicitDeny, or the AWS error code
	// of a request that failed for another reason.
	Decision string
	// Code and Message are the AWS error the client saw ("" on success);
	// Status is the HTTP status.
	Code, Message string
	Status        int
	// Reason is the engine's sentence for the deciding authorization, and
	// Step the trace step that decided it.
	Reason, Step string
	// Soft: policies denied the request and Options.Soft allowed it.
	Soft bool
	// Outcome holds every authorization the request took, with traces,
	// for a full explanation; nil when it never reached the estate.
	Outcome *scenarios.Outcome
}

// Server serves one estate. It is safe for concurrent use: requests are
// decided one at a time against the estate, so no state change is lost.
type Server struct {
	opts  Options
	mu    sync.Mutex
	sb    *scenarios.Sandbox
	count atomic.Int64
	// used records, per principal, the action and resource of every
	// authorization, for SuggestPolicies (with Options.Suggest).
	used map[string]map[grant]bool

	srv *http.Server
	ln  net.Listener
	// fresh are connections that have not sent a request yet: Shutdown
	// closes them, or net/http would wait 5 s for each.
	connMu sync.Mutex
	fresh  map[net.Conn]bool
}

type grant struct{ action, resource string }

// New serves a fresh sandbox of the scenario. IAM users without an access
// key get one, so every user can be a profile.
func New(s *scenarios.Scenario, o Options) (*Server, error) {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if len(o.Hosts) == 0 {
		o.Hosts = []string{"localhost"}
	}
	sb, err := sandbox(s)
	if err != nil {
		return nil, err
	}
	return &Server{opts: o, sb: sb, used: map[string]map[grant]bool{}}, nil
}

// sandbox starts a fresh sandbox of a scenario, with an access key for
// every IAM user that has none.
func sandbox(s *scenarios.Scenario) (*scenarios.Sandbox, error) {
	sb := s.NewSandbox()
	for _, acct := range slices.Sorted(maps.Keys(sb.Estate.Accounts)) {
		a := sb.Estate.Accounts[acct]
		for _, name := range slices.Sorted(maps.Keys(a.Users)) {
			if len(a.Users[name].AccessKeys) == 0 {
				if _, err := sb.Estate.CreateAccessKey(acct, name); err != nil {
					return nil, err
				}
			}
		}
	}
	return sb, nil
}

// Requests is how many requests the server has answered.
func (s *Server) Requests() int64 { return s.count.Load() }

// Update runs fn on the served sandbox while no request is being decided:
// the way to edit a policy, or swap the estate, while serving.
func (s *Server) Update(fn func(sb *scenarios.Sandbox) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fn(s.sb)
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in
// the background. It returns the endpoint URL.
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	s.ln = ln
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState: func(c net.Conn, st http.ConnState) {
			s.connMu.Lock()
			defer s.connMu.Unlock()
			if st == http.StateNew {
				s.fresh[c] = true
			} else {
				delete(s.fresh, c)
			}
		},
	}
	s.fresh = map[net.Conn]bool{}
	go func() { _ = s.srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Shutdown stops listening and waits for requests in flight.
func (s *Server) Shutdown(ctx context.Context) error {
	if s.srv == nil {
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- s.srv.Shutdown(ctx) }()
	s.connMu.Lock()
	for c := range s.fresh {
		_ = c.Close()
	}
	s.connMu.Unlock()
	err := <-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ServeHTTP answers one AWS API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ev := Event{Seq: s.count.Add(1), Time: s.opts.Clock().UTC()}
	reqID := requestID()
	var resp *response
	defer func() {
		if p := recover(); p != nil {
			// A request must never take the server down.
			resp = &response{status: http.StatusInternalServerError, body: []byte("internal error\n")}
			ev.Code, ev.Status = "InternalFailure", http.StatusInternalServerError
		}
		resp.write(w, r, reqID)
		if s.opts.OnEvent != nil {
			s.opts.OnEvent(ev)
		}
	}()
	resp = s.handle(r, reqID, &ev)
	ev.Status = resp.status
}

func (s *Server) handle(r *http.Request, reqID string, ev *Event) *response {
	sig, aerr := parseSignature(r)
	body, err := readBody(r)
	if err != nil {
		// Decoded without its body, the request still names its protocol,
		// so the error speaks the right dialect.
		w, _ := decode(r, nil, sig, s.opts.Hosts)
		we := &wireError{http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body is larger than the 16 MB this endpoint accepts"}
		if errors.Is(err, errTooLarge) && w.proto == protoS3 {
			we = badRequest("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
		} else if !errors.Is(err, errTooLarge) {
			we = badRequest("IncompleteBody", "The request body terminated unexpectedly")
		}
		return s.fail(ev, w, we, reqID)
	}
	w, derr := decode(r, body, sig, s.opts.Hosts)
	ev.Service, ev.Operation = w.service, w.op
	if derr != nil {
		return s.fail(ev, w, derr, reqID)
	}
	if aerr != nil {
		return s.fail(ev, w, authFailure(w, aerr), reqID)
	}
	cmd, werr := w.command()
	if werr != nil {
		return s.fail(ev, w, werr, reqID)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Clock().UTC()
	ev.Time = now
	s.sb.Clock.Set(now)
	var caller estate.Caller
	switch {
	case sig.present:
		c, aerr := verify(r, sig, body, s.sb.Estate, now, time.Now())
		if aerr != nil {
			return s.fail(ev, w, authFailure(w, aerr), reqID)
		}
		caller = c
	case w.proto == protoS3 || (w.service == "sts" && (w.op == "AssumeRoleWithWebIdentity" || w.op == "AssumeRoleWithSAML")):
		// Anonymous: S3 decides it by the bucket policy; federation
		// calls are authenticated by their token or assertion.
	default:
		return s.fail(ev, w, authFailure(w, &authError{kind: authMissing}), reqID)
	}
	id, _ := s.sb.Estate.Resolve(caller, now)
	if id != nil {
		ev.Principal = principalName(id)
	}
	o := s.sb.Exec(caller, cmd)
	if s.opts.Suggest {
		s.record(o)
	}
	if s.opts.Soft && deniedByPolicy(o) {
		// Where the stand-in cannot act either (root may not assume a
		// role), the denial stands.
		if again := s.sb.Exec(s.stand(o.Denied, id), cmd); again.Code == "" {
			s.describe(ev, o)
			ev.Soft = true
			o = again
		}
	}
	if !ev.Soft {
		s.describe(ev, o)
	}
	ev.Outcome = o
	resp := s.encode(w, o, id, reqID)
	if o.Code != "" {
		ev.Code, ev.Message = wireCode(w, o), awsMessage(o.Message)
	}
	return resp
}

// fail answers a request refused before it reached the estate.
func (s *Server) fail(ev *Event, w *wireRequest, e *wireError, reqID string) *response {
	ev.Decision, ev.Code, ev.Message = e.code, e.code, e.message
	return errorResponse(w, e.status, e.code, e.message, reqID)
}

var errTooLarge = errors.New("request body too large")

func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	if r.ContentLength > maxBody {
		return nil, errTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxBody {
		return nil, errTooLarge
	}
	return b, nil
}

func requestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func principalName(id *estate.Identity) string {
	if id.Kind == estate.KindAnonymous {
		return "anonymous"
	}
	return id.ARN
}

// deniedByPolicy reports an outcome that policies denied, as opposed to
// one that failed for another reason (no such key, bad parameter).
func deniedByPolicy(o *scenarios.Outcome) bool {
	return o.Denied != nil && o.Denied.Identity != nil && o.Denied.Result.Decision.String() != "Allow"
}

// stand is who runs a denied request in soft mode: the root user of the
// account that owns the resource, whom only SCPs and RCPs limit there.
func (s *Server) stand(d *estate.Decision, id *estate.Identity) estate.Caller {
	acct := d.Request.Resource.Account
	if acct == "" && id != nil {
		acct = id.Account
	}
	if acct == "" {
		acct = s.sb.Scenario.Account
	}
	return estate.Caller{ARN: estate.RootARN(acct)}
}

// describe fills an event from an outcome: the deciding authorization,
// its reason, and the trace step that decided it.
func (s *Server) describe(ev *Event, o *scenarios.Outcome) {
	d := o.Denied
	if d == nil && len(o.Checks) > 0 {
		d = o.Checks[len(o.Checks)-1]
	}
	ev.Decision = o.Verdict()
	if d != nil {
		ev.Action, ev.Resource = d.Action, d.Resource
	}
	switch {
	case o.Denied != nil && d.Identity != nil:
		ev.Reason = d.Result.Reason()
		ev.Step = decidingStep(d)
	case o.Denied != nil && d.Err != nil:
		ev.Reason = d.Err.Detail
	case o.Code == "" && d != nil && d.Identity != nil:
		ev.Reason = d.Result.Reason()
		ev.Step = decidingStep(d)
	}
	if ev.Reason == "" && o.Code != "" {
		ev.Reason = awsMessage(o.Message)
	}
}

// record keeps each authorization a principal asked for, allowed or
// not, for SuggestPolicies.
func (s *Server) record(o *scenarios.Outcome) {
	for _, d := range o.Checks {
		id := d.Identity
		if id == nil || (id.Kind != estate.KindUser && id.Kind != estate.KindAssumedRole) {
			continue
		}
		m := s.used[id.PrincipalARN]
		if m == nil {
			m = map[grant]bool{}
			s.used[id.PrincipalARN] = m
		}
		m[grant{d.Action, d.Resource}] = true
	}
}

// awsMessage takes AWS's own message out of the CLI's error line.
func awsMessage(line string) string {
	if i := strings.Index(line, " operation: "); i >= 0 && strings.HasPrefix(line, "An error occurred (") {
		return line[i+len(" operation: "):]
	}
	return line
}

// Profile is an IAM user's long-term access key, as a named CLI profile.
type Profile struct {
	Name            string // alice; ACCOUNT-NAME for other accounts
	Account, User   string
	AccessKeyID     string
	SecretAccessKey string
}

// Profiles lists a profile for every IAM user with an active access key:
// users of the home account by name, others as ACCOUNT-NAME.
func (s *Server) Profiles() []Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Profile
	home := s.sb.Scenario.Account
	for acct, a := range s.sb.Estate.Accounts {
		for name, u := range a.Users {
			for _, k := range u.AccessKeys {
				if k.Status != "" && k.Status != "Active" {
					continue
				}
				p := Profile{Name: name, Account: acct, User: name, AccessKeyID: k.ID, SecretAccessKey: k.Secret}
				if acct != home {
					p.Name = acct + "-" + name
				}
				out = append(out, p)
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].Account == home) != (out[j].Account == home) {
			return out[i].Account == home
		}
		return out[i].Name < out[j].Name
	})
	return out
}
