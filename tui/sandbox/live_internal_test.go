package sandbox

import (
	"context"
	"errors"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"iamlab/scenarios/serve"
)

// serveScenario presses S in an open scenario and returns the server it
// started.
func serveScenario(hs *harness) *liveServer {
	hs.tb.Helper()
	hs.press("S")
	l := hs.s.sc.serving
	if l == nil {
		hs.tb.Fatalf("S did not serve the scenario:\n%s", hs.screen())
	}
	if hs.s.sc.focus != paneLive {
		hs.tb.Fatalf("S left the focus on pane %d, want the Live pane", hs.s.sc.focus)
	}
	return l
}

// s3Client talks to the served endpoint as the AWS SDK does; nil
// credentials send unsigned requests.
func s3Client(l *liveServer, creds aws.CredentialsProvider) *s3.Client {
	if creds == nil {
		creds = aws.AnonymousCredentials{}
	}
	return s3.New(s3.Options{BaseEndpoint: aws.String(l.endpoint), Region: "us-east-1", Credentials: creds, UsePathStyle: true, RetryMaxAttempts: 1})
}

// profileCreds are a profile's keys from the credentials file S wrote.
func profileCreds(t *testing.T, l *liveServer, name string) aws.CredentialsProvider {
	t.Helper()
	data, err := os.ReadFile(l.env.Credentials)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range l.env.Profiles {
		if p.Name == name {
			if !strings.Contains(string(data), "["+name+"]\naws_access_key_id = "+p.AccessKeyID+"\n") {
				t.Fatalf("the credentials file has no profile %s with key %s:\n%s", name, p.AccessKeyID, data)
			}
			return credentials.NewStaticCredentialsProvider(p.AccessKeyID, p.SecretAccessKey, "")
		}
	}
	t.Fatalf("no profile %s", name)
	return nil
}

func awsCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// liveScreen is the screen with the endpoint's port and folder, which
// change from run to run, replaced by fixed text, and no spaces at the
// ends of lines, where the padding of those varies.
func liveScreen(hs *harness, l *liveServer) string {
	s := strings.NewReplacer(l.endpoint, "http://127.0.0.1:PORT", l.env.Dir, "/tmp/iamlab-serve-DIR").Replace(hs.screen())
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = strings.TrimRight(line, " ")
	}
	return strings.Join(lines, "\n")
}

// A learner serves the seed's sample question 1, reads the report
// without credentials as the job does, removes the bucket policy's read
// statement in the editor, and reads again: the Live pane lists both
// requests with their decisions and explains the denial as the steps do.
func TestSandboxLiveServesAndFollowsEdits(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "instance-role-removed")
	l := serveScenario(hs)
	screen := liveScreen(hs, l)
	for _, want := range []string{"6 Live", "● Serving this scenario at http://127.0.0.1:PORT",
		"export AWS_ENDPOINT_URL=http://127.0.0.1:PORT", "# profiles: alice", "No request yet", "aws sts get-caller-identity --profile alice"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after S the screen lacks %q:\n%s", want, screen)
		}
	}
	// A line too wide for the pane goes on after a backslash, so that
	// pasted it is still one line.
	pane := strings.ReplaceAll(ansi.Strip(hs.s.panes.live.view(hs.s.paneWidth(paneLive), hs.s.paneHeight())), "\\\n ", "")
	if want := "export AWS_SHARED_CREDENTIALS_FILE=" + l.env.Credentials + "\n"; !strings.Contains(pane, want) {
		t.Errorf("the Live pane lacks %q, its lines joined:\n%s", want, pane)
	}
	hs.checkShape()

	ctx := context.Background()
	anon := s3Client(l, nil)
	get := &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")}
	if _, err := anon.GetObject(ctx, get); err != nil {
		t.Fatalf("unsigned GetObject as served: %v", err)
	}
	hs.awaitLive()
	screen = hs.screen()
	for _, want := range []string{"anonymous", "s3:GetObject", "my-bucket/report.csv", "✓ Allow", "Request 1 · 09:00:00 · s3 GetObject",
		"Resource-based policy", `✓ statement "PublicRead" (Allow): matched`} {
		if !strings.Contains(screen, want) {
			t.Errorf("after the first read the Live pane lacks %q:\n%s", want, screen)
		}
	}

	// The edit reaches the served estate at once: the same read is now
	// denied.
	editPolicy(hs, "bucket/my-bucket")
	removeReadStatement(hs)
	hs.press("esc", "6")
	_, err := anon.GetObject(ctx, get)
	if code := awsCode(err); code != "AccessDenied" {
		t.Fatalf("unsigned GetObject after removing the read statement: %v, want AccessDenied", err)
	}
	hs.awaitLive()
	screen = hs.screen()
	for _, want := range []string{"✗ ImplicitDeny", "Request 2 · 09:00:00 · s3 GetObject", "HTTP 403", "AWS says",
		"Resource-based policy  ← denied here", "(no statements)"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after the second read the Live pane lacks %q:\n%s", want, screen)
		}
	}

	// A change made through the API shows as a request too.
	alice := s3Client(l, profileCreds(t, l, "alice"))
	if _, err := alice.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("new.csv"), Body: strings.NewReader("a,b\n")}); err != nil {
		t.Fatalf("PutObject as alice: %v", err)
	}
	hs.awaitLive()
	if screen = hs.screen(); !strings.Contains(screen, "user/alice") || !strings.Contains(screen, "s3:PutObject") {
		t.Errorf("alice's PutObject is not listed:\n%s", screen)
	}

	// Up selects the denial again; its explanation follows.
	hs.press("up")
	if screen = hs.screen(); !strings.Contains(screen, "Request 2 ·") {
		t.Errorf("up did not select request 2:\n%s", screen)
	}
	hs.checkShape()
}

// S again stops serving: the port no longer answers and the AWS CLI
// files are gone; the requests stay listed.
func TestSandboxLiveStop(t *testing.T) {
	// A short folder for the CLI files, as on most machines: the export
	// lines then fit 80 columns whole.
	t.Setenv("TMPDIR", "/tmp")
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	l := serveScenario(hs)
	hs.checkShape()
	screen := liveScreen(hs, l)
	for _, want := range []string{"export AWS_SHARED_CREDENTIALS_FILE=/tmp/iamlab-serve-DIR/credentials",
		"export AWS_CONFIG_FILE=/tmp/iamlab-serve-DIR/config", ". /tmp/iamlab-serve-DIR/env"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after S the screen lacks %q:\n%s", want, screen)
		}
	}
	if env, err := os.ReadFile(l.envFile); err != nil || string(env) != l.env.Exports() {
		t.Errorf("%s holds %q (%v), want the export lines", l.envFile, env, err)
	}
	if _, err := s3Client(l, nil).GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String("my-bucket"), Key: aws.String("report.csv")}); err != nil {
		t.Fatalf("unsigned GetObject: %v", err)
	}
	hs.awaitLive()
	golden.RequireEqual(t, liveScreen(hs, l))
	hs.press("S")
	if hs.s.sc.serving != nil {
		t.Fatal("S again did not stop serving")
	}
	wantClosed(t, l)
	screen = hs.screen()
	for _, want := range []string{"Stopped serving", "Not serving: stopped after 1 request", "✓ Allow"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after stopping the screen lacks %q:\n%s", want, screen)
		}
	}
	hs.checkShape()
	// S serves again, on another port; leaving the scenario stops it.
	again := serveScenario(hs)
	if again == l {
		t.Fatal("S did not start a new server")
	}
	hs.press("esc")
	if hs.s.sc != nil {
		t.Fatal("esc did not leave the scenario")
	}
	wantClosed(t, again)
}

// wantClosed fails unless the server's port refuses connections and its
// folder is gone.
func wantClosed(t *testing.T, l *liveServer) {
	t.Helper()
	u, err := url.Parse(l.endpoint)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still answers after serving stopped", u.Host)
	}
	if _, err := os.Stat(l.env.Dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there after serving stopped (%v)", l.env.Dir, err)
	}
}

// A flood of requests keeps at most maxLiveEvents, in the feed and in
// the pane, and says how many it left out.
func TestSandboxLiveCap(t *testing.T) {
	f := newLiveFeed()
	for i := range 3 * maxLiveEvents {
		f.push(serve.Event{Seq: int64(i + 1)})
	}
	msg, ok := f.wait().(liveEventsMsg)
	if !ok || len(msg.events) != maxLiveEvents || msg.dropped != 2*maxLiveEvents {
		t.Fatalf("wait() = %d events, %d dropped; want %d and %d", len(msg.events), msg.dropped, maxLiveEvents, 2*maxLiveEvents)
	}
	if last := msg.events[len(msg.events)-1].Seq; last != 3*maxLiveEvents {
		t.Fatalf("the last event kept is %d, want the newest, %d", last, 3*maxLiveEvents)
	}
	p := &livePane{}
	p.add(msg.events, msg.dropped)
	p.add([]serve.Event{{Seq: 3*maxLiveEvents + 1}}, 0)
	if len(p.events) != maxLiveEvents || p.dropped != 2*maxLiveEvents+1 || p.events[p.sel].Seq != 3*maxLiveEvents+1 {
		t.Fatalf("the pane keeps %d events, %d dropped, selects %d; want %d, %d and the newest", len(p.events), p.dropped, p.events[p.sel].Seq,
			maxLiveEvents, 2*maxLiveEvents+1)
	}
}

// A scenario with a virtual MFA device says how to get its code for the
// served estate, as iamlab serve does; a comment too long for the pane
// goes on as comments, which a backslash would not do.
func TestSandboxLiveMFALine(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "mfa-get-session-token")
	l := serveScenario(hs)
	if len(l.mfa) == 0 {
		t.Fatal("the served estate lists no MFA device")
	}
	pane := ansi.Strip(hs.s.panes.live.view(hs.s.paneWidth(paneLive), hs.s.paneHeight()))
	want := "MFA: aws sts get-session-token --serial-number " + l.mfa[0] + " --token-code $(iamlab totp " + l.mfa[0] +
		" --scenario mfa-get-session-token) --profile USER"
	if got := strings.ReplaceAll(pane, "\n # ", " "); !strings.Contains(got, want) {
		t.Errorf("the Live pane lacks %q:\n%q", want, got)
	}
	for _, line := range strings.Split(pane, "\n") {
		if strings.HasPrefix(line, " # ") && strings.HasSuffix(line, `\`) {
			t.Errorf("a comment line ends in a backslash: %q", line)
		}
	}
	hs.checkShape()
}

// Up pins the Live pane's selection, so a request that arrives leaves it
// where the learner put it; G goes back to the newest and follows the
// requests again.
func TestSandboxLiveSelectionFollowsUntilPicked(t *testing.T) {
	p := &livePane{s: &Screen{km: newKeyMap()}}
	p.add([]serve.Event{{Seq: 1}, {Seq: 2}, {Seq: 3}}, 0)
	p.update(keyMsg("up"))
	p.add([]serve.Event{{Seq: 4}}, 0)
	if got := p.events[p.sel].Seq; got != 2 {
		t.Fatalf("after up and a new request, request %d is selected, want 2", got)
	}
	p.update(keyMsg("G"))
	p.add([]serve.Event{{Seq: 5}}, 0)
	if got := p.events[p.sel].Seq; got != 5 {
		t.Fatalf("after G and a new request, request %d is selected, want the newest, 5", got)
	}
}
