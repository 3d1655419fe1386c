package api_test

import (
	"context"
	"time"

	"github.com/doska/doska/models"
)

type statementFixture struct {
	IssuedA, DraftA, IssuedB, DraftB models.Statement
}

// statements issues this month's statement of each client and opens a
// draft of the next month next to it.
func (e *env) statements() statementFixture {
	e.t.Helper()
	ctx, pm := context.Background(), e.w.Manager.Actor()
	// This month holds the World's time entries; the next one none.
	now := e.clock.Now()
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	nov, novEnd := models.Date{Time: first}, models.Date{Time: first.AddDate(0, 1, -1)}
	dec, decEnd := models.Date{Time: first.AddDate(0, 1, 0)}, models.Date{Time: first.AddDate(0, 2, -1)}
	make := func(clientID int64) (issued, draft models.Statement) {
		s, err := e.store.CreateStatement(ctx, pm, clientID, nov, novEnd)
		if err == nil {
			issued, err = e.store.IssueStatement(ctx, pm, s.ID)
		}
		if err == nil {
			draft, err = e.store.CreateStatement(ctx, pm, clientID, dec, decEnd)
		}
		if err != nil {
			e.t.Fatal(err)
		}
		return issued, draft
	}
	var f statementFixture
	f.IssuedA, f.DraftA = make(e.w.A.ID)
	f.IssuedB, f.DraftB = make(e.w.B.ID)
	return f
}

// draftOfA is a route on client A's draft statement: staff who see A read
// it, only managers change it, and no client sees it at all.
func draftOfA(read, write int) map[principal]int {
	return map[principal]int{admin: write, manager: write, dev: read, clientA: 404, other: 404, clientB: 404}
}

func draftOfB(read, write int) map[principal]int {
	return map[principal]int{admin: write, manager: write, other: read, clientB: 404, dev: 404, clientA: 404}
}

func statementPath(pick func(statementFixture) models.Statement, tail string) func(fixture) string {
	return func(f fixture) string { return "/api/statements/" + id(pick(f.Statements).ID) + tail }
}

var (
	issuedA = func(s statementFixture) models.Statement { return s.IssuedA }
	issuedB = func(s statementFixture) models.Statement { return s.IssuedB }
	draftA  = func(s statementFixture) models.Statement { return s.DraftA }
	draftB  = func(s statementFixture) models.Statement { return s.DraftB }
)

// statementRows: a client reads its own company's issued statements only,
// never a draft; developers read them without amounts (the statement
// tests check the amounts); managers draft and issue.
var statementRows = []matrixCase{
	{route: "GET /api/clients/:id/statements", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/statements" },
		want: seesA(200, 200), count: map[principal]int{admin: 2, manager: 2, dev: 2, clientA: 1}},
	{route: "GET /api/clients/:id/statements", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/statements" },
		want: seesB(200, 200), count: map[principal]int{admin: 2, manager: 2, other: 2, clientB: 1}},
	{route: "POST /api/clients/:id/statements", path: func(f fixture) string { return "/api/clients/" + id(f.A.ID) + "/statements" },
		want: seesA(403, 201), body: func(fixture) any { return map[string]string{"from": "2026-10-01", "to": "2026-10-31"} }},
	{route: "POST /api/clients/:id/statements", path: func(f fixture) string { return "/api/clients/" + id(f.B.ID) + "/statements" },
		want: seesB(403, 201), body: func(fixture) any { return map[string]string{} }},
	{route: "GET /api/statements/:id", path: statementPath(issuedA, ""), want: seesA(200, 200)},
	{route: "GET /api/statements/:id", path: statementPath(issuedB, ""), want: seesB(200, 200)},
	{route: "GET /api/statements/:id", path: statementPath(draftA, ""), want: draftOfA(200, 200)},
	{route: "GET /api/statements/:id", path: statementPath(draftB, ""), want: draftOfB(200, 200)},
	{route: "GET /api/statements/:id/csv", path: statementPath(issuedA, "/csv"), want: seesA(200, 200)},
	{route: "GET /api/statements/:id/csv", path: statementPath(issuedB, "/csv"), want: seesB(200, 200)},
	{route: "GET /api/statements/:id/csv", path: statementPath(draftA, "/csv"), want: draftOfA(200, 200)},
	{route: "PUT /api/statements/:id/notes/:entry", path: func(f fixture) string {
		return "/api/statements/" + id(f.Statements.DraftA.ID) + "/notes/" + id(f.EntryA.ID)
	}, want: draftOfA(403, 422), body: func(fixture) any { return map[string]string{"note": "Menu work"} }},
	{route: "PUT /api/statements/:id/notes/:entry", path: func(f fixture) string {
		return "/api/statements/" + id(f.Statements.IssuedA.ID) + "/notes/" + id(f.EntryA.ID)
	}, want: seesA(403, 409), body: func(fixture) any { return map[string]string{"note": "Menu work"} }},
	{route: "POST /api/statements/:id/issue", path: statementPath(draftA, "/issue"), want: draftOfA(403, 200)},
	{route: "POST /api/statements/:id/issue", path: statementPath(draftB, "/issue"), want: draftOfB(403, 200)},
	{route: "POST /api/statements/:id/issue", path: statementPath(issuedA, "/issue"), want: seesA(403, 409)},
}

func init() { matrix = append(matrix, statementRows...) }
