// Package spread runs the items of a batch over a fixed number of
// goroutines. `iamlab eval --jsonl` uses it, and so does bench/decodeonly,
// the floor it is measured against, so that both share their work the same
// way.
package spread

import "sync"

// Each calls f(i) for every i in [0, n), spread over workers goroutines
// (item i goes to goroutine i % workers), and returns when all are done.
// With one worker it runs f in the calling goroutine.
func Each(n, workers int, f func(i int)) {
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	for k := range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := k; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}
