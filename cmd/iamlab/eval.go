package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"time"

	"iamlab/engine"
)

// maxRequestBytes bounds one request; AWS's largest policies are a few KB,
// so anything near this is a mistake, refused with a message.
const maxRequestBytes = 32 << 20

func runEval(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	explain := fs.Bool("explain", false, "print the decision and the evaluation trace as readable text")
	jsonl := fs.Bool("jsonl", false, "read one request per line on standard input, write one result per line")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: iamlab eval [--explain] FILE|-\n       iamlab eval --jsonl < requests.jsonl\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return exitOK
		}
		return exitBadUsage
	}
	now := time.Now()
	if *jsonl {
		if fs.NArg() > 0 {
			fmt.Fprintln(stderr, "iamlab eval: --jsonl reads standard input and takes no file")
			return exitBadUsage
		}
		return evalLines(stdin, stdout, stderr, now)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitBadUsage
	}
	name := fs.Arg(0)
	var src []byte
	var err error
	if name == "-" {
		src, err = io.ReadAll(io.LimitReader(stdin, maxRequestBytes+1))
		name = "standard input"
	} else {
		src, err = readFileLimited(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "iamlab eval: %v\n", err)
		return exitBadUsage
	}
	if len(src) > maxRequestBytes {
		fmt.Fprintf(stderr, "iamlab eval: %s: larger than %d MB; a request is a few KB\n", name, maxRequestBytes>>20)
		return exitBadUsage
	}
	req, err := engine.DecodeRequest(src)
	if err != nil {
		fmt.Fprintf(stderr, "iamlab eval: %s: %v\n", name, err)
		return exitBadUsage
	}
	if req.Time.IsZero() {
		req.Time = now
	}
	res := engine.Evaluate(req)
	if *explain {
		writeExplanation(stdout, &req, &res)
		return exitOK
	}
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Fprintf(stdout, "%s\n", out)
	return exitOK
}

func readFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxRequestBytes+1))
}

// evalLines streams requests: one result line per input line, in order;
// a bad line yields {"error": ...} and the run goes on. Lines are handled
// in batches spread over the CPUs, and written in input order.
func evalLines(stdin io.Reader, stdout, stderr io.Writer, now time.Time) int {
	sc := bufio.NewScanner(stdin)
	sc.Buffer(make([]byte, 0, 1<<20), maxRequestBytes)
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	workers := runtime.GOMAXPROCS(0)
	const batchSize = 256
	batch := make([][]byte, 0, batchSize)
	results := make([][]byte, batchSize)
	line := 0
	flush := func() {
		var wg sync.WaitGroup
		for k := 0; k < workers; k++ {
			wg.Add(1)
			go func(k int) {
				defer wg.Done()
				for i := k; i < len(batch); i += workers {
					results[i] = evalLine(batch[i], line-len(batch)+i+1, now)
				}
			}(k)
		}
		wg.Wait()
		for i := range batch {
			w.Write(results[i])
		}
		batch = batch[:0]
	}
	for sc.Scan() {
		line++
		batch = append(batch, append([]byte(nil), sc.Bytes()...))
		if len(batch) == batchSize {
			flush()
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		line++
		writeError(w, fmt.Sprintf("line %d: %v", line, err))
		w.Flush()
		fmt.Fprintf(stderr, "iamlab eval: line %d: %v\n", line, err)
		return exitBadUsage
	}
	return exitOK
}

// evalLine returns the result line (with its newline) for one request line.
func evalLine(src []byte, line int, now time.Time) []byte {
	req, err := engine.DecodeRequest(src)
	if err != nil {
		return errorLine(fmt.Sprintf("line %d: %v", line, err))
	}
	if req.Time.IsZero() {
		req.Time = now
	}
	out, _ := json.Marshal(engine.Evaluate(req))
	return append(out, '\n')
}

func errorLine(msg string) []byte {
	out, _ := json.Marshal(map[string]string{"error": msg})
	return append(out, '\n')
}

func writeError(w *bufio.Writer, msg string) {
	w.Write(errorLine(msg))
}
