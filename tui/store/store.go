// Package store keeps the learner's progress: the review log (every answer
// given), exam attempts, the exam under way (its draft, saved as each
// answer is given), the sandbox's saved edits and the scenarios solved.
// Schedules and statistics are never stored; they are derived from the log,
// so a change to the scheduler applies to the whole history.
//
// The store is one SQLite file, progress.db, reached through the pure-Go
// driver modernc.org/sqlite. It runs in WAL mode with synchronous=FULL, so a
// committed answer survives a crash, kill -9 or power loss, and with a busy
// timeout and immediate write transactions, so two iamlab processes can use
// it at once. https://www.sqlite.org/wal.html
//
// Nothing in the package reads the clock: every time comes in as a parameter.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"iamlab/tui/srs"
)

// FileName is the store's file inside its directory.
const FileName = "progress.db"

// busyTimeout is how long a write waits for another process's transaction
// before giving up. Transactions here last milliseconds, so a long wait means
// something is wrong elsewhere.
const busyTimeout = 10 * time.Second

// Store is an open progress store. Its methods are safe for concurrent use,
// and several Stores, in one process or several, may share one file.
type Store struct {
	db    *sql.DB
	sched srs.Scheduler
	// opened is the time given to Open: Export has no clock of its own and
	// reports its statistics as of then.
	opened time.Time
	// dir is the store's folder, named when a write is refused.
	dir string
}

// refused puts a refused write into words (see explain).
func (s *Store) refused(err error) error {
	return explain(s.dir, err)
}

// DefaultDir is where progress lives unless the learner says otherwise:
// $XDG_STATE_HOME/iamlab, else ~/.local/state/iamlab. As the XDG Base
// Directory specification asks, a relative XDG_STATE_HOME is ignored.
// https://specifications.freedesktop.org/basedir-spec/latest/
func DefaultDir() (string, error) {
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "iamlab"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("progress store folder: %w", err)
	}
	return filepath.Join(home, ".local", "state", "iamlab"), nil
}

// Open opens dir/progress.db, creating dir (mode 0700) and the store as
// needed, and brings its schema up to date.
//
// A file that is not a SQLite database or fails PRAGMA integrity_check is
// moved aside to progress.db.damaged-YYYYMMDD-HHMMSS (now gives the time),
// and one written by a newer iamlab, whose schema this build does not know,
// to progress.db.newer-YYYYMMDD-HHMMSS; a fresh store then takes its place.
// The returned messages tell the learner what happened and name both
// files. Nothing is ever deleted.
//
// A folder that refuses writes (read-only, no space left) is said in words;
// the store then opens for reading only, when it can, so the learner still
// sees their progress, and every write fails with the same words.
func Open(dir string, now time.Time) (*Store, []string, error) {
	s, notes, err := openWritable(dir, now)
	if err == nil {
		return s, notes, nil
	}
	abs, _ := filepath.Abs(dir)
	r := refusal(abs, err)
	if r == "" {
		return nil, notes, err
	}
	ro, roErr := OpenReadOnly(dir, now)
	if roErr != nil {
		return nil, notes, fmt.Errorf("open progress store: %s (%w)", r, err)
	}
	ro.dir = abs
	return ro, append(notes, "Your progress is shown as it was, but nothing new is saved: "+r+"."), nil
}

func openWritable(dir string, now time.Time) (*Store, []string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, fmt.Errorf("open progress store: %w", err)
	}
	// SQLite quietly opens a file it may not write for reading only, and
	// the first answer would fail: ask first. (W_OK is 2.)
	if err := syscall.Access(dir, 2); err != nil {
		return nil, nil, fmt.Errorf("open progress store: %w", err)
	}
	abs, err := filepath.Abs(filepath.Join(dir, FileName))
	if err != nil {
		return nil, nil, fmt.Errorf("open progress store: %w", err)
	}

	var (
		notes []string
		moved int
	)
	if note, err := keepDamagedLog(abs, now); err != nil {
		return nil, nil, fmt.Errorf("open progress store %s: %w", abs, err)
	} else if note != "" {
		notes = append(notes, note)
	}
	for range 5 {
		db, checked, problem, err := openChecked(abs)
		if err != nil {
			return nil, notes, fmt.Errorf("open progress store %s: %w", abs, err)
		}
		if problem == nil {
			return &Store{db: db, sched: srs.NewScheduler(), opened: now, dir: filepath.Dir(abs)}, notes, nil
		}
		if moved > 0 {
			// The file was just created; something other than its content
			// is wrong, and moving files around again would not help.
			return nil, notes, fmt.Errorf("open progress store %s: new store: %s", abs, problem.detail)
		}
		// Another iamlab starting at the same moment may have set the file
		// aside already and created a new one: check that one instead.
		if cur, err := os.Stat(abs); err != nil || !os.SameFile(cur, checked) {
			continue
		}
		movedTo, err := setAside(abs, problem.kind, now)
		if errors.Is(err, os.ErrNotExist) {
			continue // set aside by the other iamlab in the meantime
		}
		if err != nil {
			return nil, notes, fmt.Errorf("open progress store %s: set aside %s store: %w", abs, problem.kind, err)
		}
		notes = append(notes, problem.message(abs, movedTo))
		moved++
	}
	return nil, notes, fmt.Errorf("open progress store %s: the file kept changing while it was checked", abs)
}

// Close closes the store. The last connection to close checkpoints the WAL
// into progress.db.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close progress store: %w", err)
	}
	return nil
}

// problem says why an existing file cannot be used as it is.
type problem struct {
	kind   string // "damaged" or "newer": the suffix of the set-aside name
	detail string
}

func (p *problem) message(path, moved string) string {
	if p.kind == "newer" {
		return fmt.Sprintf("Your progress file %s was written by a newer version of iamlab (%s). "+
			"It was moved to %s, untouched, and a new progress file was started at %s. "+
			"A newer iamlab can still open it.", path, p.detail, moved, path)
	}
	return fmt.Sprintf("Your progress file %s could not be read (%s). "+
		"It was moved to %s, untouched, and a new progress file was started at %s.",
		path, p.detail, moved, path)
}

// openChecked opens path, checks it and migrates it. It returns a problem,
// with the database closed, when the file's content is unusable (checked is
// the file it looked at), and an error when the file cannot be reached.
func openChecked(path string) (db *sql.DB, checked os.FileInfo, p *problem, err error) {
	// Create the file before SQLite does so that only the learner can read
	// it; SQLite gives the -wal and -shm files the same mode.
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600); err == nil {
		f.Close()
	} else if !errors.Is(err, os.ErrExist) {
		return nil, nil, nil, err
	}
	if checked, err = os.Stat(path); err != nil {
		return nil, nil, nil, err
	}
	if p := emptyBesideLog(path, checked); p != nil {
		return nil, checked, p, nil
	}

	db, err = sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, nil, nil, err
	}
	p, err = check(db)
	if err == nil && p == nil {
		err = migrate(db, len(migrations))
	}
	if p == nil && err != nil && isDamage(err) {
		p = &problem{kind: "damaged", detail: describe(err)}
		err = nil
	}
	if err != nil || p != nil {
		db.Close()
		return nil, checked, p, err
	}
	return db, checked, nil, nil
}

// emptyBesideLog reports a progress.db of 0 bytes that is not one being
// created at this moment: beside a write-ahead log (which may hold every
// answer), or older than a few seconds. SQLite would start a new store
// over it; iamlab sets it aside with its log instead and says so.
func emptyBesideLog(path string, info os.FileInfo) *problem {
	if info.Size() != 0 {
		return nil
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return &problem{kind: "damaged", detail: fmt.Sprintf("the file is empty, beside a write-ahead log of %d bytes, which is kept with it", wal.Size())}
	}
	if time.Since(info.ModTime()) > 10*time.Second {
		return &problem{kind: "damaged", detail: "the file is empty"}
	}
	return nil
}

// keepDamagedLog copies the store and its write-ahead log aside when the log
// has commits after a damaged frame, which SQLite would drop without a
// word, and returns a message for the learner. The originals stay, and the
// store opens with what can be read.
func keepDamagedLog(path string, now time.Time) (string, error) {
	lost, err := walLoss(path + "-wal")
	if err != nil || !lost {
		return "", err
	}
	base := path + ".damaged-log-" + now.Format("20060102-150405")
	copyTo := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(copyTo); errors.Is(err, os.ErrNotExist) {
			break
		}
		copyTo = fmt.Sprintf("%s-%d", base, i)
	}
	if err := copyFile(path, copyTo); err != nil {
		return "", fmt.Errorf("keep a copy of the damaged store: %w", err)
	}
	if err := copyFile(path+"-wal", copyTo+"-wal"); err != nil {
		return "", fmt.Errorf("keep a copy of the damaged store: %w", err)
	}
	return fmt.Sprintf("The write-ahead log of your progress file (%s-wal) is damaged: what was saved after the damage cannot be read. "+
		"Copies of both files as they were are at %s and %s-wal; iamlab goes on with what could be read.", path, copyTo, copyTo), nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Sync(); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// dsn gives every connection the same settings: a busy timeout first, so the
// others wait for a lock rather than fail; WAL, so readers never block the
// writer; synchronous=FULL, so a commit is on disk before it returns;
// immediate transactions, so a writer takes its lock at BEGIN and never has
// to give up midway (a deferred transaction that upgrades from read to write
// gets SQLITE_BUSY at once, whatever the timeout).
func dsn(path string) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// check runs PRAGMA integrity_check and compares the schema version with
// what this build knows.
func check(db *sql.DB) (*problem, error) {
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, err
	}
	var report []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, err
		}
		report = append(report, line)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(report) != 1 || report[0] != "ok" {
		detail := "integrity check failed"
		for _, line := range report {
			if !strings.HasPrefix(line, "*** ") { // skip "*** in database main ***"
				detail += ": " + line
				break
			}
		}
		return &problem{kind: "damaged", detail: detail}, nil
	}

	v, err := schemaVersion(ctx, db)
	if err != nil {
		return nil, err
	}
	if v > len(migrations) {
		return &problem{kind: "newer", detail: fmt.Sprintf("schema version %d; this iamlab knows up to %d", v, len(migrations))}, nil
	}
	return nil, nil
}

// isDamage tells errors caused by the file's content (not a database,
// corrupt) from those of its surroundings (permissions, disk full).
func isDamage(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

func describe(err error) string {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_NOTADB:
			return "it is not a SQLite database"
		case sqlite3.SQLITE_CORRUPT:
			return "the database is damaged"
		}
	}
	return err.Error()
}

// setAside renames path to path.KIND-YYYYMMDD-HHMMSS (with -2, -3… if that
// name is taken) and takes its -wal file along; the -shm file only indexes
// the WAL and is removed. It returns the new name.
func setAside(path, kind string, now time.Time) (string, error) {
	base := path + "." + kind + "-" + now.Format("20060102-150405")
	moved := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(moved); errors.Is(err, os.ErrNotExist) {
			break
		}
		moved = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Rename(path, moved); err != nil {
		return "", err
	}
	if err := os.Rename(path+"-wal", moved+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return moved, err
	}
	if err := os.Remove(path + "-shm"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return moved, err
	}
	return moved, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
