package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/doska/doska/models"
)

type boardBody struct {
	Project models.Project `json:"project"`
	Seq     int64          `json:"seq"`
	Tasks   []models.Task  `json:"tasks"`
}

func (e *env) board(u models.User, header map[string]string) (boardBody, response) {
	e.t.Helper()
	body, res := e.boardJSON(u, header)
	var b boardBody
	if err := json.Unmarshal(body, &b); err != nil {
		e.t.Fatalf("board JSON: %v", err)
	}
	return b, res
}

// boardJSON reads project A's board as u, uncompressed.
func (e *env) boardJSON(u models.User, header map[string]string) ([]byte, response) {
	e.t.Helper()
	res := e.do(req{method: "GET", path: fmt.Sprintf("/api/projects/%d/board", e.w.ProjectA.ID), token: e.token(u), header: header})
	if res.status != 200 {
		e.t.Fatalf("board: %d %s", res.status, res.body)
	}
	body := res.body
	if res.header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			e.t.Fatal(err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			e.t.Fatal(err)
		}
	}
	return body, res
}

func find(b boardBody, id int64) models.Task {
	for _, t := range b.Tasks {
		if t.ID == id {
			return t
		}
	}
	return models.Task{}
}

// TestBoardSnapshots checks that the snapshot cache never mixes audiences
// and never serves a board older than the last change.
func TestBoardSnapshots(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	staff, _ := e.board(e.w.Manager, nil)
	tk := find(staff, e.w.TaskA.ID)
	if tk.EstimateMinutes == nil || tk.CommentCount != 2 {
		t.Fatalf("staff card: estimate %v, comments %d; want 90 and 2", tk.EstimateMinutes, tk.CommentCount)
	}
	// The client asks right after, for the same board at the same number.
	client, _ := e.board(e.w.ClientA, map[string]string{"Accept-Encoding": "gzip"})
	ct := find(client, e.w.TaskA.ID)
	if ct.EstimateMinutes != nil || ct.CommentCount != 1 || ct.SprintID != nil {
		t.Errorf("client card: estimate %v, comments %d, sprint %v; want none, 1 (public only), none", ct.EstimateMinutes, ct.CommentCount, ct.SprintID)
	}
	if client.Seq != staff.Seq {
		t.Errorf("same moment, different numbers: %d and %d", client.Seq, staff.Seq)
	}
	again, res := e.board(e.w.Dev, map[string]string{"Accept-Encoding": "gzip"})
	if res.header.Get("Content-Encoding") != "gzip" || find(again, e.w.TaskA.ID).EstimateMinutes == nil {
		t.Errorf("gzip answer: %v", res.header)
	}
	move := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: e.token(e.w.Dev), body: map[string]any{"version": tk.Version, "status": "in_progress"}})
	if move.status != 200 {
		t.Fatalf("move: %d %s", move.status, move.body)
	}
	after, _ := e.board(e.w.Manager, nil)
	if after.Seq <= staff.Seq || find(after, tk.ID).Status != models.StatusInProgress {
		t.Errorf("after a move the board must show it: seq %d → %d, status %s", staff.Seq, after.Seq, find(after, tk.ID).Status)
	}
	// A client's rename appends no board event; the snapshot follows anyway.
	e.do(req{method: "PATCH", path: fmt.Sprintf("/api/clients/%d", e.w.A.ID), token: e.token(e.w.Manager), body: map[string]string{"name": "Acme Renamed"}})
	if renamed, _ := e.board(e.w.Manager, nil); renamed.Project.ClientName != "Acme Renamed" {
		t.Errorf("board shows client %q after the rename", renamed.Project.ClientName)
	}
}

// TestConflictSaysWhy: a refused change names its reason as a code, the
// archived card's rather than the version's when archiving bumped both,
// and a restore of a card someone restored first says so.
func TestConflictSaysWhy(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk, pm := e.w.TaskA, e.token(e.w.Manager)
	path := fmt.Sprintf("/api/tasks/%d", tk.ID)
	if r := e.do(req{method: "POST", path: path + "/archive", token: pm, body: map[string]any{"version": tk.Version}}); r.status != 200 {
		t.Fatalf("archive: %d %s", r.status, r.body)
	}
	edit := e.do(req{method: "PATCH", path: path, token: e.token(e.w.Dev), body: map[string]any{"version": tk.Version, "title": "Mine"}})
	if edit.conflict(t) != "task_archived" || !strings.Contains(string(edit.body), `"current":{`) {
		t.Errorf("edit of a card archived meanwhile: %d %s", edit.status, edit.body)
	}
	if r := e.do(req{method: "POST", path: path + "/restore", token: pm, body: map[string]any{"version": tk.Version + 1}}); r.status != 200 {
		t.Fatalf("restore: %d %s", r.status, r.body)
	}
	again := e.do(req{method: "POST", path: path + "/restore", token: pm, body: map[string]any{"version": tk.Version + 1}})
	if again.conflict(t) != "task_not_archived" {
		t.Errorf("second restore: %d %s", again.status, again.body)
	}
}

func TestConflictCarriesTheCurrentCard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk := e.w.TaskA
	first := e.do(req{method: "PATCH", path: fmt.Sprintf("/api/tasks/%d", tk.ID), token: e.token(e.w.Dev),
		body: map[string]any{"version": tk.Version, "description": "Use the **new** logo"}})
	if first.status != 200 {
		t.Fatalf("first edit: %d %s", first.status, first.body)
	}
	stale := e.do(req{method: "PATCH", path: fmt.Sprintf("/api/tasks/%d", tk.ID), token: e.token(e.w.Manager),
		body: map[string]any{"version": tk.Version, "title": "Mine"}})
	var body struct {
		Current struct {
			Version         int64  `json:"version"`
			Title           string `json:"title"`
			Description     string `json:"description"`
			DescriptionHTML string `json:"description_html"`
		} `json:"current"`
	}
	stale.json(t, &body)
	if stale.conflict(t) != "task_stale" || body.Current.Version != tk.Version+1 || body.Current.Description != "Use the **new** logo" ||
		body.Current.DescriptionHTML != "<p>Use the <strong>new</strong> logo</p>\n" || body.Current.Title != tk.Title {
		t.Errorf("conflict: %d %s", stale.status, stale.body)
	}
}

func TestTeamBoardFollowsChangesAndScope(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	team := func(u models.User) (tb struct {
		Seqs  map[string]int64 `json:"seqs"`
		Tasks []models.Task    `json:"tasks"`
	}) {
		t.Helper()
		res := e.do(req{method: "GET", path: "/api/team-board", token: e.token(u)})
		if res.status != 200 {
			t.Fatalf("team board: %d %s", res.status, res.body)
		}
		res.json(t, &tb)
		return tb
	}
	mgr := team(e.w.Manager)
	dev := team(e.w.Dev)
	if len(mgr.Seqs) != 2 || len(dev.Seqs) != 1 {
		t.Fatalf("projects on the team board: manager %v, developer %v", mgr.Seqs, dev.Seqs)
	}
	for _, tk := range dev.Tasks {
		if tk.ProjectID != e.w.ProjectA.ID {
			t.Errorf("developer of A sees card %d of project %d", tk.ID, tk.ProjectID)
		}
	}
	tk := e.w.TaskA
	e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: e.token(e.w.Dev), body: map[string]any{"version": tk.Version, "status": "done"}})
	for _, c := range team(e.w.Manager).Tasks {
		if c.ID == tk.ID && c.Status != models.StatusDone {
			t.Errorf("team board still shows %s after the move", c.Status)
		}
	}
}

// TestTeamBoardTellsCapacity: the team board says each person's weekly
// capacity (the app hides people who take no work and have no cards), and
// a changed capacity is not hidden behind the cached snapshot.
func TestTeamBoardTellsCapacity(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pm := e.token(e.w.Manager)
	capacity := func() int {
		t.Helper()
		var tb struct {
			People []struct {
				ID       int64 `json:"id"`
				Capacity *int  `json:"weekly_capacity_minutes"`
			} `json:"people"`
		}
		e.do(req{method: "GET", path: "/api/team-board", token: pm}).json(t, &tb)
		for _, p := range tb.People {
			if p.ID == e.w.Admin.ID && p.Capacity != nil {
				return *p.Capacity
			}
		}
		t.Fatalf("no capacity for the admin on the team board")
		return 0
	}
	for _, minutes := range []int{0, 600} {
		res := e.do(req{method: "PUT", path: fmt.Sprintf("/api/users/%d/capacity", e.w.Admin.ID), token: pm, body: map[string]int{"minutes": minutes}})
		if res.status != 200 {
			t.Fatalf("set capacity: %d %s", res.status, res.body)
		}
		if got := capacity(); got != minutes {
			t.Errorf("team board capacity %d, want %d", got, minutes)
		}
	}
}
