// Package childtest runs the test binary again as a child process, for tests
// that kill a writer with SIGKILL mid-way and then check what it left on disk.
// Only tests import it.
package childtest

import (
	"bufio"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// Run runs the test named test (a -test.run pattern) in a child process with
// env added to the environment, and returns the lines it printed and how it
// ended. When kill is above zero, the child is killed with SIGKILL that long
// after its first line. A child that hangs is killed after a minute, so it
// cannot hang the test.
func Run(t testing.TB, test string, env []string, kill time.Duration) ([]string, *os.ProcessState) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run="+test, "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stop := func() { _ = cmd.Process.Signal(syscall.SIGKILL) }
	watchdog := time.AfterFunc(time.Minute, stop)
	defer watchdog.Stop()
	sc := bufio.NewScanner(out)
	var lines []string
	if sc.Scan() {
		lines = append(lines, sc.Text())
		if kill > 0 {
			time.AfterFunc(kill, stop)
		}
	}
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	_ = cmd.Wait()
	return lines, cmd.ProcessState
}

// Killed says whether the child ended on SIGKILL.
func Killed(state *os.ProcessState) bool {
	ws, ok := state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}
