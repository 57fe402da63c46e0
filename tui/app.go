// Package tui is iamlab's terminal study app, built with Bubble Tea v2:
// the root App (app.go, the only tea.Model) and the home, notes, quiz,
// exam, spaced review and progress screens. The scenario sandbox is its own
// package, tui/sandbox; what every screen shares (styles, layout and key
// helpers, the Markdown cache, the messages screens send the app) is
// tui/common. Start with New and Run.
package tui

import (
	"fmt"
	"sync"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/content"
	"iamlab/scenarios"
	"iamlab/tui/common"
	"iamlab/tui/sandbox"
	"iamlab/tui/srs"
)

// screenID names a screen. Adding a screen takes a constant here, a field
// in App and one line in New's table.
type screenID int

const (
	homeID screenID = iota
	notesID
	quizID
	examID
	reviewID
	progressID
	sandboxID
	numScreens
)

// screen is how App drives any screen: closures over the concrete screen
// that App holds by value (see adapt).
type screen struct {
	title   string
	update  func(tea.Msg) tea.Cmd
	view    func() string
	setSize func(w, h int)
	keys    func() help.KeyMap
	typing  func() bool
}

// screenModel is the method set every screen has: update returns the
// concrete next state, so no type assertions are needed.
type screenModel[S any] interface {
	*S
	update(tea.Msg) (S, tea.Cmd)
	view() string
	setSize(w, h int)
	keys() help.KeyMap
	typing() bool
}

// adapt wraps a screen held by App so App can drive all of them alike.
func adapt[S any, P screenModel[S]](title string, p P) screen {
	return screen{
		title: title,
		update: func(msg tea.Msg) tea.Cmd {
			next, cmd := p.update(msg)
			*p = next
			return cmd
		},
		view:    func() string { return p.view() },
		setSize: func(w, h int) { p.setSize(w, h) },
		keys:    func() help.KeyMap { return p.keys() },
		typing:  func() bool { return p.typing() },
	}
}

// keeper is a screen that holds work quitting could lose: App asks before
// quitting while Unsaved names something, offers SaveUnsaved, and runs
// Flush on the way out.
type keeper interface {
	Unsaved() []string
	SaveUnsaved()
	Flush() tea.Cmd
}

// App is the root model, the only tea.Model. It owns the size, the screen
// stack, the global keys, the help view and the banner.
type App struct {
	sh      *shared
	screens [numScreens]screen
	stack   []screenID

	home     homeScreen
	notes    notesScreen
	quiz     quizScreen
	exam     examScreen
	review   reviewScreen
	progress progressScreen
	sandbox  *sandbox.Screen
	// keep is the screen whose work quitting could lose.
	keep keeper

	width, height int
	keys          globalKeys
	help          help.Model
	showHelp      bool
	confirmQuit   bool
	// quitting is set once quitting has begun: the view says "saving…"
	// while the last writes finish.
	quitting      bool
	mouse         bool
	banner        []string
	bannerIsError bool
	// helpMemo keeps drawn help (footer, full help) by its keys and width:
	// the same few are drawn on every frame.
	helpMemo map[string]string
	// fatal is a panic caught in Update; Run returns it.
	fatal error
	// loadLibrary reads the material after the first frame (Deps); until
	// it has, a screen the learner opens waits in pendingNav.
	loadLibrary func() (*content.Library, []string, error)
	pendingNav  []screenID
	// linkedScenario is set while the sandbox shows a scenario another
	// screen opened: leaving the scenario goes back to that screen.
	linkedScenario bool
	// sandboxDay is the last day recorded as a sandbox study day.
	sandboxDay string
	// openProgress opens the store after the first frame (Deps), and
	// closeProgress closes it when Run ends.
	openProgress  tea.Cmd
	closeProgress func()
}

// New builds the app. Nothing is read from the store until the program
// runs the first command.
func New(d Deps) *App {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	progress := d.Progress
	var opening *openingProgress
	switch {
	case progress == nil && d.OpenProgress != nil:
		opening = newOpeningProgress()
		progress = opening
	case progress == nil:
		progress = noProgress{}
	}
	loadScenarios := d.Scenarios
	if loadScenarios == nil {
		loadScenarios = scenarios.Builtin
	}
	// The sandbox and the notes' scenario lists share one load.
	loadScenarios = sync.OnceValues(loadScenarios)
	lib := d.Library
	if lib == nil {
		lib = &content.Library{}
	}
	sh := &shared{
		Shared: &common.Shared{
			Now:    now,
			Tick:   tea.Tick,
			Styles: common.NewStyles(true),
			Dark:   true,
			MD:     common.NewMarkdown(),
		},
		scenarios: loadScenarios,
		lib:       lib,
		progress:  progress,
		sched:     srs.NewScheduler(),
		writes:    newWriter(),
	}
	a := &App{sh: sh, keys: newGlobalKeys(), help: help.New(), mouse: true, stack: []screenID{homeID}}
	if d.Library == nil {
		a.loadLibrary = d.LoadLibrary
	}
	a.help.Styles = sh.Styles.Help
	a.banner = append(a.banner, d.Notices...)
	if opening != nil {
		open := d.OpenProgress
		a.openProgress = func() tea.Msg { return opening.open(open) }
	} else if d.Progress == nil {
		a.banner = append(a.banner, "Progress is not being saved in this session.")
	}
	a.home = newHomeScreen(sh)
	a.notes = newNotesScreen(sh)
	a.quiz = newQuizScreen(sh)
	a.exam = newExamScreen(sh)
	a.review = newReviewScreen(sh)
	a.progress = newProgressScreen(sh)
	a.sandbox = sandbox.New(sh.Shared, progress, loadScenarios)
	a.keep = a.sandbox
	a.screens = [numScreens]screen{
		homeID:     adapt("Home", &a.home),
		notesID:    adapt("Notes", &a.notes),
		quizID:     adapt("Quiz", &a.quiz),
		examID:     adapt("Exam", &a.exam),
		reviewID:   adapt("Review", &a.review),
		progressID: adapt("Progress", &a.progress),
		sandboxID: {title: "Sandbox", update: a.sandbox.Update, view: a.sandbox.View,
			setSize: a.sandbox.SetSize, keys: a.sandbox.Keys, typing: a.sandbox.Typing},
	}
	return a
}

// Init asks the terminal for its background colour and loads the home
// screen's summary; the store and the study material, when they were not
// given, load once the first frame is drawn.
func (a *App) Init() tea.Cmd {
	cmds := []tea.Cmd{tea.RequestBackgroundColor}
	if a.openProgress == nil {
		// With the store still to open, the summary and an exam left under
		// way load once it is.
		cmds = append(cmds, guard(a.screens[homeID].update(shownMsg{})), guard(loadDraft(a.sh.progress)))
	}
	if a.loadLibrary != nil || a.openProgress != nil {
		cmds = append(cmds, a.sh.Tick(firstFrameWait, func(time.Time) tea.Msg { return firstFrameMsg{} }))
	}
	return tea.Batch(cmds...)
}

// firstFrameWait is how long loading waits, so that the first frame is
// drawn (Bubble Tea draws up to 60 a second) with the CPU to itself.
const firstFrameWait = 25 * time.Millisecond

// firstFrameMsg says the first frame is drawn: time to load what the home
// screen does not show.
type firstFrameMsg struct{}

// loadAfterFirstFrame opens the store and reads the material, each in a
// command; a screen opened meanwhile waits for the material (pendingNav),
// and a store call for the store.
func (a *App) loadAfterFirstFrame() tea.Cmd {
	var load tea.Cmd
	if f := a.loadLibrary; f != nil {
		load = func() tea.Msg {
			lib, notices, err := f()
			return libraryLoadedMsg{lib, notices, err}
		}
	}
	open := a.openProgress
	a.openProgress = nil
	return tea.Batch(guard(open), guard(load))
}

// progressOpened shows what opening the store had to say, and lets the
// screen showing load what it shows from it.
func (a *App) progressOpened(msg progressOpenedMsg) tea.Cmd {
	a.closeProgress = msg.close
	notices := msg.notices
	if msg.failed && len(notices) == 0 {
		notices = append(notices, "Progress is not being saved in this session.")
	}
	if len(notices) > 0 {
		a.banner, a.bannerIsError = append(a.banner, notices...), false
		a.resize(a.width, a.height)
	}
	return tea.Batch(a.screens[a.active()].update(shownMsg{}), guard(loadDraft(a.sh.progress)))
}

// libraryLoaded puts the material in place, rebuilds the screens that read
// it when they are made, and opens what the learner asked for meanwhile.
func (a *App) libraryLoaded(msg libraryLoadedMsg) tea.Cmd {
	if msg.err != nil {
		a.fatal = msg.err
		return tea.Quit
	}
	a.loadLibrary = nil
	a.sh.lib = msg.lib
	a.notes = newNotesScreen(a.sh)
	a.quiz = newQuizScreen(a.sh)
	a.resize(a.width, a.height)
	var cmds []tea.Cmd
	for _, id := range a.pendingNav {
		cmds = append(cmds, a.push(id))
	}
	a.pendingNav = nil
	if len(msg.notices) > 0 {
		a.banner, a.bannerIsError = append(a.banner, msg.notices...), false
		a.resize(a.width, a.height)
	}
	return tea.Sequence(cmds...)
}

func (a *App) active() screenID { return a.stack[len(a.stack)-1] }

// Update handles a message. A panic here ends the program with an error
// instead of a stack trace; a panic in a command becomes a banner.
func (a *App) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			a.fatal = fmt.Errorf("internal error: %v", r)
			cmd = tea.Quit
		}
	}()
	return a, guard(a.update(msg))
}

func (a *App) update(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		a.resize(msg.Width, msg.Height)
		return a.broadcast(refreshMsg{})
	case tea.BackgroundColorMsg:
		a.setDark(msg.IsDark())
		return a.broadcast(refreshMsg{})
	case tea.KeyPressMsg:
		return a.handleKey(msg)
	case tea.MouseMsg:
		return a.handleMouse(msg)
	case navigateMsg:
		if msg.to == sandboxID {
			a.linkedScenario = false
		}
		if a.loadLibrary != nil {
			a.pendingNav = append(a.pendingNav, msg.to)
			return nil
		}
		return a.push(msg.to)
	case libraryLoadedMsg:
		return a.libraryLoaded(msg)
	case firstFrameMsg:
		return a.loadAfterFirstFrame()
	case progressOpenedMsg:
		return a.progressOpened(msg)
	case backMsg:
		return a.pop()
	case openNoteMsg:
		cmd := a.notes.open(msg.id)
		return tea.Batch(cmd, a.push(notesID))
	case practiceTopicMsg:
		a.quiz.startTopic(msg.topic)
		return a.push(quizID)
	case openScenarioMsg:
		cmd := a.sandbox.Open(msg.id)
		a.linkedScenario = a.active() != sandboxID
		return tea.Batch(a.push(sandboxID), cmd)
	case errorMsg:
		a.showError(msg.Err)
		return nil
	case examDraftMsg:
		if msg.ok {
			a.banner = append(a.banner, draftNotice(msg.draft))
			a.resize(a.width, a.height)
		}
	case mdRenderedMsg:
		a.sh.MD.Put(msg)
		if msg.Err != nil {
			a.showError(msg.Err)
		}
	}
	// Everything else (loaded data, renderings, timer ticks) goes to every
	// screen: each keeps only its own messages, whether it is showing or not.
	return a.broadcast(msg)
}

func (a *App) broadcast(msg tea.Msg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, numScreens)
	for _, s := range a.screens {
		cmds = append(cmds, s.update(msg))
	}
	return tea.Batch(cmds...)
}

func (a *App) resize(w, h int) {
	a.width, a.height = w, h
	a.help.SetWidth(w)
	_, bodyH := a.bodySize()
	for _, s := range a.screens {
		s.setSize(w, bodyH)
	}
}

// bodySize is the area screens draw in: everything but the header, the
// banner and the footer.
func (a *App) bodySize() (int, int) {
	return a.width, max(a.height-2-len(a.bannerLines()), 1)
}

func (a *App) setDark(dark bool) {
	a.sh.SetDark(dark)
	a.help.Styles = a.sh.Styles.Help
}

func (a *App) push(id screenID) tea.Cmd {
	a.clearBanner()
	for i, s := range a.stack {
		if s == id {
			a.stack = a.stack[:i+1]
			return a.screens[id].update(shownMsg{})
		}
	}
	a.stack = append(a.stack, id)
	return a.screens[id].update(shownMsg{})
}

func (a *App) pop() tea.Cmd {
	if len(a.stack) > 1 {
		a.stack = a.stack[:len(a.stack)-1]
	}
	return a.screens[a.active()].update(shownMsg{})
}

// showError puts an error in the banner; the body shrinks to make room.
func (a *App) showError(err error) {
	a.banner, a.bannerIsError = []string{err.Error()}, true
	a.resize(a.width, a.height)
}

func (a *App) clearBanner() {
	if len(a.banner) > 0 {
		a.banner, a.bannerIsError = nil, false
		a.resize(a.width, a.height)
	}
}

// handleKey applies the global keys, then passes the key to the screen.
// ctrl+c always quits (asking first while the sandbox holds edits not saved
// as versions); q quits except while the screen takes typed text.
func (a *App) handleKey(msg tea.KeyPressMsg) tea.Cmd {
	if a.quitting {
		return nil
	}
	if a.confirmQuit {
		switch msg.String() {
		case "y", "Y", "enter", "ctrl+c":
			return a.quitNow()
		case "s", "S":
			if len(a.keep.Unsaved()) > 0 {
				a.keep.SaveUnsaved()
				return a.quitNow()
			}
		case "n", "N", "esc":
			a.confirmQuit = false
		}
		return nil
	}
	if a.tooSmall() {
		// The screen under the message is hidden: only quitting acts, and
		// resizing, which is not a key.
		if key.Matches(msg, a.keys.ForceQuit, a.keys.Quit) {
			return a.quit()
		}
		return nil
	}
	cur := a.screens[a.active()]
	switch {
	case key.Matches(msg, a.keys.ForceQuit):
		return a.quit()
	case key.Matches(msg, a.keys.Suspend) && !(a.active() == sandboxID && a.sandbox.Editing()):
		// ctrl+z undoes in the policy editor, as in most editors.
		return tea.Suspend
	case a.showHelp:
		if key.Matches(msg, a.keys.Quit) {
			return a.quit()
		}
		if key.Matches(msg, a.keys.Help, a.keys.Back) {
			a.showHelp = false
		}
		return nil
	case cur.typing():
		return cur.update(msg)
	case key.Matches(msg, a.keys.Quit):
		return a.quit()
	case key.Matches(msg, a.keys.Help):
		a.showHelp = true
		return nil
	case key.Matches(msg, a.keys.Mouse):
		a.mouse = !a.mouse
		return nil
	case key.Matches(msg, a.keys.Back) && len(a.banner) > 0:
		a.clearBanner()
		return nil
	}
	cmd := tea.Batch(cur.update(msg), a.noteSandboxDay())
	if a.linkedScenario && a.active() == sandboxID && key.Matches(msg, a.keys.Back) && a.sandbox.OpenID() == "" {
		a.linkedScenario = false
		return tea.Batch(cmd, a.pop())
	}
	return cmd
}

// noteSandboxDay records, once a day, that the learner works on a scenario
// in the sandbox: such a day is a study day, answers or not.
func (a *App) noteSandboxDay() tea.Cmd {
	if a.active() != sandboxID || a.sandbox.OpenID() == "" {
		return nil
	}
	now := a.sh.Now()
	day := now.Format(time.DateOnly)
	if day == a.sandboxDay {
		return nil
	}
	a.sandboxDay = day
	p := a.sh.progress
	// Queued with the other writes, so that a quit right after waits for it.
	return a.sh.writes.write(func() tea.Msg {
		if err := p.RecordSandboxDay(now); err != nil {
			return errorMsg{Err: err}
		}
		return nil
	})
}

// quit asks first while the sandbox holds edits not saved as a version. An
// exam under way is kept as it stands and offered again at the next start.
func (a *App) quit() tea.Cmd {
	if len(a.keep.Unsaved()) > 0 {
		a.confirmQuit = true
		return nil
	}
	return a.quitNow()
}

// quitNow writes the sandbox's drafts and the exam under way, waits for
// the store writes still queued (the view says "saving…"), then quits.
func (a *App) quitNow() tea.Cmd {
	a.confirmQuit, a.quitting = false, true
	a.exam.leave()
	saveExam := a.exam.saveDraft()
	w := a.sh.writes
	closeSandbox := a.sandbox.Close
	return tea.Sequence(guard(a.keep.Flush()), func() tea.Msg {
		// No endpoint served from the sandbox outlives the app.
		err := closeSandbox()
		w.wait(quitWait)
		if err != nil {
			return errorMsg{Err: err}
		}
		return nil
	}, saveExam, tea.Quit)
}

// quitWait bounds how long quitting waits for the store: a write that
// takes longer is stuck behind another process's lock (see store's
// busyTimeout).
const quitWait = 15 * time.Second

// handleMouse passes wheel and clicks in the body to the screen, with Y
// counted from the top of the body.
func (a *App) handleMouse(msg tea.MouseMsg) tea.Cmd {
	if a.showHelp || a.confirmQuit || a.tooSmall() {
		return nil
	}
	m := msg.Mouse()
	top := 1 + len(a.bannerLines())
	_, bodyH := a.bodySize()
	if m.Y < top || m.Y >= top+bodyH {
		return nil
	}
	m.Y -= top
	switch msg.(type) {
	case tea.MouseClickMsg:
		return a.screens[a.active()].update(tea.MouseClickMsg(m))
	case tea.MouseWheelMsg:
		return a.screens[a.active()].update(tea.MouseWheelMsg(m))
	}
	return nil
}

// guard wraps a command so that a panic in it becomes an error banner
// rather than a crash with a stack trace.
func guard(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				msg = errorMsg{Err: fmt.Errorf("internal error: %v", r)}
			}
		}()
		msg = cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for i := range b {
				b[i] = guard(b[i])
			}
		}
		return msg
	}
}
