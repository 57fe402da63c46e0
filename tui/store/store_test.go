package store_test

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"iamlab/tui/internal/childtest"
	"iamlab/tui/srs"
	"iamlab/tui/store"
)

// now is the fixed clock of these tests; cet is a zone east of UTC, so that
// local dates and UTC dates differ around midnight.
var (
	cet = time.FixedZone("CET", 3600)
	now = time.Date(2026, 3, 10, 9, 0, 0, 0, cet)
)

func open(t testing.TB, dir string) *store.Store {
	t.Helper()
	s, msgs, err := store.Open(dir, now)
	if err != nil {
		t.Fatalf("Open(%s) error: %v", dir, err)
	}
	if len(msgs) != 0 {
		t.Fatalf("Open(%s) messages: %q, want none", dir, msgs)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func record(t testing.TB, s *store.Store, answers ...store.Answer) {
	t.Helper()
	for _, a := range answers {
		if err := s.RecordAnswer(a); err != nil {
			t.Fatalf("RecordAnswer(%s at %v) error: %v", a.QuestionID, a.At, err)
		}
	}
}

// rawDB opens progress.db without the store, to look at what it wrote.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func integrity(t *testing.T, path string) string {
	t.Helper()
	var res string
	if err := rawDB(t, path).QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		t.Fatalf("integrity_check %s: %v", path, err)
	}
	return res
}

func TestOpenCreatesPrivateDirAndFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "iamlab")
	open(t, dir)
	for _, p := range []string{dir, filepath.Join(dir, store.FileName)} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("mode of %s = %v, want %v", p, got, want)
		}
	}
	var mode string
	if err := rawDB(t, filepath.Join(dir, store.FileName)).QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q (%v), want wal", mode, err)
	}
}

func TestAnswersRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	in := []store.Answer{
		{QuestionID: "q2", Topic: "sts", Domains: map[string]string{"DVA-C02": "Security"},
			At: now.Add(time.Minute), Correct: true, Chosen: []int{1, 3}, Rating: srs.Good,
			ResponseTime: 12345 * time.Millisecond, Mode: store.ModeExam},
		{QuestionID: "q1", Topic: "iam", At: now, Correct: false, Chosen: []int{0}, Rating: srs.Again,
			ResponseTime: time.Second, Mode: store.ModePractice},
		{QuestionID: "q3", Topic: "iam", At: now.Add(2 * time.Minute).UTC(), Correct: true,
			Chosen: []int{}, Domains: map[string]string{}, Rating: srs.Easy, Mode: store.ModeReview},
	}
	record(t, s, in...)
	got, err := s.Answers()
	if err != nil {
		t.Fatal(err)
	}
	want := []store.Answer{in[1], in[0], in[2]} // oldest first
	if len(got) != len(want) {
		t.Fatalf("Answers() = %d answers, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		_, gotOff := g.At.Zone()
		_, wantOff := w.At.Zone()
		if !g.At.Equal(w.At) || gotOff != wantOff {
			t.Errorf("answer %d At = %v, want %v", i, g.At, w.At)
		}
		g.At, w.At = time.Time{}, time.Time{}
		if fmt.Sprintf("%#v", g) != fmt.Sprintf("%#v", w) {
			t.Errorf("answer %d = %#v, want %#v", i, g, w)
		}
	}

	// Reopened, the log is the same.
	s.Close()
	again, err := open(t, dir).Answers()
	if err != nil || len(again) != 3 {
		t.Fatalf("after reopening: %d answers, %v", len(again), err)
	}
}

func TestRecordAnswerDefaultsAndErrors(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	record(t, s,
		store.Answer{QuestionID: "wrong", At: now},
		store.Answer{QuestionID: "slow", At: now, Correct: true, ResponseTime: 2 * time.Minute},
		store.Answer{QuestionID: "right", At: now, Correct: true},
	)
	got, err := s.Answers()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]srs.Rating{"wrong": srs.Again, "slow": srs.Hard, "right": srs.Good}
	for _, a := range got {
		if a.Rating != want[a.QuestionID] || a.Mode != store.ModePractice {
			t.Errorf("%s: rating %v mode %q, want %v practice", a.QuestionID, a.Rating, a.Mode, want[a.QuestionID])
		}
	}

	for _, tc := range []struct {
		name string
		a    store.Answer
		want string
	}{
		{"no question", store.Answer{At: now}, "question id is empty"},
		{"no time", store.Answer{QuestionID: "q"}, "time is zero"},
		{"bad rating", store.Answer{QuestionID: "q", At: now, Rating: 7}, "rating 7"},
	} {
		if err := s.RecordAnswer(tc.a); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("RecordAnswer(%s) error = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestCardReplaysLog: a question's card is its answers replayed, in time
// order whatever the order they were recorded in, through srs.NewScheduler.
func TestCardReplaysLog(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	if c, err := s.Card("never"); err != nil || c.State != srs.New || c.Reps != 0 {
		t.Errorf("Card(never answered) = %+v, %v, want a New card", c, err)
	}

	ratings := []srs.Rating{srs.Good, srs.Good, srs.Again, srs.Hard, srs.Easy}
	times := []time.Time{now, now.Add(10 * time.Minute), now.Add(3 * 24 * time.Hour),
		now.Add(3*24*time.Hour + 10*time.Minute), now.Add(9 * 24 * time.Hour)}
	for _, i := range []int{3, 0, 4, 1, 2} {
		record(t, s, store.Answer{QuestionID: "q", At: times[i], Correct: ratings[i] != srs.Again, Rating: ratings[i]})
	}
	record(t, s, store.Answer{QuestionID: "other", At: now, Rating: srs.Again})

	sched := srs.NewScheduler()
	var want srs.Card
	for i, r := range ratings {
		want = sched.Review(want, r, times[i].UTC())
	}
	got, err := s.Card("q")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Card(q) = %+v, want %+v", got, want)
	}
}

func TestDue(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	day := 24 * time.Hour
	record(t, s,
		// Easy 10 days ago: due 2 days ago.
		store.Answer{QuestionID: "old", At: now.Add(-10 * day), Correct: true, Rating: srs.Easy},
		// Wrong an hour ago: Learning, due 1 minute later.
		store.Answer{QuestionID: "missed", At: now.Add(-time.Hour), Rating: srs.Again},
		// Also due 1 minute after an hour ago: ties sort by id.
		store.Answer{QuestionID: "amissed", At: now.Add(-time.Hour), Rating: srs.Again},
		// Easy yesterday: due in 7 days.
		store.Answer{QuestionID: "fresh", At: now.Add(-day), Correct: true, Rating: srs.Easy},
	)
	got, err := s.Due(now)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"old", "amissed", "missed"}; !slices.Equal(got, want) {
		t.Errorf("Due(now) = %q, want %q", got, want)
	}
	if got, _ := s.Due(now.Add(-3 * day)); len(got) != 0 {
		t.Errorf("Due(3 days ago) = %q, want none", got)
	}
	if got, _ := s.Due(now.Add(8 * day)); len(got) != 4 {
		t.Errorf("Due(in 8 days) = %q, want all four", got)
	}
}

func TestStats(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	day := 24 * time.Hour
	dva := map[string]string{"DVA-C02": "Security", "SAA-C03": "Design Secure Architectures"}
	record(t, s,
		// Due in 7 days (index 7).
		store.Answer{QuestionID: "q1", Topic: "iam", Domains: dva, At: now.Add(-day), Correct: true, Rating: srs.Easy},
		// Learning, overdue: today.
		store.Answer{QuestionID: "q2", Topic: "iam", Domains: dva, At: now.Add(-2 * time.Hour), Correct: true, Rating: srs.Good},
		// Due 2 days ago: today.
		store.Answer{QuestionID: "q3", Topic: "sts", At: now.Add(-10 * day), Correct: true, Rating: srs.Easy},
		// Due in 8 days. At 00:30 CET on 10 March, 23:30 UTC on the 9th: a study day on the 10th.
		store.Answer{QuestionID: "q4", Topic: "sts", At: time.Date(2026, 3, 10, 0, 30, 0, 0, cet), Correct: true, Rating: srs.Easy},
	)
	for i := range 8 {
		record(t, s, store.Answer{QuestionID: "leech", Topic: "orgs", At: now.Add(-time.Duration(20-i) * day)})
	}
	for i := range 7 {
		record(t, s, store.Answer{QuestionID: "almost", Topic: "orgs", At: now.Add(-time.Duration(20-i) * day)})
	}
	solvedAt := now.Add(-time.Hour).UTC()
	for _, at := range []time.Time{solvedAt, solvedAt.Add(time.Hour), solvedAt.Add(-time.Minute)} {
		if err := s.MarkSolved("s3-public", at); err != nil {
			t.Fatal(err)
		}
	}

	// Sandbox work makes a study day without answers; twice a day is one.
	for _, at := range []time.Time{now.Add(-3 * day), now.Add(-3*day + time.Hour), time.Date(2026, 3, 10, 0, 30, 0, 0, cet)} {
		if err := s.RecordSandboxDay(at); err != nil {
			t.Fatal(err)
		}
	}

	st, err := s.Stats(now)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]bool{now.Add(-3 * day).Format(time.DateOnly): true, "2026-03-10": true}; fmt.Sprint(st.SandboxDays) != fmt.Sprint(want) {
		t.Errorf("SandboxDays = %v, want %v (each day once, in the learner's local date)", st.SandboxDays, want)
	}
	c1, _ := s.Card("q1")
	c4, _ := s.Card("q4")
	if want := c1.Due; !st.NextDue.Equal(want) || !c1.Due.Before(c4.Due) {
		t.Errorf("NextDue = %v, want q1's due time %v, the first after now", st.NextDue, want)
	}
	if got := st.LastAnswered["leech"]; !got.Equal(now.Add(-13*day).UTC()) || len(st.LastAnswered) != 6 {
		t.Errorf("LastAnswered[leech] = %v (of %d questions), want its last answer %v, and 6 questions", got, len(st.LastAnswered), now.Add(-13*day).UTC())
	}
	if st.Answered != 19 || st.Correct != 4 {
		t.Errorf("Answered, Correct = %d, %d, want 19, 4", st.Answered, st.Correct)
	}
	wantTopic := map[string]store.Tally{"iam": {2, 2}, "sts": {2, 2}, "orgs": {15, 0}}
	if fmt.Sprint(st.ByTopic) != fmt.Sprint(wantTopic) {
		t.Errorf("ByTopic = %v, want %v", st.ByTopic, wantTopic)
	}
	wantDomain := map[string]store.Tally{"DVA-C02/Security": {2, 2}, "SAA-C03/Design Secure Architectures": {2, 2}}
	if fmt.Sprint(st.ByDomain) != fmt.Sprint(wantDomain) {
		t.Errorf("ByDomain = %v, want %v", st.ByDomain, wantDomain)
	}
	// leech and almost: their last Again was 13 or 14 days ago, so they are
	// overdue (due 1 minute after) and count today too.
	wantDue := [14]int{4, 0, 0, 0, 0, 0, 0, 1, 1}
	if st.DuePerDay != wantDue {
		t.Errorf("DuePerDay = %v, want %v", st.DuePerDay, wantDue)
	}
	if st.StudyDays["2026-03-10"] != 2 || st.StudyDays["2026-03-09"] != 1 || st.StudyDays["2026-02-18"] != 2 ||
		st.StudyDays["2026-02-25"] != 1 || len(st.StudyDays) != 11 {
		t.Errorf("StudyDays = %v, want 2 on 03-10 (one at 00:30 CET), 1 on 03-09, 2 on 02-18, 1 on 02-25, 11 days", st.StudyDays)
	}
	if got := st.Solved["s3-public"]; !got.Equal(solvedAt.Add(-time.Minute)) || len(st.Solved) != 1 {
		t.Errorf("Solved = %v, want s3-public at the first solve, %v", st.Solved, solvedAt.Add(-time.Minute))
	}
	if !slices.Equal(st.Leeches, []string{"leech"}) {
		t.Errorf("Leeches = %q, want [leech] (8 misses; 7 are not enough)", st.Leeches)
	}

	empty, err := open(t, t.TempDir()).Stats(now)
	if err != nil || empty.ByTopic == nil || empty.ByDomain == nil || empty.StudyDays == nil || empty.Solved == nil {
		t.Errorf("Stats of an empty store = %+v, %v, want empty non-nil maps", empty, err)
	}
}

func TestExams(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	in := []store.ExamAttempt{
		{Exam: "SCS-C02", Started: now.Add(time.Hour).UTC(), Finished: now.Add(2 * time.Hour).UTC(), Score: 650,
			Questions: []store.ExamQuestion{{QuestionID: "b", Chosen: []int{2}, Flagged: true, Domain: "IAM"}}},
		{Exam: "DVA-C02", Started: now.UTC(), Finished: now.Add(130 * time.Minute).UTC(), TimedOut: true, Score: 780, Passed: true,
			Questions: []store.ExamQuestion{
				{QuestionID: "q9", Chosen: []int{0, 2}, Correct: true, Domain: "Security"},
				{QuestionID: "q1", Chosen: nil, Domain: "Deployment"},
			}},
	}
	for _, e := range in {
		if err := s.RecordExam(e, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	got, err := open(t, dir).Exams()
	if err != nil {
		t.Fatal(err)
	}
	want := []store.ExamAttempt{in[1], in[0]}
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("Exams() =\n%#v\nwant\n%#v", got, want)
	}
	if err := s.RecordExam(store.ExamAttempt{}, nil); err == nil {
		t.Error("RecordExam(no exam code) succeeded")
	}
}

func TestSandbox(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	if st, ok, err := s.LoadSandbox("s1"); st != nil || ok || err != nil {
		t.Errorf("LoadSandbox(unsaved) = %q, %v, %v, want nil, false, nil", st, ok, err)
	}
	for _, state := range [][]byte{[]byte(`{"policy":1}`), []byte(`{"policy":2}`), {}} {
		if err := s.SaveSandbox("s1", state); err != nil {
			t.Fatal(err)
		}
		got, ok, err := s.LoadSandbox("s1")
		if !bytes.Equal(got, state) || !ok || err != nil {
			t.Errorf("LoadSandbox after saving %q = %q, %v, %v", state, got, ok, err)
		}
	}
}

func TestExport(t *testing.T) {
	t.Parallel()
	s := open(t, t.TempDir())
	record(t, s,
		store.Answer{QuestionID: "q1", Topic: "iam", Domains: map[string]string{"DVA-C02": "Security", "SAA-C03": "Secure"},
			At: now, Correct: true, Chosen: []int{0, 2}, Rating: srs.Good, ResponseTime: 1500 * time.Millisecond, Mode: store.ModeExam},
		store.Answer{QuestionID: "q2", Topic: "sts, roles", At: now.Add(time.Minute), Chosen: []int{1}},
	)
	if err := s.MarkSolved("s3", now); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordExam(store.ExamAttempt{Exam: "DVA-C02", Started: now, Finished: now, Score: 800, Passed: true}, nil); err != nil {
		t.Fatal(err)
	}

	t.Run("json", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.Export(&buf, "json"); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Format        string
			SchemaVersion int
			AsOf          time.Time
			Answers       []map[string]any
			Exams         []map[string]any
			Stats         struct {
				Answered, Correct int
				ByTopic           map[string]struct{ Answered, Correct int }
				DuePerDay         []struct {
					Date  string
					Count int
				}
				Solved map[string]time.Time
			}
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("export json does not decode: %v\n%s", err, buf.String())
		}
		if doc.Format != "iamlab-progress" || doc.SchemaVersion < 1 || !doc.AsOf.Equal(now) {
			t.Errorf("header = %q, %d, %v", doc.Format, doc.SchemaVersion, doc.AsOf)
		}
		if len(doc.Answers) != 2 || doc.Answers[0]["questionId"] != "q1" || doc.Answers[0]["rating"] != "Good" ||
			doc.Answers[0]["responseMs"] != 1500.0 || doc.Answers[1]["rating"] != "Again" {
			t.Errorf("answers = %v", doc.Answers)
		}
		if len(doc.Exams) != 1 || doc.Exams[0]["exam"] != "DVA-C02" {
			t.Errorf("exams = %v", doc.Exams)
		}
		if doc.Stats.Answered != 2 || doc.Stats.Correct != 1 || doc.Stats.ByTopic["iam"].Correct != 1 ||
			len(doc.Stats.DuePerDay) != 14 || doc.Stats.DuePerDay[0].Date != "2026-03-10" || doc.Stats.DuePerDay[0].Count != 2 ||
			!doc.Stats.Solved["s3"].Equal(now) {
			t.Errorf("stats = %+v", doc.Stats)
		}
	})

	t.Run("csv", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.Export(&buf, "csv"); err != nil {
			t.Fatal(err)
		}
		blocks := strings.Split(buf.String(), "\n\n")
		if len(blocks) != 2 {
			t.Fatalf("export csv has %d blocks, want 2:\n%s", len(blocks), buf.String())
		}
		log, err := csv.NewReader(strings.NewReader(blocks[0])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		wantLog := [][]string{
			{"question_id", "topic", "domains", "at", "correct", "chosen", "rating", "response_ms", "mode"},
			{"q1", "iam", "DVA-C02=Security;SAA-C03=Secure", "2026-03-10T09:00:00+01:00", "true", "0;2", "Good", "1500", "exam"},
			{"q2", "sts, roles", "", "2026-03-10T09:01:00+01:00", "false", "1", "Again", "0", "practice"},
		}
		if fmt.Sprint(log) != fmt.Sprint(wantLog) {
			t.Errorf("review log table =\n%q\nwant\n%q", log, wantLog)
		}
		stats, err := csv.NewReader(strings.NewReader(blocks[1])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range [][]string{
			{"statistic", "key", "value", "correct"},
			{"total", "", "2", "1"},
			{"topic", "sts, roles", "1", "0"},
			{"domain", "DVA-C02/Security", "1", "1"},
			{"due", "2026-03-10", "2", ""},
			{"due", "2026-03-23", "0", ""},
			{"study_day", "2026-03-10", "2", ""},
			{"solved", "s3", "2026-03-10T08:00:00Z", ""},
		} {
			if !slices.ContainsFunc(stats, func(r []string) bool { return slices.Equal(r, want) }) {
				t.Errorf("statistics table has no row %q:\n%s", want, blocks[1])
			}
		}
	})

	if err := s.Export(&bytes.Buffer{}, "xml"); err == nil || !strings.Contains(err.Error(), `"xml"`) {
		t.Errorf("Export(xml) error = %v, want one naming the format", err)
	}
}

func TestDefaultDir(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct{ xdg, want string }{
		{"/var/state", "/var/state/iamlab"},
		{"", filepath.Join(home, ".local/state/iamlab")},
		{"relative/state", filepath.Join(home, ".local/state/iamlab")},
	} {
		t.Setenv("XDG_STATE_HOME", tc.xdg)
		if got, err := store.DefaultDir(); got != tc.want || err != nil {
			t.Errorf("DefaultDir() with XDG_STATE_HOME=%q = %q, %v, want %q", tc.xdg, got, err, tc.want)
		}
	}
}

// setAsideCase writes content as progress.db, opens the store and checks
// that the file was moved, unchanged, to progress.db.KIND-20260310-090000,
// that one message names both files, and that the new store works.
func setAsideCase(t *testing.T, dir string, kind string, content []byte) {
	t.Helper()
	path := filepath.Join(dir, store.FileName)
	s, msgs, err := store.Open(dir, now)
	if err != nil {
		t.Fatalf("Open(%s) error: %v", kind, err)
	}
	defer s.Close()
	moved := path + "." + kind + "-20260310-090000"
	if len(msgs) != 1 || !strings.Contains(msgs[0], path) || !strings.Contains(msgs[0], moved) {
		t.Errorf("Open(%s) messages = %q, want one naming %s and %s", kind, msgs, path, moved)
	}
	got, err := os.ReadFile(moved)
	if err != nil {
		t.Fatalf("set-aside file: %v", err)
	}
	if content != nil && !bytes.Equal(got, content) {
		t.Errorf("set-aside file differs from the original (%d bytes, want %d)", len(got), len(content))
	}
	if err := s.RecordAnswer(store.Answer{QuestionID: "q", At: now}); err != nil {
		t.Errorf("RecordAnswer on the new store: %v", err)
	}
	if a, err := s.Answers(); len(a) != 1 || err != nil {
		t.Errorf("new store has %d answers (%v), want only the new one", len(a), err)
	}
}

func TestDamagedStoreIsSetAside(t *testing.T) {
	t.Parallel()
	// A store with enough answers to span many pages.
	good := t.TempDir()
	s := open(t, good)
	for i := range 1500 {
		record(t, s, store.Answer{QuestionID: fmt.Sprint("q", i%200), Topic: "iam", At: now.Add(time.Duration(i) * time.Minute)})
	}
	s.Close()
	db, err := os.ReadFile(filepath.Join(good, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 3*4096)
	rand.Read(random)
	corrupted := bytes.Clone(db)
	rand.Read(corrupted[len(db)/2 : len(db)/2+4096]) // one page of noise

	tests := []struct {
		name    string
		content []byte
	}{
		{"random bytes", random},
		{"text file", []byte("not a database\n")},
		{"truncated to half", db[:len(db)/2]},
		{"truncated to one page", db[:4096]},
		{"truncated mid-header", db[:50]},
		{"page overwritten", corrupted},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, store.FileName), tc.content, 0o600); err != nil {
				t.Fatal(err)
			}
			setAsideCase(t, dir, "damaged", tc.content)
		})
	}

	t.Run("name taken", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		path := filepath.Join(dir, store.FileName)
		os.WriteFile(path+".damaged-20260310-090000", []byte("earlier"), 0o600)
		os.WriteFile(path, random, 0o600)
		_, msgs, err := store.Open(dir, now)
		if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0], path+".damaged-20260310-090000-2") {
			t.Errorf("Open = %q, %v, want the file moved to …-2", msgs, err)
		}
		if b, _ := os.ReadFile(path + ".damaged-20260310-090000"); string(b) != "earlier" {
			t.Errorf("earlier set-aside file overwritten")
		}
	})
}

// TestDamagedStoreOpenedTwice: iamlab started twice at once on a damaged
// file; both open a working store and the file is set aside, not lost.
func TestDamagedStoreOpenedTwice(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	random := make([]byte, 4096)
	rand.Read(random)
	os.WriteFile(filepath.Join(dir, store.FileName), random, 0o600)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		notes int
	)
	for range 4 {
		wg.Go(func() {
			s, msgs, err := store.Open(dir, now)
			if err != nil {
				t.Errorf("Open: %v", err)
				return
			}
			defer s.Close()
			if err := s.RecordAnswer(store.Answer{QuestionID: "q", At: now}); err != nil {
				t.Errorf("RecordAnswer: %v", err)
			}
			mu.Lock()
			notes += len(msgs)
			mu.Unlock()
		})
	}
	wg.Wait()
	if notes == 0 {
		t.Error("no message about the damaged file")
	}
	if got, err := os.ReadFile(filepath.Join(dir, store.FileName+".damaged-20260310-090000")); err != nil || !bytes.Equal(got, random) {
		t.Errorf("damaged file not kept: %v", err)
	}
}

func TestEmptyFileIsANewStore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, store.FileName), nil, 0o600)
	s := open(t, dir) // fails on any message
	record(t, s, store.Answer{QuestionID: "q", At: now})
}

func TestNewerStoreIsSetAside(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	record(t, s, store.Answer{QuestionID: "from-the-future", At: now})
	s.Close()
	path := filepath.Join(dir, store.FileName)
	if _, err := rawDB(t, path).Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	setAsideCase(t, dir, "newer", nil)

	// The set-aside store is whole, with its answer and version.
	moved := rawDB(t, path+".newer-20260310-090000")
	var v, n int
	if err := moved.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 99 {
		t.Errorf("set-aside user_version = %d, %v, want 99", v, err)
	}
	if err := moved.QueryRow("SELECT count(*) FROM answers").Scan(&n); err != nil || n != 1 {
		t.Errorf("set-aside answers = %d, %v, want 1", n, err)
	}
}

// TestConcurrentStores: two Stores on one file, as two iamlab processes
// would have, write from several goroutines each, with readers running
// alongside; every answer arrives and the file stays whole.
func TestConcurrentStores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const writers, each = 4, 40
	stores := []*store.Store{open(t, dir), open(t, dir)}
	var wg sync.WaitGroup
	errs := make(chan error, 2*writers+2)
	for si, s := range stores {
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					a := store.Answer{QuestionID: fmt.Sprintf("s%d-w%d-%d", si, w, i), At: now.Add(time.Duration(i) * time.Second)}
					if err := s.RecordAnswer(a); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Go(func() {
			for range 20 {
				if _, err := s.Stats(now); err != nil {
					errs <- err
					return
				}
				if _, err := s.Due(now); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for si, s := range stores {
		got, err := s.Answers()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, a := range got {
			seen[a.QuestionID] = true
		}
		if len(got) != 2*writers*each || len(seen) != 2*writers*each {
			t.Errorf("store %d sees %d answers (%d distinct), want %d", si, len(got), len(seen), 2*writers*each)
		}
	}
	if res := integrity(t, filepath.Join(dir, store.FileName)); res != "ok" {
		t.Errorf("integrity_check = %q", res)
	}
}

// crashEnv tells a re-executed test binary to act as the writer that
// TestKilledDuringWrites kills.
const crashEnv = "IAMLAB_STORE_CRASH_DIR"

// TestCrashChild is not a test on its own: run by TestKilledDuringWrites, it
// records answers as fast as it can and prints each one's id once
// RecordAnswer has returned, until it is killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("runs only as the child of TestKilledDuringWrites")
	}
	run := os.Getenv("IAMLAB_STORE_CRASH_RUN")
	s, msgs, err := store.Open(dir, now)
	if err != nil || len(msgs) != 0 {
		fmt.Printf("open failed: %v %q\n", err, msgs)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		id := fmt.Sprintf("run%s-%d", run, i)
		a := store.Answer{QuestionID: id, Topic: "crash", Domains: map[string]string{"DVA-C02": "Security"},
			At: now.Add(time.Duration(i) * time.Second), Correct: i%2 == 0, Chosen: []int{i % 4}}
		if err := s.RecordAnswer(a); err != nil {
			fmt.Printf("record failed: %v\n", err)
			os.Exit(3)
		}
		if i%10 == 0 {
			if err := s.SaveSandbox("crash", []byte(id)); err != nil {
				fmt.Printf("sandbox failed: %v\n", err)
				os.Exit(3)
			}
		}
		os.Stdout.WriteString("committed " + id + "\n")
	}
}

// TestKilledDuringWrites re-executes the test binary as a writer
// (TestCrashChild), kills it with SIGKILL at a random moment while it writes,
// several times over, then checks that the store opens without complaint,
// passes integrity_check and holds every answer the children reported
// committed.
func TestKilledDuringWrites(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts child processes")
	}
	dir := t.TempDir()
	var committed []string
	const runs = 10
	for run := range runs {
		// Killed at a random point of its loop, 1 to 60 ms after its first
		// commit.
		lines, state := childtest.Run(t, "^TestCrashChild$", []string{crashEnv + "=" + dir, "IAMLAB_STORE_CRASH_RUN=" + strconv.Itoa(run)},
			time.Duration(1+mrand.IntN(60))*time.Millisecond)
		if !childtest.Killed(state) {
			t.Fatalf("run %d: child ended with %v, not SIGKILL; its output: %q", run, state, lines)
		}
		for _, l := range lines {
			id, ok := strings.CutPrefix(l, "committed ")
			if !ok {
				t.Fatalf("run %d: child said %q", run, l)
			}
			committed = append(committed, id)
		}
		t.Logf("run %d: %d answers committed before SIGKILL", run, len(lines))
	}

	path := filepath.Join(dir, store.FileName)
	s := open(t, dir) // fails on any message: nothing may be set aside
	if res := integrity(t, path); res != "ok" {
		t.Fatalf("integrity_check = %q", res)
	}
	answers, err := s.Answers()
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]int{}
	for _, a := range answers {
		have[a.QuestionID]++
	}
	for _, id := range committed {
		if have[id] != 1 {
			t.Errorf("answer %s reported committed is there %d times, want once", id, have[id])
		}
	}
	if _, ok, err := s.LoadSandbox("crash"); !ok || err != nil {
		t.Errorf("LoadSandbox(crash) = %v, %v", ok, err)
	}
	// A child killed between a commit and its report leaves one answer
	// unreported; no more than that per run.
	if extra := len(answers) - len(committed); extra < 0 || extra > runs {
		t.Errorf("%d answers reported committed, %d in the store", len(committed), len(answers))
	}
}

// TestExamDraft: the exam under way is kept as saved, replaced by the next
// save, and ended by RecordExam (with its answers logged in the same
// transaction) or by AbandonExam (with the answers given so far).
func TestExamDraft(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := open(t, dir)
	if _, ok, err := s.ExamDraft(); ok || err != nil {
		t.Fatalf("ExamDraft() on a new store = %v, %v, want none", ok, err)
	}
	d := store.ExamDraft{Exam: "SAA-C03", Started: now.UTC(), Remaining: 20 * time.Minute, Current: 1,
		Questions: []store.DraftQuestion{{QuestionID: "a", Chosen: []int{1}, Spent: 3 * time.Second}, {QuestionID: "b", Flagged: true}}}
	if err := s.SaveExamDraft(d); err != nil {
		t.Fatal(err)
	}
	d.Questions[1].Chosen = []int{0, 2}
	if err := s.SaveExamDraft(d); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, dir)
	got, ok, err := s.ExamDraft()
	if !ok || err != nil || fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", d) {
		t.Fatalf("ExamDraft() = %#v, %v, %v\nwant %#v", got, ok, err, d)
	}

	// A bad answer rolls the whole attempt back: the draft stays.
	bad := []store.Answer{{QuestionID: "a", At: now, Mode: store.ModeExam}, {QuestionID: "b"}}
	if err := s.RecordExam(store.ExamAttempt{Exam: "SAA-C03", Started: now, Finished: now}, bad); err == nil {
		t.Fatal("RecordExam with an answer without a time succeeded")
	}
	if ex, _ := s.Exams(); len(ex) != 0 {
		t.Errorf("a failed RecordExam left %d attempts", len(ex))
	}
	if _, ok, _ := s.ExamDraft(); !ok {
		t.Error("a failed RecordExam removed the draft")
	}

	answers := []store.Answer{{QuestionID: "a", At: now, Correct: true, Chosen: []int{1}, Mode: store.ModeExam},
		{QuestionID: "b", At: now, Mode: store.ModeExam}}
	if err := s.RecordExam(store.ExamAttempt{Exam: "SAA-C03", Started: now, Finished: now}, answers); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ExamDraft(); ok {
		t.Error("the draft outlived its recorded attempt")
	}
	if a, _ := s.Answers(); len(a) != 2 {
		t.Errorf("RecordExam logged %d answers, want 2", len(a))
	}

	if err := s.SaveExamDraft(d); err != nil {
		t.Fatal(err)
	}
	if err := s.AbandonExam(answers[:1]); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.ExamDraft(); ok {
		t.Error("AbandonExam kept the draft")
	}
	if a, _ := s.Answers(); len(a) != 3 {
		t.Errorf("after AbandonExam the log has %d answers, want 3", len(a))
	}
	if ex, _ := s.Exams(); len(ex) != 1 {
		t.Errorf("AbandonExam recorded an attempt: %d attempts, want 1", len(ex))
	}
}

// crashedCopy records n answers in a store left open, as a killed iamlab
// leaves it, and copies its file and write-ahead log to a new folder.
func crashedCopy(t *testing.T, n int) (dir string, wal []byte) {
	t.Helper()
	src := t.TempDir()
	s := open(t, src)
	for i := range n {
		record(t, s, store.Answer{QuestionID: fmt.Sprint("q", i), At: now.Add(time.Duration(i) * time.Second)})
	}
	dir = t.TempDir()
	db, err := os.ReadFile(filepath.Join(src, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	wal, err = os.ReadFile(filepath.Join(src, store.FileName+"-wal"))
	if err != nil || len(wal) == 0 {
		t.Fatalf("no write-ahead log to copy: %v", err)
	}
	os.WriteFile(filepath.Join(dir, store.FileName), db, 0o600)
	os.WriteFile(filepath.Join(dir, store.FileName+"-wal"), wal, 0o600)
	return dir, wal
}

// TestEmptyStoreBesideLogIsKept: a progress.db truncated to 0 bytes with a
// write-ahead log beside it is set aside with its log and reported, never
// replaced silently (issue 12 item 4).
func TestEmptyStoreBesideLogIsKept(t *testing.T) {
	t.Parallel()
	dir, wal := crashedCopy(t, 5)
	path := filepath.Join(dir, store.FileName)
	os.WriteFile(path, nil, 0o600)
	s, msgs, err := store.Open(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	moved := path + ".damaged-20260310-090000"
	if len(msgs) != 1 || !strings.Contains(msgs[0], "the file is empty, beside a write-ahead log") || !strings.Contains(msgs[0], moved) {
		t.Fatalf("Open messages = %q, want one about the empty file, naming %s", msgs, moved)
	}
	if got, err := os.ReadFile(moved + "-wal"); err != nil || !bytes.Equal(got, wal) {
		t.Errorf("the log was not kept beside the set-aside file: %v", err)
	}
}

// TestDamagedLogIsReported: a damaged frame in the write-ahead log, which
// makes SQLite drop every commit after it, is reported, and copies of the
// files as they were are kept (issue 12 item 4).
func TestDamagedLogIsReported(t *testing.T) {
	t.Parallel()
	dir, wal := crashedCopy(t, 20)
	path := filepath.Join(dir, store.FileName)
	// Damage the page of the log's third frame: the commits after it are lost.
	pageSize := int(binary.BigEndian.Uint32(wal[8:]))
	off := 32 + 2*(24+pageSize) + 24 + 100
	wal[off] ^= 0xff
	os.WriteFile(path+"-wal", wal, 0o600)
	db, _ := os.ReadFile(path)

	s, msgs, err := store.Open(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	copyTo := path + ".damaged-log-20260310-090000"
	if len(msgs) != 1 || !strings.Contains(msgs[0], "is damaged: what was saved after the damage cannot be read") || !strings.Contains(msgs[0], copyTo) {
		t.Fatalf("Open messages = %q, want one about the damaged log naming %s", msgs, copyTo)
	}
	if got, _ := os.ReadFile(copyTo + "-wal"); !bytes.Equal(got, wal) {
		t.Error("the copy of the log differs from the damaged log")
	}
	if got, _ := os.ReadFile(copyTo); !bytes.Equal(got, db) {
		t.Error("the copy of the store differs from the store")
	}
}

// TestUndamagedLogIsQuiet: a log left by a crash, whole, opens without a
// word and with every answer.
func TestUndamagedLogIsQuiet(t *testing.T) {
	t.Parallel()
	dir, _ := crashedCopy(t, 20)
	s := open(t, dir) // fails on any message
	if a, err := s.Answers(); len(a) != 20 || err != nil {
		t.Errorf("Answers() = %d, %v, want 20", len(a), err)
	}
}

func listDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = fmt.Sprintf("%x", sha256.Sum256(b))
	}
	return out
}

// TestOpenReadOnly: the store `progress export` reads is opened read-only:
// a good store exports and no file changes; a damaged, empty or missing one
// is an error that says so, and nothing is set aside or created (issue 12
// item 4).
func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	t.Run("good, closed", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := open(t, dir)
		record(t, s, store.Answer{QuestionID: "q", At: now})
		s.Close()
		before := listDir(t, dir)
		ro, err := store.OpenReadOnly(dir, now)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := ro.Export(&out, "json"); err != nil || !strings.Contains(out.String(), `"questionId": "q"`) {
			t.Errorf("Export = %v:\n%s", err, out.String())
		}
		if err := ro.RecordAnswer(store.Answer{QuestionID: "r", At: now}); err == nil {
			t.Error("a read-only store took a write")
		}
		ro.Close()
		if after := listDir(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("the folder changed: %v, was %v", after, before)
		}
	})
	t.Run("good, left open by a crash", func(t *testing.T) {
		t.Parallel()
		dir, _ := crashedCopy(t, 3)
		ro, err := store.OpenReadOnly(dir, now)
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if a, err := ro.Answers(); len(a) != 3 || err != nil {
			t.Errorf("Answers() = %d, %v, want the 3 in the log", len(a), err)
		}
	})
	for _, tc := range []struct {
		name, content, want string
	}{
		{"damaged", "not a database at all, not even close", "it is not a SQLite database"},
		{"empty", "", "the file is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, store.FileName), []byte(tc.content), 0o600)
			os.Chtimes(filepath.Join(dir, store.FileName), now, now)
			before := listDir(t, dir)
			if _, err := store.OpenReadOnly(dir, now); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("OpenReadOnly = %v, want an error saying %q", err, tc.want)
			}
			if after := listDir(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("the folder changed: %v, was %v", after, before)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		if _, err := store.OpenReadOnly(dir, now); err == nil || !strings.Contains(err.Error(), "no progress store at") {
			t.Errorf("OpenReadOnly = %v", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("OpenReadOnly created %v", entries)
		}
	})
}
