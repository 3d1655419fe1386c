package api_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
)

func (e *env) card(id int64) models.Task {
	e.t.Helper()
	res := e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/%d", id), token: e.token(e.w.Admin)})
	var t models.Task
	res.json(e.t, &t)
	return t
}

func (e *env) notes(u models.User) (int, []models.Notification) {
	e.t.Helper()
	var n struct {
		Unread int                   `json:"unread"`
		Items  []models.Notification `json:"items"`
	}
	e.do(req{method: "GET", path: "/api/notifications", token: e.token(u)}).json(e.t, &n)
	return n.Unread, n.Items
}

func hasNote(items []models.Notification, kind models.NotificationKind, task int64) bool {
	for _, n := range items {
		if n.Kind == kind && n.TaskID == task {
			return true
		}
	}
	return false
}

// TestQuestionLoop: asking the client needs a question, which the client
// is told about; the client's answer sends the card back to in progress
// by itself, records the wait and tells the assignee.
func TestQuestionLoop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dev := e.token(e.w.Dev)
	tk := e.w.TaskA
	assign := e.do(req{method: "PATCH", path: fmt.Sprintf("/api/tasks/%d", tk.ID), token: dev, body: map[string]any{"version": tk.Version, "assignee_id": e.w.Dev.ID}})
	if assign.status != 200 {
		t.Fatalf("assign: %d %s", assign.status, assign.body)
	}
	assign.json(t, &tk)
	noQuestion := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: dev, body: map[string]any{"version": tk.Version, "status": "awaiting_reply"}})
	if noQuestion.status != 422 || noQuestion.errorFields(t)["question"] == "" {
		t.Fatalf("move to awaiting reply without a question: %d %s", noQuestion.status, noQuestion.body)
	}
	asked := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: dev,
		body: map[string]any{"version": tk.Version, "status": "awaiting_reply", "question": "Should the menu stay sticky on phones?"}})
	if asked.status != 200 {
		t.Fatalf("ask: %d %s", asked.status, asked.body)
	}
	if _, items := e.notes(e.w.ClientA); !hasNote(items, models.NoteQuestion, tk.ID) {
		t.Error("the client user was not told about the question")
	}
	_, items := e.notes(e.w.ClientB)
	for _, n := range items {
		if n.ProjectID == e.w.ProjectA.ID {
			t.Errorf("client B got a notification about A's work: %+v", n)
		}
	}
	var comments []map[string]any
	e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/%d/comments", tk.ID), token: e.token(e.w.ClientA)}).json(t, &comments)
	if last := comments[len(comments)-1]; last["body"] != "Should the menu stay sticky on phones?" || last["internal"] != false {
		t.Errorf("the question must be a comment the client can read: %v", last)
	}

	e.clock.Advance(90 * time.Minute)
	dev = e.token(e.w.Dev) // the earlier token has expired by now
	answer := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", tk.ID), token: e.token(e.w.ClientA), body: map[string]string{"body": "Yes, sticky please."}})
	if answer.status != 201 {
		t.Fatalf("answer: %d %s", answer.status, answer.body)
	}
	if got := e.card(tk.ID); got.Status != models.StatusInProgress {
		t.Errorf("after the client's answer the card is in %s, want in_progress", got.Status)
	}
	var activity []models.Event
	e.do(req{method: "GET", path: fmt.Sprintf("/api/tasks/%d/activity", tk.ID), token: dev}).json(t, &activity)
	last := activity[len(activity)-1]
	var te models.TaskEvent
	if err := json.Unmarshal(last.Data, &te); err != nil {
		t.Fatal(err)
	}
	if last.Kind != models.EventTaskMoved || te.Reason != models.ReasonClientAnswered || te.WaitedSeconds != 90*60 {
		t.Errorf("the wait is not recorded: %s %+v", last.Kind, te)
	}
	if _, items := e.notes(e.w.Dev); !hasNote(items, models.NoteAnswered, tk.ID) {
		t.Error("the assignee was not told about the answer")
	}
}

// TestApprovalLoop walks staging → changes requested → staging → approved
// with a deploy day → deployed.
func TestApprovalLoop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dev, client := e.token(e.w.Dev), e.token(e.w.ClientA)
	tk := e.w.TaskA
	move := func(body map[string]any) response {
		body["version"] = tk.Version
		res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/move", tk.ID), token: dev, body: body})
		if res.status == 200 {
			res.json(t, &tk)
		}
		return res
	}
	if res := move(map[string]any{"status": "approval"}); res.status != 422 || res.errorFields(t)["staging_url"] == "" {
		t.Fatalf("approval without a staging URL: %d %s", res.status, res.body)
	}
	if res := move(map[string]any{"status": "approval", "staging_url": "javascript:alert(1)"}); res.status != 422 || res.errorFields(t)["staging_url"] == "" {
		t.Fatalf("approval with a javascript: URL: %d %s", res.status, res.body)
	}
	if res := move(map[string]any{"status": "approval", "staging_url": "https://staging.acme.test/menu", "check_note": "Open the menu on a phone"}); res.status != 200 {
		t.Fatalf("send for approval: %d %s", res.status, res.body)
	}
	if tk.ApprovalState != models.ApprovalPending || tk.CheckNote != "Open the menu on a phone" {
		t.Errorf("after sending: %+v", tk)
	}
	if _, items := e.notes(e.w.ClientA); !hasNote(items, models.NoteApprovalRequest, tk.ID) {
		t.Error("the client was not asked for approval")
	}
	var inbox []map[string]any
	e.do(req{method: "GET", path: "/api/approvals", token: client}).json(t, &inbox)
	if len(inbox) != 2 { // this card and the seeded ApprovalA
		t.Errorf("client inbox has %d cards, want 2", len(inbox))
	}

	noComment := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/request-changes", tk.ID), token: client, body: map[string]any{"version": tk.Version, "comment": " "}})
	if noComment.status != 422 || noComment.errorFields(t)["comment"] == "" {
		t.Fatalf("changes without a comment: %d %s", noComment.status, noComment.body)
	}
	changes := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/request-changes", tk.ID), token: client, body: map[string]any{"version": tk.Version, "comment": "The menu covers the logo."}})
	if changes.status != 200 {
		t.Fatalf("request changes: %d %s", changes.status, changes.body)
	}
	changes.json(t, &tk)
	if tk.Status != models.StatusInProgress || tk.ApprovalState != models.ApprovalChanges {
		t.Errorf("after changes requested: %s / %s", tk.Status, tk.ApprovalState)
	}
	notWaiting := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/approve", tk.ID), token: client, body: map[string]any{"version": tk.Version}})
	if notWaiting.conflict(t) != "not_awaiting_approval" {
		t.Errorf("approving a card not in approval: %d, want 409", notWaiting.status)
	}

	if res := move(map[string]any{"status": "approval"}); res.status != 200 { // the staging URL is kept
		t.Fatalf("send again: %d %s", res.status, res.body)
	}
	friday := nextWeekday(e.clock.Now(), time.Friday)
	approved := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/approve", tk.ID), token: client, body: map[string]any{"version": tk.Version, "deploy_on": friday}})
	var ap struct {
		Task    models.Task           `json:"task"`
		Warning *models.DeployWarning `json:"warning"`
	}
	approved.json(t, &ap)
	// A code and the days, for the app to name in its reader's language.
	if w := ap.Warning; approved.status != 200 || w == nil || w.Code != "outside_deploy_window" || w.Weekday != time.Friday ||
		!slices.Equal(w.Window, []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday}) {
		t.Fatalf("approve for a Friday: %d %s, want a warning naming Friday and Monday to Thursday", approved.status, approved.body)
	}
	tk = ap.Task
	if tk.ApprovalState != models.ApprovalApproved || tk.ApprovedBy == nil || *tk.ApprovedBy != e.w.ClientA.ID || tk.DeployOn.String() != friday || tk.ApprovalOnBehalf {
		t.Errorf("approval not recorded: %+v", tk)
	}
	if _, items := e.notes(e.w.Dev); !hasNote(items, models.NoteApproved, tk.ID) && tk.AssigneeID != nil {
		t.Error("the assignee was not told")
	}
	var deploys []models.Task
	e.do(req{method: "GET", path: "/api/deploys", token: dev}).json(t, &deploys)
	if len(deploys) != 2 || deploys[len(deploys)-1].ID != tk.ID && deploys[0].ID != tk.ID {
		t.Errorf("deploy list: %+v", deploys)
	}
	deployed := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/deployed", tk.ID), token: dev, body: map[string]any{"version": tk.Version}})
	if deployed.status != 200 {
		t.Fatalf("deployed: %d %s", deployed.status, deployed.body)
	}
	deployed.json(t, &tk)
	if tk.Status != models.StatusDone || tk.DeployedAt == nil {
		t.Errorf("after deploy: %s, deployed_at %v", tk.Status, tk.DeployedAt)
	}
	again := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/deployed", tk.ID), token: dev, body: map[string]any{"version": tk.Version}})
	if again.conflict(t) != "not_approved" {
		t.Errorf("deploying twice: %d, want 409", again.status)
	}
}

func TestManagerApprovesOnBehalfWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tk := e.w.ApprovalA
	pm := e.token(e.w.Manager)
	noReason := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/approve", tk.ID), token: pm, body: map[string]any{"version": tk.Version}})
	if noReason.status != 422 || noReason.errorFields(t)["reason"] == "" {
		t.Fatalf("on behalf without a reason: %d %s", noReason.status, noReason.body)
	}
	ok := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/approve", tk.ID), token: pm, body: map[string]any{"version": tk.Version, "reason": "Chris approved on the phone"}})
	var ap struct {
		Task models.Task `json:"task"`
	}
	ok.json(t, &ap)
	if ok.status != 200 || !ap.Task.ApprovalOnBehalf || ap.Task.ApprovalReason != "Chris approved on the phone" {
		t.Errorf("on behalf: %d %s", ok.status, ok.body)
	}
}

func TestClientHomeAndWaitingList(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var home struct {
		NeedsAnswer   []models.Task   `json:"needs_answer"`
		NeedsApproval []models.Task   `json:"needs_approval"`
		InProgress    []models.Task   `json:"in_progress"`
		Seqs          map[int64]int64 `json:"seqs"`
	}
	res := e.do(req{method: "GET", path: "/api/home", token: e.token(e.w.ClientA)})
	res.json(t, &home)
	if len(home.NeedsAnswer) != 1 || home.NeedsAnswer[0].ID != e.w.WaitingA.ID || len(home.NeedsApproval) != 1 || len(home.InProgress) != 1 {
		t.Errorf("client home: %s", res.body)
	}
	if _, ok := home.Seqs[e.w.ProjectA.ID]; !ok || len(home.Seqs) != 1 {
		t.Errorf("home seqs %v: want only project A", home.Seqs)
	}
	if strings.Contains(string(res.body), "CANARY-B") {
		t.Error("client A's home shows client B's work")
	}
	var waiting struct {
		Client []struct {
			ID         int64       `json:"id"`
			ClientName string      `json:"client_name"`
			Wait       models.Wait `json:"wait"`
		} `json:"client"`
	}
	e.do(req{method: "GET", path: "/api/waiting", token: e.token(e.w.Manager)}).json(t, &waiting)
	questions := 0
	for _, c := range waiting.Client {
		if c.Wait.Reason == models.WaitQuestion {
			questions++
			if c.ID != e.w.WaitingA.ID || c.ClientName != "Acme" {
				t.Errorf("waiting on the client: %+v", c)
			}
		}
	}
	if questions != 1 {
		t.Errorf("waiting on the client: %d questions, want Acme's one", questions)
	}
}

func TestNotificationsFollowVisibility(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dev := e.token(e.w.Dev)
	// Mentioning someone who cannot see the project is refused.
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", e.w.TaskA.ID), token: dev,
		body: map[string]any{"body": "@Otto please look", "mentions": []int64{e.w.OtherDev.ID}}})
	if res.status != 422 || res.errorFields(t)["mentions"] == "" {
		t.Fatalf("mention of an outsider: %d %s", res.status, res.body)
	}
	// Mentioning the client in an internal comment is refused too.
	res = e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", e.w.TaskA.ID), token: dev,
		body: map[string]any{"body": "@Alice", "internal": true, "mentions": []int64{e.w.ClientA.ID}}})
	if res.status != 422 {
		t.Fatalf("client mentioned in an internal comment: %d %s", res.status, res.body)
	}
	res = e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/comments", e.w.TaskA.ID), token: dev,
		body: map[string]any{"body": "@Alice could you check?", "mentions": []int64{e.w.ClientA.ID}}})
	if res.status != 201 {
		t.Fatalf("mention: %d %s", res.status, res.body)
	}
	var posted models.Comment
	if err := json.Unmarshal(res.body, &posted); err != nil || !slices.Equal(posted.Mentions, models.IDs{e.w.ClientA.ID}) ||
		posted.AuthorName != e.w.Dev.Name || posted.Body != "@Alice could you check?" || posted.ID == 0 {
		t.Errorf("the comment as answered: %s (%v)", res.body, err)
	}
	unread, items := e.notes(e.w.ClientA)
	if !hasNote(items, models.NoteMentioned, e.w.TaskA.ID) || unread != len(items) {
		t.Errorf("client A's notifications: unread %d, %+v", unread, items)
	}
	if r := e.do(req{method: "POST", path: "/api/notifications/read", token: e.token(e.w.ClientA), body: map[string]any{}}); r.status != 204 {
		t.Fatalf("mark read: %d", r.status)
	}
	if unread, _ := e.notes(e.w.ClientA); unread != 0 {
		t.Errorf("unread after marking all read: %d", unread)
	}
	// A developer removed from the project no longer sees its notifications.
	e.do(req{method: "PATCH", path: fmt.Sprintf("/api/tasks/%d", e.w.TaskA.ID), token: e.token(e.w.Manager),
		body: map[string]any{"version": e.card(e.w.TaskA.ID).Version, "assignee_id": e.w.Dev.ID}})
	if _, items := e.notes(e.w.Dev); !hasNote(items, models.NoteAssigned, e.w.TaskA.ID) {
		t.Fatal("the new assignee was not told")
	}
	e.do(req{method: "PUT", path: fmt.Sprintf("/api/projects/%d/members", e.w.ProjectA.ID), token: e.token(e.w.Manager), body: map[string]any{"user_ids": []int64{}}})
	if _, items := e.notes(e.w.Dev); len(items) != 0 {
		t.Errorf("notifications about a project the user left: %+v", items)
	}
}

func TestDeployWindowSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.w.Admin)
	bad := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"deploy_days": []int{1, 1}}})
	if bad.status != 422 || bad.errorFields(t)["deploy_days"] == "" {
		t.Fatalf("repeated days: %d %s", bad.status, bad.body)
	}
	ok := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"deploy_days": []int{1, 2, 3, 4, 5}}})
	if ok.status != 200 {
		t.Fatalf("settings: %d %s", ok.status, ok.body)
	}
	tk := e.w.ApprovalA
	friday := nextWeekday(e.clock.Now(), time.Friday)
	res := e.do(req{method: "POST", path: fmt.Sprintf("/api/tasks/%d/approve", tk.ID), token: e.token(e.w.ClientA), body: map[string]any{"version": tk.Version, "deploy_on": friday}})
	if res.status != 200 || strings.Contains(string(res.body), "warning") {
		t.Errorf("Friday inside a Mon–Fri window: %d %s", res.status, res.body)
	}
}

func nextWeekday(from time.Time, d time.Weekday) string {
	for from = from.AddDate(0, 0, 1); from.Weekday() != d; from = from.AddDate(0, 0, 1) {
	}
	return from.Format("2006-01-02")
}

// TestStuckDaysSetting: the workshop's "stuck after N working days" takes
// 1 to 30; anything else is refused with the field's code and changes
// nothing, not even the other settings sent with it.
func TestStuckDaysSetting(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.token(e.w.Admin)
	var set struct {
		StuckDays     int `json:"stuck_days"`
		BufferPercent int `json:"buffer_percent"`
	}
	for _, n := range []any{0, 31, -2} {
		bad := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"stuck_days": n, "buffer_percent": 30}})
		var b struct {
			Error struct {
				Problems map[string]struct {
					Code string `json:"code"`
				} `json:"problems"`
			} `json:"error"`
		}
		bad.json(t, &b)
		if bad.status != 422 || b.Error.Problems["stuck_days"].Code != "stuck_days_range" {
			t.Errorf("stuck_days %v: %d %s, want 422 stuck_days_range", n, bad.status, bad.body)
		}
	}
	e.do(req{method: "GET", path: "/api/settings", token: admin}).json(t, &set)
	if set.StuckDays != models.DefaultStuckDays || set.BufferPercent == 30 {
		t.Fatalf("after refused changes: %+v", set)
	}
	if res := e.do(req{method: "PATCH", path: "/api/settings", token: admin, body: map[string]any{"stuck_days": 5}}); res.status != 200 {
		t.Fatalf("stuck_days 5: %d %s", res.status, res.body)
	}
	e.do(req{method: "GET", path: "/api/settings", token: e.token(e.w.Manager)}).json(t, &set)
	if set.StuckDays != 5 {
		t.Errorf("stuck_days after setting 5: %d", set.StuckDays)
	}
}
