package common

import (
	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every style the app draws with, for one background. the app holds
// one, built by NewStyles when the terminal reports its background colour,
// and screens read it through their shared pointer. Meaning never rests on
// colour alone: a right answer also gets ✓, a wrong one ✗, the cursor a ›.
type Styles struct {
	Header      lipgloss.Style
	HeaderTitle lipgloss.Style
	HeaderInfo  lipgloss.Style
	Banner      lipgloss.Style
	Error       lipgloss.Style

	Title  lipgloss.Style // a screen's or a section's title
	Text   lipgloss.Style
	Muted  lipgloss.Style
	Accent lipgloss.Style
	Key    lipgloss.Style // a key named in running text, such as "enter"

	Cursor   lipgloss.Style // the row under the cursor
	Selected lipgloss.Style // a picked option
	Correct  lipgloss.Style
	Wrong    lipgloss.Style
	Warn     lipgloss.Style
	Flag     lipgloss.Style

	Pane        lipgloss.Style
	PaneFocused lipgloss.Style
	Dialog      lipgloss.Style
	Tab         lipgloss.Style
	TabActive   lipgloss.Style

	BarFull  lipgloss.Style
	BarEmpty lipgloss.Style
	// Heat are the calendar's levels, none to most; each also has its own
	// glyph, so the map reads without colour.
	Heat [5]lipgloss.Style

	Match        lipgloss.Style // a search hit
	MatchCurrent lipgloss.Style // the hit n/N moved to

	Help help.Styles
}

// NewStyles builds the styles for a dark or a light terminal background.
func NewStyles(isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := lipgloss.Color
	var (
		fg      = ld(c("#1F2328"), c("#E6E6E6"))
		muted   = ld(c("#6E7781"), c("#8B949E"))
		accent  = ld(c("#6F42C1"), c("#B392F0"))
		green   = ld(c("#1A7F37"), c("#3FB950"))
		red     = ld(c("#CF222E"), c("#F85149"))
		yellow  = ld(c("#9A6700"), c("#D29922"))
		headBG  = ld(c("#DDF4FF"), c("#30363D"))
		curBG   = ld(c("#EAEEF2"), c("#3A3F4B"))
		border  = ld(c("#D0D7DE"), c("#484F58"))
		focused = accent
	)
	s := Styles{
		Header:      lipgloss.NewStyle().Background(headBG).Foreground(fg),
		HeaderTitle: lipgloss.NewStyle().Background(headBG).Foreground(accent).Bold(true),
		HeaderInfo:  lipgloss.NewStyle().Background(headBG).Foreground(muted),
		Banner:      lipgloss.NewStyle().Foreground(yellow).Bold(true),
		Error:       lipgloss.NewStyle().Foreground(red).Bold(true),

		Title:  lipgloss.NewStyle().Foreground(accent).Bold(true),
		Text:   lipgloss.NewStyle().Foreground(fg),
		Muted:  lipgloss.NewStyle().Foreground(muted),
		Accent: lipgloss.NewStyle().Foreground(accent),
		Key:    lipgloss.NewStyle().Foreground(accent).Bold(true),

		Cursor:   lipgloss.NewStyle().Background(curBG).Bold(true),
		Selected: lipgloss.NewStyle().Foreground(accent).Bold(true),
		Correct:  lipgloss.NewStyle().Foreground(green).Bold(true),
		Wrong:    lipgloss.NewStyle().Foreground(red).Bold(true),
		Warn:     lipgloss.NewStyle().Foreground(yellow).Bold(true),
		Flag:     lipgloss.NewStyle().Foreground(yellow),

		Pane:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(border),
		PaneFocused: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(focused),
		Dialog:      lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(1, 2),
		Tab:         lipgloss.NewStyle().Foreground(muted).Padding(0, 1),
		TabActive:   lipgloss.NewStyle().Foreground(accent).Bold(true).Underline(true).Padding(0, 1),

		BarFull:  lipgloss.NewStyle().Foreground(accent),
		BarEmpty: lipgloss.NewStyle().Foreground(border),

		Match:        lipgloss.NewStyle().Reverse(true),
		MatchCurrent: lipgloss.NewStyle().Reverse(true).Bold(true).Underline(true),

		Help: help.DefaultStyles(isDark),
	}
	heat := []string{"#EBEDF0", "#9BE9A8", "#40C463", "#30A14E", "#216E39"}
	heatDark := []string{"#2D333B", "#0E4429", "#006D32", "#26A641", "#39D353"}
	for i := range s.Heat {
		s.Heat[i] = lipgloss.NewStyle().Foreground(ld(c(heat[i]), c(heatDark[i])))
	}
	return s
}
