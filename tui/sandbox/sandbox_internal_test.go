package sandbox

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"iamlab/scenarios"
	"iamlab/tui/internal/tuitest"
)

// Key-driven tests of the sandbox: each opens a scenario as a learner
// would and checks what the screen shows and what reached the store.

// selectStep moves the steps pane's selection down to the step named name;
// the steps pane must have the keyboard.
func selectStep(hs *harness, name string) {
	hs.tb.Helper()
	sc := hs.s.sc
	for i := 0; sc.ws.Report().Steps[sc.stepSel].Step.Name != name; i++ {
		if i == len(sc.ws.Report().Steps) {
			hs.tb.Fatalf("the steps pane never selected %s:\n%s", name, hs.screen())
		}
		hs.press("j")
	}
}

// openScenario goes to the sandbox and opens a scenario by filtering the
// list for its id.
func openScenario(hs *harness, id string) {
	hs.tb.Helper()
	hs.press("/")
	hs.typeText(id)
	hs.press("enter")
	// The filter also matches topics: step to the scenario itself.
	for i := 0; i < len(hs.s.items) && hs.s.items[hs.s.cursor].ID != id; i++ {
		hs.press("down")
	}
	hs.press("enter")
	if sc := hs.s.sc; sc == nil || sc.s.ID != id {
		hs.tb.Fatalf("scenario %s did not open:\n%s", id, hs.screen())
	}
}

// editPolicy opens the editor on the policy at addr.
func editPolicy(hs *harness, addr string) {
	hs.tb.Helper()
	hs.press("2")
	sc := hs.s.sc
	for sc.polCursor > 0 {
		hs.press("k")
	}
	for range len(sc.policies) {
		if p, _ := sc.selected(); p.Address == addr {
			break
		}
		hs.press("j")
	}
	if p, _ := sc.selected(); p.Address != addr {
		hs.tb.Fatalf("no policy %s", addr)
	}
	hs.press("e")
	if !hs.s.Editing() {
		hs.tb.Fatal("e did not start the editor")
	}
}

// clearEditor empties the editor with ctrl+k, as a learner would.
func clearEditor(hs *harness) {
	hs.press("ctrl+home")
	b := hs.s.sc.bufs[mustSelected(hs).Address]
	for b.text() != "" {
		hs.press("ctrl+k")
	}
}

func mustSelected(hs *harness) scenarios.PolicyInfo {
	p, ok := hs.s.sc.selected()
	if !ok {
		hs.tb.Fatal("no policy selected")
	}
	return p
}

// typeLines types text line by line: the editor indents new lines itself,
// so each line's own indentation is left out.
func typeLines(hs *harness, text string) {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	for i, l := range lines {
		if i > 0 {
			hs.press("enter")
		}
		hs.typeText(strings.TrimSpace(l))
	}
}

func removeReadStatement(hs *harness) { tuitest.RemoveReadStatement(hs.press) }

func TestSandboxRemoveReadStatement(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "instance-role-removed")
	editPolicy(hs, "bucket/my-bucket")
	removeReadStatement(hs)
	sc := hs.s.sc
	got := sc.text("bucket/my-bucket")
	var doc struct{ Statement []any }
	if err := json.Unmarshal([]byte(got), &doc); err != nil || len(doc.Statement) != 0 {
		t.Fatalf("after the edit the bucket policy is %q (%v), want no statements", got, err)
	}
	if sc.ws.Stale() || sc.ws.Err("bucket/my-bucket") != nil {
		t.Fatalf("the edited policy should parse: %v", sc.ws.Err("bucket/my-bucket"))
	}
	o := sc.ws.Report().Outcome("read-without-role")
	if o.Verdict() != "ImplicitDeny" {
		t.Fatalf("read-without-role = %s after removing the read statement, want ImplicitDeny", o.Verdict())
	}
	screen := hs.screen()
	for _, want := range []string{"Changed: GetObject: Allow → ImplicitDeny", "✗ ImplicitDeny •"} {
		if !strings.Contains(screen, want) {
			t.Errorf("after the edit the screen lacks %q:\n%s", want, screen)
		}
	}
	// The steps pane explains the denial: the step, AWS's message, the
	// reason from the evaluation.
	hs.press("esc", "3")
	selectStep(hs, "read-without-role")
	screen = hs.screen()
	for _, want := range []string{"changed: GetObject: Allow → ImplicitDeny", "Note on the scenario as shipped (Allow): The call carries no",
		"An error occurred (AccessDenied) when calling the GetObject",
		"Denied because no resource-based policy allows the", "Resource-based policy  ← denied here", "(no statements)", "anonymous request has no"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the explanation lacks %q:\n%s", want, screen)
		}
	}
	// Reads with credentials still work: the identity policies allow them.
	if v := sc.ws.Report().Outcome("read-as-alice").Verdict(); v != "Allow" {
		t.Errorf("read-as-alice = %s, want Allow", v)
	}
}

func TestSandboxInvalidJSON(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	editPolicy(hs, "bucket/my-bucket")
	sc := hs.s.sc
	// A valid edit first: the outcomes change.
	removeReadStatement(hs)
	before := sc.ws.Report()
	if before.Outcome("read-without-role").Verdict() != "ImplicitDeny" {
		t.Fatal("the valid edit did not change the outcome")
	}
	// Then a stray character on line 2.
	hs.press("ctrl+home", "down", "end")
	hs.typeText("x")
	screen := hs.screen()
	if !strings.Contains(screen, "✗ line 2, column 27:") {
		t.Errorf("the error should name line 2, column 27:\n%s", screen)
	}
	if !strings.Contains(screen, "~ stale") || !strings.Contains(screen, "· outcomes") {
		t.Errorf("the outcomes should be marked stale:\n%s", screen)
	}
	if sc.ws.Report() != before || !sc.ws.Stale() {
		t.Fatal("an invalid policy should keep the last valid outcomes, marked stale")
	}
	// The stale outcomes still show the last valid run.
	hs.resize(120, 40)
	if s := hs.screen(); !strings.Contains(s, "~✗ ImplicitDeny") {
		t.Errorf("the steps should keep the last valid decisions, marked ~:\n%s", s)
	}
	// A bucket policy has no versions to save, valid or not.
	hs.press("ctrl+s")
	if !strings.Contains(hs.screen(), "only customer managed policies have versions") {
		t.Errorf("ctrl+s on a bucket policy should say it has no versions:\n%s", hs.screen())
	}
	// Undo takes the x back; the run is fresh again.
	hs.press("ctrl+z")
	if sc.ws.Stale() || sc.ws.Report() == before {
		t.Errorf("after undo the policy should parse and run again (stale %v)", sc.ws.Stale())
	}
	hs.press("ctrl+y")
	if !sc.ws.Stale() {
		t.Error("redo should bring the error back")
	}
	hs.checkShape()
}

func TestSandboxSolveChallenge(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	sc := hs.s.sc
	c := sc.s.Challenge
	// Hints in three tiers, then the solution.
	hs.press("5")
	for i := range 3 {
		hs.press("h")
		if !strings.Contains(hs.screen(), "Hint "+string(rune('1'+i))) {
			t.Errorf("h should show hint %d:\n%s", i+1, hs.screen())
		}
	}
	hs.press("h")
	hs.press("G")
	if !strings.Contains(hs.screen(), "Reference solution") {
		t.Errorf("the fourth h should show the reference solution:\n%s", hs.screen())
	}
	// Type the reference solution.
	editPolicy(hs, "bucket/my-bucket")
	clearEditor(hs)
	typeLines(hs, c.Solution["bucket/my-bucket"])
	if !sc.ws.Solved() {
		t.Fatalf("the reference solution should solve the challenge; goals %+v, errors %v\n%s", sc.ws.Goals(), sc.ws.Err("bucket/my-bucket"), sc.text("bucket/my-bucket"))
	}
	if _, ok := hs.prog.Solved["instance-role-removed"]; !ok {
		t.Error("solving should be recorded with MarkSolved")
	}
	if !strings.Contains(hs.screen(), "★ Solved!") {
		t.Errorf("solving should be celebrated:\n%s", hs.screen())
	}
	// The list marks it solved.
	hs.press("esc", "esc")
	if !strings.Contains(hs.screen(), "✓ The instance role is gone") {
		t.Errorf("the list should mark the scenario solved:\n%s", hs.screen())
	}
	// Reset puts it back as shipped.
	hs.press("enter", "R", "y")
	sc = hs.s.sc
	if len(sc.ws.Edited()) != 0 || sc.ws.Solved() {
		t.Errorf("after reset %v are still edited", sc.ws.Edited())
	}
}

// mfaCode reads the device's code from the console's screen.
var mfaCodeRE = regexp.MustCompile(`MFA alice-phone (\d{6}) \((\d+)s\)`)

func TestSandboxConsoleMFA(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "mfa-get-session-token")
	hs.press("4")
	if !hs.s.panes.console.active() {
		t.Fatal("4 should open the console with the prompt focused")
	}
	run := func(line string) string {
		hs.typeText(line)
		hs.press("enter")
		return hs.screen()
	}
	// With long-term keys, the BoolIfExists deny stops alice.
	if s := run("aws ec2 describe-instances"); !strings.Contains(s, "An error occurred (UnauthorizedOperation) when calling the") || !strings.Contains(s, "Denied with an explicit deny") {
		t.Fatalf("describe-instances with keys should be denied:\n%s", s)
	}
	m := mfaCodeRE.FindStringSubmatch(hs.screen())
	if m == nil {
		t.Fatalf("the console does not show the MFA device's code:\n%s", hs.screen())
	}
	s := run("aws sts get-session-token --serial-number arn:aws:iam::111122223333:mfa/alice-phone --token-code " + m[1] + " --duration-seconds 900")
	if !strings.Contains(s, `"SessionToken"`) || !strings.Contains(s, "session s1") {
		t.Fatalf("get-session-token with the code should return credentials:\n%s", s)
	}
	hs.press("ctrl+o")
	if !strings.Contains(hs.screen(), "as session s1") {
		t.Fatalf("ctrl+o should act as the session:\n%s", hs.screen())
	}
	if s := run("aws ec2 describe-instances"); !strings.Contains(s, `"Reservations"`) {
		t.Fatalf("describe-instances with the MFA session should succeed:\n%s", s)
	}
	hs.press("ctrl+t")
	s = run("aws ec2 describe-instances")
	if !strings.Contains(s, "An error occurred (ExpiredToken)") {
		t.Fatalf("after an hour the 15-minute session should be expired:\n%s", s)
	}
	if !strings.Contains(s, "expired") {
		t.Errorf("the console should say the session expired:\n%s", s)
	}
	// ctrl+o goes back to alice.
	hs.press("ctrl+o")
	if c := hs.s.sc.console; c.as != "alice" {
		t.Errorf("second ctrl+o acts as %q, want alice", c.as)
	}
	// History walks back.
	hs.press("up")
	if v := hs.s.sc.console.input.Value(); v != "aws ec2 describe-instances" {
		t.Errorf("up recalls %q", v)
	}
	hs.press("up")
	if v := hs.s.sc.console.input.Value(); !strings.HasPrefix(v, "aws sts get-session-token") {
		t.Errorf("up up recalls %q", v)
	}
	hs.press("down", "down")
	if v := hs.s.sc.console.input.Value(); v != "" {
		t.Errorf("down to the end should give the empty line back, got %q", v)
	}
}

func TestSandboxConsoleCompletionAndUnknown(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "mfa-get-session-token")
	hs.press("4")
	c := hs.s.sc.console
	hs.typeText("aws sts get-ses")
	hs.press("tab")
	if v := c.input.Value(); v != "aws sts get-session-token " {
		t.Fatalf("tab completed to %q", v)
	}
	hs.typeText("--ser")
	hs.press("tab")
	hs.press("tab")
	if v := c.input.Value(); v != "aws sts get-session-token --serial-number arn:aws:iam::111122223333:mfa/alice-phone " {
		t.Fatalf("tab should complete the option and the device's serial, got %q", v)
	}
	c.input.SetValue("")
	hs.typeText("aws sts assume-rol --role-arn x")
	hs.press("enter")
	if !strings.Contains(hs.screen(), "did you mean aws sts assume-role?") {
		t.Errorf("an unknown command should get the nearest known one:\n%s", hs.screen())
	}
	hs.typeText("sts get-caller-identity")
	hs.press("enter")
	if !strings.Contains(hs.screen(), "Did you mean aws sts get-caller-identity?") {
		t.Errorf("a command without aws should get a suggestion:\n%s", hs.screen())
	}
	hs.typeText("advnce 1h")
	hs.press("enter")
	if !strings.Contains(hs.screen(), "Did you mean advance?") {
		t.Errorf("a misspelled console command should get a suggestion:\n%s", hs.screen())
	}
	// esc leaves the prompt; q then quits no more than tab switches.
	hs.press("esc")
	if hs.s.Typing() {
		t.Error("esc should leave the prompt")
	}
	hs.press("tab")
	if hs.s.sc.focus != paneChallenge {
		t.Errorf("tab after esc should move to the next pane, got %v", hs.s.sc.focus)
	}
	hs.checkShape()
}

func TestSandboxVersions(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "boundary-caps-admin")
	addr := "policy/DevBoundary"
	editPolicy(hs, addr)
	sc := hs.s.sc
	hs.press("ctrl+home", "down", "down", "down", "down", "end", "left", "left")
	hs.typeText("2") // "Sid": "DevBuckets2",
	hs.press("ctrl+s")
	v2 := sc.text(addr)
	if vs := sc.ws.Versions(addr); len(vs) != 2 || vs[1].ID != "v2" || vs[1].Text != v2 {
		t.Fatalf("ctrl+s should save v2, versions %+v", vs)
	}
	hs.typeText("3")
	hs.press("ctrl+s")
	// Restore v2 from the versions list.
	hs.press("esc", "V")
	if !strings.Contains(hs.screen(), "Versions") || !strings.Contains(hs.screen(), "v3") {
		t.Fatalf("V should list the versions:\n%s", hs.screen())
	}
	hs.press("k", "enter")
	if sc.text(addr) != v2 {
		t.Fatalf("restoring v2 gave %q", sc.text(addr))
	}
	if !strings.Contains(hs.screen(), "Restored v2") {
		t.Errorf("the screen should say v2 was restored:\n%s", hs.screen())
	}
	if len(sc.ws.Unsaved()) != 0 {
		t.Errorf("a restored version is saved, yet %v are unsaved", sc.ws.Unsaved())
	}
	// At most five: the sixth save deletes the oldest.
	hs.press("e", "end", "left", "left")
	for i := range 4 {
		hs.typeText(string(rune('a' + i)))
		hs.press("ctrl+s")
	}
	vs := sc.ws.Versions(addr)
	if len(vs) != 5 || vs[0].ID != "v3" || vs[4].ID != "v7" {
		ids := []string{}
		for _, v := range vs {
			ids = append(ids, v.ID)
		}
		t.Errorf("after seven versions, kept %v, want v3..v7", ids)
	}
	if !strings.Contains(hs.screen(), "IAM keeps five versions") {
		t.Errorf("the sixth version should say why the oldest went:\n%s", hs.screen())
	}
}

// TestSandboxNoVersions: a bucket policy has no versions in AWS, so the
// sandbox neither saves nor lists any, and the footer does not offer to.
func TestSandboxNoVersions(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	editPolicy(hs, "bucket/my-bucket")
	hs.typeText(" ")
	hs.press("ctrl+s")
	if s := hs.screen(); !strings.Contains(s, "only customer managed policies have versions") {
		t.Errorf("ctrl+s on a bucket policy should say it has no versions:\n%s", s)
	}
	hs.press("esc", "V")
	if hs.s.panes.policies.versions.open {
		t.Error("V should not open a versions list for a bucket policy")
	}
	if len(hs.s.Unsaved()) != 0 {
		t.Errorf("Unsaved() = %v: a bucket policy's draft is all there is", hs.s.Unsaved())
	}
}

func TestSandboxPersistence(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "boundary-caps-admin")
	editPolicy(hs, "policy/DevBoundary")
	hs.press("ctrl+home", "down", "down", "down", "down", "end", "left", "left")
	hs.typeText("X")
	if hs.ticks == 0 {
		t.Fatal("typing should schedule a save")
	}
	if hs.prog.Saves != 0 {
		t.Fatal("the save should wait for its tick")
	}
	hs.send(saveTickMsg{id: "boundary-caps-admin"})
	if hs.prog.Saves != 1 {
		t.Fatalf("the tick should write once, wrote %d", hs.prog.Saves)
	}
	// More typing, then leaving writes at once.
	hs.typeText("Y")
	hs.press("esc", "esc")
	if hs.prog.Saves != 2 {
		t.Fatalf("leaving should write, wrote %d", hs.prog.Saves)
	}
	// Coming back restores the draft.
	hs.press("enter")
	sc := hs.s.sc
	if !strings.Contains(sc.text("policy/DevBoundary"), `"DevBucketsXY"`) {
		t.Fatalf("the draft did not come back: %q", sc.text("policy/DevBoundary"))
	}
	if got := hs.s.Unsaved(); len(got) != 1 || got[0] != "policy/DevBoundary" {
		t.Errorf("Unsaved() = %v, want the bucket policy", got)
	}
	// Saving them as versions, as the app's quit question offers, then
	// flushing, writes them.
	hs.s.SaveUnsaved()
	hs.run(hs.s.Flush())
	vs, err := hs.prog.VersionTexts("boundary-caps-admin", "policy/DevBoundary")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || !strings.Contains(vs[1], "DevBucketsXY") {
		t.Errorf("the saved state's versions are %q", vs)
	}
}

func TestSandboxExternalEditor(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	hs.press("2")
	addr := mustSelected(hs).Address
	hs.press("E")
	// The program would run $EDITOR here; its answer comes back as a
	// message.
	sol := hs.s.sc.s.Challenge.Solution[addr]
	hs.send(editorDoneMsg{id: "instance-role-removed", addr: addr, text: sol})
	sc := hs.s.sc
	if sc.text(addr) != sol || !sc.ws.Solved() {
		t.Fatalf("the text back from $EDITOR should be run: solved %v", sc.ws.Solved())
	}
	if !strings.Contains(hs.screen(), "Back from $EDITOR") {
		t.Errorf("the screen should say the steps ran again:\n%s", hs.screen())
	}
	// It can be undone in the editor.
	hs.press("e", "ctrl+z")
	if sc.text(addr) == sol {
		t.Error("undo should take back the text from $EDITOR")
	}
}

func TestSandboxMouse(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "instance-role-removed")
	// The tab line is the screen's second row.
	line := strings.Split(hs.screen(), "\n")[1]
	x := strings.Index(line, "3 Steps")
	hs.send(tea.MouseClickMsg{X: x + 2, Y: 1, Button: tea.MouseLeft})
	if f := hs.s.sc.focus; f != paneSteps {
		t.Fatalf("clicking the Steps tab focused %v", f)
	}
	hs.send(tea.MouseWheelMsg{X: 100, Y: 19, Button: tea.MouseWheelDown})
	if hs.s.panes.steps.explain.off == 0 {
		t.Error("the wheel should scroll the explanation")
	}
	hs.send(tea.MouseClickMsg{X: 5, Y: 19, Button: tea.MouseLeft})
	if f := hs.s.sc.focus; f != panePolicies {
		t.Errorf("clicking the left pane focused %v, want Policies", f)
	}
}

func TestSandboxListFilters(t *testing.T) {
	hs := newHarness(t, 80, 24)
	s := hs.s
	all := len(s.all)
	hs.press("d")
	if len(s.items) == 0 || len(s.items) == all {
		t.Fatalf("difficulty easy keeps %d of %d scenarios", len(s.items), all)
	}
	for _, it := range s.items {
		if it.Difficulty != "easy" {
			t.Errorf("difficulty easy kept %s (%s)", it.ID, it.Difficulty)
		}
	}
	// The difficulty goes round to every one again, then the topic.
	hs.press("d", "d", "d", "t")
	topic := s.topic
	if s.diff != "" || len(s.items) == 0 || len(s.items) == all {
		t.Fatalf("difficulty %q and topic %s keep %d of %d scenarios", s.diff, topic, len(s.items), all)
	}
	for _, it := range s.items {
		if !slices.Contains(it.Topics, topic) {
			t.Errorf("topic %s kept %s", topic, it.ID)
		}
	}
	if !strings.Contains(hs.screen(), "topic "+topic) {
		t.Errorf("the topic filter should show:\n%s", hs.screen())
	}
	hs.press("esc")
	if len(s.items) != all {
		t.Errorf("esc should clear the filters: %d of %d", len(s.items), all)
	}
	hs.press("esc")
	if hs.backs != 1 {
		t.Error("esc on an unfiltered list should go home")
	}
}

// TestSandboxScenariosOpen opens every built-in scenario at both sizes and
// visits every pane: nothing panics and the screen keeps its shape.
func TestSandboxScenariosOpen(t *testing.T) {
	all, err := tuitest.Scenarios()
	if err != nil {
		t.Fatal(err)
	}
	hs := newHarness(t, 80, 24)
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		hs.resize(sz[0], sz[1])
		for _, it := range all {
			cmd := hs.s.openByID(it.ID)
			hs.run(cmd)
			if c := it.Challenge; c != nil {
				for _, a := range c.Edit {
					if hs.s.sc.policyIndex(a) < 0 {
						t.Errorf("%s: challenge edits %s, which Policies does not list", it.ID, a)
					}
				}
			}
			for _, k := range []string{"1", "2", "3", "j", "4", "esc", "5", "h", "2", "V", "esc"} {
				hs.press(k)
				hs.checkShape()
			}
			hs.press("esc")
		}
	}
}

// TestSandboxConsoleActsAsNobody: the seed's first question by hand. As
// anonymous, or as the instance once its role is gone, the console acts
// and every call goes unsigned; a failed as says the identity did not
// change (issue 13, app item 1).
func TestSandboxConsoleActsAsNobody(t *testing.T) {
	hs := newHarness(t, 120, 40)
	openScenario(hs, "instance-role-removed")
	hs.press("4")
	c := hs.s.sc.console
	// run types a line and gives back what the console printed for it,
	// unwrapped.
	run := func(line string) string {
		hs.tb.Helper()
		n := len(c.out)
		hs.typeText(line)
		hs.press("enter")
		var out []string
		for _, e := range c.out[n:] {
			out = append(out, e.text)
		}
		return strings.Join(out, "\n")
	}
	if s := run("as anonymous"); c.as != "anonymous" || !strings.Contains(s, "Acting as anonymous (no credentials)") {
		t.Fatalf("as anonymous should act as nobody (acts as %q):\n%s", c.as, s)
	}
	if s := run("aws s3api get-object --bucket my-bucket --key report.csv report.csv"); strings.Contains(s, "AccessDenied") {
		t.Fatalf("an unsigned read should be allowed by the bucket policy:\n%s", s)
	}
	run("as alice")
	run("aws iam remove-role-from-instance-profile --instance-profile-name ReportWriter --role-name ReportWriter")
	s := run("as instance i-0a1b2c3d4e5f60718")
	if c.as != "instance i-0a1b2c3d4e5f60718" || !strings.Contains(s, "no role: calls go unsigned") {
		t.Fatalf("as a role-less instance should act, unsigned (acts as %q):\n%s", c.as, s)
	}
	if s := run("aws s3api put-object --bucket my-bucket --key report.csv --body x"); !strings.Contains(s, "AccessDenied") {
		t.Errorf("an unsigned write should be denied:\n%s", s)
	}
	s = run("as nobody-here")
	if c.as != "instance i-0a1b2c3d4e5f60718" || !strings.Contains(s, "The identity did not change: still acting as instance i-0a1b2c3d4e5f60718") {
		t.Errorf("a failed as should keep and name the identity (acts as %q):\n%s", c.as, s)
	}
}

// TestSandboxRelaunchRunsDraftInUse: save v2, restore v1, type a stray
// character, leave, and open the scenario in a new app on the same store:
// the steps run with v1, the draft in use, as before (issue 13, app item 3).
func TestSandboxRelaunchRunsDraftInUse(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "boundary-caps-admin")
	sc := hs.s.sc
	editPolicy(hs, "policy/DevBoundary")
	clearEditor(hs)
	typeLines(hs, sc.s.Challenge.Solution["policy/DevBoundary"])
	hs.press("ctrl+s", "esc", "V", "up", "enter")
	if sc.ws.Stale() || len(sc.ws.Edits()) != 0 {
		t.Fatalf("restoring v1 should run the shipped text:\n%s", hs.screen())
	}
	hs.press("e", "ctrl+end")
	hs.typeText("x")
	if !sc.ws.Stale() {
		t.Fatal("a stray character should leave the draft unparsed")
	}
	before := map[string]string{}
	for _, sr := range sc.ws.Report().Steps {
		if sr.Outcome != nil {
			before[sr.Step.Name] = sr.Outcome.Verdict()
		}
	}
	hs.press("esc", "esc")

	again := newHarness(t, 80, 24)
	again.prog = hs.prog
	again.s.progress = hs.prog
	openScenario(again, "boundary-caps-admin")
	for _, sr := range again.s.sc.ws.Report().Steps {
		if sr.Outcome != nil && sr.Outcome.Verdict() != before[sr.Step.Name] {
			t.Errorf("after the relaunch %s = %s, want %s (v1's run)", sr.Step.Name, sr.Outcome.Verdict(), before[sr.Step.Name])
		}
	}
}

// TestSandboxExternalEditorNoChange: an $EDITOR that changes nothing (here
// true(1), on a policy whose text ends with a newline) leaves the policy as
// it was, not edited or unsaved (issue 13, app item 9).
func TestSandboxExternalEditorNoChange(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "web-identity-federation")
	hs.press("2")
	addr := mustSelected(hs).Address
	sc := hs.s.sc
	if !strings.HasSuffix(sc.text(addr), "\n") {
		t.Fatalf("the test wants a policy whose text ends with a newline, %s does not", addr)
	}
	pe := &policyEdit{editor: "true", name: addr, text: sc.text(addr)}
	if err := pe.Run(); err != nil {
		t.Skipf("cannot run true(1): %v", err)
	}
	hs.send(editorDoneMsg{id: sc.s.ID, addr: addr, text: pe.text})
	if len(sc.ws.Edited()) != 0 || len(sc.ws.Unsaved()) != 0 {
		t.Errorf("an editor that changed nothing left edits %v, unsaved %v", sc.ws.Edited(), sc.ws.Unsaved())
	}
	if !strings.Contains(hs.screen(), "No change from $EDITOR") {
		t.Errorf("the screen should say nothing changed:\n%s", hs.screen())
	}
}

// TestSandboxLessonWaits: the Story pane keeps the lesson until the
// learner has looked at the steps or asks for it (issue 13, app item 9).
func TestSandboxLessonWaits(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys []string
	}{
		{"enter asks for it", []string{"enter"}},
		{"after the steps", []string{"3", "1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := newHarness(t, 80, 24)
			openScenario(hs, "instance-role-removed")
			hs.press("G")
			if s := hs.screen(); strings.Contains(s, "What the steps show") || !strings.Contains(s, "The lesson waits") {
				t.Fatalf("the lesson should wait:\n%s", s)
			}
			hs.press(tc.keys...)
			hs.press("G")
			if s := hs.screen(); !strings.Contains(s, "What the steps show") {
				t.Errorf("after %v the lesson should show:\n%s", tc.keys, s)
			}
		})
	}
}

// TestSandboxWrapKeepsFlags: where the console and the explanation wrap a
// command, no line breaks inside a flag or an ARN (issue 13, app item 5).
func TestSandboxWrapKeepsFlags(t *testing.T) {
	hs := newHarness(t, 80, 24)
	openScenario(hs, "instance-role-removed")
	hs.press("4")
	hs.typeText("as alice")
	hs.press("enter")
	hs.typeText("aws iam remove-role-from-instance-profile --instance-profile-name ReportWriter --role-name ReportWriter")
	hs.press("enter")
	screens := []string{hs.screen()}
	hs.press("esc", "3")
	selectStep(hs, "remove-role")
	screens = append(screens, hs.screen())
	for _, s := range screens {
		if !strings.Contains(s, "--instance-profile-name") {
			t.Errorf("the flag --instance-profile-name is split:\n%s", s)
		}
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimRight(l, " "); strings.HasSuffix(l, "-") || strings.HasSuffix(l, ":") {
				t.Errorf("a line ends inside a token: %q\n%s", l, s)
			}
		}
	}
}
