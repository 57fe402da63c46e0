package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"iamlab/tui/srs"
)

// OpenReadOnly opens dir/progress.db for reading only, as `iamlab progress
// export` needs: it never creates, migrates, moves or writes the store. A
// store that is missing, empty, damaged (its file or its write-ahead log),
// older or newer than this build's schema is an error that says so, and
// the files are left as they are.
func OpenReadOnly(dir string, now time.Time) (*Store, error) {
	abs, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, fmt.Errorf("open progress store: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("no progress store at %s: nothing has been saved there yet", abs)
		}
		return nil, fmt.Errorf("open progress store %s: %w", abs, err)
	}
	if p := emptyBesideLog(abs, info); p != nil || info.Size() == 0 {
		return nil, fmt.Errorf("progress store %s is damaged: the file is empty; start iamlab to set it aside", abs)
	}
	if lost, err := walLoss(abs + "-wal"); err != nil {
		return nil, fmt.Errorf("open progress store %s: %w", abs, err)
	} else if lost {
		return nil, fmt.Errorf("progress store %s is damaged: its write-ahead log is damaged before later commits, which cannot be read; start iamlab to keep copies of both files and go on with what can be read", abs)
	}
	// With no write-ahead log beside it (iamlab closed cleanly), the file
	// is the whole store, and SQLite is told nothing changes it: then it
	// makes no lock, log or index file either. With a log (iamlab running,
	// or killed), SQLite must read it, and shares the log's index.
	_, walErr := os.Stat(abs + "-wal")
	db, err := sql.Open("sqlite", readOnlyDSN(abs, errors.Is(walErr, os.ErrNotExist)))
	if err != nil {
		return nil, fmt.Errorf("open progress store %s: %w", abs, err)
	}
	p, err := check(db)
	if err == nil && p == nil {
		var v int
		if v, err = schemaVersion(context.Background(), db); err == nil && v < readableFrom {
			err = fmt.Errorf("it was written by an older iamlab (schema version %d of %d); start iamlab once to bring it up to date", v, len(migrations))
		}
	}
	if err == nil && p != nil {
		err = fmt.Errorf("%s (%s)", map[string]string{"damaged": "the store is damaged", "newer": "it was written by a newer iamlab"}[p.kind], p.detail)
	}
	if err != nil {
		db.Close()
		if isDamage(err) {
			err = errors.New(describe(err))
		}
		return nil, fmt.Errorf("read progress store %s: %w", abs, explain(filepath.Dir(abs), err))
	}
	return &Store{db: db, sched: srs.NewScheduler(), opened: now, dir: filepath.Dir(abs)}, nil
}

// readableFrom is the oldest schema a read-only store can read: version 4
// only added the exam draft, which nothing read-only reads.
const readableFrom = 3

// readOnlyDSN opens path for reading only; immutable tells SQLite that
// nothing changes the file, so it needs no lock or WAL index.
func readOnlyDSN(path string, immutable bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "query_only(1)")
	q.Set("mode", "ro")
	if immutable {
		q.Set("immutable", "1")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// explain puts a write that failed for want of room or permission into
// words a learner can act on, naming dir; other errors pass unchanged.
func explain(dir string, err error) error {
	if r := refusal(dir, err); r != "" {
		return fmt.Errorf("%s (%w)", r, err)
	}
	return err
}

// refusal says in words why dir refused a write, or "" when err is not
// such a refusal.
func refusal(dir string, err error) string {
	if err == nil {
		return ""
	}
	code := 0
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		code = coded.Code() & 0xff
	}
	switch {
	case code == sqlite3.SQLITE_READONLY || errors.Is(err, syscall.EROFS):
		return dir + " is read-only, so progress cannot be saved there"
	case code == sqlite3.SQLITE_PERM || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM):
		return "iamlab may not write in " + dir + ", so progress cannot be saved there"
	case code == sqlite3.SQLITE_FULL || errors.Is(err, syscall.ENOSPC) || (code == sqlite3.SQLITE_IOERR && diskFull(dir)):
		return "no space left on the disk holding " + dir + ", so progress cannot be saved"
	}
	return ""
}

// diskFull says whether the file system holding dir has no room left for
// an ordinary user; SQLite reports some writes that fail for want of room
// only as I/O errors.
func diskFull(dir string) bool {
	var st syscall.Statfs_t
	return syscall.Statfs(dir, &st) == nil && st.Bavail == 0
}
