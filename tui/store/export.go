package store

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// exportFormat names the JSON document, so a reader can tell it from others.
const exportFormat = "iamlab-progress"

// Export writes the review log and the statistics to w, for `iamlab progress
// export`. Export has no clock: its statistics are as of the time given to
// Open, which for the command is the moment it started.
//
// format "json" writes one document: format, schemaVersion, asOf, answers
// (oldest first), exams and stats.
//
// format "csv" writes two tables separated by an empty line. The first is
// the review log, one answer a row, under the header
// question_id,topic,domains,at,correct,chosen,rating,response_ms,mode
// (domains as EXAM=Domain pairs and chosen as option indexes, both joined
// with ";"). The second holds the statistics under the header
// statistic,key,value,correct, with these statistic names: total (value
// answered, correct correct), topic and domain (the same, per topic and per
// "EXAM/Domain"), due (key a date, value the reviews due that day), study_day
// (key a date, value the answers given), solved (key a scenario, value when),
// leech (key a question). Exam attempts are in the JSON export only.
func (s *Store) Export(w io.Writer, format string) error {
	answers, err := s.Answers()
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	st, err := s.Stats(s.opened)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	switch format {
	case "json":
		exams, err := s.Exams()
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		err = s.exportJSON(w, answers, exams, st)
		if err != nil {
			return fmt.Errorf("export json: %w", err)
		}
		return nil
	case "csv":
		if err := s.exportCSV(w, answers, st); err != nil {
			return fmt.Errorf("export csv: %w", err)
		}
		return nil
	}
	return fmt.Errorf("export: format %q is not json or csv", format)
}

type jsonAnswer struct {
	QuestionID string            `json:"questionId"`
	Topic      string            `json:"topic"`
	Domains    map[string]string `json:"domains,omitempty"`
	At         time.Time         `json:"at"`
	Correct    bool              `json:"correct"`
	Chosen     []int             `json:"chosen"`
	Rating     string            `json:"rating"`
	ResponseMS int64             `json:"responseMs"`
	Mode       Mode              `json:"mode"`
}

type jsonExam struct {
	Exam      string         `json:"exam"`
	Started   time.Time      `json:"started"`
	Finished  time.Time      `json:"finished"`
	TimedOut  bool           `json:"timedOut"`
	Score     int            `json:"score"`
	Passed    bool           `json:"passed"`
	Questions []jsonExamItem `json:"questions"`
}

type jsonExamItem struct {
	QuestionID string `json:"questionId"`
	Chosen     []int  `json:"chosen"`
	Correct    bool   `json:"correct"`
	Flagged    bool   `json:"flagged"`
	Domain     string `json:"domain,omitempty"`
}

type jsonTally struct {
	Answered int `json:"answered"`
	Correct  int `json:"correct"`
}

type jsonDue struct {
	Date  string `json:"date"`
	Count int    `json:"count"`
}

type jsonStats struct {
	Answered  int                  `json:"answered"`
	Correct   int                  `json:"correct"`
	ByTopic   map[string]jsonTally `json:"byTopic"`
	ByDomain  map[string]jsonTally `json:"byDomain"`
	DuePerDay []jsonDue            `json:"duePerDay"`
	StudyDays map[string]int       `json:"studyDays"`
	Solved    map[string]time.Time `json:"solved"`
	Leeches   []string             `json:"leeches"`
}

func (s *Store) exportJSON(w io.Writer, answers []Answer, exams []ExamAttempt, st Stats) error {
	doc := struct {
		Format        string       `json:"format"`
		SchemaVersion int          `json:"schemaVersion"`
		AsOf          time.Time    `json:"asOf"`
		Answers       []jsonAnswer `json:"answers"`
		Exams         []jsonExam   `json:"exams"`
		Stats         jsonStats    `json:"stats"`
	}{
		Format:        exportFormat,
		SchemaVersion: len(migrations),
		AsOf:          s.opened,
		Answers:       []jsonAnswer{},
		Exams:         []jsonExam{},
		Stats: jsonStats{
			Answered:  st.Answered,
			Correct:   st.Correct,
			ByTopic:   tallies(st.ByTopic),
			ByDomain:  tallies(st.ByDomain),
			StudyDays: st.StudyDays,
			Solved:    st.Solved,
			Leeches:   append([]string{}, st.Leeches...),
		},
	}
	for _, a := range answers {
		doc.Answers = append(doc.Answers, jsonAnswer{
			QuestionID: a.QuestionID, Topic: a.Topic, Domains: a.Domains, At: a.At, Correct: a.Correct,
			Chosen: a.Chosen, Rating: a.Rating.String(), ResponseMS: a.ResponseTime.Milliseconds(), Mode: a.Mode,
		})
	}
	for _, e := range exams {
		je := jsonExam{Exam: e.Exam, Started: e.Started, Finished: e.Finished, TimedOut: e.TimedOut,
			Score: e.Score, Passed: e.Passed, Questions: []jsonExamItem{}}
		for _, q := range e.Questions {
			//lint:ignore S1016 the export's shape must not follow ExamQuestion when it gains fields
			je.Questions = append(je.Questions, jsonExamItem{QuestionID: q.QuestionID, Chosen: q.Chosen,
				Correct: q.Correct, Flagged: q.Flagged, Domain: q.Domain})
		}
		doc.Exams = append(doc.Exams, je)
	}
	for i, n := range st.DuePerDay {
		doc.Stats.DuePerDay = append(doc.Stats.DuePerDay, jsonDue{Date: s.dueDate(i), Count: n})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func tallies(m map[string]Tally) map[string]jsonTally {
	out := make(map[string]jsonTally, len(m))
	for k, t := range m {
		//lint:ignore S1016 the export's shape must not follow Tally when it gains fields
		out[k] = jsonTally{t.Answered, t.Correct}
	}
	return out
}

// dueDate is the calendar date of DuePerDay[i].
func (s *Store) dueDate(i int) string {
	y, m, d := s.opened.Date()
	return time.Date(y, m, d+i, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (s *Store) exportCSV(w io.Writer, answers []Answer, st Stats) error {
	cw := csv.NewWriter(w)
	var werr error // the first write error; later writes are skipped
	write := func(rec ...string) {
		if werr == nil {
			werr = cw.Write(rec)
		}
	}
	write("question_id", "topic", "domains", "at", "correct", "chosen", "rating", "response_ms", "mode")
	for _, a := range answers {
		var domains []string
		for _, exam := range slices.Sorted(maps.Keys(a.Domains)) {
			domains = append(domains, exam+"="+a.Domains[exam])
		}
		chosen := make([]string, len(a.Chosen))
		for i, c := range a.Chosen {
			chosen[i] = strconv.Itoa(c)
		}
		write(a.QuestionID, a.Topic, strings.Join(domains, ";"), a.At.Format(time.RFC3339Nano),
			strconv.FormatBool(a.Correct), strings.Join(chosen, ";"), a.Rating.String(),
			strconv.FormatInt(a.ResponseTime.Milliseconds(), 10), string(a.Mode))
	}
	write() // csv writes an empty record as an empty line

	itoa := strconv.Itoa
	write("statistic", "key", "value", "correct")
	write("total", "", itoa(st.Answered), itoa(st.Correct))
	for _, k := range slices.Sorted(maps.Keys(st.ByTopic)) {
		write("topic", k, itoa(st.ByTopic[k].Answered), itoa(st.ByTopic[k].Correct))
	}
	for _, k := range slices.Sorted(maps.Keys(st.ByDomain)) {
		write("domain", k, itoa(st.ByDomain[k].Answered), itoa(st.ByDomain[k].Correct))
	}
	for i, n := range st.DuePerDay {
		write("due", s.dueDate(i), itoa(n), "")
	}
	for _, k := range slices.Sorted(maps.Keys(st.StudyDays)) {
		write("study_day", k, itoa(st.StudyDays[k]), "")
	}
	for _, k := range slices.Sorted(maps.Keys(st.Solved)) {
		write("solved", k, st.Solved[k].Format(time.RFC3339), "")
	}
	for _, k := range st.Leeches {
		write("leech", k, "", "")
	}
	cw.Flush()
	if werr != nil {
		return werr
	}
	return cw.Error()
}
