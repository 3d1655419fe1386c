package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/markdown"
	"github.com/doska/doska/server/store"
)

// taskFieldsRequest is the editable part of a task in requests.
type taskFieldsRequest struct {
	Title           optional[string]          `json:"title"`
	Description     optional[string]          `json:"description" text:"multiline"`
	Kind            optional[models.Kind]     `json:"kind"`
	Priority        optional[models.Priority] `json:"priority"`
	AssigneeID      optional[int64]           `json:"assignee_id"`
	EstimateMinutes optional[int]             `json:"estimate_minutes"`
	DueDate         optional[string]          `json:"due_date"`
	StagingURL      optional[string]          `json:"staging_url"`
	PageURL         optional[string]          `json:"page_url"`
	Labels          optional[[]string]        `json:"labels"`
}

func (r taskFieldsRequest) fields(p models.Problems) models.TaskFields {
	f := models.TaskFields{
		Title:           requiredField(r.Title, "title", p),
		Description:     requiredField(r.Description, "description", p),
		Kind:            requiredField(r.Kind, "kind", p),
		Priority:        requiredField(r.Priority, "priority", p),
		AssigneeID:      nullable(r.AssigneeID),
		EstimateMinutes: nullable(r.EstimateMinutes),
		StagingURL:      requiredField(r.StagingURL, "staging_url", p),
		PageURL:         requiredField(r.PageURL, "page_url", p),
		Labels:          requiredField(r.Labels, "labels", p),
	}
	if r.DueDate.set {
		var d *models.Date
		if r.DueDate.val != nil && *r.DueDate.val != "" {
			parsed, err := models.ParseDate(*r.DueDate.val)
			if err != nil {
				p.Put("due_date", problemOf(err))
			}
			d = &parsed
		}
		f.DueDate = &d
	}
	return f
}

// taskDetail is a task as its detail panel shows it: the card plus the
// description, raw for editing and rendered for this reader.
type taskDetail struct {
	models.Task
	Description     string `json:"description"`
	DescriptionHTML string `json:"description_html"`
	ProjectName     string `json:"project_name"`
	ClientName      string `json:"client_name"`
}

func (h *handler) detail(c echo.Context, t models.Task) (taskDetail, error) {
	a := actor(c)
	ctx := c.Request().Context()
	p, err := h.store.Project(ctx, a, t.ProjectID)
	if err != nil {
		return taskDetail{}, err
	}
	refs, err := h.store.VisibleNumbers(ctx, a, markdown.TaskNumbers(t.Description))
	if err != nil {
		return taskDetail{}, err
	}
	return taskDetail{Task: t, Description: t.Description, DescriptionHTML: h.md.Render(t.Description, refs),
		ProjectName: p.Name, ClientName: p.ClientName}, nil
}

func (h *handler) answerTask(c echo.Context, status int, t models.Task) error {
	d, err := h.detail(c, t)
	if err != nil {
		return err
	}
	return c.JSON(status, d)
}

func (h *handler) archivedTasks(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.ArchivedTasks(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

type newTaskRequest struct {
	taskFieldsRequest
	Status    models.Status `json:"status"`
	AfterID   int64         `json:"after_id"`
	BeforeID  int64         `json:"before_id"`
	Question  string        `json:"question" text:"multiline"`
	CheckNote string        `json:"check_note" text:"multiline"`
}

func (h *handler) createTask(c echo.Context) error {
	projectID, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in newTaskRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	f := in.fields(probs)
	if err := probs.Err(); err != nil {
		return err
	}
	t, err := h.store.CreateTask(c.Request().Context(), actor(c), store.NewTask{ProjectID: projectID, Status: in.Status,
		Fields: f, Position: store.Position{After: in.AfterID, Before: in.BeforeID},
		Move: models.MoveInput{Question: in.Question, CheckNote: in.CheckNote}})
	if err != nil {
		return err
	}
	return h.answerTask(c, http.StatusCreated, t)
}

func (h *handler) getTask(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := h.store.Task(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return h.answerTask(c, http.StatusOK, t)
}

func (h *handler) getTaskByNumber(c echo.Context) error {
	n, err := strconv.ParseInt(c.Param("number"), 10, 64)
	if err != nil || n <= 0 {
		return &badRequest{"number", models.CardNumber.With()}
	}
	t, err := h.store.TaskByNumber(c.Request().Context(), actor(c), n)
	if err != nil {
		return err
	}
	return h.answerTask(c, http.StatusOK, t)
}

type updateTaskRequest struct {
	taskFieldsRequest
	Version int64 `json:"version"`
}

func (h *handler) updateTask(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in updateTaskRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	f := in.fields(probs)
	if err := probs.Err(); err != nil {
		return err
	}
	t, err := h.store.UpdateTask(c.Request().Context(), actor(c), id, in.Version, f)
	if err != nil {
		return h.conflictView(c, err)
	}
	return h.answerTask(c, http.StatusOK, t)
}

type moveRequest struct {
	Version    int64         `json:"version"`
	Status     models.Status `json:"status"`
	AfterID    int64         `json:"after_id"`
	BeforeID   int64         `json:"before_id"`
	Question   string        `json:"question" text:"multiline"`
	StagingURL string        `json:"staging_url"`
	CheckNote  string        `json:"check_note" text:"multiline"`
}

func (h *handler) moveTask(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in moveRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := h.store.MoveTask(c.Request().Context(), actor(c), id, store.TaskMove{Version: in.Version, Status: in.Status,
		Position: store.Position{After: in.AfterID, Before: in.BeforeID},
		Move:     models.MoveInput{Question: in.Question, StagingURL: in.StagingURL, CheckNote: in.CheckNote}})
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, t)
}

type versionRequest struct {
	Version int64 `json:"version"`
}

func (h *handler) archiveTask(c echo.Context) error {
	return h.versioned(c, h.store.ArchiveTask)
}

func (h *handler) restoreTask(c echo.Context) error {
	return h.versioned(c, h.store.RestoreTask)
}

func (h *handler) versioned(c echo.Context, cmd func(ctx context.Context, a models.Actor, id, version int64) (models.Task, error)) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in versionRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := cmd(c.Request().Context(), actor(c), id, in.Version)
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, t)
}

// conflictView makes a conflict carry the card as this reader may see it,
// with its description, so the panel can show what changed.
func (h *handler) conflictView(c echo.Context, err error) error {
	var conflict *models.ConflictError
	if errors.As(err, &conflict) {
		if t, ok := conflict.Current.(models.Task); ok {
			d, derr := h.detail(c, t)
			if derr != nil {
				return derr
			}
			conflict.Current = d
		}
	}
	return err
}

func (h *handler) activity(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.Activity(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
