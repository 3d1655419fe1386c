package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
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
	vars := map[string]string{"DATABASE_URL": dbtest.URL(t), "DOSKA_DEMO": "1", "DOSKA_ADDR": "127.0.0.1:0", "DOSKA_LOG_FORMAT": "json"}
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
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("demo login: %d", res.StatusCode)
	}
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
