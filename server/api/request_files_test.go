package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/doska/doska/models"
)

// uploadForRequest sends a file as u for the request u is writing.
func (e *env) uploadForRequest(u models.User, name string, body []byte) response {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: "/api/requests/attachments?name=" + name,
		token: e.token(u), body: string(body), header: map[string]string{"Content-Type": "image/png"}})
}

func (e *env) requestFileOK(u models.User, name string) int64 {
	e.t.Helper()
	res := e.uploadForRequest(u, name, screenshot())
	if res.status != http.StatusCreated {
		e.t.Fatalf("upload %s for a request as %s: %d %s", name, u.Email, res.status, res.body)
	}
	var at models.Attachment
	res.json(e.t, &at)
	return at.ID
}

func (e *env) fileRequestWith(u models.User, project int64, files ...int64) response {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: "/api/requests", token: e.token(u), body: map[string]any{
		"project_id": project, "kind": "bug", "title": "Checkout button missing", "attachments": files}})
}

// TestRequestFiles: a client attaches screenshots while writing a request;
// what is not a screenshot, a recording, a PDF or text is refused by its
// sniffed type and leaves nothing behind. Filed, the files are on the new
// card for that client's company and the project's staff, and not found
// for another client or a developer of another project. An upload joins
// one request, its uploader's, only once.
func TestRequestFiles(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.w

	before := e.snapshot()
	html := e.uploadForRequest(w.ClientA, "cute-cat.png", []byte("<!DOCTYPE html><html><body><script>fetch('/api/me')</script></body></html>"))
	if html.status != 422 || html.errorFields(t)["file"] != models.RequestFileType.English() {
		t.Errorf("an HTML page named .png: %d %s", html.status, html.body)
	}
	if e.snapshot() != before {
		t.Error("a refused upload changed the database")
	}

	res := e.uploadForRequest(w.ClientA, "checkout.png", screenshot())
	if res.status != 201 {
		t.Fatalf("upload: %d %s", res.status, res.body)
	}
	var shot models.Attachment
	res.json(t, &shot)
	if shot.TaskID != 0 || !shot.Image {
		t.Errorf("upload before the request = %+v, want an image without a card", shot)
	}
	draft := fmt.Sprintf("/api/attachments/%d", shot.ID)
	for who, want := range map[*models.User]int{&w.ClientA: 200, &w.Manager: 404, &w.Dev: 404, &w.ClientB: 404} {
		if got := e.get(*who, draft).status; got != want {
			t.Errorf("%s reads the upload before the request is filed: %d, want %d", who.Email, got, want)
		}
	}

	// Another client cannot take it with their own request.
	if r := e.fileRequestWith(w.ClientB, w.ProjectB.ID, shot.ID); r.status != 422 || r.errorFields(t)["attachments"] == "" {
		t.Errorf("another client's upload on a request: %d %s", r.status, r.body)
	}
	tooMany := make([]int64, models.RequestMaxFiles+1)
	if r := e.fileRequestWith(w.ClientA, w.ProjectA.ID, tooMany...); r.status != 422 || r.errorFields(t)["attachments"] == "" {
		t.Errorf("%d files on a request: %d %s", len(tooMany), r.status, r.body)
	}

	filed := e.fileRequestWith(w.ClientA, w.ProjectA.ID, shot.ID)
	if filed.status != 201 {
		t.Fatalf("file request: %d %s", filed.status, filed.body)
	}
	var card models.Task
	filed.json(t, &card)
	list := e.get(w.ClientA, fmt.Sprintf("/api/tasks/%d/attachments", card.ID))
	if list.status != 200 || !bytes.Contains(list.body, []byte(`"checkout.png"`)) {
		t.Errorf("the request's files: %d %s", list.status, list.body)
	}
	for who, want := range map[*models.User]int{&w.ClientA: 200, &w.Manager: 200, &w.Dev: 200, &w.ClientB: 404, &w.OtherDev: 404} {
		if got := e.get(*who, draft).status; got != want {
			t.Errorf("%s reads the request's screenshot: %d, want %d", who.Email, got, want)
		}
	}
	if r := e.fileRequestWith(w.ClientA, w.ProjectA.ID, shot.ID); r.status != 422 || r.errorFields(t)["attachments"] == "" {
		t.Errorf("the same upload on a second request: %d %s", r.status, r.body)
	}
	if r := e.uploadForRequest(w.Manager, "shot.png", screenshot()); r.status != 403 {
		t.Errorf("staff upload for a request: %d, want 403 (they put cards on the board)", r.status)
	}
}
