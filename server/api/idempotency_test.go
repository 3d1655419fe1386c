package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/doska/doska/models"
)

// createWithKey creates a card on project A as u, with an idempotency key.
func (e *env) createWithKey(u models.User, key string, body any) response {
	e.t.Helper()
	return e.do(req{method: "POST", path: fmt.Sprintf("/api/projects/%d/tasks", e.w.ProjectA.ID), token: e.token(u), body: body,
		header: map[string]string{"Idempotency-Key": key}})
}

// createdWithKey is createWithKey that must make the card.
func (e *env) createdWithKey(u models.User, key string, body any) response {
	e.t.Helper()
	res := e.createWithKey(u, key, body)
	if res.status != 201 {
		e.t.Fatalf("create: %d %s", res.status, res.body)
	}
	return res
}

func (e *env) count(query string, args ...any) (n int) {
	if err := e.db.Raw(query, args...).Row().Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func (e *env) countTasks(title string) int {
	return e.count("SELECT count(*) FROM tasks WHERE title = ?", title)
}

// TestIdempotentCreateRunsOnce: a create sent again with the same key gets
// the first answer and makes no second card; the same key with another
// request is refused; another person's identical key is their own.
func TestIdempotentCreateRunsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const key = "create-7f3a"
	body := map[string]any{"title": "Sent twice"}

	first := e.createdWithKey(e.w.Dev, key, body)
	again := e.createWithKey(e.w.Dev, key, body)
	if again.status != 201 || !bytes.Equal(again.body, first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s (replayed %q), want the first answer %s", again.status, again.body, again.header.Get("Idempotent-Replayed"), first.body)
	}
	if n := e.countTasks("Sent twice"); n != 1 {
		t.Fatalf("%d cards after a retry, want 1", n)
	}

	before := e.snapshot()
	other := e.createWithKey(e.w.Dev, key, map[string]any{"title": "Something else"})
	if other.status != 422 || other.errorFields(t)["Idempotency-Key"] == "" {
		t.Fatalf("same key, other request: %d %s, want 422 on Idempotency-Key", other.status, other.body)
	}
	if e.snapshot() != before {
		t.Error("the refused request changed the database")
	}

	theirs := e.createWithKey(e.w.Manager, key, body)
	if theirs.status != 201 || theirs.header.Get("Idempotent-Replayed") != "" || bytes.Equal(theirs.body, first.body) {
		t.Fatalf("another person's key: %d %s, want a card of their own", theirs.status, theirs.body)
	}
	if n := e.countTasks("Sent twice"); n != 2 {
		t.Errorf("%d cards, want 2 (one per person)", n)
	}
}

// TestIdempotentFailureKeepsNothing: a command that fails keeps no key,
// so the corrected request goes through with the same key; a bad key is
// a 400 on the header.
func TestIdempotentFailureKeepsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const key = "fix-and-retry"
	before := e.snapshot()
	bad := e.createWithKey(e.w.Dev, key, map[string]any{"title": ""})
	if bad.status != 422 || bad.errorFields(t)["title"] == "" {
		t.Fatalf("empty title: %d %s", bad.status, bad.body)
	}
	if e.snapshot() != before {
		t.Error("the failed command left something behind")
	}
	fixed := e.createWithKey(e.w.Dev, key, map[string]any{"title": "Fixed"})
	if fixed.status != 201 {
		t.Fatalf("corrected request with the same key: %d %s", fixed.status, fixed.body)
	}

	for _, k := range []string{strings.Repeat("k", 256), "has space", "ключ"} {
		res := e.createWithKey(e.w.Dev, k, map[string]any{"title": "Bad key"})
		if res.status != 400 || res.errorFields(t)["Idempotency-Key"] == "" {
			t.Errorf("key %q: %d %s, want 400 on Idempotency-Key", k, res.status, res.body)
		}
	}
	if n := e.countTasks("Bad key"); n != 0 {
		t.Errorf("%d cards made with a bad key", n)
	}
}

// TestIdempotentConcurrentRetries: twenty copies of one move at once (a
// client retrying on a bad network) move the card once, and every copy
// gets that one answer.
func TestIdempotentConcurrentRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk := e.w.TaskA
	body := fmt.Sprintf(`{"version": %d, "status": "in_progress"}`, tk.Version)
	token := e.token(e.w.Dev)
	const copies = 20
	var wg sync.WaitGroup
	answers := make([]string, copies)
	statuses := make([]int, copies)
	for i := range copies {
		wg.Go(func() {
			hr, _ := http.NewRequestWithContext(context.Background(), "POST", fmt.Sprintf("%s/api/tasks/%d/move", e.srv.URL, tk.ID), strings.NewReader(body))
			hr.Header.Set("Content-Type", "application/json")
			hr.Header.Set("Authorization", "Bearer "+token)
			hr.Header.Set("Idempotency-Key", "move-once")
			res, err := http.DefaultClient.Do(hr)
			if err != nil {
				answers[i] = err.Error()
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			statuses[i], answers[i] = res.StatusCode, string(b)
		})
	}
	wg.Wait()
	for i := range copies {
		if statuses[i] != 200 || answers[i] != answers[0] {
			t.Errorf("copy %d: %d %s, want 200 and the one answer %s", i, statuses[i], answers[i], answers[0])
		}
	}
	if got := e.card(tk.ID); got.Version != tk.Version+1 || got.Status != models.StatusInProgress {
		t.Errorf("card at version %d in %s, want moved once to version %d", got.Version, got.Status, tk.Version+1)
	}
	if moves := e.count("SELECT count(*) FROM events WHERE task_id = ? AND kind = 'task.moved'", tk.ID); moves != 1 {
		t.Errorf("%d move events, want 1", moves)
	}
}

// TestIdempotentAnswerLost: the server committed the command but stopped
// before it could keep the answer. A retry must not run it again; it is
// told that the request was received, and the key is swept after a day.
func TestIdempotentAnswerLost(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	const key = "answer-lost"
	body := map[string]any{"title": "Committed, never answered"}
	e.createdWithKey(e.w.Dev, key, body)
	e.db.Exec("UPDATE idempotency_keys SET status = NULL, body = NULL")

	started := time.Now()
	retry := e.createWithKey(e.w.Dev, key, body)
	if retry.conflict(t) != "request_pending" {
		t.Fatalf("retry after a lost answer: %d %s, want 409", retry.status, retry.body)
	}
	if waited := time.Since(started); waited < 2*time.Second {
		t.Errorf("answered after %v: it should wait for the first answer a while", waited)
	}
	if n := e.countTasks("Committed, never answered"); n != 1 {
		t.Errorf("%d cards, want 1", n)
	}

	e.clock.Advance(25 * time.Hour)
	if err := e.store.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	if left := e.count("SELECT count(*) FROM idempotency_keys"); left != 0 {
		t.Errorf("%d keys left a day later", left)
	}
}
