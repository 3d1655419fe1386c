package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/markdown"
	"github.com/doska/doska/server/store"
)

// commentView is a comment with its body rendered for the reader.
type commentView struct {
	models.Comment
	BodyHTML string `json:"body_html"`
}

func (h *handler) render(c echo.Context, list ...models.Comment) ([]commentView, error) {
	bodies := make([]string, len(list))
	for i, cm := range list {
		bodies[i] = cm.Body
	}
	refs, err := h.store.VisibleNumbers(c.Request().Context(), actor(c), markdown.TaskNumbers(bodies...))
	if err != nil {
		return nil, err
	}
	out := make([]commentView, len(list))
	for i, cm := range list {
		out[i] = commentView{Comment: cm, BodyHTML: h.md.Render(cm.Body, refs)}
	}
	return out, nil
}

func (h *handler) listComments(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Comments(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	views, err := h.render(c, list...)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, views)
}

type commentRequest struct {
	Body     string  `json:"body" text:"multiline"`
	Internal bool    `json:"internal"`
	Mentions []int64 `json:"mentions"`
	// Attachments are ids of the author's uploads (?to=comment) to send.
	Attachments []int64 `json:"attachments"`
}

func (h *handler) addComment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in commentRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	cm, err := h.store.AddComment(c.Request().Context(), actor(c), id, store.NewComment{Body: in.Body, Internal: in.Internal, Mentions: in.Mentions, Attachments: in.Attachments})
	if err != nil {
		return err
	}
	return h.answerComment(c, http.StatusCreated, cm)
}

func (h *handler) answerComment(c echo.Context, status int, cm models.Comment) error {
	views, err := h.render(c, cm)
	if err != nil {
		return err
	}
	return c.JSON(status, views[0])
}

func (h *handler) editComment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body" text:"multiline"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	cm, err := h.store.EditComment(c.Request().Context(), actor(c), id, in.Body)
	if err != nil {
		return err
	}
	return h.answerComment(c, http.StatusOK, cm)
}

func (h *handler) deleteComment(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteComment(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	h.purge(c) // its files
	return c.NoContent(http.StatusNoContent)
}
