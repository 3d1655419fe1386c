package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/server/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// TestRunDemoAndShutdown starts the whole program on an empty database: it
// must create the demo data, serve sign-in for a demo login, and exit 0 when
// its context is cancelled (a signal).
func TestRunDemoAndShutdown(t *testing.T) {
	t.Parallel()
	metricsAddr := freeAddr(t)
	vars := map[string]string{"DATABASE_URL": dbtest.URL(t), "DOSKA_DEMO": "1", "DOSKA_ADDR": "127.0.0.1:0", "DOSKA_LOG_FORMAT": "json",
		"DOSKA_METRICS_ADDR": metricsAddr}
	ctx, cancel := context.WithCancel(context.Background())
	outR, outW := io.Pipe()
	var logs bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, nil, func(k string) string { return vars[k] }, outW, &logs)
		outW.Close()
	}()
	var printed strings.Builder
	addr := ""
	sc := bufio.NewScanner(outR)
	for sc.Scan() {
		printed.WriteString(sc.Text() + "\n")
		if m := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`).FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	if addr == "" {
		t.Fatalf("no listening address printed; output:\n%s\nlogs:\n%s", printed.String(), logs.String())
	}
	for _, login := range []string{"admin@example.com", "pm@example.com", "dev1@example.com", "client@acme.example.com", "client@globex.example.com"} {
		if !strings.Contains(printed.String(), login) {
			t.Errorf("demo login %s not printed", login)
		}
	}
	res, err := http.Post("http://"+addr+"/api/auth/login", "application/json", strings.NewReader(`{"email":"dev2@example.com","password":"doska-demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	var session struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(res.Body).Decode(&session)
	res.Body.Close()
	if res.StatusCode != 200 || err != nil {
		t.Fatalf("demo login: %d %v", res.StatusCode, err)
	}
	scrapeMetrics(t, addr, metricsAddr, session.AccessToken)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d; logs:\n%s", code, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

func TestRunRefusesBadConfig(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := run(context.Background(), nil, func(k string) string {
		return map[string]string{"DOSKA_ADDR": "nonsense"}[k]
	}, &out, &errOut)
	if code != 2 || !strings.Contains(errOut.String(), "DOSKA_ADDR") {
		t.Errorf("code %d, stderr %q: want 2 and the variable named", code, errOut.String())
	}
	if code := run(context.Background(), []string{"--help"}, func(string) string { return "" }, &out, &errOut); code != 0 || !strings.Contains(out.String(), "DATABASE_URL") {
		t.Errorf("--help: code %d, output %q", code, out.String())
	}
}

// scrapeMetrics reads a board twice and expects /metrics to have seen it:
// the login and the reads by route, one cache miss then one hit, and the
// pool, socket and listener figures present.
func scrapeMetrics(t *testing.T, addr, metricsAddr, token string) {
	t.Helper()
	get := func(path string, into any) {
		req, _ := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		if err := json.NewDecoder(res.Body).Decode(into); err != nil {
			t.Fatal(err)
		}
	}
	var projects []struct{ ID int64 }
	get("/api/projects", &projects)
	if len(projects) == 0 {
		t.Fatal("the demo developer is on no project")
	}
	for range 2 {
		get(fmt.Sprintf("/api/projects/%d/board", projects[0].ID), &json.RawMessage{})
	}
	res, err := http.Get("http://" + metricsAddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(body)
	for _, want := range []string{
		`doska_http_request_duration_seconds_count{method="POST",route="/api/auth/login",status="200"} 1`,
		`doska_http_request_duration_seconds_count{method="GET",route="/api/projects/:id/board",status="200"} 2`,
		"doska_board_cache_misses_total 1",
		"doska_board_cache_hits_total 1",
		"doska_websockets 0",
		"doska_hub_frames_queued 0",
		"doska_listener_reconnects_total 0",
		"doska_commands_waiting 0",
		`go_sql_open_connections{db_name="doska"}`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^doska_board_cache_bytes [1-9]`).MatchString(text) {
		t.Error("/metrics: the board cache holds no bytes after a board read")
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
