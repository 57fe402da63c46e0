package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TestMain lets a test run the binary's main in a child process, for the
// commands that wait for a signal.
func TestMain(m *testing.M) {
	if args := os.Getenv("IAMLAB_TEST_RUN"); args != "" {
		os.Exit(run(strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// iamlab serve prints the export lines, writes --env-file once listening,
// serves, and on SIGTERM stops, says how many requests it served, writes
// --save and removes its credentials folder.
func TestServeProcess(t *testing.T) {
	dir := t.TempDir()
	envFile, saved, suggested := filepath.Join(dir, "env"), filepath.Join(dir, "saved.yaml"), filepath.Join(dir, "suggested.json")
	args := []string{"serve", "--scenario", "instance-role-removed", "--addr", "127.0.0.1:0", "--env-file", envFile, "--save", saved,
		"--suggest-policy", suggested, "--log-format", "json"}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "IAMLAB_TEST_RUN="+strings.Join(args, "\x1f"))
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var env []byte
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(envFile); err == nil && len(b) > 0 {
			env = b
			break
		}
	}
	if env == nil {
		t.Fatalf("no --env-file after 30 s; stderr: %s", stderr.String())
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export (\w+)=(.*)$`).FindAllStringSubmatch(string(env), -1) {
		vars[m[1]] = m[2]
	}
	endpoint := vars["AWS_ENDPOINT_URL"]
	if !strings.HasPrefix(endpoint, "http://127.0.0.1:") {
		t.Fatalf("AWS_ENDPOINT_URL = %q, want loopback", endpoint)
	}
	st, err := os.Stat(vars["AWS_SHARED_CREDENTIALS_FILE"])
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file: %v %v, want mode 0600", err, st)
	}
	resp, err := http.Get(endpoint + "/my-bucket/report.csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "month,total") {
		t.Fatalf("unsigned GET = %d %q", resp.StatusCode, body)
	}
	// The same GET signed as alice, whose call --suggest-policy writes up.
	creds, err := os.ReadFile(vars["AWS_SHARED_CREDENTIALS_FILE"])
	if err != nil {
		t.Fatal(err)
	}
	key := regexp.MustCompile(`\[alice\]\naws_access_key_id = (\S+)\naws_secret_access_key = (\S+)`).FindStringSubmatch(string(creds))
	if key == nil {
		t.Fatalf("no alice profile in %q", creds)
	}
	req, _ := http.NewRequest(http.MethodGet, endpoint+"/my-bucket/report.csv", nil)
	const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: key[1], SecretAccessKey: key[2]}, req, emptySHA256, "s3", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET signed as alice: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve exited with %v; stderr: %s", err, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "export AWS_ENDPOINT_URL="+endpoint+"\n") || !strings.Contains(stdout.String(), "# profiles: alice") {
		t.Errorf("stdout = %q, want the export lines first and the profiles", stdout.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	var logged struct{ Principal, Action, Decision string }
	if err := json.Unmarshal([]byte(lines[0]), &logged); err != nil || logged.Principal != "anonymous" || logged.Action != "s3:GetObject" || logged.Decision != "Allow" {
		t.Errorf("first log line %q: %v", lines[0], err)
	}
	if last := lines[len(lines)-1]; last != "iamlab serve: stopped after 2 requests" {
		t.Errorf("last line %q, want the request count", last)
	}
	if _, err := os.Stat(filepath.Dir(vars["AWS_CONFIG_FILE"])); !os.IsNotExist(err) {
		t.Errorf("the credentials folder is still there after exit")
	}
	if b, err := os.ReadFile(saved); err != nil || !strings.Contains(string(b), "report.csv") {
		t.Errorf("--save: %v", err)
	}
	if b, err := os.ReadFile(suggested); err != nil || !strings.Contains(string(b), `"arn:aws:iam::111122223333:user/alice"`) || !strings.Contains(string(b), `"s3:GetObject"`) {
		t.Errorf("--suggest-policy wrote %q (%v), want alice's s3:GetObject", b, err)
	}
}

func TestTOTP(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"totp", "alice-phone", "--scenario", "mfa-get-session-token"}, nil, &out, &errb); code != exitOK {
		t.Fatalf("totp exit %d: %s", code, errb.String())
	}
	if !regexp.MustCompile(`^\d{6}\n$`).MatchString(out.String()) {
		t.Fatalf("totp printed %q, want six digits", out.String())
	}
	errb.Reset()
	if code := run([]string{"totp", "nope", "--scenario", "mfa-get-session-token"}, nil, &out, &errb); code != exitBadUsage || !strings.Contains(errb.String(), "alice-phone") {
		t.Fatalf("totp of an unknown device: exit %d, %q; want 2 naming the devices", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"serve", "--scenario", "no-such"}, nil, &out, &errb); code != exitBadUsage || !strings.Contains(errb.String(), "did you mean") {
		t.Fatalf("serve of an unknown scenario: exit %d, %q", code, errb.String())
	}
}

// --estate reads the file as a learner's file: /dev/zero is refused at
// once with its path, not read until memory runs out.
func TestServeEstateNotARegularFile(t *testing.T) {
	f := estateFlags{estateFile: "/dev/zero"}
	if _, err := f.load(); err == nil || !strings.Contains(err.Error(), "/dev/zero") {
		t.Errorf("--estate /dev/zero: %v, want an error naming the path", err)
	}
}
