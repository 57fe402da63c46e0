// Package awscli is the AWS CLI as the sandbox speaks it: the table of
// commands it knows (commands.go), each command's options beside the
// function that runs it on an estate; the parser of command lines, with
// the real CLI's syntax (options, positional arguments such as
// get-object's <outfile>, --no-sign-request on every command); and the
// completion and suggestions the console offers. Adding a command is one
// entry in the table.
//
// Start with Parse and Run: Parse turns a line into a Command, Run runs it
// as a caller against an Env (an estate, STS over it, a clock) and returns
// the Result the CLI would show. The high-level aws s3 commands other than
// ls are refused with the s3api commands that do the same.
package awscli
