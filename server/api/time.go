package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func (h *handler) timer(c echo.Context) error {
	t, err := h.store.Timer(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) startTimer(c echo.Context) error {
	var in struct {
		TaskID int64 `json:"task_id"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.TaskID <= 0 {
		return models.Invalid("task_id", models.TimerCardRequired)
	}
	t, err := h.store.StartTimer(c.Request().Context(), actor(c), in.TaskID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) stopTimer(c echo.Context) error {
	t, err := h.store.StopTimer(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) taskTime(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := h.store.TaskTime(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type entryRequest struct {
	StartedAt time.Time `json:"started_at"`
	Minutes   int       `json:"minutes"`
	Note      string    `json:"note" text:"multiline"`
	Billable  *bool     `json:"billable"`
	Internal  bool      `json:"internal"`
}

func (h *handler) addEntry(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in entryRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := h.store.AddEntry(c.Request().Context(), actor(c), id, store.NewEntry{
		EntryInput: models.EntryInput{StartedAt: in.StartedAt, Minutes: in.Minutes, Note: in.Note}, Billable: in.Billable, Internal: in.Internal})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, e)
}

func (h *handler) updateEntry(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		StartedAt *time.Time `json:"started_at"`
		Minutes   *int       `json:"minutes"`
		Note      *string    `json:"note" text:"multiline"`
		Billable  *bool      `json:"billable"`
		Internal  *bool      `json:"internal"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	e, err := h.store.UpdateEntry(c.Request().Context(), actor(c), id,
		store.EntryPatch{StartedAt: in.StartedAt, Minutes: in.Minutes, Note: in.Note, Billable: in.Billable, Internal: in.Internal})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}

func (h *handler) deleteEntry(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteEntry(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// timesheet reads ?week= (like /api/sprints/:week, default this week),
// ?tz= (an IANA zone, the reader's; default UTC) and ?user_id= (default
// oneself).
func (h *handler) timesheet(c echo.Context) error {
	w := models.WeekOf(h.now())
	if v := c.QueryParam("week"); v != "" && v != "current" {
		var err error
		if w, err = models.ParseWeek(v); err != nil {
			return &badRequest{"week", problemOf(err)}
		}
	}
	loc, err := tzQuery(c)
	if err != nil {
		return err
	}
	user, err := int64Query(c, "user_id")
	if err != nil {
		return err
	}
	if user == 0 {
		user = actorID(c)
	}
	ts, err := h.store.Timesheet(c.Request().Context(), actor(c), user, w, loc)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ts)
}

// tzQuery reads ?tz=, an IANA zone (the reader's), default UTC; "Local"
// would be the server's, which means nothing to the reader.
func tzQuery(c echo.Context) (*time.Location, error) {
	v := c.QueryParam("tz")
	if v == "" {
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(v)
	if err != nil || v == "Local" {
		return nil, &badRequest{"tz", models.TimeZoneChoice.With()}
	}
	return loc, nil
}
