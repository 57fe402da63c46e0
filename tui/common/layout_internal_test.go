package common

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// TestWidthAgrees checks the fast width against ansi.StringWidth for every
// rune the fast path counts, alone and styled.
func TestWidthAgrees(t *testing.T) {
	st := NewStyles(true)
	for r := rune(0x20); r < 0x2600; r++ {
		if !utf8.ValidRune(r) || r == 0x7f {
			continue
		}
		s := "a" + string(r) + "b"
		for _, in := range []string{s, st.Correct.Render(s)} {
			if got, want := Width(in), ansi.StringWidth(in); got != want {
				t.Fatalf("width(%q U+%04X) = %d, want %d", in, r, got, want)
			}
		}
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		w, h int
	}{
		{"short", "a\nb", 5, 3},
		{"long line", strings.Repeat("x", 30), 10, 1},
		{"styled", NewStyles(false).Title.Render("héllo ✓ →") + "\n" + strings.Repeat("界", 8), 7, 4},
		{"too many lines", "1\n2\n3\n4", 3, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := strings.Split(Fit(tc.in, tc.w, tc.h), "\n")
			if len(out) != tc.h {
				t.Fatalf("fit(%q) has %d lines, want %d", tc.in, len(out), tc.h)
			}
			for _, l := range out {
				if w := ansi.StringWidth(l); w != tc.w {
					t.Errorf("fit(%q) line %q is %d wide, want %d", tc.in, l, w, tc.w)
				}
			}
		})
	}
}

// TestWrapTokens: wrapping never splits a CLI flag, an ARN or a JSON token
// at its hyphens or colons (issue 13, app item 5).
func TestWrapTokens(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		in    string
		width int
		want  []string
	}{
		{"flag", "alice $ aws iam remove-role-from-instance-profile --instance-profile-name ReportWriter", 40,
			[]string{"alice $ aws iam", "remove-role-from-instance-profile", "--instance-profile-name ReportWriter"}},
		{"arn", "as session s1 · arn:aws:sts::111122223333:assumed-role/Dev/s1", 30,
			[]string{"as session s1 ·", "arn:aws:sts::111122223333:assumed-role/Dev/s1"[:30], "med-role/Dev/s1"}},
		{"paragraphs", "a b\nc", 10, []string{"a b", "c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := WrapTokens(tc.in, tc.width)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("WrapTokens(%q, %d) = %q, want %q", tc.in, tc.width, got, tc.want)
			}
		})
	}
}
