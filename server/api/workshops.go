package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/markdown"
	"github.com/doska/doska/server/store"
)

func (h *handler) listWorkshops(c echo.Context) error {
	clientID, err := int64Query(c, "client_id")
	if err != nil {
		return err
	}
	list, err := h.store.ListWorkshops(c.Request().Context(), actor(c), clientID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// answerWorkshop sends a workshop with its notes rendered for the reader:
// #123 becomes a link only to a card the reader can see, as in comments.
func (h *handler) answerWorkshop(c echo.Context, status int, w models.Workshop) error {
	texts := []string{w.Notes}
	for _, it := range w.Items {
		texts = append(texts, it.Notes)
	}
	refs, err := h.store.VisibleNumbers(c.Request().Context(), actor(c), markdown.TaskNumbers(texts...))
	if err != nil {
		return err
	}
	render := func(src string) string {
		if src == "" {
			return "" // most drafted points have no notes yet
		}
		return h.md.Render(src, refs)
	}
	w.NotesHTML = render(w.Notes)
	for i := range w.Items {
		w.Items[i].NotesHTML = render(w.Items[i].Notes)
	}
	return c.JSON(status, w)
}

func (h *handler) getWorkshop(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	w, err := h.store.Workshop(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusOK, w)
}

func (h *handler) createWorkshop(c echo.Context) error {
	var in struct {
		ClientID  int64     `json:"client_id"`
		StartsAt  time.Time `json:"starts_at"`
		Attendees []int64   `json:"attendees"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	w, err := h.store.CreateWorkshop(c.Request().Context(), actor(c), store.NewWorkshop{ClientID: in.ClientID, StartsAt: in.StartsAt, Attendees: in.Attendees})
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusCreated, w)
}

type itemRequest struct {
	ID       int64  `json:"id"`
	Title    string `json:"title"`
	Notes    string `json:"notes" text:"multiline"`
	Decision string `json:"decision" text:"multiline"`
	Internal bool   `json:"internal"`
}

func (h *handler) updateWorkshop(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Version       int64                          `json:"version"`
		StartsAt      optional[time.Time]            `json:"starts_at"`
		Attendees     optional[[]int64]              `json:"attendees"`
		Notes         optional[string]               `json:"notes" text:"multiline"`
		InternalNotes optional[string]               `json:"internal_notes" text:"multiline"`
		NextMeeting   optional[models.Date]          `json:"next_meeting"`
		State         optional[models.WorkshopState] `json:"state"`
		Items         optional[[]itemRequest]        `json:"items"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	probs := models.Problems{}
	p := store.WorkshopPatch{Version: in.Version, StartsAt: requiredField(in.StartsAt, "starts_at", probs),
		Attendees: requiredField(in.Attendees, "attendees", probs), Notes: requiredField(in.Notes, "notes", probs),
		InternalNotes: requiredField(in.InternalNotes, "internal_notes", probs), NextMeeting: nullable(in.NextMeeting),
		State: requiredField(in.State, "state", probs)}
	if items := requiredField(in.Items, "items", probs); items != nil {
		list := make([]store.ItemInput, len(*items))
		for i, it := range *items {
			list[i] = store.ItemInput(it)
		}
		p.Items = &list
	}
	if err := probs.Err(); err != nil {
		return err
	}
	w, err := h.store.UpdateWorkshop(c.Request().Context(), actor(c), id, p)
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusOK, w)
}

func (h *handler) refreshAgenda(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Version int64 `json:"version"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	w, err := h.store.RefreshAgenda(c.Request().Context(), actor(c), id, in.Version)
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusOK, w)
}

func (h *handler) proposeItem(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Title string `json:"title"`
		Notes string `json:"notes" text:"multiline"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	w, err := h.store.ProposeItem(c.Request().Context(), actor(c), id, in.Title, in.Notes)
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusCreated, w)
}

type noteLineRequest struct {
	ItemID          *int64          `json:"item_id"`
	Line            string          `json:"line"`
	Title           string          `json:"title"`
	ProjectID       int64           `json:"project_id"`
	Kind            models.Kind     `json:"kind"`
	Priority        models.Priority `json:"priority"`
	EstimateMinutes *int            `json:"estimate_minutes"`
	AssigneeID      *int64          `json:"assignee_id"`
	Plan            models.LinePlan `json:"plan"`
	Question        string          `json:"question" text:"multiline"`
}

func (h *handler) convertLines(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Lines []noteLineRequest `json:"lines"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	lines := make([]models.NoteLine, len(in.Lines))
	for i, l := range in.Lines {
		lines[i] = models.NoteLine(l)
	}
	w, err := h.store.ConvertLines(c.Request().Context(), actor(c), id, lines)
	if err != nil {
		return err
	}
	return h.answerWorkshop(c, http.StatusCreated, w)
}

func (h *handler) taskWorkshop(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	l, err := h.store.TaskWorkshop(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, l)
}
