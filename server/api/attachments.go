package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/files"
)

// The upload routes are the ones whose body may exceed bodyLimit: their
// own limit is the agency's setting.
const (
	uploadPath        = "/api/tasks/:id/attachments"
	requestUploadPath = "/api/requests/attachments"
)

// uploadTime is how long one upload may take to arrive, beyond the
// server's ReadTimeout: 25 MB over a slow mobile link.
const uploadTime = 10 * time.Minute

// fileTooLarge is an upload over the agency's limit.
type fileTooLarge struct{ limitMB int }

func (e *fileTooLarge) Error() string { return fmt.Sprintf("file larger than %d MB", e.limitMB) }

// upload streams the request body into the bucket as a file on the card
// (?to=card, the default) or for the comment being written (?to=comment);
// ?name= is the file's name. The body's declared type is ignored: the
// bytes say what the file is.
func (h *handler) upload(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	toCard := true
	switch c.QueryParam("to") {
	case "", "card":
	case "comment":
		toCard = false
	default:
		return &badRequest{"to", models.AttachTarget.With()}
	}
	return h.receive(c, func(ctx context.Context, a models.Actor, key string) (int64, error) {
		return h.store.BeginUpload(ctx, a, id, key, c.QueryParam("name"), toCard)
	}, toCard, nil)
}

// uploadRequestFile streams a file a client user attaches to the request
// they are writing, before it has a card (?name= is its name); it joins
// the card when the request is filed with it. Only what shows a problem
// is taken: the sniffed type decides.
func (h *handler) uploadRequestFile(c echo.Context) error {
	return h.receive(c, func(ctx context.Context, a models.Actor, key string) (int64, error) {
		return h.store.BeginRequestUpload(ctx, a, key, c.QueryParam("name"))
	}, false, models.RequestFileAllowed)
}

// receive streams the body into the bucket under a new key, within the
// agency's size limit, for the upload row begin records; allowed, when
// set, refuses a type the bytes turned out to be.
func (h *handler) receive(c echo.Context, begin func(context.Context, models.Actor, string) (int64, error), toCard bool,
	allowed func(contentType string) bool) error {
	ctx := c.Request().Context()
	set, err := h.store.Settings(ctx)
	if err != nil {
		return err
	}
	limit := int64(set.AttachmentMaxMB) << 20
	if c.Request().ContentLength > limit {
		return &fileTooLarge{set.AttachmentMaxMB}
	}
	_ = http.NewResponseController(c.Response().Writer).SetReadDeadline(time.Now().Add(uploadTime))
	key := files.NewKey()
	a := actor(c)
	upload, err := begin(ctx, a, key)
	if err != nil {
		return err
	}
	body := http.MaxBytesReader(c.Response().Writer, c.Request().Body, limit+1)
	stored, err := h.files.Put(ctx, key, body, limit)
	switch {
	case err != nil:
	case stored.Size == 0:
		err = &badRequest{"file", models.FileEmpty.With()}
	case allowed != nil && !allowed(stored.ContentType):
		err = models.Invalid("file", models.RequestFileType)
	}
	if err != nil {
		h.abandon(c, upload)
		var tooBig *http.MaxBytesError
		if errors.Is(err, files.ErrTooLarge) || errors.As(err, &tooBig) {
			return &fileTooLarge{set.AttachmentMaxMB}
		}
		return err
	}
	at, err := h.store.FinishUpload(ctx, a, upload, stored.Size, stored.ContentType, toCard)
	if err != nil {
		h.abandon(c, upload)
		return err
	}
	return c.JSON(http.StatusCreated, at)
}

// abandon forgets a failed upload and whatever of it reached the bucket.
func (h *handler) abandon(c echo.Context, id int64) {
	ctx := c.Request().Context()
	if err := h.store.AbandonUpload(ctx, id); err != nil {
		h.log.Warn("abandon upload", "err", err, "attachment", id)
		return // the sweep deletes it later
	}
	h.purge(c)
}

// purge deletes the blobs of deleted attachments now rather than at the
// next sweep.
func (h *handler) purge(c echo.Context) {
	if err := h.files.Purge(c.Request().Context(), h.store); err != nil {
		h.log.Warn("purge blobs", "err", err)
	}
}

func (h *handler) listAttachments(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Attachments(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handler) deleteAttachment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteAttachment(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	h.purge(c)
	return c.NoContent(http.StatusNoContent)
}

// download sends a file the reader may see. Only the picture types
// browsers show as pictures are served inline, with their sniffed type;
// everything else (HTML, SVG, scripts, whatever a name claims) is a
// download of opaque bytes that a sandbox policy keeps inert even if
// opened.
func (h *handler) download(c echo.Context) error {
	at, key, err := h.readable(c)
	if err != nil {
		return err
	}
	r, err := h.files.Open(c.Request().Context(), key)
	if err != nil {
		return h.missingBlob(err)
	}
	defer r.Close()
	kind, disposition := "application/octet-stream", "attachment"
	if at.Image {
		kind, disposition = at.ContentType, "inline"
	}
	if named := mime.FormatMediaType(disposition, map[string]string{"filename": at.Name}); named != "" {
		disposition = named
	}
	return h.sendFile(c, r, kind, disposition, r.Size())
}

// thumbnail sends the small PNG of an image.
func (h *handler) thumbnail(c echo.Context) error {
	at, key, err := h.readable(c)
	if err != nil {
		return err
	}
	if !at.Image {
		return fmt.Errorf("api: thumbnail of attachment %d (%s): %w", at.ID, at.ContentType, models.ErrNotFound)
	}
	r, err := h.files.Thumbnail(c.Request().Context(), key)
	if errors.Is(err, files.ErrNoThumbnail) {
		return fmt.Errorf("api: thumbnail of attachment %d: %w", at.ID, models.ErrNotFound)
	}
	if err != nil {
		return h.missingBlob(err)
	}
	defer r.Close()
	return h.sendFile(c, r, "image/png", "inline", r.Size())
}

func (h *handler) readable(c echo.Context) (models.Attachment, string, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return models.Attachment{}, "", err
	}
	return h.store.AttachmentFile(c.Request().Context(), actor(c), id)
}

// missingBlob: a row whose blob is gone is reported, and is not found for
// the reader.
func (h *handler) missingBlob(err error) error {
	if errors.Is(err, files.ErrNotFound) {
		h.log.Error("attachment blob missing", "err", err)
		return fmt.Errorf("api: %w: %w", models.ErrNotFound, err)
	}
	return err
}

func (h *handler) sendFile(c echo.Context, r io.Reader, kind, disposition string, size int64) error {
	hd := c.Response().Header()
	hd.Set(echo.HeaderContentType, kind)
	hd.Set(echo.HeaderContentDisposition, disposition)
	hd.Set(echo.HeaderContentLength, strconv.FormatInt(size, 10))
	// Files never change under their id; only this reader may keep them.
	hd.Set("Cache-Control", "private, max-age=86400")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	c.Response().WriteHeader(http.StatusOK)
	_, err := io.Copy(c.Response(), r)
	return err
}
