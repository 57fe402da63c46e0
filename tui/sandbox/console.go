package sandbox

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/textinput"

	"iamlab/engine/estate"
	"iamlab/scenarios"
	"iamlab/scenarios/awscli"
	"iamlab/tui/common"
)

// The STS console: a prompt inside a scenario that takes AWS CLI command
// lines and runs them on a sandbox of the scenario's estate, with the
// learner's policies. Its clock follows the app's, plus whatever the
// learner advanced it by, so session credentials expire and MFA codes
// change as they would.

// consoleKind says how a line of the console's output is drawn.
type consoleKind int

const (
	conPrompt consoleKind = iota
	conJSON
	conError
	conNote
	conWhy
)

type consoleEntry struct {
	kind consoleKind
	text string
	// lines is the entry drawn at width linesW, kept so that typing at
	// the prompt does not highlight and wrap the whole output again.
	lines  []string
	linesW int
}

// consoleBuiltins are the console's own commands, beside aws.
var consoleBuiltins = []string{"as", "advance", "clear", "help"}

type stsConsole struct {
	sb *scenarios.Sandbox
	// start is the sandbox clock when the console opened, at the app time
	// opened; advanced is what the learner added since.
	start, opened time.Time
	advanced      time.Duration

	input   textinput.Model
	out     []consoleEntry
	history []string
	// hpos walks the history: len(history) is the line being typed, kept
	// in draft.
	hpos  int
	draft string
	// off scrolls the output up from its end.
	off int

	// as is who runs the commands, as a scenario step names a caller;
	// back is who the learner was before acting as a session.
	as, back string
	// unsigned is set when as has no credentials: every call goes
	// unsigned.
	unsigned bool
	// arn is as's ARN, as GetCallerIdentity says it.
	arn string
	// last is the session most recently returned; sessions counts them.
	last     string
	sessions int
	cands    []string
}

func newConsole(sc *scenarioState, in textinput.Model, now time.Time) *stsConsole {
	c := &stsConsole{sb: sc.s.NewSandbox(), opened: now, input: in, history: slices.Clone(sc.ws.History())}
	c.start = c.sb.Clock.Now()
	for a, text := range sc.ws.Edits() {
		_ = c.sb.SetPolicy(a, text)
	}
	c.hpos = len(c.history)
	c.setAs(defaultCaller(sc.s))
	c.note("Type an AWS CLI command, such as aws sts get-caller-identity. tab completes, ↑↓ walk the history; help lists the rest.")
	return c
}

// defaultCaller is who the console starts as: the first caller of the
// scenario's steps that is not a session.
func defaultCaller(s *scenarios.Scenario) string {
	for _, st := range s.Steps {
		if st.As != "" && !strings.HasPrefix(st.As, "session ") {
			return st.As
		}
	}
	return "anonymous"
}

// now is the sandbox's time at the app's time t.
func (c *stsConsole) now(t time.Time) time.Time {
	return c.start.Add(t.Sub(c.opened)).Add(c.advanced)
}

func (c *stsConsole) setPolicy(addr, text string) { _ = c.sb.SetPolicy(addr, text) }

// maxConsoleEntries bounds the output kept for scrolling back.
const maxConsoleEntries = 400

func (c *stsConsole) add(k consoleKind, s string) {
	c.out = append(c.out, consoleEntry{kind: k, text: s})
	if len(c.out) > maxConsoleEntries {
		c.out = c.out[len(c.out)-maxConsoleEntries:]
	}
}

func (c *stsConsole) note(s string)  { c.add(conNote, s) }
func (c *stsConsole) fail(s string)  { c.add(conError, s) }
func (c *stsConsole) print(s string) { c.add(conJSON, s) }

// setAs switches the caller and looks up its ARN. Acting as nobody (or
// as an instance without a role) works: every call then goes unsigned.
// When as names no caller, the console says so and who it still acts as.
func (c *stsConsole) setAs(as string) bool {
	unsigned, err := c.sb.Unsigned(as)
	if err != nil {
		c.fail(c.failedAs(as, err.Error()))
		return false
	}
	if unsigned {
		c.as, c.arn, c.unsigned = as, "", true
		return true
	}
	o := c.sb.Run(as, "aws sts get-caller-identity")
	if o.Code != "" && o.Code != "ExpiredToken" {
		c.fail(c.failedAs(as, o.Message))
		return false
	}
	c.as, c.arn, c.unsigned = as, "", false
	var id struct{ Arn string }
	if json.Unmarshal([]byte(o.Output), &id) == nil {
		c.arn = id.Arn
	}
	return true
}

// failedAs says why as names nobody, and that nothing changed.
func (c *stsConsole) failedAs(as, why string) string {
	now := c.whoLine()
	if c.as == "" {
		now = "nobody yet"
	}
	return "as " + as + ": " + strings.TrimSuffix(why, ".") + ". The identity did not change: still acting as " + now + "."
}

// whoLine says who the console acts as.
func (c *stsConsole) whoLine() string {
	switch {
	case c.as == "anonymous" || c.as == "":
		return "anonymous (no credentials)"
	case c.unsigned:
		return c.as + " (no role: calls go unsigned)"
	case c.arn != "" && c.arn != c.as:
		return c.as + " · " + c.arn
	}
	return c.as
}

// session is the credentials the console acts with, when they are a
// session STS issued.
func (c *stsConsole) session() *estate.Session {
	name, ok := strings.CutPrefix(c.as, "session ")
	if !ok {
		return nil
	}
	cr, ok := c.sb.Sessions[name]
	if !ok {
		return nil
	}
	return c.sb.Estate.Sessions[cr.AccessKeyID]
}

// run runs one line typed at the prompt at app time t.
func (c *stsConsole) run(line string, t time.Time) {
	line = strings.TrimSpace(line)
	c.cands, c.off = nil, 0
	if line == "" {
		return
	}
	if n := len(c.history); n == 0 || c.history[n-1] != line {
		c.history = append(c.history, line)
	}
	c.hpos, c.draft = len(c.history), ""
	c.add(conPrompt, c.prompt()+line)
	c.sb.Clock.Set(c.now(t))
	words := strings.Fields(line)
	switch words[0] {
	case "aws":
		c.runAWS(line)
		// A call may take the role from the instance the console acts as.
		if u, err := c.sb.Unsigned(c.as); err == nil {
			c.unsigned = u
		}
	case "help":
		c.help()
	case "clear":
		c.out = nil
	case "as":
		who := strings.TrimSpace(strings.TrimPrefix(line, "as"))
		if who == "" {
			c.note("as WHO: a user name, root, anonymous, instance ID, session NAME or an ARN. Now: " + c.whoLine())
			return
		}
		if c.setAs(who) {
			c.back = ""
			c.note("Acting as " + c.whoLine() + ".")
		}
	case "advance":
		if len(words) != 2 {
			c.fail("advance DURATION moves the sandbox clock on, such as advance 90m or advance 12h.")
			return
		}
		d, err := time.ParseDuration(strings.TrimPrefix(words[1], "+"))
		if err != nil || d <= 0 {
			c.fail("advance: " + words[1] + " is not a duration such as 30s, 15m or 2h.")
			return
		}
		c.advance(d, t)
	default:
		c.unknown(line, words[0])
	}
}

func (c *stsConsole) runAWS(line string) {
	o := c.sb.Run(c.as, line)
	if o.Code != "" {
		c.fail(o.Message)
		if o.Denied != nil {
			c.add(conWhy, o.Denied.Result.Reason())
		}
		return
	}
	if o.Output != "" && o.Output != "{}" {
		c.print(o.Output)
	}
	if o.Session != nil {
		c.sessions++
		name := fmt.Sprintf("s%d", c.sessions)
		c.sb.Sessions[name] = *o.Session
		c.last = name
		c.note("These credentials are session " + name + ": ctrl+o acts as it (or type as session " + name + ").")
	}
}

// advance moves the sandbox clock on by d.
func (c *stsConsole) advance(d time.Duration, t time.Time) {
	c.advanced += d
	c.sb.Clock.Set(c.now(t))
	msg := "The sandbox clock is now " + c.now(t).UTC().Format("2006-01-02 15:04:05") + " UTC (+" + shortDuration(c.advanced) + ")."
	if s := c.session(); s != nil && !c.now(t).Before(s.Expiration) {
		msg += " The session you act as has expired."
	}
	c.note(msg)
}

// toggleSession acts as the session the last call returned, or goes back
// to who the learner was before.
func (c *stsConsole) toggleSession() {
	switch {
	case c.back != "":
		back := c.back
		c.back = ""
		if c.setAs(back) {
			c.note("Back to acting as " + c.whoLine() + ".")
		}
	case c.last != "":
		prev := c.as
		if c.setAs("session " + c.last) {
			c.back = prev
			c.note("Acting as " + c.whoLine() + ". ctrl+o goes back to " + prev + ".")
		}
	default:
		c.note("No call has returned credentials yet: run aws sts get-session-token or aws sts assume-role first.")
	}
}

func (c *stsConsole) unknown(line, word string) {
	if _, err := awscli.Parse("aws " + line); err == nil {
		c.fail(fmt.Sprintf("Unknown command %q. Did you mean aws %s?", word, line))
		return
	}
	if best, bd := awscli.Nearest(word, consoleBuiltins); bd <= 2 {
		c.fail(fmt.Sprintf("Unknown command %q. Did you mean %s?", word, best))
		return
	}
	c.fail(fmt.Sprintf("Unknown command %q. Commands start with aws, as in the AWS CLI (aws sts get-caller-identity); the console also knows as, advance, clear and help.", word))
}

func (c *stsConsole) help() {
	var lines []string
	lines = append(lines, "AWS CLI commands the sandbox runs:")
	for _, s := range awscli.Specs() {
		lines = append(lines, fmt.Sprintf("  aws %-44s %s", s.Name(), s.Help))
	}
	lines = append(lines,
		"The console's own:",
		"  as WHO              act as a user, root, anonymous, instance ID, session NAME or ARN",
		"  advance DURATION    move the sandbox clock on (ctrl+t: one hour)",
		"  clear               clear the output",
		"Keys: tab completes · ↑↓ history · ctrl+o act as the last session and back · esc leaves the prompt")
	c.note(strings.Join(lines, "\n"))
}

func (c *stsConsole) prompt() string {
	who := c.as
	if who == "" {
		who = "anonymous"
	}
	return who + " $ "
}

// historyStep walks the history: -1 older, +1 newer.
func (c *stsConsole) historyStep(d int) {
	if len(c.history) == 0 {
		return
	}
	if c.hpos == len(c.history) {
		c.draft = c.input.Value()
	}
	c.hpos = common.ClampInt(c.hpos+d, 0, len(c.history))
	if c.hpos == len(c.history) {
		c.input.SetValue(c.draft)
	} else {
		c.input.SetValue(c.history[c.hpos])
	}
	c.input.CursorEnd()
}

// complete completes the word before the cursor: one candidate is typed
// in, several extend to their common prefix and are listed.
func (c *stsConsole) complete(t time.Time) {
	line := c.input.Value()
	cands := c.candidates(line, t)
	c.cands = nil
	if len(cands) == 0 {
		return
	}
	cut := strings.LastIndexAny(line, " ") + 1
	word := line[cut:]
	if len(cands) == 1 {
		c.input.SetValue(line[:cut] + cands[0] + " ")
		c.input.CursorEnd()
		return
	}
	if p := commonPrefix(cands); len(p) > len(word) {
		c.input.SetValue(line[:cut] + p)
		c.input.CursorEnd()
	}
	c.cands = cands
}

func (c *stsConsole) candidates(line string, t time.Time) []string {
	words := strings.Fields(line)
	if len(words) == 0 || (len(words) == 1 && !strings.HasSuffix(line, " ")) {
		var out []string
		prefix := strings.TrimSpace(line)
		for _, w := range append([]string{"aws"}, consoleBuiltins...) {
			if strings.HasPrefix(w, prefix) && w != prefix {
				out = append(out, w)
			}
		}
		return out
	}
	last := ""
	if !strings.HasSuffix(line, " ") {
		last = words[len(words)-1]
	}
	filter := func(cs []string) []string {
		var out []string
		for _, s := range cs {
			if strings.HasPrefix(s, last) && s != last {
				out = append(out, s)
			}
		}
		return out
	}
	switch words[0] {
	case "as":
		n := len(words)
		if last != "" {
			n--
		}
		switch {
		case n == 2 && words[1] == "session":
			return filter(sortedNames(c.sb.Sessions))
		case n == 2 && words[1] == "instance":
			return filter(c.instances())
		case n == 1:
			return filter(append([]string{"root", "anonymous", "instance", "session"}, c.users()...))
		}
		return nil
	case "advance":
		return filter([]string{"15m", "1h", "12h", "36h"})
	case "aws":
		return awscli.Complete(line, func(opt string) []string { return c.values(opt, t) })
	}
	return nil
}

// values are the completions of an option's value: the estate's ARNs and
// names.
func (c *stsConsole) values(opt string, t time.Time) []string {
	e := c.sb.Estate
	var out []string
	for _, acct := range sortedNames(e.Accounts) {
		a := e.Accounts[acct]
		switch opt {
		case "role-arn":
			for _, n := range sortedNames(a.Roles) {
				out = append(out, estate.RoleARN(acct, a.Roles[n].Path, n))
			}
		case "role-name":
			out = append(out, sortedNames(a.Roles)...)
		case "user-name":
			out = append(out, sortedNames(a.Users)...)
		case "group-name":
			out = append(out, sortedNames(a.Groups)...)
		case "policy-arn", "policy-arns":
			for _, n := range sortedNames(a.Policies) {
				out = append(out, estate.PolicyARN(acct, a.Policies[n].Path, n))
			}
		case "bucket":
			out = append(out, sortedNames(a.Buckets)...)
		case "key":
			for _, b := range sortedNames(a.Buckets) {
				out = append(out, sortedNames(a.Buckets[b].Objects)...)
			}
		case "instance-profile-name":
			out = append(out, sortedNames(a.InstanceProfiles)...)
		case "iam-instance-profile":
			for _, n := range sortedNames(a.InstanceProfiles) {
				out = append(out, "Name="+n)
			}
		case "instance-id":
			out = append(out, sortedNames(a.Instances)...)
		case "key-id":
			out = append(out, sortedNames(a.Keys)...)
		case "principal-arn":
			for _, n := range sortedNames(a.SAMLProviders) {
				out = append(out, estate.SAMLProviderARN(acct, n))
			}
		}
	}
	switch opt {
	case "serial-number":
		out = append(out, c.sb.MFADevices()...)
	case "token-code":
		for _, d := range c.sb.MFADevices() {
			if _, _, dev := e.MFADevice(d); dev != nil {
				if code, err := dev.Code(c.now(t)); err == nil {
					out = append(out, code)
				}
			}
		}
	case "version-id":
		out = append(out, "v1", "v2", "v3", "v4", "v5")
	case "duration-seconds":
		out = append(out, "900", "3600", "7200", "43200")
	case "role-session-name":
		out = append(out, "console")
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (c *stsConsole) users() []string {
	var out []string
	for _, acct := range sortedNames(c.sb.Estate.Accounts) {
		out = append(out, sortedNames(c.sb.Estate.Accounts[acct].Users)...)
	}
	return out
}

func (c *stsConsole) instances() []string {
	var out []string
	for _, acct := range sortedNames(c.sb.Estate.Accounts) {
		out = append(out, sortedNames(c.sb.Estate.Accounts[acct].Instances)...)
	}
	return out
}

// mfaCode is one virtual MFA device's code at the sandbox's time.
type mfaCode struct {
	name, code string
	left       int // seconds until the code changes
}

func (c *stsConsole) mfaCodes(t time.Time) []mfaCode {
	now := c.now(t)
	var out []mfaCode
	for _, serial := range c.sb.MFADevices() {
		_, name, d := c.sb.Estate.MFADevice(serial)
		if d == nil {
			continue
		}
		code, err := d.Code(now)
		if err != nil {
			continue
		}
		out = append(out, mfaCode{name, code, 30 - int(now.Unix()%30)})
	}
	return out
}

// sortedNames is a map's keys in order: the console lists the estate's
// users, roles, buckets and so on by name.
func sortedNames[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

func commonPrefix(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	p := ss[0]
	for _, s := range ss[1:] {
		for !strings.HasPrefix(s, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// shortDuration writes 1h30m0s as 1h30m.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Second).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
