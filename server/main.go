// Command doska serves the Doska board: the HTTP API, the live websocket and
// the single-page app, from one binary.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/sys/unix"
)

// stopWithParentFlag is passed by `make run`; see stopWithParent.
const stopWithParentFlag = "--stop-with-parent"

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == stopWithParentFlag {
		args = args[1:]
		if err := stopWithParent(); err != nil {
			fmt.Fprintln(os.Stderr, "doska:", err)
			os.Exit(1)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, args, os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// stopWithParent asks the kernel for SIGTERM when the process that started
// Doska dies. make passes SIGTERM on to its recipe, but nothing is passed on
// when make itself is killed outright (SIGKILL, an out-of-memory kill, a
// supervisor giving up): Doska would keep running with its PostgreSQL, and
// the next `make run` would find the port and the data folder taken. The
// SIGTERM stops both the normal way.
//
// The request belongs to the calling OS thread; Go never ends the threads of
// goroutines that are not locked to one, so it lasts for the process's life.
func stopWithParent() error {
	parent := os.Getppid()
	if err := unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(unix.SIGTERM), 0, 0, 0); err != nil {
		return fmt.Errorf("%s: %w", stopWithParentFlag, err)
	}
	// A parent that died before the request leaves Doska adopted already.
	if parent == 1 || os.Getppid() != parent {
		return errors.New(stopWithParentFlag + ": the parent process has already exited")
	}
	return nil
}
