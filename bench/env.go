package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/pgcluster"
	"github.com/doska/doska/server/store"
)

const password = "bench password, not for real use"

// benchEnv is a private durable PostgreSQL, the Doska binary on it, and the
// data the scenarios use.
type benchEnv struct {
	started time.Time
	quick   bool
	dir     string
	cluster *pgcluster.Cluster
	db      *gorm.DB
	store   *store.Store
	server  *exec.Cmd
	launch  func() error // starts the server (again) as configured
	base    string       // http://127.0.0.1:port
	client  *http.Client
	token   string // a manager's access token
	manager models.User
	people  []models.User
	client1 int64
}

func start(ctx context.Context, bin string, quick bool, pprofAddr string) (*benchEnv, error) {
	e := &benchEnv{started: time.Now(), quick: quick}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s not found: run make build (make bench does)", bin)
	}
	// On disk, not in memory: the figures include real fsyncs.
	dir, err := os.MkdirTemp("", "doska-bench")
	if err != nil {
		return nil, err
	}
	_ = os.Chmod(dir, 0o755)
	e.dir = dir
	if e.cluster, err = pgcluster.Start(ctx, pgcluster.Options{Dir: filepath.Join(dir, "pg"), Durable: true,
		Settings: []string{"shared_preload_libraries=pg_stat_statements"}}); err != nil {
		e.close()
		return nil, err
	}
	dsn := e.cluster.URL("postgres")
	db, sqlDB, err := store.Open(dsn)
	if err != nil {
		e.close()
		return nil, err
	}
	e.db = db
	if err := store.Migrate(ctx, sqlDB); err != nil {
		e.close()
		return nil, err
	}
	if err := db.Exec("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").Error; err != nil {
		e.close()
		return nil, err
	}
	e.store = store.New(db, time.Now)
	if err := e.seedPeople(ctx); err != nil {
		e.close()
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		e.close()
		return nil, err
	}
	e.base = "http://127.0.0.1:" + strconv.Itoa(port)
	logf, err := os.Create(filepath.Join(dir, "doska.log"))
	if err != nil {
		e.close()
		return nil, err
	}
	e.launch = func() error {
		e.server = exec.Command(bin)
		e.server.Env = append(os.Environ(), "DATABASE_URL="+dsn, "DOSKA_ADDR=127.0.0.1:"+strconv.Itoa(port),
			"DOSKA_SITE_URL="+e.base, "DOSKA_DATA="+dir, "DOSKA_DEMO=0", "DOSKA_LOG_LEVEL=warn", "DOSKA_LOG_FORMAT=json", "DOSKA_PPROF_ADDR="+pprofAddr,
			// The scenarios open thousands of sockets as one manager.
			"DOSKA_SOCKETS_PER_USER=100000")
		e.server.Stdout, e.server.Stderr = logf, logf
		e.server.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		return e.server.Start()
	}
	if err := e.launch(); err != nil {
		e.close()
		return nil, err
	}
	e.client = &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		MaxIdleConns: 256, MaxIdleConnsPerHost: 256, DisableCompression: true}}
	if err := e.waitReady(ctx); err != nil {
		e.close()
		return nil, err
	}
	if e.token, err = e.login(e.manager.Email); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *benchEnv) close() {
	if e.server != nil && e.server.Process != nil {
		_ = e.server.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = e.server.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = e.server.Process.Kill()
		}
	}
	if e.cluster != nil {
		_ = e.cluster.Stop()
	}
	if e.dir != "" {
		os.RemoveAll(e.dir)
	}
}

func (e *benchEnv) waitReady(ctx context.Context) error {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(e.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return fmt.Errorf("doska not ready; see %s", filepath.Join(e.dir, "doska.log"))
}

// seedPeople creates the agency: a manager and 50 developers.
func (e *benchEnv) seedPeople(ctx context.Context) error {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if e.manager, err = e.store.CreateUser(ctx, store.NewUser{Email: "pm@bench.test", Name: "Bench Manager", Role: models.RoleManager, PasswordHash: hash}); err != nil {
		return err
	}
	for i := range 50 {
		u, err := e.store.CreateUser(ctx, store.NewUser{Email: fmt.Sprintf("dev%02d@bench.test", i), Name: fmt.Sprintf("Developer %02d", i), Role: models.RoleDeveloper, PasswordHash: hash})
		if err != nil {
			return err
		}
		e.people = append(e.people, u)
	}
	c, err := e.store.CreateClient(ctx, e.manager.Actor(), "Bench client")
	e.client1 = c.ID
	return err
}

// project creates a project with n cards spread over the five columns,
// written in bulk (the scenarios measure reads and moves, not seeding).
// Cards are assigned round-robin to the first people developers.
func (e *benchEnv) project(ctx context.Context, name string, n, people int) (int64, []int64, error) {
	members := make([]int64, people)
	for i := range members {
		members[i] = e.people[i].ID
	}
	p, err := e.store.CreateProject(ctx, e.manager.Actor(), store.NewProject{ClientID: e.client1, Name: name, MemberIDs: members})
	if err != nil {
		return 0, nil, err
	}
	per := (n + len(models.Statuses) - 1) / len(models.Statuses)
	keys := models.RankSequence(per)
	var ids []int64
	for si, status := range models.Statuses {
		count := min(per, n-si*per)
		if count <= 0 {
			break
		}
		var assignees, ranks []string
		for i := range count {
			ranks = append(ranks, keys[i])
			assignees = append(assignees, strconv.FormatInt(members[(si*per+i)%len(members)], 10))
		}
		staging := ""
		if status == models.StatusApproval {
			staging = "https://staging.bench.test/"
		}
		var got []int64
		err := e.db.WithContext(ctx).Raw(`
INSERT INTO tasks (project_id, title, description, status, rank, kind, priority, assignee_id, reporter_id, estimate_minutes, staging_url, approval_state)
SELECT ?, 'Card ' || r.n || ' of ' || ?, 'Some **markdown** description for card ' || r.n, ?, r.rank, 'task', 'normal', r.assignee::bigint, ?, 60 + (r.n % 8) * 30, ?,
       CASE WHEN ? = 'approval' THEN 'pending' ELSE 'none' END
FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS r(rank, assignee, n)
RETURNING id`, p.ID, name, status, e.manager.ID, staging, status, textArray(ranks), textArray(assignees)).Scan(&got).Error
		if err != nil {
			return 0, nil, err
		}
		ids = append(ids, got...)
	}
	// The server's indexer takes the new cards before anything is timed on
	// them: 2,000 at once kept it busy through the first rounds of moves.
	return p.ID, ids, e.searchDrained(ctx)
}

func textArray(items []string) string {
	return "{" + strings.Join(items, ",") + "}"
}

func (e *benchEnv) login(email string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	res, err := e.client.Post(e.base+"/api/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var s struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&s); err != nil || res.StatusCode != 200 {
		return "", fmt.Errorf("login %s: %d %w", email, res.StatusCode, err)
	}
	return s.AccessToken, nil
}

// call sends one API request as the manager and decodes a JSON answer;
// callWith sends it with more headers (another person's Authorization).
func (e *benchEnv) call(method, path string, body, into any) (int, error) {
	return e.callWith(method, path, nil, body, into)
}

func (e *benchEnv) callWith(method, path string, header http.Header, body, into any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.base+path, r)
	if err != nil {
		return 0, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if into != nil && len(b) > 0 {
		if err := json.Unmarshal(b, into); err != nil {
			return res.StatusCode, fmt.Errorf("%s %s: %d %.200s", method, path, res.StatusCode, b)
		}
	}
	if res.StatusCode >= 400 && res.StatusCode != 409 {
		return res.StatusCode, fmt.Errorf("%s %s: %d %.200s", method, path, res.StatusCode, b)
	}
	return res.StatusCode, nil
}

// rssMB is the server process's resident memory.
func (e *benchEnv) rssMB() (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", e.server.Process.Pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, err := strconv.ParseFloat(f[1], 64)
			return kb / 1024, err
		}
	}
	return 0, errors.New("no VmRSS")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func numCPU() int { return runtime.NumCPU() }
