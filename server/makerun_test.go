package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeRunStops runs the real Makefile's run recipe (its build step
// skipped with -o) on a freshly built binary, with Doska's own PostgreSQL,
// and stops it the ways the README promises: a signal to make alone —
// SIGTERM, which GNU make passes on to its recipe, and SIGKILL, which
// leaves nobody to pass anything on — and Ctrl-C, which is SIGINT to the
// terminal's whole foreground process group. Doska and its PostgreSQL must
// both be gone within a few seconds.
func TestMakeRunStops(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts a durable PostgreSQL")
	}
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make not installed")
	}
	dir, err := os.MkdirTemp("", "doska-makerun")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	// The private PostgreSQL runs as the postgres user when tests run as root.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "bin", "doska"), ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Makefile"), makefile, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		stop func(makePID int) error
	}{
		{"SIGTERM to make", func(pid int) error { return syscall.Kill(pid, syscall.SIGTERM) }},
		{"SIGKILL to make", func(pid int) error { return syscall.Kill(pid, syscall.SIGKILL) }},
		{"Ctrl-C to the process group", func(pid int) error { return syscall.Kill(-pid, syscall.SIGINT) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command("make", "-o", "build", "run")
			cmd.Dir = dir
			cmd.Env = append(environWithout("DATABASE_URL", "DOSKA_"), "DOSKA_DATA="+filepath.Join(dir, "data"),
				"DOSKA_ADDR=127.0.0.1:0", "DOSKA_DEMO=0", "DOSKA_LOG_FORMAT=json")
			// A process group of its own, as a terminal gives a job.
			cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
			var logs bytes.Buffer
			cmd.Stderr = &logs
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			sc := bufio.NewScanner(out)
			listening := false
			for !listening && sc.Scan() {
				listening = strings.Contains(sc.Text(), "listening on")
			}
			go func() {
				for sc.Scan() {
				}
				_ = cmd.Wait() // make's own exit status varies with the signal; the test checks the processes
				close(exited)
			}()
			if !listening {
				<-exited
				t.Fatalf("doska did not start; stderr:\n%s", logs.String())
			}
			doska := childOf(t, cmd.Process.Pid)
			postgres := postmasterPID(t, filepath.Join(dir, "data", "pgdata"))
			t.Cleanup(func() {
				for _, pid := range []int{doska, postgres} {
					if alive(pid) {
						_ = syscall.Kill(pid, syscall.SIGKILL) // already gone is fine
					}
				}
				<-exited
			})

			if err := tc.stop(cmd.Process.Pid); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for (alive(doska) || alive(postgres)) && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if alive(doska) {
				t.Errorf("doska (pid %d) still running 10 s after the signal", doska)
			}
			if alive(postgres) {
				t.Errorf("postgres (pid %d) still running 10 s after the signal", postgres)
			}
		})
	}
}

func environWithout(prefixes ...string) []string {
	var env []string
next:
	for _, kv := range os.Environ() {
		for _, p := range prefixes {
			if strings.HasPrefix(kv, p) {
				continue next
			}
		}
		env = append(env, kv)
	}
	return env
}

// childOf returns the only child of pid: doska, started by make's recipe.
func childOf(t *testing.T, pid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/children")
	if err != nil {
		t.Fatal(err)
	}
	kids := strings.Fields(string(b))
	if len(kids) != 1 {
		t.Fatalf("make has children %v, want exactly doska", kids)
	}
	child, _ := strconv.Atoi(kids[0])
	if comm, _ := os.ReadFile("/proc/" + kids[0] + "/comm"); strings.TrimSpace(string(comm)) != "doska" {
		t.Fatalf("make's child is %q, not doska", comm)
	}
	return child
}

// postmasterPID reads the first line of postmaster.pid, which postgres
// writes once it runs.
func postmasterPID(t *testing.T, pgdata string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// alive: the process exists and is not a zombie (one whose parent has not
// collected it yet has stopped all the same).
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
