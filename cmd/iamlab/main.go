// Command iamlab is a study app and policy sandbox for AWS IAM and STS.
//
//	iamlab [--data-dir DIR] [--content DIR]   start the study app (package tui)
//	iamlab notes [TOPIC]                      list the topics, or print a note
//	iamlab progress export [--format json|csv]
//	iamlab eval [--explain] FILE|-            evaluate a request (docs/eval-request.md)
//	iamlab eval --jsonl                       one request per line of standard input
//	iamlab content check [DIR...]             check notes and questions
//	iamlab scenarios list | check [DIR...]    list or run the scenarios
//	iamlab serve (--scenario ID | --estate FILE)   serve an estate as a local AWS endpoint (package scenarios/serve)
//	iamlab totp DEVICE (--scenario ID | --estate FILE)   a virtual MFA device's current code
//
// This package only wires the others together: run (main.go) dispatches
// the subcommands, each in its own file, and owns the exit codes (0 ok,
// 1 failure, 2 bad input). The logic lives in engine, content, scenarios
// and tui.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit codes: 0 ok, 1 failure, 2 bad input.
const (
	exitOK       = 0
	exitFailure  = 1
	exitBadUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		// Whatever goes wrong, the learner sees a sentence, not a stack trace.
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "iamlab: internal error: %v\nPlease report this with the command you ran.\n", r)
			code = exitFailure
		}
	}()
	if len(args) == 0 || (len(args[0]) > 1 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return runApp(args, stdout, stderr)
	}
	switch args[0] {
	case "eval":
		return runEval(args[1:], stdin, stdout, stderr)
	case "content":
		return runContent(args[1:], stdout, stderr)
	case "scenarios":
		return runScenarios(args[1:], stdout, stderr)
	case "notes":
		return runNotes(args[1:], stdout, stderr)
	case "progress":
		return runProgress(args[1:], stdout, stderr)
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "totp":
		return runTOTP(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "iamlab: unknown command %q\n\n%s", args[0], usage)
	return exitBadUsage
}

const usage = `Usage:
  iamlab [--data-dir DIR] [--content DIR]   start the study app
  iamlab notes [TOPIC]            list the topics, or print a topic's note
  iamlab progress export [--format json|csv]   write the review log and statistics
  iamlab eval [--explain] FILE    evaluate one request (FILE or - for standard input)
  iamlab eval --jsonl             evaluate one request per line of standard input
  iamlab content check [DIR...]   check the notes and questions (built-in, or in DIR)
  iamlab scenarios list           list the scenarios
  iamlab scenarios check [DIR...] run every scenario and check its expected outcomes
  iamlab serve --scenario ID      serve a scenario's estate as a local AWS endpoint (--help for flags)
  iamlab totp DEVICE --scenario ID   the current code of the estate's virtual MFA device

The request format is described in README.md.
`
