package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations[i] brings the schema from version i to version i+1; the
// version lives in PRAGMA user_version, which SQLite keeps in the file
// header and changes inside the migrating transaction. Each migration is
// idempotent (running it on a schema that already has it changes nothing),
// so a migration interrupted by a crash, or raced by a second iamlab, is
// simply run again. Never edit a released migration: add the next one.
var migrations = []func(ctx context.Context, tx *sql.Tx) error{
	migrate1,
	migrate2,
	migrate3,
	migrate4,
}

// migrate1 is the first schema: the review log, exam attempts, sandbox
// state and solved scenarios. Times are Unix milliseconds, UTC.
func migrate1(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`CREATE TABLE IF NOT EXISTS answers (
			id          INTEGER PRIMARY KEY,
			question_id TEXT    NOT NULL,
			topic       TEXT    NOT NULL DEFAULT '',
			domains     TEXT    NOT NULL DEFAULT 'null', -- JSON object, exam code → domain
			at_ms       INTEGER NOT NULL,
			correct     INTEGER NOT NULL,
			chosen      TEXT    NOT NULL DEFAULT 'null', -- JSON array of option indexes
			rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
			response_ms INTEGER NOT NULL,
			mode        TEXT    NOT NULL
		)`,
		`CREATE INDEX IF NOT EXISTS answers_by_question ON answers (question_id, at_ms)`,
		`CREATE TABLE IF NOT EXISTS exams (
			id          INTEGER PRIMARY KEY,
			exam        TEXT    NOT NULL,
			started_ms  INTEGER NOT NULL,
			finished_ms INTEGER NOT NULL,
			timed_out   INTEGER NOT NULL,
			score       INTEGER NOT NULL,
			passed      INTEGER NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS exam_questions (
			exam_id     INTEGER NOT NULL REFERENCES exams (id),
			position    INTEGER NOT NULL,
			question_id TEXT    NOT NULL,
			chosen      TEXT    NOT NULL DEFAULT 'null',
			correct     INTEGER NOT NULL,
			flagged     INTEGER NOT NULL,
			domain      TEXT    NOT NULL DEFAULT '',
			PRIMARY KEY (exam_id, position)
		)`,
		`CREATE TABLE IF NOT EXISTS sandbox (
			scenario_id TEXT PRIMARY KEY,
			state       BLOB NOT NULL
		)`,
		`CREATE TABLE IF NOT EXISTS solved (
			scenario_id TEXT PRIMARY KEY,
			at_ms       INTEGER NOT NULL
		)`,
	)
}

// migrate2 keeps each answer's UTC offset, so that study days are counted
// in the learner's own calendar (answers logged by version 1 count as UTC),
// and makes the review log append-only: every schedule and statistic is
// derived from it, so a row changed in place would rewrite history.
func migrate2(ctx context.Context, tx *sql.Tx) error {
	has, err := hasColumn(ctx, tx, "answers", "utc_offset")
	if err != nil {
		return err
	}
	if !has {
		if _, err := tx.ExecContext(ctx, `ALTER TABLE answers ADD COLUMN utc_offset INTEGER NOT NULL DEFAULT 0`); err != nil {
			return err
		}
	}
	return execAll(ctx, tx,
		`CREATE INDEX IF NOT EXISTS answers_by_time ON answers (at_ms)`,
		`CREATE TRIGGER IF NOT EXISTS answers_no_update BEFORE UPDATE ON answers
			BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END`,
		`CREATE TRIGGER IF NOT EXISTS answers_no_delete BEFORE DELETE ON answers
			BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END`,
	)
}

// migrate3 keeps the days the learner worked in the sandbox: they are
// study days too, though they log no answers. A day is the learner's own
// local date.
func migrate3(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx, `CREATE TABLE IF NOT EXISTS sandbox_days (day TEXT PRIMARY KEY)`)
}

// migrate4 keeps the exam under way, so that a crash, a kill or a quit
// loses none of its answers and a restarted iamlab can offer to resume it.
// One row at most: one exam runs at a time.
func migrate4(ctx context.Context, tx *sql.Tx) error {
	return execAll(ctx, tx,
		`CREATE TABLE IF NOT EXISTS exam_draft (
			id    INTEGER PRIMARY KEY CHECK (id = 1),
			state TEXT NOT NULL -- JSON: the exam, its questions and the answers given
		)`,
	)
}

// migrate runs the migrations above the file's version, up to target, each
// in its own write transaction. The version is read again inside the
// transaction, so two processes opening an old store at once migrate it once.
func migrate(db *sql.DB, target int) error {
	ctx := context.Background()
	for {
		done, err := migrateOne(ctx, db, target)
		if err != nil || done {
			return err
		}
	}
}

func migrateOne(ctx context.Context, db *sql.DB, target int) (done bool, err error) {
	v, err := schemaVersion(ctx, db)
	if err != nil || v >= target {
		return true, err
	}
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: see dsn
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var cur int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return false, err
	}
	if cur >= target {
		return true, nil
	}
	if err := migrations[cur](ctx, tx); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", cur+1, err)
	}
	// PRAGMA takes no bound parameters; cur is an int.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", cur+1)); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", cur+1, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("migrate schema to version %d: %w", cur+1, err)
	}
	return false, nil
}

func schemaVersion(ctx context.Context, db *sql.DB) (int, error) {
	var v int
	err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

func hasColumn(ctx context.Context, tx *sql.Tx, table, column string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, table, column).Scan(&n)
	return n > 0, err
}

func execAll(ctx context.Context, tx *sql.Tx, stmts ...string) error {
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
