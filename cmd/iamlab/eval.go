package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"iamlab/engine"
	"iamlab/internal/spread"
)

// maxRequestBytes bounds one request (a file, standard input, or one line
// of --jsonl); docs/eval-request.md explains the figure. The largest
// request AWS itself could evaluate, with every policy at its size quota,
// holds about 1.2 MB of policy text without whitespace.
const maxRequestBytes = 8 << 20

// tooLarge is the error for a request over maxRequestBytes.
func tooLarge(what string) string {
	return fmt.Sprintf("%s is larger than the %d MiB limit of one request (the largest request AWS could evaluate, with every policy at its size quota, is about 1.2 MB; see docs/eval-request.md)", what, maxRequestBytes>>20)
}

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
		fmt.Fprintf(stderr, "iamlab eval: %s\n", tooLarge(name))
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
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxRequestBytes {
		return nil, errors.New(tooLarge(name))
	}
	return io.ReadAll(io.LimitReader(f, maxRequestBytes+1))
}

// evalLines streams requests: one result line per input line, in order;
// a bad line, or one over the size limit, yields {"error": ...} and the
// run goes on. Lines are handled in batches spread over the CPUs, and
// written in input order. Policies repeat across a batch, so each policy
// text is parsed once (up to policyCacheBytes of them).
func evalLines(stdin io.Reader, stdout, stderr io.Writer, now time.Time) int {
	in := bufio.NewReaderSize(stdin, 1<<16)
	w := bufio.NewWriterSize(stdout, 1<<16)
	defer w.Flush()
	dec := engine.NewRequestDecoder(policyCacheBytes)
	workers := runtime.GOMAXPROCS(0)
	const batchSize = 256
	var (
		batch   [batchSize]jsonLine
		results [batchSize][]byte
		buf     []byte // the batch's lines, back to back
		n, line int
	)
	flush := func() {
		spread.Each(n, workers, func(i int) {
			l := batch[i]
			if l.tooLong {
				results[i] = errorLine(fmt.Sprintf("line %d: %s", l.number, tooLarge("the line")))
				return
			}
			results[i] = evalLine(dec, buf[l.start:l.end], l.number, now)
		})
		for i := range n {
			w.Write(results[i])
		}
		n, buf = 0, buf[:0]
	}
	for {
		start := len(buf)
		var tooLong bool
		var err error
		buf, tooLong, err = readLine(in, buf, maxRequestBytes)
		if err != nil && err != io.EOF {
			flush()
			line++
			writeError(w, fmt.Sprintf("line %d: %v", line, err))
			w.Flush()
			fmt.Fprintf(stderr, "iamlab eval: line %d: %v\n", line, err)
			return exitFailure
		}
		if len(buf) > start || tooLong || err == nil {
			line++
			batch[n] = jsonLine{start: start, end: len(buf), number: line, tooLong: tooLong}
			n++
		}
		if n == batchSize || len(buf) >= maxBatchBytes || err == io.EOF {
			flush()
		}
		if err == io.EOF {
			return exitOK
		}
	}
}

// maxBatchBytes ends a batch early when its lines are long, so a batch of
// large requests does not hold hundreds of them in memory at once.
const maxBatchBytes = 16 << 20

// policyCacheBytes bounds the policy text that --jsonl keeps parsed: a
// generated batch of 20,000 requests repeats 65 distinct policies.
const policyCacheBytes = 16 << 20

// jsonLine is one input line of a batch: its bytes in the batch buffer.
type jsonLine struct {
	start, end int
	number     int
	tooLong    bool
}

// readLine appends the next line of r, without its newline, to buf. A line
// longer than limit is skipped to its end and reported as tooLong, so the
// lines after it are still read. err is io.EOF after the last line.
func readLine(r *bufio.Reader, buf []byte, limit int) (_ []byte, tooLong bool, err error) {
	start := len(buf)
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			size := len(chunk)
			if err == nil {
				size-- // the newline
			}
			if len(buf)-start+size > limit {
				tooLong = true
				buf = buf[:start]
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch err {
		case bufio.ErrBufferFull:
			continue
		case nil:
			if !tooLong {
				buf = buf[:len(buf)-1] // the newline
			}
			return buf, tooLong, nil
		default:
			if err == io.EOF && len(buf) == start && !tooLong {
				return buf, false, io.EOF // no last line without a newline
			}
			if err == io.EOF {
				// A last line with no newline still counts; report EOF on
				// the next call.
				return buf, tooLong, nil
			}
			return buf, tooLong, err
		}
	}
}

// evalLine returns the result line (with its newline) for one request line.
func evalLine(dec *engine.RequestDecoder, src []byte, line int, now time.Time) []byte {
	req, err := dec.Decode(src)
	if err != nil {
		return errorLine(fmt.Sprintf("line %d: %v", line, err))
	}
	if req.Time.IsZero() {
		req.Time = now
	}
	res := engine.Evaluate(req)
	out, _ := res.MarshalJSON()
	return append(out, '\n')
}

func errorLine(msg string) []byte {
	out, _ := json.Marshal(map[string]string{"error": msg})
	return append(out, '\n')
}

func writeError(w *bufio.Writer, msg string) {
	w.Write(errorLine(msg))
}
