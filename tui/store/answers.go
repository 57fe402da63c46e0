package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"iamlab/tui/srs"
)

// LeechMisses is how many wrong answers make a question a leech: one the
// learner keeps missing, better sent back to its note and scenario than
// drilled again. (Anki's default leech threshold is also 8 lapses.)
const LeechMisses = 8

// dueDays is the length of Stats.DuePerDay.
const dueDays = len(Stats{}.DuePerDay)

// RecordAnswer appends a to the review log. The insert is a single statement,
// so it is one transaction: once RecordAnswer returns nil the answer is on
// disk. Times and response times are kept to the millisecond, with the
// answer's UTC offset so study days follow the learner's calendar.
//
// A zero Rating is filled in with srs.RatingFor(a.Correct, a.ResponseTime,
// false), and an empty Mode with ModePractice.
func (s *Store) RecordAnswer(a Answer) error {
	a, err := prepareAnswer(a)
	if err != nil {
		return fmt.Errorf("record answer: %w", err)
	}
	if err := insertAnswer(context.Background(), s.db, a); err != nil {
		return fmt.Errorf("record answer %s: %w", a.QuestionID, s.refused(err))
	}
	return nil
}

// prepareAnswer checks a and fills in its defaults, as RecordAnswer says.
func prepareAnswer(a Answer) (Answer, error) {
	if a.QuestionID == "" {
		return a, errors.New("question id is empty")
	}
	if a.At.IsZero() {
		return a, fmt.Errorf("%s: time is zero", a.QuestionID)
	}
	if a.Rating == 0 {
		a.Rating = srs.RatingFor(a.Correct, a.ResponseTime, false)
	}
	if a.Rating < srs.Again || a.Rating > srs.Easy {
		return a, fmt.Errorf("%s: rating %d is not one of Again (1) … Easy (4)", a.QuestionID, a.Rating)
	}
	if a.Mode == "" {
		a.Mode = ModePractice
	}
	return a, nil
}

func prepareAnswers(as []Answer) ([]Answer, error) {
	out := make([]Answer, len(as))
	for i, a := range as {
		var err error
		if out[i], err = prepareAnswer(a); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func insertAnswer(ctx context.Context, db execer, a Answer) error {
	domains, err := json.Marshal(a.Domains)
	if err != nil {
		return err
	}
	chosen, err := json.Marshal(a.Chosen)
	if err != nil {
		return err
	}
	_, offset := a.At.Zone()
	_, err = db.ExecContext(ctx, `INSERT INTO answers
		(question_id, topic, domains, at_ms, utc_offset, correct, chosen, rating, response_ms, mode)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.QuestionID, a.Topic, string(domains), a.At.UnixMilli(), offset, boolInt(a.Correct),
		string(chosen), int(a.Rating), a.ResponseTime.Milliseconds(), string(a.Mode))
	return err
}

// Answers returns the whole review log, oldest first. Each At carries the
// UTC offset the answer was given in.
func (s *Store) Answers() ([]Answer, error) {
	rows, err := s.db.QueryContext(context.Background(), `SELECT
		question_id, topic, domains, at_ms, utc_offset, correct, chosen, rating, response_ms, mode
		FROM answers ORDER BY at_ms, id`)
	if err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	defer rows.Close()
	var out []Answer
	for rows.Next() {
		var (
			a               Answer
			domains, chosen string
			atMS, respMS    int64
			offset          int
			mode            string
		)
		if err := rows.Scan(&a.QuestionID, &a.Topic, &domains, &atMS, &offset, &a.Correct,
			&chosen, &a.Rating, &respMS, &mode); err != nil {
			return nil, fmt.Errorf("read answers: %w", err)
		}
		if err := json.Unmarshal([]byte(domains), &a.Domains); err != nil {
			return nil, fmt.Errorf("read answers: %s at %d: domains: %w", a.QuestionID, atMS, err)
		}
		if err := json.Unmarshal([]byte(chosen), &a.Chosen); err != nil {
			return nil, fmt.Errorf("read answers: %s at %d: chosen: %w", a.QuestionID, atMS, err)
		}
		a.At = localTime(atMS, offset)
		a.ResponseTime = time.Duration(respMS) * time.Millisecond
		a.Mode = Mode(mode)
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read answers: %w", err)
	}
	return out, nil
}

// Card replays questionID's answers through srs.NewScheduler and returns its
// memory state now; a question never answered is a New card.
func (s *Store) Card(questionID string) (srs.Card, error) {
	rows, err := s.db.QueryContext(context.Background(),
		`SELECT rating, at_ms FROM answers WHERE question_id = ? ORDER BY at_ms, id`, questionID)
	if err != nil {
		return srs.Card{}, fmt.Errorf("card %s: %w", questionID, err)
	}
	defer rows.Close()
	var c srs.Card
	for rows.Next() {
		var (
			r    srs.Rating
			atMS int64
		)
		if err := rows.Scan(&r, &atMS); err != nil {
			return srs.Card{}, fmt.Errorf("card %s: %w", questionID, err)
		}
		c = s.sched.Review(c, r, time.UnixMilli(atMS).UTC())
	}
	if err := rows.Err(); err != nil {
		return srs.Card{}, fmt.Errorf("card %s: %w", questionID, err)
	}
	return c, nil
}

// Due returns the questions due for review at now, most overdue first (ties
// by id). Only questions answered at least once have a schedule; the rest
// are new material, not reviews.
func (s *Store) Due(now time.Time) ([]string, error) {
	cards, err := s.cards(context.Background(), nil)
	if err != nil {
		return nil, fmt.Errorf("due reviews: %w", err)
	}
	type due struct {
		id string
		at time.Time
	}
	var list []due
	for id, c := range cards {
		if !c.Due.After(now) {
			list = append(list, due{id, c.Due})
		}
	}
	slices.SortFunc(list, func(a, b due) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.id, b.id))
	})
	ids := make([]string, len(list))
	for i, d := range list {
		ids[i] = d.id
	}
	return ids, nil
}

// logRow is what the statistics need of one answer.
type logRow struct {
	questionID, topic, domains string
	atMS                       int64
	offset                     int
	correct                    bool
}

// cards replays the whole log, one question after another, and returns each
// answered question's card. each, if not nil, sees every row on the way.
func (s *Store) cards(ctx context.Context, each func(logRow) error) (map[string]srs.Card, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT question_id, topic, domains, at_ms, utc_offset, correct, rating
		FROM answers ORDER BY question_id, at_ms, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cards := make(map[string]srs.Card)
	var (
		cur  string
		card srs.Card
	)
	for rows.Next() {
		var (
			row logRow
			r   srs.Rating
		)
		if err := rows.Scan(&row.questionID, &row.topic, &row.domains, &row.atMS, &row.offset, &row.correct, &r); err != nil {
			return nil, err
		}
		if row.questionID != cur {
			if cur != "" {
				cards[cur] = card
			}
			cur, card = row.questionID, srs.Card{}
		}
		card = s.sched.Review(card, r, time.UnixMilli(row.atMS).UTC())
		if each != nil {
			if err := each(row); err != nil {
				return nil, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cur != "" {
		cards[cur] = card
	}
	return cards, nil
}

// Stats derives the Progress screen's figures from the log at now.
// DuePerDay[0] is today in now's location and includes everything overdue;
// StudyDays uses each answer's own local date.
func (s *Store) Stats(now time.Time) (Stats, error) {
	ctx := context.Background()
	st := Stats{
		ByTopic:      map[string]Tally{},
		ByDomain:     map[string]Tally{},
		StudyDays:    map[string]int{},
		SandboxDays:  map[string]bool{},
		Solved:       map[string]time.Time{},
		LastAnswered: map[string]time.Time{},
	}
	misses := map[string]int{}
	// Few distinct domain sets and days occur, so decode and format each once.
	domainKeys := map[string][]string{} // domains JSON → "EXAM/Domain" keys
	days := map[int64]int{}             // local day number → answers
	cards, err := s.cards(ctx, func(r logRow) error {
		st.Answered++
		if r.correct {
			st.Correct++
		} else {
			misses[r.questionID]++
		}
		add(st.ByTopic, r.topic, r.correct)
		keys, ok := domainKeys[r.domains]
		if !ok {
			var domains map[string]string
			if err := json.Unmarshal([]byte(r.domains), &domains); err != nil {
				return fmt.Errorf("%s at %d: domains: %w", r.questionID, r.atMS, err)
			}
			for exam, domain := range domains {
				keys = append(keys, exam+"/"+domain)
			}
			domainKeys[r.domains] = keys
		}
		for _, k := range keys {
			add(st.ByDomain, k, r.correct)
		}
		days[floorDiv(r.atMS/1000+int64(r.offset), 86400)]++
		st.LastAnswered[r.questionID] = time.UnixMilli(r.atMS).UTC() // rows come oldest first
		return nil
	})
	if err != nil {
		return Stats{}, fmt.Errorf("statistics: %w", err)
	}
	for d, n := range days {
		st.StudyDays[time.Unix(d*86400, 0).UTC().Format(time.DateOnly)] = n
	}

	today := dayNumber(now)
	for _, c := range cards {
		i := max(dayNumber(c.Due.In(now.Location()))-today, 0)
		if i < dueDays {
			st.DuePerDay[i]++
		}
		if c.Due.After(now) && (st.NextDue.IsZero() || c.Due.Before(st.NextDue)) {
			st.NextDue = c.Due
		}
	}
	for id, n := range misses {
		if n >= LeechMisses {
			st.Leeches = append(st.Leeches, id)
		}
	}
	slices.Sort(st.Leeches)

	if err := s.sandboxDays(ctx, st.SandboxDays); err != nil {
		return Stats{}, fmt.Errorf("statistics: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT scenario_id, at_ms FROM solved`)
	if err != nil {
		return Stats{}, fmt.Errorf("statistics: solved scenarios: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   string
			atMS int64
		)
		if err := rows.Scan(&id, &atMS); err != nil {
			return Stats{}, fmt.Errorf("statistics: solved scenarios: %w", err)
		}
		st.Solved[id] = time.UnixMilli(atMS).UTC()
	}
	if err := rows.Err(); err != nil {
		return Stats{}, fmt.Errorf("statistics: solved scenarios: %w", err)
	}
	return st, nil
}

func add(m map[string]Tally, key string, correct bool) {
	t := m[key]
	t.Answered++
	if correct {
		t.Correct++
	}
	m[key] = t
}

// dayNumber counts calendar days, so that two times' difference is the
// number of midnights between them in t's own location.
func dayNumber(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// localTime is the stored instant in the zone it was recorded in.
func localTime(ms int64, offset int) time.Time {
	t := time.UnixMilli(ms)
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", offset))
}

func (s *Store) sandboxDays(ctx context.Context, into map[string]bool) error {
	rows, err := s.db.QueryContext(ctx, `SELECT day FROM sandbox_days`)
	if err != nil {
		return fmt.Errorf("sandbox days: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		if err := rows.Scan(&day); err != nil {
			return fmt.Errorf("sandbox days: %w", err)
		}
		into[day] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sandbox days: %w", err)
	}
	return nil
}
