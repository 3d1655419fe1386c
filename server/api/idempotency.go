package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// Commands accept an Idempotency-Key header
// (draft-ietf-httpapi-idempotency-key-header): a client that lost the
// answer sends the same request again with the same key and gets the
// first answer, and the command runs once. The key is claimed by the
// command's own transaction (store.WithIdempotencyKey), so a command and
// its key commit together even if the server dies before answering.

const (
	idempotencyHeader = "Idempotency-Key"
	// A retry that arrives while the first request is finishing waits this
	// long for the first answer before it is told to look again later.
	answerWait = 3 * time.Second
)

func (h *handler) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get(idempotencyHeader)
		if key == "" {
			return next(c)
		}
		if !validKey(key) {
			return &badRequest{idempotencyHeader, models.IdemKeyFormat.With()}
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err // over the body limit: Echo's 413
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.New()
		sum.Write([]byte(c.Request().Method + " " + c.Request().URL.Path + "\n"))
		sum.Write(body)
		fingerprint := sum.Sum(nil)

		user := actorID(c)
		if answered, err := h.replay(c, user, key, fingerprint); answered || !errors.Is(err, models.ErrNotFound) {
			return err
		}
		// A client that hangs up will ask again for this very answer, so the
		// command and the reads that make its answer run to their end.
		ctx, req := store.WithIdempotencyKey(context.WithoutCancel(c.Request().Context()), user, key, fingerprint)
		c.SetRequest(c.Request().WithContext(ctx))
		rec := &recorder{ResponseWriter: c.Response().Writer}
		c.Response().Writer = rec
		err = next(c)
		if errors.Is(err, store.ErrKeyClaimed) {
			// The same request, sent twice at once: the other one won.
			_, err = h.replay(c, user, key, fingerprint)
			return err
		}
		// Kept even if sending it failed: the recorder has the whole answer.
		if req.Claimed() && c.Response().Committed && c.Response().Status < http.StatusInternalServerError {
			if err := h.store.SaveAnswer(ctx, req, c.Response().Status, rec.body.Bytes()); err != nil {
				h.log.Error("save idempotent answer", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
			}
		}
		return err
	}
}

// replay answers a key used before: with its saved answer, waiting a
// while for it; with 422 if the key came with another request; with 409 if
// the first request's answer is not known (still running, or lost when
// the server stopped after the commit). models.ErrNotFound: key unused.
func (h *handler) replay(c echo.Context, user int64, key string, fingerprint []byte) (bool, error) {
	ctx := c.Request().Context()
	deadline := time.Now().Add(answerWait)
	for {
		prev, err := h.store.IdempotencyKey(ctx, user, key)
		if err != nil {
			return false, err
		}
		if !bytes.Equal(prev.Fingerprint, fingerprint) {
			return true, models.Invalid(idempotencyHeader, models.IdemKeyReused)
		}
		if prev.Status != nil {
			c.Response().Header().Set("Idempotent-Replayed", "true")
			return true, c.JSONBlob(*prev.Status, prev.Body)
		}
		if time.Now().After(deadline) {
			return true, &models.ConflictError{Reason: models.RequestPending.With()}
		}
		select {
		case <-ctx.Done():
			return true, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func validKey(k string) bool {
	if len(k) > 255 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}

// recorder keeps a copy of the answer while it is written. Echo encodes
// JSON whole and writes it at once, so the copy is whole even when the
// client has gone and the write fails.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
