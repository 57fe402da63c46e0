package main

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// termSafe makes learner text safe to print to a terminal. A learner's
// files may hold escape sequences (an OSC 52 clipboard write, a title
// change, a hyperlink, cursor moves): they are removed, and any other
// control character but newline and tab shows as U+FFFD, so that nothing
// a file says can drive the terminal.
func termSafe(s string) string {
	s = ansi.Strip(s)
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// isControl reports C0 and C1 control characters and DEL, less newline and
// tab.
func isControl(r rune) bool {
	return (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0)
}
