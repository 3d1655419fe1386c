package live

import (
	"testing"

	"go.uber.org/goleak"
)

// Every goroutine the hub starts (dispatcher, socket readers and writers)
// must be gone when its owner stops it: a graceful shutdown leaks nothing.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
