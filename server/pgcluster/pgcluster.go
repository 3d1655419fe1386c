// Package pgcluster starts and stops a private PostgreSQL server from the
// binaries installed on the machine: initdb on first use, then postgres on a
// unix socket inside the data folder, so parallel runs never share a port.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// Options say where the cluster lives and how durable it is.
type Options struct {
	// Dir holds the cluster: Dir/pgdata, Dir/run (the socket) and
	// Dir/postgres.log. It is created when missing.
	Dir string
	// BinDir overrides the search for initdb and postgres.
	BinDir string
	// Durable keeps fsync on and sizes the server's memory from the
	// machine's (memorySettings). Tests turn it off: many throw-away
	// clusters at once keep PostgreSQL's small defaults.
	Durable bool
	// Getenv reads PG_BINDIR and PATH; nil means os.Getenv.
	Getenv func(string) string
	// Settings are more server settings, "name=value" each: the bench
	// loads pg_stat_statements with one.
	Settings []string
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	bin     string
	dir     string
	sockDir string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

const superuser = "postgres"

// Start initialises the cluster if needed and starts the server, waiting
// until it accepts connections.
func Start(ctx context.Context, o Options) (*Cluster, error) {
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	bin, err := findBinDir(o)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	pgdata := filepath.Join(dir, "pgdata")
	c := &Cluster{bin: bin, dir: dir, sockDir: filepath.Join(dir, "run"), exited: make(chan struct{})}
	// A unix socket path is limited to 107 bytes; deep folders get a short
	// socket folder of their own instead.
	if len(c.sockDir)+len("/.s.PGSQL.5432") > 100 {
		if c.sockDir, err = os.MkdirTemp("", "doska-pg"); err != nil {
			return nil, err
		}
	}
	for _, d := range []string{dir, c.sockDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("pgcluster: %w", err)
		}
		if err := chown(d, cred); err != nil {
			return nil, err
		}
	}
	if err := reachable(dir, cred); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(pgdata, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, bin, pgdata, dir, cred); err != nil {
			return nil, err
		}
	}
	stopStale(pgdata)

	args := []string{"-D", pgdata, "-k", c.sockDir, "-c", "listen_addresses=", "-c", "max_connections=200"}
	for _, s := range o.Settings {
		args = append(args, "-c", s)
	}
	if o.Durable {
		args = append(args, memorySettings(totalMemory())...)
	} else {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "postgres.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	defer logFile.Close()
	c.cmd = exec.Command(filepath.Join(bin, "postgres"), args...)
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	// Own process group: a Ctrl-C in the terminal reaches Doska only, which
	// then stops the database after the last request has drained. And if
	// Doska dies without stopping it (kill -9, a test binary's timeout), the
	// kernel sends postgres SIGINT, so no orphan server is left behind.
	// Pdeathsig fires when the starting OS thread ends, so the start and
	// the wait happen on one goroutine locked to its thread for the life of
	// the server.
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: cred, Pdeathsig: syscall.SIGINT}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := c.cmd.Start(); err != nil {
			started <- err
			close(c.exited)
			return
		}
		started <- nil
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	if err := <-started; err != nil {
		return nil, fmt.Errorf("pgcluster: start postgres: %w", err)
	}
	if err := c.waitReady(ctx); err != nil {
		_ = c.Stop() // the failed start is what to report
		return nil, err
	}
	return c, nil
}

// URL returns a connection string for a database of the cluster.
func (c *Cluster) URL(database string) string {
	q := url.Values{"host": {c.sockDir}, "sslmode": {"disable"}}
	return (&url.URL{Scheme: "postgres", User: url.User(superuser), Path: "/" + database, RawQuery: q.Encode()}).String()
}

// BinDir is the folder of the server's programs (pg_dump and pg_restore
// are there too).
func (c *Cluster) BinDir() string { return c.bin }

// SocketDir is the folder of the server's unix socket.
func (c *Cluster) SocketDir() string { return c.sockDir }

// Stop shuts the server down (fast shutdown: open transactions are rolled
// back, committed data is safe) and waits for it to exit.
func (c *Cluster) Stop() error {
	if c.cmd == nil || c.cmd.Process == nil {
		return nil
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
	if c.sockDir != filepath.Join(c.dir, "run") {
		os.RemoveAll(c.sockDir)
	}
	if c.waitErr != nil {
		return fmt.Errorf("pgcluster: postgres: %w", c.waitErr)
	}
	return nil
}

func (c *Cluster) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err == nil {
			conn.Close(ctx)
			return nil
		}
		select {
		case <-c.exited:
			return fmt.Errorf("pgcluster: postgres exited at start (%w); see %s", c.waitErr, filepath.Join(c.dir, "postgres.log"))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("pgcluster: postgres not ready after 60 s: %w; see %s", err, filepath.Join(c.dir, "postgres.log"))
		}
	}
}

// initdb makes the cluster with byte-order collation (as fast and as
// predictable as --no-locale) but Unicode character classes: under a C
// ctype lower() folds only ASCII and pg_trgm sees no trigrams in Cyrillic,
// Polish or Japanese text, which search needs. A machine without the
// C.UTF-8 locale still gets a working cluster, with ASCII-only folding.
func initdb(ctx context.Context, bin, pgdata, dir string, cred *syscall.Credential) error {
	var err error
	for _, locale := range [][]string{{"--locale=C", "--lc-ctype=C.UTF-8"}, {"--no-locale"}} {
		cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), append([]string{"-D", pgdata, "-U", superuser,
			"-A", "trust", "-E", "UTF8", "--no-sync"}, locale...)...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		cmd.Dir = dir
		var out []byte
		if out, err = cmd.CombinedOutput(); err == nil {
			return nil
		}
		os.RemoveAll(pgdata)
		err = fmt.Errorf("pgcluster: initdb: %w\n%s", err, out)
	}
	return err
}

// stopStale stops a postgres left running on this data folder by a Doska
// that was killed, so the new start does not fail on its lock file.
func stopStale(pgdata string) {
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 0 {
		return
	}
	p, err := os.FindProcess(pid)
	if err != nil || p.Signal(syscall.Signal(0)) != nil {
		return
	}
	_ = p.Signal(syscall.SIGINT)
	for i := 0; i < 300 && p.Signal(syscall.Signal(0)) == nil; i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

// runAs picks the OS user for the server: postgres refuses to run as root,
// so root hands it to the "postgres" account (or "nobody").
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
	}
	return nil, errors.New("pgcluster: running as root, but there is no 'postgres' or 'nobody' user to run PostgreSQL as; create one or set DATABASE_URL")
}

func chown(path string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	if err := os.Chown(path, int(cred.Uid), int(cred.Gid)); err != nil {
		return fmt.Errorf("pgcluster: %w", err)
	}
	return nil
}

// reachable checks that the server's user can enter every folder above the
// data folder, which fails for a checkout under /root, say.
func reachable(dir string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil {
			return fmt.Errorf("pgcluster: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		ok := fi.Mode().Perm()&0o001 != 0 ||
			(st.Uid == cred.Uid && fi.Mode().Perm()&0o100 != 0) ||
			(st.Gid == cred.Gid && fi.Mode().Perm()&0o010 != 0)
		if !ok {
			return fmt.Errorf("pgcluster: the database runs as uid %d, which cannot enter %s; set DOSKA_DATA to a folder it can reach (e.g. /var/lib/doska) or set DATABASE_URL", cred.Uid, d)
		}
		if d == "/" {
			return nil
		}
	}
}

// findBinDir looks for initdb and postgres: $PG_BINDIR, `pg_config --bindir`,
// PATH, then the newest /usr/lib/postgresql/*/bin.
func findBinDir(o Options) (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "postgres"} {
			if fi, err := os.Stat(filepath.Join(dir, b)); err != nil || fi.IsDir() {
				return false
			}
		}
		return true
	}
	var candidates []string
	candidates = append(candidates, o.BinDir, o.Getenv("PG_BINDIR"))
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		candidates = append(candidates, strings.TrimSpace(string(out)))
	}
	candidates = append(candidates, filepath.SplitList(o.Getenv("PATH"))...)
	found, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(found, func(i, j int) bool { return pgMajor(found[i]) > pgMajor(found[j]) })
	candidates = append(candidates, found...)
	for _, d := range candidates {
		if d != "" && has(d) {
			return d, nil
		}
	}
	return "", errors.New("pgcluster: no PostgreSQL server binaries (initdb, postgres) found in PG_BINDIR, pg_config --bindir, PATH or /usr/lib/postgresql/*/bin; install them (Debian: apt-get install postgresql) or set DATABASE_URL to an existing server")
}

func pgMajor(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// memorySettings size the server's caches from the machine's memory (in
// bytes) instead of initdb's 128 MB of shared_buffers, which on a large
// machine leaves a search's heap pages to be copied in from the OS cache
// one 8 kB read at a time: shared_buffers a quarter of it (PostgreSQL's own
// advice), no less than the default and no more than 8 GB, beyond which
// the OS cache serves as well; effective_cache_size, a planner estimate
// only, half of it.
func memorySettings(total uint64) []string {
	const mb = 1 << 20
	shared := min(max(total/4, 128*mb), 8192*mb)
	cache := max(total/2, shared)
	return []string{"-c", fmt.Sprintf("shared_buffers=%dMB", shared/mb), "-c", fmt.Sprintf("effective_cache_size=%dMB", cache/mb)}
}

// totalMemory is the memory Doska may use in bytes: the machine's, or a
// container's cgroup limit when lower; 0 when unknown (which keeps the
// defaults' floor).
func totalMemory() uint64 {
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) != nil {
		return 0
	}
	total := si.Totalram * uint64(si.Unit)
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if limit, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64); err == nil {
			total = min(total, limit)
		}
	}
	return total
}
