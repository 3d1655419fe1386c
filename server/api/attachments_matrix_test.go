package api_test

// The permission matrix of the attachment routes (see matrix_test.go).
// Files sit on ApprovalA and ApprovalB, whose activity and comments no
// other row counts.

import "fmt"

// seededFiles are the files every matrix case starts with: on A's card by
// A's developer, on an internal comment there, on B's card, and one A's
// client sent for a request not yet filed.
type seededFiles struct{ OnCardA, InternalA, OnCardB, RequestA int64 }

func (e *env) seedFiles() seededFiles {
	e.t.Helper()
	w := e.w
	internal := e.uploadOK(w.Dev, w.ApprovalA.ID, "comment", "internal.png", pngBytes(e.t))
	e.commentWith(w.Dev, w.ApprovalA.ID, true, internal)
	return seededFiles{
		OnCardA:   e.uploadOK(w.Dev, w.ApprovalA.ID, "card", "shot.png", pngBytes(e.t)),
		InternalA: internal,
		OnCardB:   e.uploadOK(w.OtherDev, w.ApprovalB.ID, "card", "CANARY-B.png", pngBytes(e.t)),
		RequestA:  e.requestFileOK(w.ClientA, "request.png"),
	}
}

func fileOf(pick func(seededFiles) int64, suffix string) func(fixture) string {
	return func(f fixture) string { return fmt.Sprintf("/api/attachments/%d%s", pick(f.Files), suffix) }
}

func cardA(f seededFiles) int64     { return f.OnCardA }
func internalA(f seededFiles) int64 { return f.InternalA }
func cardB(f seededFiles) int64     { return f.OnCardB }
func requestA(f seededFiles) int64  { return f.RequestA }

// staffOnlyOfA is what only A's staff may read: the files of internal
// comments.
func staffOnlyOfA(status int) map[principal]int {
	return map[principal]int{admin: status, manager: status, dev: status, clientA: 404, other: 404, clientB: 404}
}

var attachmentRows = []matrixCase{
	// Staff attach to any card they see; a client user only to a card they
	// reported that is still in set (not TaskA, reported by the admin), but
	// to their own comments anywhere they may comment.
	{route: "POST /api/tasks/:id/attachments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskA.ID) + "/attachments?name=a.png" },
		want: map[principal]int{admin: 201, manager: 201, dev: 201, clientA: 403, other: 404, clientB: 404},
		body: func(fixture) any { return string(pngBytes(nil)) }},
	{route: "POST /api/tasks/:id/attachments", path: func(f fixture) string {
		return "/api/tasks/" + id(f.TaskA.ID) + "/attachments?to=comment&name=a.png"
	}, want: seesA(201, 201), body: func(fixture) any { return string(pngBytes(nil)) }},
	{route: "POST /api/tasks/:id/attachments", path: func(f fixture) string { return "/api/tasks/" + id(f.TaskB.ID) + "/attachments?name=b.png" },
		want: map[principal]int{admin: 201, manager: 201, other: 201, clientB: 403, dev: 404, clientA: 404},
		body: func(fixture) any { return string(pngBytes(nil)) }},
	{route: "GET /api/tasks/:id/attachments", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovalA.ID) + "/attachments" },
		want: seesA(200, 200), count: map[principal]int{admin: 1, manager: 1, dev: 1, clientA: 1}},
	{route: "GET /api/tasks/:id/attachments", path: func(f fixture) string { return "/api/tasks/" + id(f.ApprovalB.ID) + "/attachments" },
		want: seesB(200, 200), count: map[principal]int{admin: 1, manager: 1, other: 1, clientB: 1}},
	{route: "GET /api/attachments/:id", path: fileOf(cardA, ""), want: seesA(200, 200)},
	{route: "GET /api/attachments/:id", path: fileOf(internalA, ""), want: staffOnlyOfA(200)},
	{route: "GET /api/attachments/:id", path: fileOf(cardB, ""), want: seesB(200, 200)},
	{route: "GET /api/attachments/:id/thumbnail", path: fileOf(cardA, "/thumbnail"), want: seesA(200, 200)},
	{route: "GET /api/attachments/:id/thumbnail", path: fileOf(internalA, "/thumbnail"), want: staffOnlyOfA(200)},
	{route: "GET /api/attachments/:id/thumbnail", path: fileOf(cardB, "/thumbnail"), want: seesB(200, 200)},
	// The uploader or a manager removes a file; another developer of the
	// project may not (other developers are not members of A).
	{route: "DELETE /api/attachments/:id", path: fileOf(cardA, ""), want: map[principal]int{admin: 204, manager: 204, dev: 204, clientA: 403, other: 404, clientB: 404}},
	{route: "DELETE /api/attachments/:id", path: fileOf(internalA, ""), want: staffOnlyOfA(204)},
	{route: "DELETE /api/attachments/:id", path: fileOf(cardB, ""), want: map[principal]int{admin: 204, manager: 204, other: 204, dev: 404, clientA: 404, clientB: 403}},
	// Files for a request being written: client users send them (staff
	// put cards on the board); until the request is filed only the sender
	// reads one, nobody removes it (the form drops it, the sweep deletes
	// it), and only its sender's request on their own project takes it.
	{route: "POST /api/requests/attachments", path: path("/api/requests/attachments?name=shot.png"),
		want: map[principal]int{clientA: 201, clientB: 201}, body: func(fixture) any { return string(pngBytes(nil)) }},
	{route: "GET /api/attachments/:id", path: fileOf(requestA, ""), want: onlyClientA(200)},
	{route: "GET /api/attachments/:id/thumbnail", path: fileOf(requestA, "/thumbnail"), want: onlyClientA(200)},
	{route: "DELETE /api/attachments/:id", path: fileOf(requestA, ""), want: onlyClientA(404)},
	{route: "POST /api/requests", path: path("/api/requests"), want: map[principal]int{clientA: 201, clientB: 404},
		body: func(f fixture) any {
			return map[string]any{"project_id": f.ProjectA.ID, "kind": "bug", "title": "Checkout button missing", "attachments": []int64{f.Files.RequestA}}
		}},
	{route: "POST /api/requests", path: path("/api/requests"), want: map[principal]int{clientB: 422, clientA: 404},
		body: func(f fixture) any {
			return map[string]any{"project_id": f.ProjectB.ID, "kind": "bug", "title": "Not mine to send", "attachments": []int64{f.Files.RequestA}}
		}},
}

// onlyClientA is what only A's client user who sent the file may do: all
// others do not find it.
func onlyClientA(status int) map[principal]int {
	return map[principal]int{clientA: status, admin: 404, manager: 404, dev: 404, other: 404, clientB: 404}
}
