//go:build !unix

package discord

import "time"

func cpuTime() (time.Duration, bool) { return 0, false }
