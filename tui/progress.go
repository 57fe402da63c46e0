package tui

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/tui/store"
)

// progressLoadedMsg brings the statistics and past exam attempts.
type progressLoadedMsg struct {
	stats store.Stats
	exams []store.ExamAttempt
	err   error
}

var progressTabs = []string{"Topics", "Exam domains", "Reviews due", "Calendar", "History"}

// progressKeys switch sections and scroll them.
type progressKeys struct {
	Tab, ShiftTab, Left, Right, Up, Down, PageUp, PageDown, Back key.Binding
}

func (k progressKeys) ShortHelp() []key.Binding { return []key.Binding{k.Tab, k.Right, k.Down} }
func (k progressKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Tab, k.ShiftTab, k.Left, k.Right}, {k.Up, k.Down, k.PageUp, k.PageDown, k.Back}}
}

// progressScreen shows where the learner stands, from the review log.
type progressScreen struct {
	sh     *shared
	w, h   int
	loaded bool
	stats  store.Stats
	exams  []store.ExamAttempt
	tab    int
	scroll int
	km     progressKeys
}

func newProgressScreen(sh *shared) progressScreen {
	return progressScreen{sh: sh, km: progressKeys{
		Tab: bind("tab", "next section", "tab"), ShiftTab: bind("shift+tab", "previous section", "shift+tab"),
		Left: bind("←/h", "previous section", "left", "h"), Right: bind("→/l", "next section", "right", "l"),
		Up: upKey(), Down: downKey(), PageUp: pageUpKey(), PageDown: pageDownKey(), Back: backKey(),
	}}
}

func (s *progressScreen) setSize(w, h int) { s.w, s.h = w, h }
func (s progressScreen) keys() help.KeyMap { return s.km }
func (s progressScreen) typing() bool      { return false }

func (s progressScreen) load() tea.Cmd {
	p, now := s.sh.progress, s.sh.Now()
	return func() tea.Msg {
		stats, err := p.Stats(now)
		if err != nil {
			return progressLoadedMsg{err: fmt.Errorf("load statistics: %w", err)}
		}
		exams, err := p.Exams()
		if err != nil {
			return progressLoadedMsg{err: fmt.Errorf("load exam attempts: %w", err)}
		}
		return progressLoadedMsg{stats: stats, exams: exams}
	}
}

func (s progressScreen) update(msg tea.Msg) (progressScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		return s, s.load()
	case progressLoadedMsg:
		if msg.err != nil {
			return s, reportErr(msg.err)
		}
		s.loaded, s.stats, s.exams = true, msg.stats, msg.exams
	case tea.KeyPressMsg:
		k := s.km
		n := len(progressTabs)
		switch {
		case key.Matches(msg, k.Back):
			return s, back
		case key.Matches(msg, k.Tab, k.Right):
			s.tab, s.scroll = (s.tab+1)%n, 0
		case key.Matches(msg, k.ShiftTab, k.Left):
			s.tab, s.scroll = (s.tab+n-1)%n, 0
		case key.Matches(msg, k.Up):
			s.scrollBy(-1)
		case key.Matches(msg, k.Down):
			s.scrollBy(1)
		case key.Matches(msg, k.PageUp):
			s.scrollBy(-(s.h - 4))
		case key.Matches(msg, k.PageDown):
			s.scrollBy(s.h - 4)
		}
	case tea.MouseWheelMsg:
		s.scrollBy(wheelLines(msg))
	case tea.MouseClickMsg:
		if msg.Y == 2 && msg.Button == tea.MouseLeft {
			x := 1
			for i, t := range progressTabs {
				w := len([]rune(t)) + 2
				if msg.X >= x && msg.X < x+w {
					s.tab, s.scroll = i, 0
				}
				x += w + 1
			}
		}
	}
	return s, nil
}

func (s *progressScreen) scrollBy(n int) {
	s.scroll = clampInt(s.scroll+n, 0, max(0, len(s.section())-(s.h-4)))
}

func (s progressScreen) view() string {
	st := s.sh.Styles
	if !s.loaded {
		return "\n  " + st.Muted.Render("Loading your progress…")
	}
	t := s.stats
	summary := fmt.Sprintf(" %s · %s right · %s due today · %s",
		plural(t.Answered, "answer", "answers"), pct(t.Correct, t.Answered), fmt.Sprint(t.DuePerDay[0]),
		plural(len(t.Solved), "scenario solved", "scenarios solved"))
	var tabs []string
	for i, name := range progressTabs {
		if i == s.tab {
			tabs = append(tabs, st.TabActive.Render(name))
		} else {
			tabs = append(tabs, st.Tab.Render(name))
		}
	}
	body, _ := window(s.section(), s.scroll, s.h-4)
	return st.Title.Render(" Progress") + st.Muted.Render(summary) + "\n\n" +
		" " + strings.Join(tabs, " ") + "\n\n" + strings.Join(body, "\n")
}

// section is the current tab's lines.
func (s progressScreen) section() []string {
	switch s.tab {
	case 0:
		return s.topicLines()
	case 1:
		return s.domainLines()
	case 2:
		return append([]string{"  " + s.sh.Styles.Muted.Render("Reviews falling due each day (FSRS, retention 0.9):"), ""},
			dueChart(s.sh.Styles, s.stats.DuePerDay, s.sh.Now(), 14)...)
	case 3:
		return heatMap(s.sh.Styles, s.stats, s.sh.Now(), s.w)
	}
	return s.historyLines()
}

func (s progressScreen) topicLines() []string {
	st := s.sh.Styles
	nameW := max(min(s.w-40, 60), 20)
	lines := []string{"  " + st.Muted.Render(padRight("Topic", nameW)+"  answers  right")}
	for _, n := range s.sh.lib.Notes {
		t := s.stats.ByTopic[n.ID]
		row := "  " + padRight(n.Title, nameW) + fmt.Sprintf("  %7d  ", t.Answered)
		if t.Answered == 0 {
			row += st.Muted.Render("not started")
		} else {
			row += bar(st, float64(t.Correct)/float64(t.Answered), 12) + " " + pct(t.Correct, t.Answered)
		}
		lines = append(lines, row)
	}
	return lines
}

// readiness estimates the share of a domain's questions the learner would
// get right: accuracy so far, pulled towards chance (one in four) while
// there are few answers, so ten lucky answers do not read as "ready".
func readiness(t store.Tally) float64 {
	const prior = 10
	return (float64(t.Correct) + prior*0.25) / (float64(t.Answered) + prior)
}

// passShare is the share of right answers the simulation needs to pass.
func passShare(e content.Exam) float64 { return float64(e.PassMark-100) / 900 }

func (s progressScreen) domainLines() []string {
	st := s.sh.Styles
	nameW := max(min(s.w-52, 40), 20)
	var lines []string
	for _, l := range []string{
		"Readiness is your accuracy, pulled towards chance while a domain has few answers: with none yet it reads 25%, what guessing among four options scores.",
		"\"Needs about N% right\": the exam's pass mark (720 or 750 of 1,000) as a share of right answers; AWS scales scores, so take it as a guide.",
	} {
		for _, w := range wrapLines(l, max(s.w-4, 20)) {
			lines = append(lines, "  "+st.Muted.Render(w))
		}
	}
	lines = append(lines, "")
	for _, e := range content.Exams() {
		need := passShare(e)
		overall := 0.0
		var rows []string
		for _, d := range e.Domains {
			t := s.stats.ByDomain[e.Code+"/"+d.Name]
			r := readiness(t)
			overall += r * float64(d.Percent) / 100
			verdict := st.Wrong.Render("✗ not yet")
			switch {
			case r >= need:
				verdict = st.Correct.Render("✓ ready")
			case r >= need-0.1:
				verdict = st.Warn.Render("~ close")
			}
			rows = append(rows, "    "+padRight(d.Name, nameW)+fmt.Sprintf(" %4s of %-3d ", pct(t.Correct, t.Answered), t.Answered)+
				bar(st, r, 10)+fmt.Sprintf(" %3.0f%% ", r*100)+verdict)
		}
		lines = append(lines, "  "+st.Title.Render(e.Code)+st.Muted.Render(fmt.Sprintf("  readiness %.0f%% · needs about %.0f%% right", overall*100, need*100)))
		lines = append(lines, "    "+st.Muted.Render(padRight("Domain", nameW)+"  right of answers  readiness"))
		lines = append(lines, rows...)
		lines = append(lines, "")
	}
	return lines
}

func (s progressScreen) historyLines() []string {
	st := s.sh.Styles
	lines := []string{"  " + st.Title.Render("Exam attempts")}
	if len(s.exams) == 0 {
		lines = append(lines, "  "+st.Muted.Render("None yet."))
	}
	exams := slices.Clone(s.exams)
	sort.SliceStable(exams, func(i, j int) bool { return exams[i].Finished.After(exams[j].Finished) })
	for _, e := range exams {
		verdict := st.Wrong.Render("✗ fail")
		if e.Passed {
			verdict = st.Correct.Render("✓ pass")
		}
		right := 0
		for _, q := range e.Questions {
			if q.Correct {
				right++
			}
		}
		extra := ""
		if e.TimedOut {
			extra = st.Muted.Render(" · time ran out")
		}
		lines = append(lines, fmt.Sprintf("  %s  %s  %4d  ", e.Finished.Format("2006-01-02 15:04"), padTo(e.Exam, 8), e.Score)+verdict+
			st.Muted.Render(fmt.Sprintf("  %d/%d right", right, len(e.Questions)))+extra)
	}
	lines = append(lines, "", "  "+st.Title.Render("Scenarios solved")+st.Muted.Render(fmt.Sprintf("  %d", len(s.stats.Solved))))
	ids := make([]string, 0, len(s.stats.Solved))
	for id := range s.stats.Solved {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		lines = append(lines, "  ✓ "+padTo(id, 40)+st.Muted.Render(s.stats.Solved[id].Format("2006-01-02")))
	}
	if len(ids) == 0 {
		lines = append(lines, "  "+st.Muted.Render("None yet: scenarios run in the sandbox."))
	}
	return lines
}

// dueChart draws how many reviews fall due on each of the next n days.
func dueChart(st Styles, perDay [14]int, now time.Time, n int) []string {
	most := 1
	for _, v := range perDay[:n] {
		most = max(most, v)
	}
	var lines []string
	for i, v := range perDay[:n] {
		label := now.AddDate(0, 0, i).Format("Mon 2 Jan")
		if i == 0 {
			label = "Today"
		}
		lines = append(lines, "  "+padTo(label, 11)+bar(st, float64(v)/float64(most), 30)+fmt.Sprintf(" %d", v))
	}
	return lines
}

// heatLevel buckets a day's answers into the map's five levels.
func heatLevel(n int) int {
	switch {
	case n <= 0:
		return 0
	case n <= 5:
		return 1
	case n <= 15:
		return 2
	case n <= 30:
		return 3
	}
	return 4
}

var heatGlyphs = [5]string{"·", "░", "▒", "▓", "█"}

// heatMap draws study days as a calendar: a column per week, Monday on
// top, as many weeks as fit (up to a year), each day's glyph by how many
// answers it saw; a day in the sandbox with no answers shows as the least.
func heatMap(st Styles, stats store.Stats, now time.Time, width int) []string {
	days, sandbox := stats.StudyDays, stats.SandboxDays
	weeks := max(min((width-10)/2, 53), 4)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	wd := (int(today.Weekday()) + 6) % 7 // Monday is 0
	start := today.AddDate(0, 0, -wd-7*(weeks-1))
	rows := make([]strings.Builder, 7)
	var months strings.Builder
	months.WriteString("        ")
	lastMonth := time.Month(0)
	for w := range weeks {
		first := start.AddDate(0, 0, 7*w)
		if first.Month() != lastMonth && months.Len() <= 8+2*w {
			months.WriteString(first.Format("Jan"))
			lastMonth = first.Month()
		}
		for months.Len() < 8+2*(w+1) {
			months.WriteByte(' ')
		}
		for d := range 7 {
			day := first.AddDate(0, 0, d)
			glyph := " "
			if !day.After(today) {
				d := day.Format("2006-01-02")
				lvl := heatLevel(days[d])
				if lvl == 0 && sandbox[d] {
					lvl = 1
				}
				glyph = st.Heat[lvl].Render(heatGlyphs[lvl])
			}
			rows[d].WriteString(glyph + " ")
		}
	}
	names := []string{"Mon", "", "Wed", "", "Fri", "", "Sun"}
	lines := []string{"  " + st.Muted.Render(fmt.Sprintf("Study days over the last %d weeks:", weeks)), "", st.Muted.Render(months.String())}
	for d := range rows {
		lines = append(lines, "  "+st.Muted.Render(padTo(names[d], 6))+rows[d].String())
	}
	active, total := 0, 0
	for _, n := range days {
		if n > 0 {
			active++
			total += n
		}
	}
	for d := range sandbox {
		if days[d] == 0 {
			active++
		}
	}
	legend := "  " + st.Muted.Render("less ")
	for i, g := range heatGlyphs {
		legend += st.Heat[i].Render(g) + " "
	}
	legend += st.Muted.Render("more   (· none, ░ 1–5 answers or the sandbox, ▒ 6–15, ▓ 16–30, █ over 30)")
	lines = append(lines, "", legend, "",
		"  "+fmt.Sprintf("%s studied · %s · current streak %s",
			plural(active, "day", "days"), plural(total, "answer", "answers"), plural(streak(stats, now), "day", "days")))
	return lines
}

// streak counts consecutive study days (answers or sandbox work) up to
// today, or up to yesterday when today has none yet.
func streak(stats store.Stats, now time.Time) int {
	studied := func(t time.Time) bool {
		d := t.Format("2006-01-02")
		return stats.StudyDays[d] > 0 || stats.SandboxDays[d]
	}
	d := now
	if !studied(d) {
		d = d.AddDate(0, 0, -1)
	}
	n := 0
	for studied(d) {
		n++
		d = d.AddDate(0, 0, -1)
	}
	return n
}
