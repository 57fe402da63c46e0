package store

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

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
