package common

import "testing"

func TestJoinSoftBreaks(t *testing.T) {
	t.Parallel()
	in := "# Title\n\nA paragraph\nover two lines.\n\n- item one\n  continues here\n- item two\n\n```json\n{\n  \"a\": 1\n}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhard  \nbreak\n"
	want := "# Title\n\nA paragraph over two lines.\n\n- item one continues here\n- item two\n\n```json\n{\n  \"a\": 1\n}\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhard  \nbreak\n"
	if got := joinSoftBreaks(in); got != want {
		t.Errorf("joinSoftBreaks:\n%s\nwant:\n%s", got, want)
	}
}
