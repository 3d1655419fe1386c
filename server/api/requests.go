package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

type fileRequestBody struct {
	ProjectID   int64              `json:"project_id"`
	Kind        models.RequestKind `json:"kind"`
	Title       string             `json:"title"`
	Description string             `json:"description" text:"multiline"`
	PageURL     string             `json:"page_url"`
	Confirmed   bool               `json:"confirmed"`
	// Attachments are the IDs of files uploaded to POST
	// /api/requests/attachments while the request was written.
	Attachments []int64 `json:"attachments"`
}

func (h *handler) fileRequest(c echo.Context) error {
	var in fileRequestBody
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := h.store.FileRequest(c.Request().Context(), actor(c), in.ProjectID, models.Intake{Kind: in.Kind, Title: in.Title,
		Description: in.Description, PageURL: in.PageURL, Confirmed: in.Confirmed, Files: in.Attachments})
	if err != nil {
		return err
	}
	return h.answerTask(c, http.StatusCreated, t)
}

func (h *handler) triage(c echo.Context) error {
	list, err := h.store.Triage(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

type escalateRequest struct {
	Version    int64  `json:"version"`
	AssigneeID *int64 `json:"assignee_id"`
	Reason     string `json:"reason" text:"multiline"`
}

func (h *handler) escalate(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in escalateRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := h.store.Escalate(c.Request().Context(), actor(c), id, in.Version, in.AssigneeID, in.Reason)
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) clientOverview(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	lists, err := h.store.ClientOverview(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, lists)
}
