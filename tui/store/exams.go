package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// RecordExam saves a finished exam attempt, its questions and the answers
// to add to the review log (one per question, as the exam screen scores
// them), and ends the exam's draft, all in one transaction: a crash or a
// quit at any moment leaves either the draft or the whole attempt.
func (s *Store) RecordExam(e ExamAttempt, answers []Answer) error {
	if e.Exam == "" {
		return errors.New("record exam: exam code is empty")
	}
	answers, err := prepareAnswers(answers)
	if err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, err)
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, s.refused(err))
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `INSERT INTO exams (exam, started_ms, finished_ms, timed_out, score, passed)
		VALUES (?, ?, ?, ?, ?, ?)`,
		e.Exam, e.Started.UnixMilli(), e.Finished.UnixMilli(), boolInt(e.TimedOut), e.Score, boolInt(e.Passed))
	if err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, s.refused(err))
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, err)
	}
	for i, q := range e.Questions {
		chosen, err := json.Marshal(q.Chosen)
		if err != nil {
			return fmt.Errorf("record exam %s: question %d: %w", e.Exam, i+1, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exam_questions
			(exam_id, position, question_id, chosen, correct, flagged, domain) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			id, i, q.QuestionID, string(chosen), boolInt(q.Correct), boolInt(q.Flagged), q.Domain); err != nil {
			return fmt.Errorf("record exam %s: question %d: %w", e.Exam, i+1, err)
		}
	}
	if err := endDraft(ctx, tx, answers); err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, s.refused(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("record exam %s: %w", e.Exam, s.refused(err))
	}
	return nil
}

// SaveExamDraft keeps the exam under way, replacing the draft saved before.
// The statement is one transaction: the draft on disk is always a whole one.
func (s *Store) SaveExamDraft(d ExamDraft) error {
	if d.Exam == "" {
		return errors.New("save exam draft: exam code is empty")
	}
	state, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("save exam draft: %w", err)
	}
	if _, err := s.db.ExecContext(context.Background(), `INSERT INTO exam_draft (id, state) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state`, string(state)); err != nil {
		return fmt.Errorf("save exam draft %s: %w", d.Exam, s.refused(err))
	}
	return nil
}

// ExamDraft returns the exam under way, and false when there is none.
func (s *Store) ExamDraft() (ExamDraft, bool, error) {
	var state string
	err := s.db.QueryRowContext(context.Background(), `SELECT state FROM exam_draft WHERE id = 1`).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ExamDraft{}, false, nil
	case err != nil:
		return ExamDraft{}, false, fmt.Errorf("read exam draft: %w", err)
	}
	var d ExamDraft
	if err := json.Unmarshal([]byte(state), &d); err != nil {
		return ExamDraft{}, false, fmt.Errorf("read exam draft: %w", err)
	}
	return d, true, nil
}

// AbandonExam ends the exam under way without an attempt: the answers given
// so far go to the review log and the draft is removed, in one transaction.
func (s *Store) AbandonExam(answers []Answer) error {
	answers, err := prepareAnswers(answers)
	if err != nil {
		return fmt.Errorf("abandon exam: %w", err)
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("abandon exam: %w", s.refused(err))
	}
	defer tx.Rollback()
	if err := endDraft(ctx, tx, answers); err != nil {
		return fmt.Errorf("abandon exam: %w", s.refused(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("abandon exam: %w", s.refused(err))
	}
	return nil
}

// endDraft logs answers and removes the draft, inside tx.
func endDraft(ctx context.Context, tx *sql.Tx, answers []Answer) error {
	for _, a := range answers {
		if err := insertAnswer(ctx, tx, a); err != nil {
			return fmt.Errorf("answer to %s: %w", a.QuestionID, err)
		}
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM exam_draft`)
	return err
}

// Exams returns every attempt, oldest first, with its questions in the order
// shown. Times are UTC.
func (s *Store) Exams() ([]ExamAttempt, error) {
	ctx := context.Background()
	// One read transaction, so a concurrent RecordExam is seen whole or not at all.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read exams: %w", err)
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `SELECT id, exam, started_ms, finished_ms, timed_out, score, passed
		FROM exams ORDER BY started_ms, id`)
	if err != nil {
		return nil, fmt.Errorf("read exams: %w", err)
	}
	var (
		out   []ExamAttempt
		index = map[int64]int{}
	)
	for rows.Next() {
		var (
			e                   ExamAttempt
			id, started, finish int64
		)
		if err := rows.Scan(&id, &e.Exam, &started, &finish, &e.TimedOut, &e.Score, &e.Passed); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read exams: %w", err)
		}
		e.Started, e.Finished = time.UnixMilli(started).UTC(), time.UnixMilli(finish).UTC()
		index[id] = len(out)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read exams: %w", err)
	}

	rows, err = tx.QueryContext(ctx, `SELECT exam_id, question_id, chosen, correct, flagged, domain
		FROM exam_questions ORDER BY exam_id, position`)
	if err != nil {
		return nil, fmt.Errorf("read exams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id     int64
			q      ExamQuestion
			chosen string
		)
		if err := rows.Scan(&id, &q.QuestionID, &chosen, &q.Correct, &q.Flagged, &q.Domain); err != nil {
			return nil, fmt.Errorf("read exams: %w", err)
		}
		if err := json.Unmarshal([]byte(chosen), &q.Chosen); err != nil {
			return nil, fmt.Errorf("read exams: exam %d: %s: chosen: %w", id, q.QuestionID, err)
		}
		if i, ok := index[id]; ok {
			out[i].Questions = append(out[i].Questions, q)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read exams: %w", err)
	}
	return out, nil
}

// SaveSandbox stores the sandbox screen's edits for scenarioID, replacing
// what was saved before. The store does not look inside state.
func (s *Store) SaveSandbox(scenarioID string, state []byte) error {
	if state == nil {
		state = []byte{}
	}
	_, err := s.db.ExecContext(context.Background(), `INSERT INTO sandbox (scenario_id, state) VALUES (?, ?)
		ON CONFLICT (scenario_id) DO UPDATE SET state = excluded.state`, scenarioID, state)
	if err != nil {
		return fmt.Errorf("save sandbox %s: %w", scenarioID, s.refused(err))
	}
	return nil
}

// LoadSandbox returns the edits saved for scenarioID, and false when there
// are none.
func (s *Store) LoadSandbox(scenarioID string) ([]byte, bool, error) {
	var state []byte
	err := s.db.QueryRowContext(context.Background(),
		`SELECT state FROM sandbox WHERE scenario_id = ?`, scenarioID).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, fmt.Errorf("load sandbox %s: %w", scenarioID, err)
	}
	if state == nil {
		state = []byte{}
	}
	return state, true, nil
}

// MarkSolved records that scenarioID was solved at at. Solving it again
// keeps the first time.
func (s *Store) MarkSolved(scenarioID string, at time.Time) error {
	_, err := s.db.ExecContext(context.Background(), `INSERT INTO solved (scenario_id, at_ms) VALUES (?, ?)
		ON CONFLICT (scenario_id) DO UPDATE SET at_ms = min(at_ms, excluded.at_ms)`, scenarioID, at.UnixMilli())
	if err != nil {
		return fmt.Errorf("mark %s solved: %w", scenarioID, s.refused(err))
	}
	return nil
}

// RecordSandboxDay records that the learner worked in the sandbox on at's
// local date, which makes it a study day.
func (s *Store) RecordSandboxDay(at time.Time) error {
	_, err := s.db.ExecContext(context.Background(), `INSERT INTO sandbox_days (day) VALUES (?) ON CONFLICT (day) DO NOTHING`,
		at.Format(time.DateOnly))
	if err != nil {
		return fmt.Errorf("record a sandbox day: %w", s.refused(err))
	}
	return nil
}
