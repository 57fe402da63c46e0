//go:build !unix

package sandbox

import "time"

// processCPU is not measured here.
func processCPU() time.Duration { return 0 }
