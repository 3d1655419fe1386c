package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/auth"
	"github.com/doska/doska/server/dbtest"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

// principal is who calls in the permission matrix.
type principal string

const (
	anon     principal = "anonymous"
	admin    principal = "admin"
	manager  principal = "manager"
	dev      principal = "developer (member of A)"
	other    principal = "developer (member of B)"
	clientA  principal = "client user of A"
	clientB  principal = "client user of B"
	inactive principal = "deactivated user"
	expired  principal = "expired token"
)

var principals = []principal{anon, admin, manager, dev, other, clientA, clientB, inactive, expired}

// fixture is what one matrix case runs against: the World plus objects
// some routes need.
type fixture struct {
	dbtest.World
	Invitation    models.Invitation
	SprintVersion int64 // of this week's sprint, where PlannedA is
	Files         seededFiles
	SavedFilter   models.SavedFilter // the manager's
	// QuoteA and QuoteB carry quotes waiting for their clients.
	QuoteA, QuoteB models.Task
	// Statements of November: one issued and one draft per client.
	Statements statementFixture
	// PackageA and PackageB are hour packages of A and of B.
	PackageA, PackageB models.HourPackage
}

type matrixCase struct {
	route  string // "METHOD /pattern" as registered, to prove every route has rows
	path   func(f fixture) string
	body   func(f fixture) any
	public bool              // no authentication needed
	want   map[principal]int // statuses of signed-in principals not listed: 403
	count  map[principal]int // list answers: exact number of items
}

// signedIn gives the same status to every valid signed-in principal.
func signedIn(status int) map[principal]int {
	return map[principal]int{admin: status, manager: status, dev: status, other: status, clientA: status, clientB: status}
}

func staffOnly(status int) map[principal]int {
	return map[principal]int{admin: status, manager: status, dev: status, other: status}
}

func managers(status int) map[principal]int {
	return map[principal]int{admin: status, manager: status}
}

// seesA is a route on an object of client A: visible to staff who manage,
// A's developer and A's client user; B's people get 404, as if it did not
// exist.
func seesA(read, write int) map[principal]int {
	return map[principal]int{admin: write, manager: write, dev: read, clientA: read, other: 404, clientB: 404}
}

func seesB(read, write int) map[principal]int {
	return map[principal]int{admin: write, manager: write, other: read, clientB: read, dev: 404, clientA: 404}
}

func path(p string) func(fixture) string { return func(fixture) string { return p } }

func id(v int64) string { return fmt.Sprint(v) }

var matrix = []matrixCase{
	{route: "GET /healthz", path: path("/healthz"), public: true, want: signedIn(200)},
	{route: "GET /readyz", path: path("/readyz"), public: true, want: signedIn(200)},
	{route: "POST /api/auth/login", path: path("/api/auth/login"), public: true, want: signedIn(200),
		body: func(f fixture) any { return map[string]string{"email": f.ClientA.Email, "password": dbtest.Password} }},
	{route: "POST /api/auth/refresh", path: path("/api/auth/refresh"), public: true, want: signedIn(204)},
	{route: "POST /api/auth/logout", path: path("/api/auth/logout"), public: true, want: signedIn(204)},
	{route: "POST /api/invitations/lookup", path: path("/api/invitations/lookup"), public: true, want: signedIn(404),
		body: func(fixture) any { return map[string]string{"token": "no-such-token"} }},
	{route: "POST /api/invitations/accept", path: path("/api/invitations/accept"), public: true, want: signedIn(404),
		body: func(fixture) any {
			return map[string]string{"token": "no-such-token", "name": "Eve", "password": "a fine long passphrase"}
		}},

	{route: "GET /api/me", path: path("/api/me"), want: signedIn(200)},
	{route: "PATCH /api/me", path: path("/api/me"), want: signedIn(200), body: func(fixture) any { return map[string]string{"name": "New Name", "locale": "pl"} }},
	{route: "POST /api/me/password", path: path("/api/me/password"), want: signedIn(200),
		body: func(fixture) any {
			return map[string]any{"current_password": dbtest.Password, "new_password": "an entirely new passphrase"}
		}},

	{route: "GET /api/users", path: path("/api/users"), want: staffOnly(200), count: map[principal]int{admin: 7, manager: 7, dev: 6, other: 6}},
	{route: "PATCH /api/users/:id", path: func(f fixture) string { return "/api/users/" + id(f.ClientA.ID) }, want: map[principal]int{admin: 200},
		body: func(fixture) any { return map[string]string{"name": "Renamed"} }},
	{route: "GET /api/invitations", path: path("/api/invitations"), want: managers(200), count: map[principal]int{admin: 1, manager: 1}},
	{route: "POST /api/invitations", path: path("/api/invitations"), want: managers(201),
		body: func(fixture) any { return map[string]string{"email": "newdev@agency.test", "role": "developer"} }},
	{route: "DELETE /api/invitations/:id", path: func(f fixture) string { return "/api/invitations/" + id(f.Invitation.ID) }, want: managers(204)},

	{route: "GET /api/clients", path: path("/api/clients"), want: signedIn(200),
		count: map[principal]int{admin: 2, manager: 2, dev: 1, other: 1, clientA: 1, clientB: 1}},
	{route: "POST /api/clients", path: path("/api/clients"), want: managers(201), body: func(fixture) any { return map[string]string{"name": "Initech"} }},
	{route: "GET /api/clients/:id", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) }, want: seesA(200, 200)},
	{route: "GET /api/clients/:id", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) }, want: seesB(200, 200)},
	{route: "PATCH /api/clients/:id", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) }, want: seesA(403, 200),
		body: func(fixture) any { return map[string]string{"name": "Acme Ltd"} }},
	{route: "PATCH /api/clients/:id", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) }, want: seesB(403, 200),
		body: func(fixture) any { return map[string]bool{"archived": true} }},

	{route: "GET /api/projects", path: path("/api/projects"), want: signedIn(200),
		count: map[principal]int{admin: 2, manager: 2, dev: 1, other: 1, clientA: 1, clientB: 1}},
	{route: "POST /api/projects", path: path("/api/projects"), want: managers(201),
		body: func(f fixture) any { return map[string]any{"client_id": f.A.ID, "name": "Intranet"} }},
	{route: "GET /api/projects/:id", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) }, want: seesA(200, 200)},
	{route: "GET /api/projects/:id", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) }, want: seesB(200, 200)},
	{route: "PATCH /api/projects/:id", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) }, want: seesA(403, 200),
		body: func(fixture) any { return map[string]string{"description": "Changed"} }},
	{route: "PATCH /api/projects/:id", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) }, want: seesB(403, 200),
		body: func(fixture) any { return map[string]string{"name": "Renamed"} }},
	{route: "PUT /api/projects/:id/members", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) + "/members" }, want: seesA(403, 200),
		body: func(f fixture) any { return map[string][]int64{"user_ids": {f.Dev.ID, f.OtherDev.ID}} }},
	{route: "PUT /api/projects/:id/members", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) + "/members" }, want: seesB(403, 200),
		body: func(f fixture) any { return map[string][]int64{"user_ids": {}} }},

	{route: "GET /api/openapi.json", path: path("/api/openapi.json"), public: true, want: signedIn(200)},
	{route: "GET /api/ws", path: path("/api/ws"), public: true, want: signedIn(400)},
	{route: "GET /api/projects/:id/board", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) + "/board" }, want: seesA(200, 200)},
	{route: "GET /api/projects/:id/board", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) + "/board" }, want: seesB(200, 200)},
	{route: "GET /api/projects/:id/archived", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) + "/archived" }, want: seesA(200, 200),
		count: map[principal]int{admin: 1, manager: 1, dev: 1, clientA: 1}},
	{route: "POST /api/projects/:id/tasks", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) + "/tasks" }, want: seesA(201, 201),
		body: func(fixture) any { return map[string]string{"title": "The footer overlaps on phones"} }},
	{route: "POST /api/projects/:id/tasks", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) + "/tasks" }, want: seesB(201, 201),
		body: func(fixture) any { return map[string]string{"title": "Export fails"} }},
	{route: "GET /api/team-board", path: path("/api/team-board"), want: staffOnly(200)},
	{route: "GET /api/tasks/by-number/:number", path: func(f fixture) string { return "/api/tasks/by-number/" + id(f.TaskA.Number) }, want: seesA(200, 200)},
	{route: "GET /api/tasks/:id", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) }, want: seesA(200, 200)},
	{route: "GET /api/tasks/:id", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) }, want: seesB(200, 200)},
	{route: "PATCH /api/tasks/:id", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) }, want: staffOfA(),
		body: func(f fixture) any { return map[string]any{"version": f.TaskA.Version, "title": "Fix the main menu"} }},
	{route: "PATCH /api/tasks/:id", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) }, want: staffOfB(),
		body: func(f fixture) any { return map[string]any{"version": f.TaskB.Version, "priority": "urgent"} }},
	{route: "POST /api/tasks/:id/move", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/move" }, want: staffOfA(),
		body: func(f fixture) any { return map[string]any{"version": f.TaskA.Version, "status": "in_progress"} }},
	{route: "POST /api/tasks/:id/move", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/move" }, want: staffOfB(),
		body: func(f fixture) any { return map[string]any{"version": f.TaskB.Version, "status": "done"} }},
	{route: "POST /api/tasks/:id/archive", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/archive" }, want: staffOfA(),
		body: func(f fixture) any { return map[string]any{"version": f.TaskA.Version} }},
	{route: "POST /api/tasks/:id/restore", path: func(f fixture) string { return "/api/tasks/" + id(f.ArchivedA.ID) + "/restore" }, want: staffOfA(),
		body: func(f fixture) any { return map[string]any{"version": f.ArchivedA.Version} }},
	{route: "GET /api/tasks/:id/activity", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/activity" }, want: seesA(200, 200),
		count: map[principal]int{admin: 3, manager: 3, dev: 3, clientA: 2}},
	{route: "GET /api/tasks/:id/comments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/comments" }, want: seesA(200, 200),
		count: map[principal]int{admin: 2, manager: 2, dev: 2, clientA: 1}},
	{route: "GET /api/tasks/:id/comments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/comments" }, want: seesB(200, 200)},
	{route: "POST /api/tasks/:id/comments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/comments" }, want: seesA(201, 201),
		body: func(fixture) any { return map[string]string{"body": "Looks good"} }},
	{route: "POST /api/tasks/:id/comments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/comments" }, want: seesB(201, 201),
		body: func(fixture) any { return map[string]string{"body": "Any news?"} }},
	{route: "PATCH /api/comments/:id", path: func(f fixture) string { return "/api/comments/" + id(f.CommentA.ID) }, want: map[principal]int{dev: 200, clientA: 403, other: 404, clientB: 404},
		body: func(fixture) any { return map[string]string{"body": "Done on staging, see the link"} }},
	{route: "PATCH /api/comments/:id", path: func(f fixture) string { return "/api/comments/" + id(f.InternalA.ID) }, want: map[principal]int{dev: 200, clientA: 404, other: 404, clientB: 404},
		body: func(fixture) any { return map[string]string{"body": "edited"} }},
	{route: "DELETE /api/comments/:id", path: func(f fixture) string { return "/api/comments/" + id(f.CommentA.ID) }, want: map[principal]int{admin: 204, manager: 204, dev: 204, clientA: 403, other: 404, clientB: 404}},
	{route: "DELETE /api/comments/:id", path: func(f fixture) string { return "/api/comments/" + id(f.InternalA.ID) }, want: map[principal]int{admin: 204, manager: 204, dev: 204, clientA: 404, other: 404, clientB: 404}},
	{route: "DELETE /api/comments/:id", path: func(f fixture) string { return "/api/comments/" + id(f.CommentB.ID) }, want: map[principal]int{admin: 204, manager: 204, other: 204, dev: 404, clientA: 404, clientB: 403}},

	// Client delivery: only the client's own users approve or ask for
	// changes; managers may record an approval on their behalf.
	{route: "POST /api/tasks/:id/approve", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovalA.ID) + "/approve" },
		want: map[principal]int{clientA: 200, admin: 200, manager: 200, dev: 403, other: 404, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"version": f.ApprovalA.Version, "reason": "approved by phone"}
		}},
	{route: "POST /api/tasks/:id/approve", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovalB.ID) + "/approve" },
		want: map[principal]int{clientB: 200, admin: 200, manager: 200, other: 403, dev: 404, clientA: 404},
		body: func(f fixture) any {
			return map[string]any{"version": f.ApprovalB.Version, "reason": "approved by phone"}
		}},
	{route: "POST /api/tasks/:id/request-changes", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovalA.ID) + "/request-changes" },
		want: map[principal]int{clientA: 200, admin: 403, manager: 403, dev: 403, other: 404, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"version": f.ApprovalA.Version, "comment": "The logo is too small"}
		}},
	{route: "POST /api/tasks/:id/deployed", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovedA.ID) + "/deployed" }, want: staffOfA(),
		body: func(f fixture) any { return map[string]any{"version": f.ApprovedA.Version} }},
	// Quotes: managers send and override; only the client's own users
	// accept or decline.
	{route: "POST /api/tasks/:id/quote", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteA.ID) + "/quote" },
		want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(f fixture) any { return map[string]any{"version": f.QuoteA.Version, "quote_minutes": 600} }},
	{route: "POST /api/tasks/:id/quote/accept", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteA.ID) + "/quote/accept" },
		want: map[principal]int{clientA: 200, admin: 403, manager: 403, dev: 403, other: 404, clientB: 404},
		body: func(f fixture) any { return map[string]any{"version": f.QuoteA.Version} }},
	{route: "POST /api/tasks/:id/quote/accept", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteB.ID) + "/quote/accept" },
		want: map[principal]int{clientB: 200, admin: 403, manager: 403, other: 403, dev: 404, clientA: 404},
		body: func(f fixture) any { return map[string]any{"version": f.QuoteB.Version} }},
	{route: "POST /api/tasks/:id/quote/decline", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteA.ID) + "/quote/decline" },
		want: map[principal]int{clientA: 200, admin: 403, manager: 403, dev: 403, other: 404, clientB: 404},
		body: func(f fixture) any { return map[string]any{"version": f.QuoteA.Version, "comment": "Too many hours"} }},
	{route: "POST /api/tasks/:id/quote/override", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteA.ID) + "/quote/override" },
		want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(f fixture) any { return map[string]any{"version": f.QuoteA.Version, "reason": "Agreed by phone"} }},
	// Whoever sees the card reads its quote's amount (TestQuoteAmountAudience:
	// a developer's answer has no amount); another client's card is not found.
	{route: "GET /api/tasks/:id/quote/amount", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteA.ID) + "/quote/amount" },
		want: seesA(200, 200)},
	{route: "GET /api/tasks/:id/quote/amount", path: func(f fixture) string { return "/api/tasks/" + id(f.QuoteB.ID) + "/quote/amount" },
		want: seesB(200, 200)},
	{route: "GET /api/waiting", path: path("/api/waiting"), want: staffOnly(200)},
	{route: "GET /api/approvals", path: path("/api/approvals"), want: signedIn(200),
		count: map[principal]int{admin: 2, manager: 2, dev: 1, other: 1, clientA: 1, clientB: 1}},
	{route: "GET /api/deploys", path: path("/api/deploys"), want: staffOnly(200), count: map[principal]int{admin: 1, manager: 1, dev: 1, other: 0}},
	{route: "GET /api/home", path: path("/api/home"), want: signedIn(200)},
	{route: "GET /api/seqs", path: path("/api/seqs"), want: signedIn(200)},
	{route: "GET /api/notifications", path: path("/api/notifications"), want: signedIn(200)},
	{route: "POST /api/notifications/read", path: path("/api/notifications/read"), want: signedIn(204), body: func(fixture) any { return map[string]any{} }},
	{route: "GET /api/settings", path: path("/api/settings"), want: signedIn(200)},
	{route: "PATCH /api/settings", path: path("/api/settings"), want: map[principal]int{admin: 200}, body: func(fixture) any { return map[string]any{"buffer_percent": 25, "default_locale": "ja"} }},

	// Sprints: the team's plan is the agency's. Managers plan; developers
	// read it; clients see none of it.
	{route: "GET /api/sprints/:week", path: path("/api/sprints/current"), want: staffOnly(200)},
	{route: "GET /api/sprints/:week/report", path: path("/api/sprints/current/report"), want: staffOnly(200)},
	{route: "POST /api/sprints/:week/close", path: path("/api/sprints/current/close"), want: managers(200), body: func(f fixture) any { return map[string]int64{"version": f.SprintVersion} }},
	{route: "POST /api/sprints/:week/plan", path: path("/api/sprints/current/plan"), want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"task_id": f.TaskA.ID, "version": f.TaskA.Version, "assignee_id": f.Dev.ID}
		}},
	{route: "POST /api/sprints/:week/plan", path: path("/api/sprints/current/plan"), want: map[principal]int{admin: 200, manager: 200, other: 403, clientB: 403, dev: 404, clientA: 404},
		body: func(f fixture) any {
			return map[string]any{"task_id": f.TaskB.ID, "version": f.TaskB.Version, "assignee_id": nil}
		}},
	{route: "PUT /api/sprints/:week/capacity/:user", path: func(f fixture) string { return "/api/sprints/current/capacity/" + id(f.Dev.ID) }, want: managers(204),
		body: func(fixture) any { return map[string]any{"minutes": 16 * 60, "note": "holiday Thu-Fri"} }},
	{route: "POST /api/tasks/:id/unplan", path: func(f fixture) string { return "/api/tasks/" + id(f.PlannedA.ID) + "/unplan" },
		want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(f fixture) any { return map[string]any{"version": f.PlannedA.Version} }},
	{route: "PUT /api/users/:id/capacity", path: func(f fixture) string { return "/api/users/" + id(f.Dev.ID) + "/capacity" }, want: managers(200),
		body: func(fixture) any { return map[string]int{"minutes": 32 * 60} }},
	{route: "GET /api/backlog", path: path("/api/backlog"), want: staffOnly(200), count: map[principal]int{admin: 6, manager: 6, dev: 4, other: 2}},

	// Service agreements: admins set the hours, managers a client's
	// targets; a client reads its own targets and report, developers the
	// targets and clocks of their projects but no report.
	{route: "GET /api/business-hours", path: path("/api/business-hours"), want: signedIn(200)},
	{route: "PUT /api/business-hours", path: path("/api/business-hours"), want: map[principal]int{admin: 200},
		body: func(fixture) any {
			return map[string]any{"days": []int{1, 2, 3, 4, 5}, "start": "08:00", "end": "16:00", "time_zone": "Europe/Warsaw", "holidays": []string{"2026-12-24"}}
		}},
	{route: "GET /api/clients/:id/sla", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/sla" }, want: seesA(200, 200)},
	{route: "GET /api/clients/:id/sla", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/sla" }, want: seesB(200, 200)},
	{route: "PUT /api/clients/:id/sla", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/sla" }, want: seesA(403, 200),
		body: func(fixture) any {
			return map[string]any{"targets": []map[string]any{{"priority": "urgent", "first_response_minutes": 60, "resolution_minutes": 480}}}
		}},
	{route: "PUT /api/clients/:id/sla", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/sla" }, want: seesB(403, 200),
		body: func(fixture) any { return map[string]any{"targets": []map[string]any{}} }},
	{route: "GET /api/clients/:id/sla-report", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/sla-report?month=2026-11" },
		want: map[principal]int{admin: 200, manager: 200, clientA: 200, dev: 403, other: 404, clientB: 404}},
	{route: "GET /api/clients/:id/sla-report", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/sla-report?month=2026-11" },
		want: map[principal]int{admin: 200, manager: 200, clientB: 200, other: 403, dev: 404, clientA: 404}},
	// Developers never see rates unless the agency setting allows it.
	{route: "GET /api/clients/:id/rates", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/rates" },
		want: map[principal]int{admin: 200, manager: 200, clientA: 200, dev: 403, other: 404, clientB: 404}},
	{route: "GET /api/clients/:id/rates", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/rates" },
		want: map[principal]int{admin: 200, manager: 200, clientB: 200, other: 403, dev: 404, clientA: 404}},
	{route: "PUT /api/clients/:id/rates", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/rates" }, want: seesA(403, 200),
		body: func(f fixture) any {
			return map[string]any{"currency": "EUR", "hourly_rate_cents": 9000, "projects": []map[string]any{{"project_id": f.ProjectA.ID, "hourly_rate_cents": 11000}}}
		}},
	{route: "PUT /api/clients/:id/rates", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/rates" }, want: seesB(403, 200),
		body: func(fixture) any {
			return map[string]any{"currency": "USD", "hourly_rate_cents": 0, "projects": []any{}}
		}},
	// Hour packages: the client's own people and the staff who see the
	// client read the balance (developers without amounts, checked in
	// packages_test.go); managers and admins add and change packages.
	{route: "GET /api/clients/:id/packages", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/packages" }, want: seesA(200, 200)},
	{route: "GET /api/clients/:id/packages", path: func(f fixture) string {
		return "/api/clients/" + id(f.B.ID) + "/packages?from=2026-11-01&to=2026-11-30"
	}, want: seesB(200, 200)},
	{route: "POST /api/clients/:id/packages", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/packages" }, want: seesA(403, 201),
		body: func(fixture) any { return map[string]any{"kind": "block", "minutes": 600, "starts_on": "2026-11-01"} }},
	{route: "POST /api/clients/:id/packages", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/packages" }, want: seesB(403, 201),
		body: func(fixture) any {
			return map[string]any{"kind": "retainer", "minutes": 1200, "rollover": true, "starts_on": "2026-11-01"}
		}},
	{route: "PUT /api/packages/:id", path: func(f fixture) string { return "/api/packages/" + id(f.PackageA.ID) }, want: seesA(403, 200),
		body: func(fixture) any {
			return map[string]any{"kind": "block", "minutes": 600, "starts_on": "2026-11-01", "ends_on": "2026-11-30"}
		}},
	{route: "PUT /api/packages/:id", path: func(f fixture) string { return "/api/packages/" + id(f.PackageB.ID) }, want: seesB(403, 200),
		body: func(fixture) any { return map[string]any{"kind": "block", "minutes": 60, "starts_on": "2026-10-01"} }},
	{route: "GET /api/projects/:id/sla", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectA.ID) + "/sla" }, want: seesA(200, 200)},
	{route: "GET /api/projects/:id/sla", path: func(f fixture) string { return "/api/projects/" + id(f.ProjectB.ID) + "/sla" }, want: seesB(200, 200)},

	// Time: staff log their own; managers change anyone's; clients have
	// no timer (their time entries and the agency's are not theirs to see).
	{route: "GET /api/timer", path: path("/api/timer"), want: staffOnly(200)},
	{route: "POST /api/timer", path: path("/api/timer"), want: map[principal]int{admin: 200, manager: 200, dev: 200, other: 404},
		body: func(f fixture) any { return map[string]int64{"task_id": f.TaskA.ID} }},
	{route: "POST /api/timer", path: path("/api/timer"), want: map[principal]int{admin: 200, manager: 200, other: 200, dev: 404},
		body: func(f fixture) any { return map[string]int64{"task_id": f.TaskB.ID} }},
	{route: "POST /api/timer/stop", path: path("/api/timer/stop"), want: staffOnly(200), body: func(fixture) any { return map[string]any{} }},
	{route: "GET /api/timesheet", path: path("/api/timesheet?week=2026-W45"), want: staffOnly(200)},
	{route: "GET /api/timesheet", path: func(f fixture) string { return "/api/timesheet?week=2026-W45&user_id=" + id(f.Dev.ID) }, want: map[principal]int{admin: 200, manager: 200, dev: 200}},
	// Time reports: managers read everyone's time, a developer their own.
	{route: "GET /api/reports/time", path: path("/api/reports/time?from=2026-11-01&to=2026-11-30&group=person"), want: staffOnly(200)},
	{route: "GET /api/reports/time", path: func(f fixture) string { return "/api/reports/time?user_id=" + id(f.Dev.ID) }, want: map[principal]int{admin: 200, manager: 200, dev: 200}},
	{route: "GET /api/reports/time.csv", path: path("/api/reports/time.csv?group=client"), want: staffOnly(200)},
	{route: "GET /api/reports/time.csv", path: func(f fixture) string { return "/api/reports/time.csv?user_id=" + id(f.Dev.ID) }, want: map[principal]int{admin: 200, manager: 200, dev: 200}},
	{route: "GET /api/tasks/:id/time", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/time" }, want: staffOfA()},
	{route: "GET /api/tasks/:id/time", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/time" }, want: staffOfB()},
	{route: "POST /api/tasks/:id/time", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/time" },
		want: map[principal]int{admin: 201, manager: 201, dev: 201, clientA: 403, other: 404, clientB: 404},
		body: func(fixture) any {
			return map[string]any{"started_at": "2026-11-03T10:00:00Z", "minutes": 30, "note": "Review"}
		}},
	{route: "PATCH /api/time-entries/:id", path: func(f fixture) string { return "/api/time-entries/" + id(f.EntryA.ID) }, want: staffOfA(),
		body: func(fixture) any { return map[string]any{"minutes": 50} }},
	{route: "PATCH /api/time-entries/:id", path: func(f fixture) string { return "/api/time-entries/" + id(f.EntryPM.ID) },
		want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(fixture) any { return map[string]any{"note": "Call with Acme about the menu"} }},
	{route: "PATCH /api/time-entries/:id", path: func(f fixture) string { return "/api/time-entries/" + id(f.EntryB.ID) }, want: staffOfB(),
		body: func(fixture) any { return map[string]any{"billable": false} }},
	{route: "DELETE /api/time-entries/:id", path: func(f fixture) string { return "/api/time-entries/" + id(f.EntryA.ID) },
		want: map[principal]int{admin: 204, manager: 204, dev: 204, clientA: 403, other: 404, clientB: 404}},
	{route: "DELETE /api/time-entries/:id", path: func(f fixture) string { return "/api/time-entries/" + id(f.EntryPM.ID) },
		want: map[principal]int{admin: 204, manager: 204, dev: 403, clientA: 403, other: 404, clientB: 404}},
	// Workshops: managers run them; developers read those of clients whose
	// projects they are on; a client user reads their company's published
	// summaries (nothing internal: the INTERNAL-ONLY canary) and, of a coming
	// workshop, only the points they proposed.
	{route: "GET /api/workshops", path: path("/api/workshops"), want: signedIn(200),
		count: map[principal]int{admin: 3, manager: 3, dev: 2, other: 1, clientA: 2, clientB: 1}},
	{route: "POST /api/workshops", path: path("/api/workshops"), want: seesA(403, 201),
		body: func(f fixture) any {
			return map[string]any{"client_id": f.A.ID, "starts_at": time.Now().Add(time.Hour)}
		}},
	{route: "GET /api/workshops/:id", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopA.ID) }, want: seesA(200, 200)},
	{route: "GET /api/workshops/:id", path: func(f fixture) string { return "/api/workshops/" + id(f.PublishedA.ID) }, want: seesA(200, 200)},
	{route: "GET /api/workshops/:id", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopB.ID) }, want: seesB(200, 200)},
	{route: "PATCH /api/workshops/:id", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopA.ID) }, want: seesA(403, 200),
		body: func(f fixture) any {
			return map[string]any{"version": f.WorkshopA.Version, "notes": "Disk was full on Tuesday"}
		}},
	{route: "PATCH /api/workshops/:id", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopB.ID) }, want: seesB(403, 200),
		body: func(f fixture) any { return map[string]any{"version": f.WorkshopB.Version, "state": "held"} }},
	{route: "POST /api/workshops/:id/refresh", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopA.ID) + "/refresh" },
		want: seesA(403, 200), body: func(f fixture) any { return map[string]any{"version": f.WorkshopA.Version} }},
	{route: "POST /api/workshops/:id/proposals", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopA.ID) + "/proposals" },
		want: map[principal]int{clientA: 201, admin: 403, manager: 403, dev: 403, other: 404, clientB: 404},
		body: func(fixture) any { return map[string]string{"title": "A new landing page"} }},
	{route: "POST /api/workshops/:id/cards", path: func(f fixture) string { return "/api/workshops/" + id(f.WorkshopA.ID) + "/cards" },
		want: seesA(403, 201), body: func(f fixture) any {
			return map[string]any{"lines": []map[string]any{{"line": "Add a cookie banner", "project_id": f.ProjectA.ID, "plan": "backlog"}}}
		}},
	{route: "GET /api/tasks/:id/workshop", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/workshop" }, want: signedIn(404)},
	// Search answers everyone signed in, each within their scope: the
	// CANARY-B check below proves nothing of B reaches A's people.
	{route: "GET /api/search", path: path("/api/search?q=canary"), want: signedIn(200)},
	{route: "GET /api/search", path: func(f fixture) string { return "/api/search?q=%23" + id(f.TaskB.Number) }, want: seesB(200, 200)},
	// Saved filters are each person's own: only the manager sees or
	// deletes the manager's.
	{route: "GET /api/saved-filters", path: path("/api/saved-filters"), want: signedIn(200),
		count: map[principal]int{admin: 0, manager: 1, dev: 0, other: 0, clientA: 0, clientB: 0}},
	{route: "POST /api/saved-filters", path: path("/api/saved-filters"), want: signedIn(201),
		body: func(fixture) any {
			return map[string]string{"name": "Urgent bugs", "url": "/search?q=bug&priority=urgent"}
		}},
	{route: "DELETE /api/saved-filters/:id", path: func(f fixture) string { return "/api/saved-filters/" + id(f.SavedFilter.ID) },
		want: map[principal]int{manager: 204, admin: 404, dev: 404, other: 404, clientA: 404, clientB: 404}},
	{route: "PATCH /api/saved-filters/:id", path: func(f fixture) string { return "/api/saved-filters/" + id(f.SavedFilter.ID) },
		body: func(fixture) any { return map[string]string{"name": "Renamed"} },
		want: map[principal]int{manager: 200, admin: 404, dev: 404, other: 404, clientA: 404, clientB: 404}},
	// Client requests: a client files on their company's projects (staff
	// use the board); PMs triage and escalate; staff read the overview.
	{route: "POST /api/requests", path: path("/api/requests"), want: map[principal]int{clientA: 201, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"project_id": f.ProjectA.ID, "kind": "critical_bug", "title": "Checkout is down", "confirmed": true}
		}},
	{route: "POST /api/requests", path: path("/api/requests"), want: map[principal]int{clientB: 201, clientA: 404},
		body: func(f fixture) any {
			return map[string]any{"project_id": f.ProjectB.ID, "kind": "question", "title": "How do I export?"}
		}},
	{route: "GET /api/triage", path: path("/api/triage"), want: managers(200), count: map[principal]int{admin: 0, manager: 0}},
	{route: "POST /api/tasks/:id/escalate", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/escalate" },
		want: map[principal]int{admin: 200, manager: 200, dev: 403, clientA: 403, other: 404, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"version": f.TaskA.Version, "assignee_id": f.Dev.ID, "reason": "Needs the payment code"}
		}},
	{route: "POST /api/tasks/:id/escalate", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/escalate" },
		want: map[principal]int{admin: 200, manager: 200, other: 403, clientB: 403, dev: 404, clientA: 404},
		body: func(f fixture) any {
			return map[string]any{"version": f.TaskB.Version, "assignee_id": f.OtherDev.ID, "reason": "Needs the export code"}
		}},
	{route: "GET /api/clients/:id/overview", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/overview" },
		want: map[principal]int{admin: 200, manager: 200, dev: 200, other: 404}},
	{route: "GET /api/clients/:id/overview", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/overview" },
		want: map[principal]int{admin: 200, manager: 200, other: 200, dev: 404}},
	// Mail: reset and unsubscribe need no session (the mail's token is the
	// credential); the Sent mail page is the admins'.
	{route: "POST /api/auth/forgot", path: path("/api/auth/forgot"), public: true, want: signedIn(202),
		body: func(f fixture) any { return map[string]string{"email": f.ClientA.Email} }},
	{route: "POST /api/auth/reset", path: path("/api/auth/reset"), public: true, want: signedIn(410),
		body: func(fixture) any {
			return map[string]string{"token": "no-such-token", "password": "a fine long passphrase"}
		}},
	{route: "POST /api/mail/unsubscribe/:token", path: func(f fixture) string {
		return "/api/mail/unsubscribe/" + testComposer.UnsubscribeToken(f.ClientA.ID, mail.Question)
	}, public: true, want: signedIn(204)},
	{route: "POST /api/mail/unsubscribe/:token", path: path("/api/mail/unsubscribe/1-question-0000"), public: true, want: signedIn(404)},
	{route: "GET /api/mail", path: path("/api/mail"), want: map[principal]int{admin: 200}},
	{route: "GET /api/me/mail", path: path("/api/me/mail"), want: signedIn(200)},
	{route: "PUT /api/me/mail", path: path("/api/me/mail"), want: signedIn(200),
		body: func(fixture) any {
			return map[string]any{"digest_hour": 7, "modes": map[string]string{"mentioned": "digest"}}
		}},
}

func init() { matrix = append(matrix, attachmentRows...) }

// staffOfA is a staff-only change to an object of client A: its client user
// may look but not touch; B's people do not see it at all.
func staffOfA() map[principal]int {
	return map[principal]int{admin: 200, manager: 200, dev: 200, clientA: 403, other: 404, clientB: 404}
}

func staffOfB() map[principal]int {
	return map[principal]int{admin: 200, manager: 200, other: 200, clientB: 403, dev: 404, clientA: 404}
}

// TestPermissionMatrix calls every route as every principal, on client A's
// and client B's objects, and checks the exact status, the number of listed
// items, that nothing of client B reaches client A's people, and that a
// refused request changed nothing. Refused calls and reads share one
// database per route (the snapshot proves they change nothing); each
// accepted write gets a database of its own.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	for _, mc := range matrix {
		method, _, _ := strings.Cut(mc.route, " ")
		var shared, alone []principal
		for _, p := range principals {
			if method == http.MethodGet || mc.status(p) >= 400 {
				shared = append(shared, p)
			} else {
				alone = append(alone, p)
			}
		}
		var groups [][]principal
		if len(shared) > 0 {
			groups = append(groups, shared)
		}
		for _, p := range alone {
			groups = append(groups, []principal{p})
		}
		for _, group := range groups {
			t.Run(mc.route+"/"+string(group[0]), func(t *testing.T) {
				t.Parallel()
				e := newEnv(t)
				f := fixture{World: e.w}
				var err error
				f.Invitation, err = e.store.CreateInvitation(context.Background(), e.w.Admin.Actor(),
					store.NewInvitation{Email: "pending@agency.test", Role: models.RoleDeveloper}, auth.HashToken("pending-token"))
				if err != nil {
					t.Fatal(err)
				}
				if err := e.db.Raw("SELECT version FROM sprints WHERE id = ?", *e.w.PlannedA.SprintID).Row().Scan(&f.SprintVersion); err != nil {
					t.Fatal(err)
				}
				f.Files = e.seedFiles()
				f.SavedFilter, err = e.store.SaveFilter(context.Background(), e.w.Manager.Actor(), models.SavedFilter{Name: "Mine", URL: "/search?q=menu"})
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(mc.route, "/quote") { // more cards would change the lists' counts
					f.QuoteA, f.QuoteB = e.quoted(e.w.ProjectA), e.quoted(e.w.ProjectB)
				}
				if strings.Contains(mc.route, "statements") { // issuing locks the entries other rows edit
					f.Statements = e.statements()
				}
				if strings.Contains(mc.route, "packages") {
					f.PackageA, f.PackageB = e.hourPackage(e.w.A.ID), e.hourPackage(e.w.B.ID)
				}
				for _, p := range group {
					e.checkMatrixCase(t, mc, method, f, p)
				}
			})
		}
	}
}

// status is the answer the case expects for p.
func (mc matrixCase) status(p principal) int {
	want, ok := mc.want[p]
	switch {
	case p == anon || p == inactive || p == expired:
		if mc.public {
			return mc.want[admin]
		}
		return 401
	case !ok || want == 0:
		return 403
	}
	return want
}

func (e *env) checkMatrixCase(t *testing.T, mc matrixCase, method string, f fixture, p principal) {
	t.Helper()
	want := mc.status(p)
	r := req{method: method, path: mc.path(f), token: e.principalToken(p)}
	if mc.body != nil {
		r.body = mc.body(f)
	}
	var before string
	if want >= 400 {
		before = e.snapshot()
	}
	res := e.do(r)
	if res.status != want {
		t.Fatalf("%s %s as %s: status %d, want %d; body %s", method, r.path, p, res.status, want, res.body)
	}
	checkAnswer(t, method, strings.TrimPrefix(mc.route, method+" "), res)
	if res.status >= 400 {
		if after := e.snapshot(); after != before {
			t.Errorf("%s: refused request changed the database", p)
		}
		res.errorFields(t)
	}
	if n, ok := mc.count[p]; ok {
		var items []map[string]any
		res.json(t, &items)
		if len(items) != n {
			t.Errorf("%s: listed %d items, want %d: %s", p, len(items), n, res.body)
		}
	}
	if (p == dev || p == clientA) && strings.Contains(string(res.body), "CANARY-B") {
		t.Errorf("client B's data reached %s: %s", p, res.body)
	}
	if (p == clientA || p == clientB) && (strings.Contains(string(res.body), "INTERNAL-ONLY") || strings.Contains(string(res.body), "estimate_minutes\":9")) {
		t.Errorf("staff-only data reached %s: %s", p, res.body)
	}
}

// principalToken returns a bearer token for p, or "" for anonymous.
func (e *env) principalToken(p principal) string {
	e.t.Helper()
	users := map[principal]models.User{admin: e.w.Admin, manager: e.w.Manager, dev: e.w.Dev, other: e.w.OtherDev, clientA: e.w.ClientA, clientB: e.w.ClientB}
	switch p {
	case anon:
		return ""
	case inactive:
		// A token issued before the deactivation, still unexpired.
		u := e.w.Inactive
		u.SessionVersion = 1
		return e.token(u)
	case expired:
		past := &clock{t: e.clock.Now().Add(-auth.AccessTTL - time.Minute)}
		old, err := auth.NewTokens([]byte("0123456789abcdef0123456789abcdef-test-key"), past.Now)
		if err != nil {
			e.t.Fatal(err)
		}
		tok, _, err := old.Issue(e.w.Admin)
		if err != nil {
			e.t.Fatal(err)
		}
		return tok
	}
	return e.token(users[p])
}

// TestMatrixCoversEveryRoute fails when a route is added without rows.
func TestMatrixCoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	covered := map[string]bool{}
	for _, mc := range matrix {
		covered[mc.route] = true
	}
	for _, r := range e.echo.Routes() {
		key := r.Method + " " + r.Path
		if strings.HasSuffix(r.Path, "/*") || r.Method == "echo_route_not_found" {
			continue // the SPA and the JSON 404 catch-all
		}
		if !covered[key] {
			t.Errorf("route %s has no rows in the permission matrix", key)
		}
	}
}
