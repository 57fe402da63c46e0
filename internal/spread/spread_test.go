package spread_test

import (
	"sync/atomic"
	"testing"

	"iamlab/internal/spread"
)

// TestEach: every item is handled exactly once, whatever the worker count.
func TestEach(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		n, workers int
	}{
		{"none", 0, 4}, {"one worker", 10, 1}, {"more workers than items", 3, 8}, {"uneven", 1001, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			seen := make([]atomic.Int32, tc.n)
			spread.Each(tc.n, tc.workers, func(i int) { seen[i].Add(1) })
			for i := range seen {
				if got := seen[i].Load(); got != 1 {
					t.Errorf("Each(%d, %d): item %d handled %d times, want 1", tc.n, tc.workers, i, got)
				}
			}
		})
	}
}
