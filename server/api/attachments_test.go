package api_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/files"
	"github.com/doska/doska/server/files/s3test"
	"github.com/doska/doska/server/store"
)

// screenshot is a small PNG, made once.
var screenshot = sync.OnceValue(func() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 640, 400))
	for x := range 640 {
		img.Set(x, x%400, color.NRGBA{B: 255, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
})

func pngBytes(testing.TB) []byte { return screenshot() }

// upload sends a file as u; to is "card" or "comment".
func (e *env) upload(u models.User, task int64, to, name string, body []byte) response {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: fmt.Sprintf("/api/tasks/%d/attachments?to=%s&name=%s", task, to, name),
		token: e.token(u), body: string(body), header: map[string]string{"Content-Type": "image/png"}})
}

func (e *env) uploadOK(u models.User, task int64, to, name string, body []byte) int64 {
	e.t.Helper()
	res := e.upload(u, task, to, name, body)
	if res.status != http.StatusCreated {
		e.t.Fatalf("upload %s as %s: %d %s", name, u.Email, res.status, res.body)
	}
	var at models.Attachment
	res.json(e.t, &at)
	return at.ID
}

func (e *env) commentWith(u models.User, task int64, internal bool, files ...int64) models.Comment {
	e.t.Helper()
	res := e.do(req{method: http.MethodPost, path: fmt.Sprintf("/api/tasks/%d/comments", task), token: e.token(u),
		body: map[string]any{"body": "See the screenshot", "internal": internal, "attachments": files}})
	if res.status != http.StatusCreated {
		e.t.Fatalf("comment as %s: %d %s", u.Email, res.status, res.body)
	}
	var c models.Comment
	res.json(e.t, &c)
	return c
}

func (e *env) get(u models.User, path string) response {
	e.t.Helper()
	return e.do(req{method: http.MethodGet, path: path, token: e.token(u)})
}

// sweepFiles runs the periodic sweep of files once, as an instance would.
func (e *env) sweepFiles() error { return files.Sweep(context.Background(), e.store, e.files) }

func (e *env) keyExists(key string) bool {
	e.t.Helper()
	r, err := e.files.Open(context.Background(), key)
	if err != nil {
		return false
	}
	r.Close()
	return true
}

func (e *env) keyOf(id int64) string {
	e.t.Helper()
	var key string
	if err := e.db.Raw("SELECT blob_key FROM attachments WHERE id = ?", id).Row().Scan(&key); err != nil {
		e.t.Fatal(err)
	}
	return key
}

// An image is shown inline with its sniffed type and a thumbnail; every
// file carries nosniff and a sandbox.
func TestAttachmentImageInlineWithThumbnail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id := e.uploadOK(e.w.Dev, e.w.TaskA.ID, "card", "Screen%20Shot.png", screenshot())
	res := e.get(e.w.ClientA, fmt.Sprintf("/api/attachments/%d", id))
	if res.status != 200 || !bytes.Equal(res.body, screenshot()) {
		t.Fatalf("download: %d, %d bytes", res.status, len(res.body))
	}
	want := map[string]string{"Content-Type": "image/png", "Content-Disposition": `inline; filename="Screen Shot.png"`,
		"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; sandbox"}
	for k, v := range want {
		if got := res.header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	th := e.get(e.w.ClientA, fmt.Sprintf("/api/attachments/%d/thumbnail", id))
	if th.status != 200 || th.header.Get("Content-Type") != "image/png" {
		t.Fatalf("thumbnail: %d %s", th.status, th.header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(th.body))
	if err != nil || img.Bounds().Dx() != 320 || img.Bounds().Dy() != 200 {
		t.Errorf("thumbnail: %v %v, want 320×200", img.Bounds(), err)
	}
	var list []models.Attachment
	e.get(e.w.ClientA, fmt.Sprintf("/api/tasks/%d/attachments", e.w.TaskA.ID)).json(t, &list)
	if len(list) != 1 || !list[0].Image || list[0].Name != "Screen Shot.png" || list[0].UploaderName != e.w.Dev.Name {
		t.Errorf("listed %+v", list)
	}
	// Adding it is news on the card, for everyone who sees it.
	var kinds []string
	e.db.Raw("SELECT kind FROM events WHERE task_id = ? AND client_payload IS NOT NULL ORDER BY seq", e.w.TaskA.ID).Scan(&kinds)
	if kinds[len(kinds)-1] != string(models.EventAttachmentAdded) {
		t.Errorf("events of the card: %v, want attachment.added last", kinds)
	}
}

// What a file is comes from its bytes: an HTML page named .png and sent as
// image/png, or an SVG, is a download of opaque bytes, never rendered.
func TestAttachmentSniffedNotTrusted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := map[string]string{
		"cute-cat.png": "<!DOCTYPE html><html><body><script>fetch('/api/me')</script></body></html>",
		"logo.svg":     `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`,
		"notes.txt":    "just text",
	}
	for name, body := range cases {
		id := e.uploadOK(e.w.Dev, e.w.TaskA.ID, "card", name, []byte(body))
		res := e.get(e.w.Dev, fmt.Sprintf("/api/attachments/%d", id))
		if res.status != 200 || string(res.body) != body {
			t.Fatalf("%s: %d %s", name, res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/octet-stream" {
			t.Errorf("%s served as %q, want application/octet-stream", name, ct)
		}
		if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
			t.Errorf("%s: Content-Disposition %q, want attachment", name, cd)
		}
		if res.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s without nosniff", name)
		}
		if th := e.get(e.w.Dev, fmt.Sprintf("/api/attachments/%d/thumbnail", id)); th.status != 404 {
			t.Errorf("%s has a thumbnail: %d", name, th.status)
		}
	}
	var types []string
	e.db.Raw("SELECT content_type FROM attachments ORDER BY name").Scan(&types)
	if len(types) != 3 || !strings.HasPrefix(types[0], "text/html") || !strings.HasPrefix(types[1], "image/svg+xml") {
		t.Errorf("sniffed types %v", types)
	}
}

// Canaries: a file on an internal comment, on another client's card, and
// another person's upload not yet sent, are not found for those who may
// not read them, in the list and at their address.
func TestAttachmentAccessCanaries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.w
	internal := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "INTERNAL-ONLY.png", screenshot())
	e.commentWith(w.Dev, w.TaskA.ID, true, internal)
	public := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "public.png", screenshot())
	e.commentWith(w.Dev, w.TaskA.ID, false, public)
	onB := e.uploadOK(w.OtherDev, w.TaskB.ID, "card", "CANARY-B.png", screenshot())
	pending := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "draft.png", screenshot())

	for _, c := range []struct {
		who  models.User
		file int64
		want int
	}{
		{w.ClientA, internal, 404}, {w.Dev, internal, 200}, {w.Manager, internal, 200},
		{w.ClientA, public, 200}, {w.ClientB, public, 404}, {w.OtherDev, public, 404},
		{w.ClientA, onB, 404}, {w.Dev, onB, 404}, {w.ClientB, onB, 200},
		{w.Manager, pending, 404}, {w.ClientA, pending, 404}, {w.Dev, pending, 200},
	} {
		for _, suffix := range []string{"", "/thumbnail"} {
			if res := e.get(c.who, fmt.Sprintf("/api/attachments/%d%s", c.file, suffix)); res.status != c.want {
				t.Errorf("%s reads file %d%s: %d, want %d", c.who.Email, c.file, suffix, res.status, c.want)
			}
		}
	}
	res := e.get(w.ClientA, fmt.Sprintf("/api/tasks/%d/comments", w.TaskA.ID))
	if bytes.Contains(res.body, []byte("INTERNAL-ONLY")) || !bytes.Contains(res.body, []byte("public.png")) {
		t.Errorf("client's comments: %s", res.body)
	}
	// Somebody else's upload cannot be sent with one's own comment.
	r := e.do(req{method: http.MethodPost, path: fmt.Sprintf("/api/tasks/%d/comments", w.TaskA.ID), token: e.token(w.Manager),
		body: map[string]any{"body": "mine now", "attachments": []int64{pending}}})
	if r.status != 422 || r.errorFields(t)["attachments"] == "" {
		t.Errorf("attaching another's upload: %d %s", r.status, r.body)
	}
}

// A file over the agency's limit is refused with the limit, and leaves
// neither row nor blob.
func TestAttachmentTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	one := 1
	if _, err := e.store.UpdateSettings(context.Background(), e.w.Admin.Actor(), store.SettingsPatch{AttachmentMaxMB: &one}); err != nil {
		t.Fatal(err)
	}
	big := append(append([]byte{}, screenshot()...), make([]byte, 1<<20)...)
	before := e.snapshot()
	// Once with its length declared, once streamed without one.
	for _, declared := range []bool{true, false} {
		hr, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/api/tasks/%d/attachments?name=big.png", e.srv.URL, e.w.TaskA.ID), nil)
		if declared {
			hr.Body, hr.ContentLength = io.NopCloser(bytes.NewReader(big)), int64(len(big))
		} else {
			hr.Body = io.NopCloser(io.MultiReader(bytes.NewReader(big)))
		}
		hr.Header.Set("Authorization", "Bearer "+e.token(e.w.Dev))
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		r := response{status: res.StatusCode, header: res.Header, body: body}
		if r.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("declared=%v: %d %s", declared, r.status, body)
		}
		if f := r.errorFields(t)["file"]; f != "Send a file of at most 1 MB." {
			t.Errorf("declared=%v: file field %q", declared, f)
		}
	}
	if after := e.snapshot(); after != before {
		t.Errorf("a refused upload changed the database")
	}
	var left []string
	walked := filepath.WalkDir(e.filesDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if walked != nil {
		t.Fatal(walked)
	}
	if len(left) != 0 {
		t.Errorf("refused uploads left files: %v", left)
	}
}

// A client user attaches to the card they reported only until work
// starts, and removes their file in the same window; staff always.
func TestClientAttachesUntilWorkStarts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.w
	res := e.do(req{method: http.MethodPost, path: fmt.Sprintf("/api/projects/%d/tasks", w.ProjectA.ID), token: e.token(w.ClientA),
		body: map[string]string{"title": "Checkout button missing on Safari"}})
	var card models.Task
	res.json(t, &card)
	mine := e.uploadOK(w.ClientA, card.ID, "card", "safari.png", screenshot())
	second := e.uploadOK(w.ClientA, card.ID, "card", "safari2.png", screenshot())
	if r := e.do(req{method: http.MethodDelete, path: fmt.Sprintf("/api/attachments/%d", second), token: e.token(w.ClientA)}); r.status != 204 {
		t.Fatalf("client removes own file in set: %d %s", r.status, r.body)
	}
	move := e.do(req{method: http.MethodPost, path: fmt.Sprintf("/api/tasks/%d/move", card.ID), token: e.token(w.Dev),
		body: map[string]any{"version": card.Version, "status": "in_progress"}})
	if move.status != 200 {
		t.Fatalf("move: %d %s", move.status, move.body)
	}
	if r := e.upload(w.ClientA, card.ID, "card", "late.png", screenshot()); r.status != 403 {
		t.Errorf("client attaches after work started: %d", r.status)
	}
	if r := e.do(req{method: http.MethodDelete, path: fmt.Sprintf("/api/attachments/%d", mine), token: e.token(w.ClientA)}); r.status != 403 {
		t.Errorf("client removes after work started: %d", r.status)
	}
	// Their comments still take files.
	c := e.commentWith(w.ClientA, card.ID, false, e.uploadOK(w.ClientA, card.ID, "comment", "more.png", screenshot()))
	if len(c.Attachments) != 1 || c.Attachments[0].Name != "more.png" {
		t.Errorf("comment's files: %+v", c.Attachments)
	}
	e.uploadOK(w.Dev, card.ID, "card", "dev.png", screenshot())
}

// Metadata and bytes go together: deleting the file or its comment removes
// the blob; archiving the card keeps it.
func TestAttachmentRemovedWithItsBlob(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.w
	onCard := e.uploadOK(w.Dev, w.TaskA.ID, "card", "a.png", screenshot())
	onComment := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "b.png", screenshot())
	c := e.commentWith(w.Dev, w.TaskA.ID, false, onComment)
	kept := e.uploadOK(w.Dev, w.TaskA.ID, "card", "c.png", screenshot())
	cardKey, commentKey, keptKey := e.keyOf(onCard), e.keyOf(onComment), e.keyOf(kept)
	// A thumbnail exists, and must go too.
	if r := e.get(w.Dev, fmt.Sprintf("/api/attachments/%d/thumbnail", onCard)); r.status != 200 {
		t.Fatalf("thumbnail: %d", r.status)
	}
	if r := e.do(req{method: http.MethodDelete, path: fmt.Sprintf("/api/attachments/%d", onCard), token: e.token(w.Dev)}); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := e.do(req{method: http.MethodDelete, path: fmt.Sprintf("/api/comments/%d", c.ID), token: e.token(w.Dev)}); r.status != 204 {
		t.Fatalf("delete comment: %d %s", r.status, r.body)
	}
	if e.keyExists(cardKey) || e.keyExists("thumbnails/"+cardKey) {
		t.Errorf("the deleted file's blob or thumbnail is still there")
	}
	if e.keyExists(commentKey) {
		t.Errorf("the deleted comment's file is still there")
	}
	var trash int
	if err := e.db.Raw("SELECT count(*) FROM blob_trash").Row().Scan(&trash); err != nil {
		t.Fatal(err)
	}
	if trash != 0 {
		t.Errorf("%d keys left in the trash", trash)
	}
	task, err := e.store.Task(context.Background(), w.Admin.Actor(), w.TaskA.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.ArchiveTask(context.Background(), w.Admin.Actor(), w.TaskA.ID, task.Version); err != nil {
		t.Fatal(err)
	}
	if !e.keyExists(keptKey) {
		t.Errorf("archiving the card removed its file")
	}
	if r := e.get(w.ClientA, fmt.Sprintf("/api/attachments/%d", kept)); r.status != 200 {
		t.Errorf("a file of an archived card: %d", r.status)
	}
	if r := e.upload(w.Dev, w.TaskA.ID, "card", "late.png", screenshot()); r.conflict(t) != "task_archived" {
		t.Errorf("upload to an archived card: %d", r.status)
	}
}

// Uploads never sent with a comment, and rows whose upload a crash cut
// off, are swept after a day with their blobs; several instances sweeping
// at once do no harm.
func TestSweepRemovesOrphanedUploads(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.w
	draft := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "never-sent.png", screenshot())
	draftKey := e.keyOf(draft)
	sent := e.uploadOK(w.Dev, w.TaskA.ID, "comment", "sent.png", screenshot())
	e.commentWith(w.Dev, w.TaskA.ID, false, sent)
	// A crash between writing the blob and recording its size.
	if _, err := e.store.BeginUpload(context.Background(), w.Dev.Actor(), w.TaskA.ID, "attachments/crashed", "x.png", true); err != nil {
		t.Fatal(err)
	}
	if _, err := e.files.Put(context.Background(), "attachments/crashed", bytes.NewReader(screenshot()), 1<<20); err != nil {
		t.Fatal(err)
	}
	if err := e.sweepFiles(); err != nil {
		t.Fatal(err)
	}
	if !e.keyExists(draftKey) {
		t.Fatalf("a fresh draft upload was swept")
	}
	e.clock.Advance(store.UnattachedTTL + time.Minute)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() { errs <- e.sweepFiles() })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if e.keyExists(draftKey) || e.keyExists("attachments/crashed") {
		t.Errorf("orphaned blobs survived the sweep")
	}
	var names []string
	e.db.Raw("SELECT name FROM attachments ORDER BY id").Scan(&names)
	if len(names) != 1 || names[0] != "sent.png" {
		t.Errorf("rows after the sweep: %v, want only sent.png", names)
	}
	if r := e.get(w.Dev, fmt.Sprintf("/api/attachments/%d", sent)); r.status != 200 {
		t.Errorf("the sent file after the sweep: %d", r.status)
	}
}

// The same life of a file with the bucket on S3 (an S3 server in the test
// process): upload, thumbnail, download, delete, and the sweep.
func TestAttachmentsOnS3(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.files = s3test.Bucket(t)
	e.echo, e.srv = e.instance()
	w := e.w
	id := e.uploadOK(w.Dev, w.TaskA.ID, "card", "shot.png", screenshot())
	key := e.keyOf(id)
	if !e.keyExists(key) {
		t.Fatalf("the upload is not in the S3 bucket")
	}
	if r := e.get(w.ClientA, fmt.Sprintf("/api/attachments/%d", id)); r.status != 200 || !bytes.Equal(r.body, screenshot()) {
		t.Fatalf("download: %d, %d bytes", r.status, len(r.body))
	}
	if r := e.get(w.ClientA, fmt.Sprintf("/api/attachments/%d/thumbnail", id)); r.status != 200 {
		t.Fatalf("thumbnail: %d", r.status)
	}
	if r := e.do(req{method: http.MethodDelete, path: fmt.Sprintf("/api/attachments/%d", id), token: e.token(w.Dev)}); r.status != 204 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if e.keyExists(key) || e.keyExists("thumbnails/"+key) {
		t.Errorf("the deleted file is still in the bucket")
	}
	draft := e.keyOf(e.uploadOK(w.Dev, w.TaskA.ID, "comment", "draft.png", screenshot()))
	e.clock.Advance(store.UnattachedTTL + time.Minute)
	if err := e.sweepFiles(); err != nil {
		t.Fatal(err)
	}
	if e.keyExists(draft) {
		t.Errorf("the sweep left an unsent upload in the bucket")
	}
}
