package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"iamlab/content"
)

// examKeys are the exam screen's keys; the help shows the current phase's.
type examKeys struct {
	phase   examPhase
	mapOpen bool

	Up, Down, Left, Right, Start                                                       key.Binding
	Pick, Toggle, Next, Prev, Flag, Map, Submit, Jump, Yes, No, PageUp, PageDown, Back key.Binding
	ReviewAll, RetakeMissed, RetakeFlagged, NewExam, Note, Scenario                    key.Binding
	Resume, Abandon                                                                    key.Binding
	// draft says an exam in progress waits in the setup phase.
	draft bool
}

func (k examKeys) ShortHelp() []key.Binding {
	switch {
	case k.phase == examSetup && k.draft:
		return []key.Binding{k.Resume, k.Abandon}
	case k.phase == examSetup:
		return []key.Binding{k.Up, k.Left, k.Start}
	case k.phase == examRunning && k.mapOpen:
		return []key.Binding{k.Left, k.Jump, k.Map}
	case k.phase == examRunning:
		return []key.Binding{k.Pick, k.Next, k.Prev, k.Flag, k.Map, k.Submit}
	case k.phase == examResults:
		return []key.Binding{k.ReviewAll, k.RetakeMissed, k.RetakeFlagged, k.NewExam}
	}
	return []key.Binding{k.Next, k.Prev, k.Down, k.Note, k.Scenario}
}

func (k examKeys) FullHelp() [][]key.Binding {
	switch k.phase {
	case examSetup:
		if k.draft {
			return [][]key.Binding{{k.Resume, k.Abandon, k.Back}}
		}
		return [][]key.Binding{{k.Up, k.Down, k.Left, k.Right, k.Start, k.Back}}
	case examRunning:
		return [][]key.Binding{
			{k.Pick, k.Up, k.Down, k.Toggle, k.Next, k.Prev},
			{k.Flag, k.Map, k.Jump, k.Submit, k.PageUp, k.PageDown, k.Back},
		}
	case examResults:
		return [][]key.Binding{{k.ReviewAll, k.RetakeMissed, k.RetakeFlagged, k.NewExam, k.Back}}
	}
	return [][]key.Binding{{k.Next, k.Prev, k.Up, k.Down, k.PageUp, k.PageDown, k.Note, k.Scenario, k.Back}}
}

func newExamKeys() examKeys {
	return examKeys{
		Up: upKey(), Down: downKey(), Left: leftKey(), Right: rightKey(), PageUp: pageUpKey(), PageDown: pageDownKey(),
		Start:         bind("enter", "start", "enter"),
		Pick:          bind("1-6/a-f", "pick or unpick an option", "1", "2", "3", "4", "5", "6", "a", "b", "c", "d", "e", "f"),
		Toggle:        bind("space", "pick the option under the cursor", "space", "x"),
		Next:          bind("n/→/enter", "next question", "n", "right", "l", "enter"),
		Prev:          bind("p/←", "previous question", "p", "left", "h"),
		Flag:          bind("m", "flag for review", "m"),
		Map:           bind("tab", "question map", "tab", "shift+tab"),
		Jump:          bind("enter", "go to the question", "enter"),
		Submit:        bind("S", "submit the exam", "S"),
		Yes:           bind("y", "yes", "y", "Y"),
		No:            bind("n", "no", "n", "N", "esc"),
		Back:          bind("esc", "back (the exam keeps running)", "esc"),
		ReviewAll:     bind("r", "review every question", "r", "enter"),
		RetakeMissed:  bind("w", "retake the wrong ones", "w"),
		RetakeFlagged: bind("f", "retake wrong and flagged", "f"),
		NewExam:       bind("N", "new exam", "N"),
		Note:          bind("o", "open the note", "o"),
		Scenario:      bind("x", "run the scenario in the sandbox", "x"),
		Resume:        bind("r", "resume the exam in progress", "r"),
		Abandon:       bind("A", "abandon it (its answers are kept)", "A"),
	}
}

func (s examScreen) counts() (answered, flagged int) {
	for _, it := range s.items {
		if len(it.ans.chosen()) > 0 {
			answered++
		}
		if it.flagged {
			flagged++
		}
	}
	return answered, flagged
}

// mapCell is the width of a question's cell in the map: a margin, the
// number, the answered mark, the flag and a margin.
const mapCell = 6

// mapIndexAt returns the question at a cell of the map, or -1. The map's
// first row of numbers is its third line.
func (s examScreen) mapIndexAt(x, y int) int {
	row, col := y-2, (x-1)/mapCell
	if row < 0 || x < 1 || col >= s.mapCols() {
		return -1
	}
	i := row*s.mapCols() + col
	if i >= len(s.items) {
		return -1
	}
	return i
}

func (s examScreen) mapView(w, h int) string {
	st := s.sh.Styles
	answered, flagged := s.counts()
	lines := []string{st.Title.Render(" Question map"), st.Muted.Render(fmt.Sprintf(" • answered %d  ⚑ flagged %d", answered, flagged))}
	cols := s.mapCols()
	var row strings.Builder
	row.WriteString(" ")
	for i, it := range s.items {
		// Both marks, each in its own column: a flagged question may be
		// answered or not.
		answeredMark, flagMark := " ", " "
		if len(it.ans.chosen()) > 0 {
			answeredMark = "•"
		}
		if it.flagged {
			flagMark = "⚑"
		}
		cell := fmt.Sprintf("%2d", i+1) + answeredMark
		switch {
		case s.mapOpen && i == s.mapCursor:
			cell = st.Cursor.Render("[" + cell + flagMark + "]")
		case i == s.cur:
			cell = st.Selected.Render("›"+cell+flagMark) + " "
		default:
			cell = " " + cell + st.Flag.Render(flagMark) + " "
		}
		row.WriteString(cell)
		if (i+1)%cols == 0 || i == len(s.items)-1 {
			lines = append(lines, row.String())
			row.Reset()
			row.WriteString(" ")
		}
	}
	lines = append(lines, "", st.Muted.Render(" tab · enter go · S submit"))
	return fit(strings.Join(lines, "\n"), w, h)
}

func (s examScreen) view() string {
	switch s.phase {
	case examSetup:
		return s.setupView()
	case examResults:
		return s.resultsView()
	case examReview:
		return s.reviewView()
	}
	return s.runView()
}

func (s examScreen) setupView() string {
	st := s.sh.Styles
	exams := content.Exams()
	lines := []string{"", "  " + st.Title.Render("Exam simulation"), "  " + st.Muted.Render("Timed, no feedback until you submit, as on the day."), ""}
	if d := s.draft; d != nil {
		answered, flagged := 0, 0
		for _, q := range d.Questions {
			if len(q.Chosen) > 0 {
				answered++
			}
			if q.Flagged {
				flagged++
			}
		}
		lines = append(lines, "  "+st.Warn.Render("An exam is in progress."),
			"  "+st.Text.Render(fmt.Sprintf("%s · %d of %d answered · %d flagged · %s left", d.Exam, answered, len(d.Questions), flagged, clock(d.Remaining))),
			"  "+st.Muted.Render(fmt.Sprintf("Started %s; kept when iamlab closed.", d.Started.Local().Format("Mon 2 Jan 15:04"))),
			"",
			"  "+st.Key.Render("r")+" resume it   "+st.Key.Render("A")+" abandon it (the answers given go to your review log)")
		return strings.Join(lines, "\n")
	}
	for i, e := range exams {
		row := padTo(e.Code, 9) + e.Name
		if i == s.examIdx {
			lines = append(lines, "  "+st.Cursor.Render("› "+row))
		} else {
			lines = append(lines, "    "+st.Text.Render(row))
		}
	}
	exam := exams[s.examIdx]
	n := examLengths[s.lengthIdx]
	pools := domainPools(s.sh.lib, exam)
	topics := len(topicPools(s.sh.lib, exam))
	total := 0
	for _, p := range pools {
		total += len(p)
	}
	drawn := min(n, total)
	var lengths []string
	for i, l := range examLengths {
		if i == s.lengthIdx {
			lengths = append(lengths, st.Selected.Render(fmt.Sprintf("‹%d›", l)))
		} else {
			lengths = append(lengths, st.Muted.Render(fmt.Sprint(l)))
		}
	}
	lines = append(lines, "",
		"  "+st.Text.Render("Questions  ")+strings.Join(lengths, "  ")+st.Muted.Render("   (h/l)"),
		"  "+st.Text.Render(fmt.Sprintf("Time       %d minutes · pass mark %d of 1000", int(examDuration(exam, drawn).Minutes()), exam.PassMark)),
		"")
	if drawn < n {
		lines = append(lines, "  "+st.Warn.Render(fmt.Sprintf("The bank has %d questions for %s: the attempt has %d.", total, exam.Code, drawn)))
	}
	for _, l := range wrapLines(fmt.Sprintf("The identity-and-access part of %s: drawn at random across the bank's %d topics, "+
		"weighted by how many questions each has, so a retake differs. The bank cannot follow the exam's official domain weights:", exam.Code, topics), max(s.w-4, 20)) {
		lines = append(lines, "  "+st.Muted.Render(l))
	}
	for i, d := range exam.Domains {
		lines = append(lines, "    "+padRight(fmt.Sprintf("%-38s %3d%%", d.Name, d.Percent), 44)+
			st.Muted.Render(fmt.Sprintf("%2d in the bank", len(pools[i]))))
	}
	lines = append(lines, "", "  "+st.Muted.Render("j/k exam · h/l length · enter start · esc back"))
	return strings.Join(lines, "\n")
}

func (s examScreen) runView() string {
	st := s.sh.Styles
	answered, flagged := s.counts()
	left := st.Title.Render(fmt.Sprintf(" %s · Question %d of %d", s.exam.Code, s.cur+1, len(s.items)))
	left += st.Muted.Render(fmt.Sprintf(" · answered %d · flagged %d", answered, flagged))
	rem := s.sh.examRemaining()
	timer := "⏱ " + clock(rem) + " left "
	if rem < 5*time.Minute {
		timer = st.Warn.Render(timer)
	} else {
		timer = st.Text.Render(timer)
	}
	top := padRight(left, s.w-lipgloss.Width(timer)) + timer
	sub := st.Muted.Render(" m flag · tab map · S submit")
	if s.items[s.cur].flagged {
		sub = st.Flag.Render(" ⚑ flagged for review ·") + sub
	}
	if s.confirm {
		unans := len(s.items) - answered
		box := st.Dialog.Render(st.Title.Render("Submit the exam?") + "\n\n" +
			fmt.Sprintf("%s unanswered (they count as wrong), %s.", plural(unans, "question", "questions"), plural(flagged, "flagged", "flagged")) +
			"\n\n" + st.Key.Render("y") + " submit   " + st.Key.Render("n") + " keep going")
		return top + "\n\n" + center(box, s.w, s.h-2)
	}
	if s.mapOpen && s.mapWidth() == 0 {
		return top + "\n" + sub + "\n" + s.mapView(s.w, s.h-2)
	}
	body := fit(s.pane.view(s.sh), s.w-s.mapWidth(), s.h-2)
	if mw := s.mapWidth(); mw > 0 {
		left := strings.Split(body, "\n")
		right := strings.Split(s.mapView(mw-1, s.h-2), "\n")
		for i := range left {
			left[i] += st.Muted.Render("│") + right[i]
		}
		body = strings.Join(left, "\n")
	}
	return top + "\n" + sub + "\n" + body
}

func (s examScreen) resultsView() string {
	st := s.sh.Styles
	r := s.result
	used := s.finished.Sub(s.started).Round(time.Second)
	lines := []string{"", "  " + st.Title.Render(fmt.Sprintf("%s results", s.exam.Code)) +
		st.Muted.Render(fmt.Sprintf(" · %s · %s used", plural(r.total, "question", "questions"), clock(used)))}
	if s.timedOut {
		lines = append(lines, "  "+st.Warn.Render("Time ran out: the exam was submitted for you."))
	}
	verdict := st.Wrong.Render("✗ FAIL")
	if r.passed {
		verdict = st.Correct.Render("✓ PASS")
	}
	lines = append(lines, "",
		"  "+st.Text.Render(fmt.Sprintf("Score %d / 1000   ", r.score))+verdict+
			st.Muted.Render(fmt.Sprintf("   pass mark %d · %d of %d right", s.exam.PassMark, r.right, r.total)), "")
	nameW := min(40, max(s.w-40, 20))
	lines = append(lines, "  "+st.Muted.Render(padRight("Domain", nameW)+"  right"))
	for _, d := range r.domains {
		if d.total == 0 {
			lines = append(lines, "  "+padRight(d.name, nameW)+st.Muted.Render("  no question"))
			continue
		}
		frac := float64(d.right) / float64(d.total)
		lines = append(lines, "  "+padRight(d.name, nameW)+fmt.Sprintf("  %2d/%-2d ", d.right, d.total)+bar(st, frac, 16)+" "+pct(d.right, d.total))
	}
	lines = append(lines, "")
	for _, l := range wrapLines("AWS scores the exam as a whole: no domain has a pass mark of its own. Here the score is the share of right answers on a 100–1000 scale.", s.w-4) {
		lines = append(lines, "  "+st.Muted.Render(l))
	}
	lines = append(lines, "", "  "+st.Key.Render("r")+" review every question   "+st.Key.Render("w")+" retake the wrong ones   "+
		st.Key.Render("f")+" wrong and flagged", "  "+st.Key.Render("N")+" new exam   "+st.Key.Render("esc")+" home")
	return strings.Join(lines, "\n")
}

func (s examScreen) reviewView() string {
	st := s.sh.Styles
	it := s.items[s.cur]
	mark := st.Wrong.Render("✗ wrong")
	if it.ans.correct() {
		mark = st.Correct.Render("✓ right")
	}
	if it.flagged {
		mark += st.Flag.Render(" · ⚑ flagged")
	}
	top := st.Title.Render(fmt.Sprintf(" Review · Question %d of %d · ", s.cur+1, len(s.items))) + mark
	sub := st.Muted.Render(fmt.Sprintf(" Domain: %s · n/p next/previous · o note · esc results", it.ans.q.Domains[s.exam.Code]))
	return top + "\n" + sub + "\n" + s.pane.view(s.sh)
}
