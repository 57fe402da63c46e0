package tui

import (
	"fmt"
	"strings"

	"iamlab/tui/common"
)

// Minimum terminal size; below it the app shows only a message.
const (
	minWidth  = 80
	minHeight = 24
)

// bar draws a horizontal bar of width cells, filled to frac, with the
// percentage after it, so the figure does not rest on the colour.
func bar(st Styles, frac float64, width int) string {
	frac = max(0, min(1, frac))
	full := int(frac*float64(width) + 0.5)
	return st.BarFull.Render(strings.Repeat("█", full)) + st.BarEmpty.Render(strings.Repeat("░", width-full))
}

// pct formats a fraction as a whole percentage.
func pct(correct, answered int) string {
	if answered == 0 {
		return "—"
	}
	return fmt.Sprintf("%d%%", (correct*100+answered/2)/answered)
}

// letter is an option's letter: 0 → "A".
func letter(i int) string { return string(rune('A' + i)) }

// The shared helpers of tui/common under the short names the screens of
// this package use.
var (
	wrap          = common.Wrap
	wrapLines     = common.WrapLines
	fit           = common.Fit
	width         = common.Width
	padRight      = common.PadRight
	truncate      = common.Truncate
	wheelLines    = common.WheelLines
	clampInt      = common.ClampInt
	center        = common.Center
	plural        = common.Plural
	clock         = common.Clock
	fallbackLines = common.FallbackLines
	reportErr     = common.ReportErr
	cmdOf         = common.CmdOf
	back          = common.Back
	bind          = common.Bind
	upKey         = common.UpKey
	downKey       = common.DownKey
	leftKey       = common.LeftKey
	rightKey      = common.RightKey
	topKey        = common.TopKey
	bottomKey     = common.BottomKey
	pageUpKey     = common.PageUpKey
	pageDownKey   = common.PageDownKey
	backKey       = common.BackKey
)

func window[T any](lines []T, offset, h int) ([]T, int) { return common.Window(lines, offset, h) }

type (
	Styles        = common.Styles
	mdKey         = common.MDKey
	mdRenderedMsg = common.MDRenderedMsg
	backMsg       = common.BackMsg
	errorMsg      = common.ErrorMsg
	shownMsg      = common.ShownMsg
	refreshMsg    = common.RefreshMsg
)
