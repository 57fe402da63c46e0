package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// rawOpen opens path as Open does, without checks or migrations.
func rawOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// schema lists the file's tables, indexes and triggers as SQLite stores them.
func schema(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func version(t *testing.T, db *sql.DB) int {
	t.Helper()
	v, err := schemaVersion(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMigrateFromEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s, msgs, err := Open(dir, testNow)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("Open(empty dir) = %q, %v", msgs, err)
	}
	if v := version(t, s.db); v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}
	got := strings.Join(schema(t, s.db), "\n")
	for _, want := range []string{"table answers", "table exams", "table exam_questions", "table sandbox",
		"table solved", "index answers_by_question", "index answers_by_time", "utc_offset",
		"trigger answers_no_update", "trigger answers_no_delete"} {
		if !strings.Contains(got, want) {
			t.Errorf("schema lacks %q:\n%s", want, got)
		}
	}
	s.Close()
}

// TestMigrateFromVersion1 builds a version-1 store with an answer in it, as
// the first release wrote them, and opens it with this build.
func TestMigrateFromVersion1(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	db := rawOpen(t, path)
	if err := migrate(db, 1); err != nil {
		t.Fatal(err)
	}
	if v := version(t, db); v != 1 {
		t.Fatalf("user_version = %d, want 1", v)
	}
	if _, err := db.Exec(`INSERT INTO answers (question_id, topic, domains, at_ms, correct, chosen, rating, response_ms, mode)
		VALUES ('q1', 'iam', '{"DVA-C02":"Security"}', ?, 1, '[2]', 3, 4200, 'practice')`, testNow.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, msgs, err := Open(dir, testNow)
	if err != nil || len(msgs) != 0 {
		t.Fatalf("Open(version 1) = %q, %v", msgs, err)
	}
	defer s.Close()
	if v := version(t, s.db); v != len(migrations) {
		t.Errorf("user_version = %d, want %d", v, len(migrations))
	}
	answers, err := s.Answers()
	if err != nil {
		t.Fatal(err)
	}
	if len(answers) != 1 {
		t.Fatalf("Answers() = %d answers, want 1", len(answers))
	}
	a := answers[0]
	if a.QuestionID != "q1" || a.Domains["DVA-C02"] != "Security" || !slices.Equal(a.Chosen, []int{2}) ||
		a.ResponseTime != 4200*time.Millisecond || !a.At.Equal(testNow) || a.At.Location() != time.UTC {
		t.Errorf("migrated answer = %+v", a)
	}
	// Version 2 made the log append-only.
	if _, err := s.db.Exec(`UPDATE answers SET correct = 0`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("UPDATE answers: %v, want the append-only error", err)
	}
	if _, err := s.db.Exec(`DELETE FROM answers`); err == nil {
		t.Error("DELETE FROM answers succeeded")
	}
}

// TestMigrationsIdempotent runs each migration a second time on a schema
// that already has it: no error, no change, no data lost.
func TestMigrationsIdempotent(t *testing.T) {
	t.Parallel()
	for n := 1; n <= len(migrations); n++ {
		db := rawOpen(t, filepath.Join(t.TempDir(), FileName))
		if err := migrate(db, n); err != nil {
			t.Fatalf("migrate to %d: %v", n, err)
		}
		if _, err := db.Exec(`INSERT INTO answers (question_id, at_ms, correct, rating, response_ms, mode)
			VALUES ('q', 0, 1, 3, 0, 'practice')`); err != nil {
			t.Fatal(err)
		}
		before := schema(t, db)
		for range 2 {
			tx, err := db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if err := migrations[n-1](context.Background(), tx); err != nil {
				t.Errorf("migration %d run again: %v", n, err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		if after := schema(t, db); !slices.Equal(before, after) {
			t.Errorf("migration %d run again changed the schema:\n%q\nwant\n%q", n, after, before)
		}
		var count int
		if err := db.QueryRow(`SELECT count(*) FROM answers`).Scan(&count); err != nil || count != 1 {
			t.Errorf("after migration %d again: %d answers, %v", n, count, err)
		}
		if v := version(t, db); v != n {
			t.Errorf("user_version after migration %d again = %d", n, v)
		}
	}
}

// TestMigrateRacing: four opens racing on a version-1 store all succeed.
func TestMigrateRacing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := rawOpen(t, filepath.Join(dir, FileName))
	if err := migrate(db, 1); err != nil {
		t.Fatal(err)
	}
	db.Close()
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, msgs, err := Open(dir, testNow)
			if err == nil && len(msgs) > 0 {
				err = &messagesError{msgs}
			}
			if s != nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

type messagesError struct{ msgs []string }

func (e *messagesError) Error() string { return strings.Join(e.msgs, "; ") }

// TestReadOnlyOlderSchema: `progress export` reads a store of the last
// version before the exam draft, which it does not read, and refuses one
// older still, saying how to bring it up to date.
func TestReadOnlyOlderSchema(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		version int
		ok      bool
	}{{2, false}, {readableFrom, true}} {
		dir := t.TempDir()
		db := rawOpen(t, filepath.Join(dir, FileName))
		if err := migrate(db, tc.version); err != nil {
			t.Fatal(err)
		}
		db.Close()
		s, err := OpenReadOnly(dir, testNow)
		if tc.ok {
			if err != nil {
				t.Errorf("OpenReadOnly(version %d) = %v", tc.version, err)
				continue
			}
			if _, err := s.Answers(); err != nil {
				t.Errorf("Answers(version %d) = %v", tc.version, err)
			}
			s.Close()
		} else if err == nil || !strings.Contains(err.Error(), "start iamlab once to bring it up to date") {
			t.Errorf("OpenReadOnly(version %d) = %v, want a refusal", tc.version, err)
		}
	}
}
