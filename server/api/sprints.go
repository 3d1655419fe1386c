package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// weekParam reads :week as "2026-W48", a date in the week, or "current".
func (h *handler) weekParam(c echo.Context) (models.Week, error) {
	v := c.Param("week")
	if v == "current" {
		return models.WeekOf(h.now()), nil
	}
	w, err := models.ParseWeek(v)
	if err != nil {
		return w, &badRequest{"week", problemOf(err)}
	}
	return w, nil
}

func (h *handler) plan(c echo.Context) error {
	w, err := h.weekParam(c)
	if err != nil {
		return err
	}
	p, err := h.store.Plan(c.Request().Context(), actor(c), w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (h *handler) sprintReport(c echo.Context) error {
	w, err := h.weekParam(c)
	if err != nil {
		return err
	}
	r, err := h.store.Report(c.Request().Context(), actor(c), w)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (h *handler) closeWeek(c echo.Context) error {
	w, err := h.weekParam(c)
	if err != nil {
		return err
	}
	var in versionRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := h.store.CloseWeek(c.Request().Context(), actor(c), w, in.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

type planRequest struct {
	TaskID     int64           `json:"task_id"`
	Version    int64           `json:"version"`
	AssigneeID optional[int64] `json:"assignee_id"`
	AfterID    int64           `json:"after_id"`
	BeforeID   int64           `json:"before_id"`
}

func (h *handler) planTask(c echo.Context) error {
	w, err := h.weekParam(c)
	if err != nil {
		return err
	}
	var in planRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	if in.TaskID <= 0 {
		probs.Add("task_id", models.PlanCardRequired)
	}
	if !in.AssigneeID.set {
		probs.Add("assignee_id", models.PlanAssigneeRequired)
	}
	if err := probs.Err(); err != nil {
		return err
	}
	t, err := h.store.PlanTask(c.Request().Context(), actor(c), w, in.TaskID, in.Version, in.AssigneeID.val,
		store.Position{After: in.AfterID, Before: in.BeforeID})
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) unplanTask(c echo.Context) error {
	return h.versioned(c, h.store.UnplanTask)
}

type capacityRequest struct {
	Minutes *int   `json:"minutes"`
	Note    string `json:"note"`
}

func (h *handler) setOverride(c echo.Context) error {
	w, err := h.weekParam(c)
	if err != nil {
		return err
	}
	userID, err := idParam(c, "user")
	if err != nil {
		return err
	}
	var in capacityRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := h.store.SetOverride(c.Request().Context(), actor(c), w, userID, in.Minutes, in.Note); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *handler) setCapacity(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Minutes *int `json:"minutes"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Minutes == nil {
		return models.Invalid("minutes", models.CapacityRequired)
	}
	u, err := h.store.SetCapacity(c.Request().Context(), actor(c), id, *in.Minutes)
	if err != nil {
		return err
	}
	h.sessions.Forget(id)
	return c.JSON(http.StatusOK, u)
}

func (h *handler) backlog(c echo.Context) error {
	clientID, err := int64Query(c, "client_id")
	if err != nil {
		return err
	}
	projectID, err := int64Query(c, "project_id")
	if err != nil {
		return err
	}
	list, err := h.store.Backlog(c.Request().Context(), actor(c), store.BacklogFilter{ClientID: clientID, ProjectID: projectID,
		Priority: models.Priority(c.QueryParam("priority")), Kind: models.Kind(c.QueryParam("kind"))})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
