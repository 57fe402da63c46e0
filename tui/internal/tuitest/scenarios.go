package tuitest

import (
	"sync"
	"time"

	"iamlab/scenarios"
)

// Start is the fixed "now" of every test.
var Start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

var (
	scenOnce sync.Once
	scens    []*scenarios.Scenario
	scenErr  error
)

// Scenarios loads the built-in scenarios once for every test: loading
// makes keys and parses every file, which takes a while.
func Scenarios() ([]*scenarios.Scenario, error) {
	scenOnce.Do(func() { scens, scenErr = scenarios.Builtin() })
	return scens, scenErr
}
