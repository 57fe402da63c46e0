package sandbox

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"iamlab/tui/common"
)

// storyPane is the Story pane: the story and, below it, the lesson, which
// waits until the learner has looked at the steps or run a command (or
// asks for it), so the story's question is theirs to answer first. It
// scrolls.
type storyPane struct {
	textPane
	// lesson is set once the lesson shows.
	lesson bool
}

func (p *storyPane) update(msg tea.KeyPressMsg) tea.Cmd {
	if key.Matches(msg, p.s.km.Lesson) && p.hasLesson() && !p.lesson {
		p.showLesson()
		p.off = 1 << 20
		return p.s.markdown()
	}
	scrollPane(p, p.s.km, msg, p.s.pageSize())
	return nil
}

func (p *storyPane) hasLesson() bool { return strings.TrimSpace(p.s.sc.s.Lesson) != "" }

// showLesson lets the lesson show from now on.
func (p *storyPane) showLesson() { p.lesson = true }

// source is the pane's Markdown: the story, then the lesson or a line on
// how to read it.
func (p *storyPane) source() string {
	sc := p.s.sc.s
	src := sc.Story
	switch {
	case !p.hasLesson():
	case p.lesson:
		src += "\n\n---\n\n## What the steps show\n\n" + sc.Lesson
	default:
		src += "\n\n---\n\n*The lesson waits until you have run the steps: look at the Steps pane (3) or try the console (4), or press enter to read it now.*"
	}
	return src
}

// mdKey names the pane's rendering at width w.
func (p *storyPane) mdKey(w int) common.MDKey {
	id := "scenario:" + p.s.sc.s.ID
	if p.lesson {
		id = "scenario+lesson:" + p.s.sc.s.ID
	}
	return common.MDKey{ID: id, Width: max(w-2, 20), Dark: p.s.sh.Dark}
}

func (p *storyPane) keys() help.KeyMap {
	k := p.s.scenarioKeyMap()
	short := []key.Binding{k.Down, k.Serve, k.Tab, k.Pane, k.Back}
	if p.hasLesson() && !p.lesson {
		short = []key.Binding{k.Lesson, k.Down, k.Serve, k.Tab, k.Back}
	}
	return paneKeys{short: short, k: k, versioned: p.s.selectedVersioned()}
}

// lines is the pane's text, rendered once Glamour has it.
func (p *storyPane) lines(w int) []string {
	s := p.s
	lines := s.sh.MD.Lookup(p.mdKey(w))
	if lines == nil {
		lines = common.FallbackLines(p.source(), w)
	}
	return lines
}
