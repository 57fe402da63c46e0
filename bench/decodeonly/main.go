// Command decodeonly is the floor that `iamlab eval --jsonl` is measured
// against: it reads the same JSON lines and decodes each one into a generic
// map with encoding/json, spread over the CPUs as iamlab spreads its work,
// and does nothing else. bench/iamsimulate/run.sh runs it beside iamlab.
//
//	go run ./bench/decodeonly < requests.jsonl
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync/atomic"

	"iamlab/internal/spread"
)

func main() {
	n, bad, err := decodeLines(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "decodeonly:", err)
		os.Exit(1)
	}
	fmt.Printf("decoded %d lines (%d not JSON objects)\n", n, bad)
}

// decodeLines decodes every line in batches over GOMAXPROCS workers.
func decodeLines(r io.Reader) (lines, bad int, err error) {
	in := bufio.NewReaderSize(r, 1<<16)
	workers := runtime.GOMAXPROCS(0)
	const batchSize = 256
	batch := make([][]byte, 0, batchSize)
	var failed atomic.Int64
	flush := func() {
		spread.Each(len(batch), workers, func(i int) {
			var m map[string]any
			if json.Unmarshal(batch[i], &m) != nil {
				failed.Add(1)
			}
		})
		batch = batch[:0]
	}
	for {
		line, rerr := in.ReadBytes('\n')
		if len(line) > 0 {
			lines++
			batch = append(batch, line)
			if len(batch) == batchSize {
				flush()
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return lines, int(failed.Load()), rerr
		}
	}
	flush()
	return lines, int(failed.Load()), nil
}
