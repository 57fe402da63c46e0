package store

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// codedErr stands in for a SQLite error, which carries an extended code.
type codedErr int

func (c codedErr) Error() string { return fmt.Sprintf("sqlite error (%d)", int(c)) }
func (c codedErr) Code() int     { return int(c) }

// TestExplain: a full disk and a read-only folder are said in words that
// name the folder, with the cause kept (issue 12 item 14).
func TestExplain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"read-only database (1544)", codedErr(sqlite3.SQLITE_READONLY | 6<<8), "/data is read-only, so progress cannot be saved there (sqlite error (1544))"},
		{"read-only file system", &os.PathError{Op: "open", Path: "/data/x", Err: syscall.EROFS}, "/data is read-only"},
		{"permission", &os.PathError{Op: "open", Path: "/data/x", Err: syscall.EACCES}, "iamlab may not write in /data"},
		{"disk full (13)", codedErr(sqlite3.SQLITE_FULL), "no space left on the disk holding /data, so progress cannot be saved"},
		{"no space", fmt.Errorf("write: %w", syscall.ENOSPC), "no space left on the disk holding /data"},
		{"something else", codedErr(sqlite3.SQLITE_BUSY), "sqlite error (5)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := explain("/data", tc.err)
			if got.Error() != tc.want && !strings.HasPrefix(got.Error(), tc.want) {
				t.Errorf("explain(%v) = %q, want %q", tc.err, got, tc.want)
			}
		})
	}
}

// TestReadOnlyWritesSayWhy: every write to a store opened for reading only
// fails in the words that Open promises, naming the folder.
func TestReadOnlyWritesSayWhy(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s, _, err := Open(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := OpenReadOnly(dir, now)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	a := Answer{QuestionID: "q", At: now}
	writes := map[string]error{
		"RecordAnswer":     ro.RecordAnswer(a),
		"RecordExam":       ro.RecordExam(ExamAttempt{Exam: "DVA-C02", Started: now, Finished: now}, []Answer{a}),
		"SaveExamDraft":    ro.SaveExamDraft(ExamDraft{Exam: "DVA-C02"}),
		"AbandonExam":      ro.AbandonExam([]Answer{a}),
		"SaveSandbox":      ro.SaveSandbox("s", []byte("{}")),
		"MarkSolved":       ro.MarkSolved("s", now),
		"RecordSandboxDay": ro.RecordSandboxDay(now),
	}
	for name, err := range writes {
		if err == nil || !strings.Contains(err.Error(), dir+" is read-only, so progress cannot be saved there") {
			t.Errorf("%s on a read-only store = %v, want it to say %s is read-only", name, err, dir)
		}
	}
}
