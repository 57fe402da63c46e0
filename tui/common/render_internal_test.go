package common

import (
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"iamlab/content"
)

// TestNotesRenderWhole renders every note at the widths a learner meets and
// checks what issue 13 found: table cells broken mid-word or cut, callout
// lines that spill out of the gutter, and a literal "## " on headings.
func TestNotesRenderWhole(t *testing.T) {
	cell := regexp.MustCompile("`|\\*\\*")
	// *emphasis*, which may span words: the stars go, a lone "*" stays.
	link := regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`) // a link shows its text
	emphasis := regexp.MustCompile(`(?:^|\s)\*(\S)|(\S)\*(?:\s|$|[.,;:)])`)
	pool := NewRendererPool()
	lib, err := content.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range lib.Notes {
		var cellWords []string
		body := strings.Split(n.Body, "\n")
		for i, l := range body {
			if !isTableRow(l) || isTableRule(l) {
				continue
			}
			cells := tableCells(l)
			if i+1 < len(body) && isTableRule(body[i+1]) {
				cells = cells[1:] // a stacked table names rows by their first cell alone
			}
			for _, c := range cells {
				c = link.ReplaceAllString(c, "$1 ")
				c = emphasis.ReplaceAllStringFunc(cell.ReplaceAllString(c, ""), func(m string) string { return strings.Replace(m, "*", "", 1) })
				cellWords = append(cellWords, strings.Fields(c)...)
			}
		}
		for _, width := range []int{60, 78, 98, 118} {
			lines, err := pool.Render(n.Body, width, true)
			if err != nil {
				t.Fatal(err)
			}
			plain := make([]string, len(lines))
			for i, l := range lines {
				plain[i] = ansi.Strip(l)
				if w := ansi.StringWidth(plain[i]); w > width {
					t.Errorf("%s at %d: line %d is %d cells wide: %q", n.ID, width, i, w, plain[i])
				}
				if strings.HasPrefix(strings.TrimSpace(plain[i]), "## ") {
					t.Errorf("%s at %d: heading shows a literal ##: %q", n.ID, width, plain[i])
				}
			}
			gutter := func(i int) bool { return strings.HasPrefix(plain[i], "  │") }
			for i := 1; i+1 < len(plain); i++ {
				if gutter(i-1) && gutter(i+1) && !gutter(i) && strings.TrimSpace(plain[i]) != "" {
					t.Errorf("%s at %d: a callout's words fell outside its gutter: %q", n.ID, width, plain[i])
				}
			}
			// Code spans come out padded with spaces, so compare without any.
			text := strings.Join(strings.Fields(strings.Join(plain, " ")), "")
			for _, w := range cellWords {
				if ansi.StringWidth(w) < width-8 && !strings.Contains(text, w) {
					t.Errorf("%s at %d: the table word %q is broken or cut", n.ID, width, w)
				}
			}
		}
	}
}

// TestWrapKeepsCodeWhole: wrapping never breaks inside a CLI flag, an ARN
// or a JSON token, only at spaces (and the hyphens of ordinary words).
func TestWrapKeepsCodeWhole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, text, whole string }{
		{"flag", "Run aws sts assume-role with --duration-seconds 43200 to ask for twelve hours", "--duration-seconds"},
		{"flag in brackets", "The call (--serial-number and --token-code) needs the device", "--serial-number"},
		{"arn", "The trust policy names arn:aws:iam::111122223333:role/cross-account-audit-role today", "arn:aws:iam::111122223333:role/cross-account-audit-role"},
		{"json", `The condition {"StringEquals": {"aws:PrincipalTag/cost-center": "blue-team"}} matches`, `"aws:PrincipalTag/cost-center":`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for w := 12; w <= 60; w++ {
				got := WrapLines(tc.text, w)
				for _, l := range got {
					if ansi.StringWidth(l) > w {
						t.Fatalf("wrap(%q, %d) has a line %d wide: %q", tc.text, w, ansi.StringWidth(l), l)
					}
				}
				if len(tc.whole)+2 <= w && !strings.Contains(strings.Join(got, "\n"), tc.whole) {
					t.Fatalf("wrap(%q, %d) broke %q:\n%s", tc.text, w, tc.whole, strings.Join(got, "\n"))
				}
			}
		})
	}
}

// TestMarkdownKeepsCodeWhole: questions and notes go through Glamour, which
// breaks after any hyphen; code spans and flags must come out whole.
func TestMarkdownKeepsCodeWhole(t *testing.T) {
	pool := NewRendererPool()
	src := "Run `aws sts get-session-token --serial-number arn:aws:iam::111122223333:mfa/ana-phone --duration-seconds 129600` and then pass --role-session-name to the next call."
	for w := 30; w <= 90; w += 3 {
		lines, err := pool.Render(src, w, true)
		if err != nil {
			t.Fatal(err)
		}
		text := ansi.Strip(strings.Join(lines, "\n"))
		for _, whole := range []string{"--duration-seconds", "arn:aws:iam::111122223333:mfa/ana-phone", "--role-session-name", "get-session-token"} {
			if len(whole) <= w-6 && !strings.Contains(text, whole) {
				t.Errorf("at %d, %q is broken:\n%s", w, whole, text)
			}
		}
	}
}

// TestInlineHTMLStripped: the Glamour copy drops HTML tags and keeps their
// text, as bluemonday's strict policy did.
func TestInlineHTMLStripped(t *testing.T) {
	lines, err := NewRendererPool().Render("Keep <b>this</b> &amp; <!-- not this --> that <span class=\"x\">too</span>.", 60, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(strings.Fields(ansi.Strip(strings.Join(lines, " "))), " "); got != "Keep this & that too." {
		t.Errorf("rendered %q, want %q", got, "Keep this & that too.")
	}
}
