package sandbox

import (
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/textinput"

	"iamlab/tui/internal/tuitest"
)

// FuzzConsoleLine types any line at the STS console of a scenario and asks
// for completions of it: the console never panics, always answers, and
// keeps who it acts as valid.
func FuzzConsoleLine(f *testing.F) {
	all, err := tuitest.Scenarios()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range all {
		for _, st := range s.Steps {
			if st.Run != "" && !strings.Contains(st.Run, "{{") {
				f.Add(st.Run)
			}
		}
	}
	for _, seed := range []string{"", "as alice", "as session s1", "as instance i-0", "advance 90m", "advance -1h", "help", "clear",
		"aws", "aws sts", "aws sts assume-rol", "sts get-caller-identity", "advnce 1h", `aws sts get-session-token --token-code '12`,
		"aws s3api get-object --bucket \"a b\" --key \\", "as arn:aws:iam::111122223333:user/alice"} {
		f.Add(seed)
	}
	var sc *scenarioState
	for _, s := range all {
		if s.ID == "mfa-get-session-token" {
			sc = newScenarioState(s)
		}
	}
	start := tuitest.Start
	f.Fuzz(func(t *testing.T, line string) {
		c := newConsole(sc, textinput.New(), start)
		n := len(c.out)
		c.run(line, start.Add(time.Minute))
		if strings.TrimSpace(line) != "" && strings.Fields(line)[0] != "clear" && len(c.out) <= n {
			t.Errorf("run(%q) printed nothing", line)
		}
		c.input.SetValue(line)
		c.complete(start)
		if c.as == "" {
			t.Errorf("after %q the console acts as nobody", line)
		}
	})
}
