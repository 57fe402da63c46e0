package estate

import "time"

// Clock is the sandbox's clock. The estate and STS never read the wall
// clock: credentials expire, TOTP codes roll and aws:CurrentTime moves only
// as the clock says.
type Clock interface {
	Now() time.Time
}

// ManualClock is a Clock the sandbox sets and advances.
type ManualClock struct {
	t time.Time
}

// NewManualClock returns a clock stopped at t.
func NewManualClock(t time.Time) *ManualClock { return &ManualClock{t: t.UTC()} }

// Now returns the clock's time.
func (c *ManualClock) Now() time.Time { return c.t }

// Advance moves the clock forward by d.
func (c *ManualClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) { c.t = t.UTC() }
