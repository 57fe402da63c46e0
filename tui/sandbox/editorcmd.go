package sandbox

import (
	"fmt"
	"os"

	"mvdan.cc/sh/v3/shell"
)

// editorArgs splits $VISUAL or $EDITOR into a program and its arguments
// as a POSIX shell would (quotes, backslashes, variables, ~), without
// running one: "'/Applications/My Editor/ed' --wait" is a program whose
// path has a space, then one argument. A command substitution is refused.
func editorArgs(editor string) ([]string, error) {
	args, err := shell.Fields(editor, os.Getenv)
	if err != nil {
		return nil, fmt.Errorf("$EDITOR %q cannot be read as a shell would: %w", editor, err)
	}
	if len(args) == 0 {
		return []string{"vi"}, nil
	}
	return args, nil
}
