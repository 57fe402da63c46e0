package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/store"
)

// homeEntry is one line of the home menu.
type homeEntry struct {
	label string
	// accel is the key that opens it: its first letter, except Quiz, whose
	// q stays "quit" as on every screen.
	accel string
	desc  string
	to    screenID
}

var homeEntries = []homeEntry{
	{"Notes", "n", "The notes on each IAM and STS topic", notesID},
	{"Quiz", "u", "Practice, every option explained", quizID},
	{"Exam", "e", "A timed simulation of the real exam", examID},
	{"Review", "r", "Spaced repetition of what is due", reviewID},
	{"Sandbox", "s", "Policies and STS calls, simulated", sandboxID},
	{"Progress", "p", "Accuracy, readiness, study calendar", progressID},
}

// homeKeys are the home menu's keys: movement, enter, and a key per entry.
type homeKeys struct {
	Up, Down, Open key.Binding
	Entries        key.Binding
	accels         []key.Binding
}

func (k homeKeys) ShortHelp() []key.Binding { return []key.Binding{k.Down, k.Open, k.Entries} }
func (k homeKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.Open}, k.accels}
}

// homeLoadedMsg carries the summary figures for the home screen.
type homeLoadedMsg struct {
	due   int
	stats store.Stats
	err   error
}

type homeScreen struct {
	sh     *shared
	w, h   int
	cursor int
	loaded bool
	due    int
	stats  store.Stats
	km     homeKeys
	accels []key.Binding
}

func newHomeScreen(sh *shared) homeScreen {
	s := homeScreen{sh: sh, km: homeKeys{
		Up:      bind("↑/k", "up", "up", "k", "shift+tab"),
		Down:    bind("↓/j", "down", "down", "j", "tab"),
		Open:    bind("enter", "open", "enter", "l", "right"),
		Entries: bind("n/u/e/r/s/p", "open", "n", "u", "e", "r", "s", "p"),
	}}
	for i, e := range homeEntries {
		s.accels = append(s.accels, bind(fmt.Sprintf("%s/%d", e.accel, i+1), e.label, e.accel, fmt.Sprint(i+1)))
	}
	s.km.accels = s.accels
	return s
}

func (s *homeScreen) setSize(w, h int) { s.w, s.h = w, h }
func (s homeScreen) keys() help.KeyMap { return s.km }
func (s homeScreen) typing() bool      { return false }

func (s homeScreen) load() tea.Cmd {
	p, now := s.sh.progress, s.sh.Now()
	return func() tea.Msg {
		due, err := p.Due(now)
		if err != nil {
			return homeLoadedMsg{err: fmt.Errorf("load due reviews: %w", err)}
		}
		stats, err := p.Stats(now)
		if err != nil {
			return homeLoadedMsg{err: fmt.Errorf("load statistics: %w", err)}
		}
		return homeLoadedMsg{due: len(due), stats: stats}
	}
}

func (s homeScreen) update(msg tea.Msg) (homeScreen, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		return s, s.load()
	case homeLoadedMsg:
		if msg.err != nil {
			return s, reportErr(msg.err)
		}
		s.loaded, s.due, s.stats = true, msg.due, msg.stats
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, s.km.Up):
			s.cursor = (s.cursor + len(homeEntries) - 1) % len(homeEntries)
		case key.Matches(msg, s.km.Down):
			s.cursor = (s.cursor + 1) % len(homeEntries)
		case key.Matches(msg, s.km.Open):
			return s, cmdOf(navigateMsg{homeEntries[s.cursor].to})
		default:
			for i, b := range s.accels {
				if key.Matches(msg, b) {
					s.cursor = i
					return s, cmdOf(navigateMsg{homeEntries[i].to})
				}
			}
		}
	case tea.MouseClickMsg:
		if i := s.entryAt(msg.Y); i >= 0 && msg.Button == tea.MouseLeft {
			s.cursor = i
			return s, cmdOf(navigateMsg{homeEntries[i].to})
		}
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			s.cursor = max(s.cursor-1, 0)
		case tea.MouseWheelDown:
			s.cursor = min(s.cursor+1, len(homeEntries)-1)
		}
	}
	return s, nil
}

// menuTop is the body line of the first menu entry; entries are two lines
// apart.
const menuTop = 6

func (s homeScreen) entryAt(y int) int {
	if y < menuTop {
		return -1
	}
	i := (y - menuTop) / 2
	if i >= len(homeEntries) {
		return -1
	}
	return i
}

// summary is the one line that says where the learner stands.
func (s homeScreen) summary() string {
	if !s.loaded {
		return "Loading your progress…"
	}
	st := s.stats
	parts := []string{plural(s.due, "review due", "reviews due")}
	if st.Answered == 0 {
		parts = append(parts, "no answers yet: start with Notes or Quiz")
	} else {
		parts = append(parts, fmt.Sprintf("%s right over %s", pct(st.Correct, st.Answered), plural(st.Answered, "answer", "answers")))
	}
	parts = append(parts, plural(len(st.Solved), "scenario solved", "scenarios solved"))
	if n := streak(st, s.sh.Now()); n > 1 {
		parts = append(parts, fmt.Sprintf("%d-day streak", n))
	}
	return strings.Join(parts, " · ")
}

func (s homeScreen) view() string {
	st := s.sh.Styles
	var b strings.Builder
	b.WriteString("\n  " + st.Title.Render("iamlab") + st.Muted.Render("  ·  AWS IAM and STS, for DVA-C02, SAA-C03 and SCS-C03") + "\n")
	b.WriteString("  " + st.Text.Render(s.summary()) + "\n\n")
	b.WriteString("  " + st.Muted.Render("Choose with ↑↓ or j/k and enter, or press a letter:") + "\n")
	labelW := 12
	for i, e := range homeEntries {
		label := e.label
		desc := e.desc
		switch e.to {
		case reviewID:
			if s.loaded {
				label = fmt.Sprintf("Review (%d)", s.due)
				desc = fmt.Sprintf("Spaced repetition: %s", plural(s.due, "question due now", "questions due now"))
			}
		case examID:
			if d := s.sh.examRemaining(); d > 0 {
				desc = "In progress, " + clock(d) + " left: enter goes back"
			}
		}
		cur, style := "  ", st.Text
		if i == s.cursor {
			cur, style = "› ", st.Cursor
		}
		row := style.Render(cur+padTo(label, labelW)) + "  " + st.Key.Render(e.accel) + "  " + st.Muted.Render(desc)
		b.WriteString("\n  " + row + "\n")
	}
	if next := s.nextStep(); next != "" {
		b.WriteString("\n  " + st.Accent.Render("Next: ") + st.Text.Render(next) + "\n")
	}
	return b.String()
}

// nextStep suggests what to do now.
func (s homeScreen) nextStep() string {
	switch {
	case !s.loaded:
		return ""
	case s.sh.examRemaining() > 0:
		return "finish the exam you started (e)."
	case s.due > 0:
		return fmt.Sprintf("review the %s due (r).", plural(s.due, "question", "questions"))
	case s.stats.Answered == 0:
		return "read a note (n), then practise its topic (p in the note)."
	default:
		return "practise (u) or sit a short exam (e)."
	}
}
