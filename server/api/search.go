package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

// search answers GET /api/search: a page of what the reader may see, or
// for "#123" that card (404 when it is out of their sight or absent).
func (h *handler) search(c echo.Context) error {
	q, err := models.ParseSearch(c.QueryParam("q"))
	if err != nil {
		return err
	}
	f := store.SearchFilter{Query: q, Cursor: c.QueryParam("cursor"), Status: models.Status(c.QueryParam("status")),
		Kind: models.Kind(c.QueryParam("kind")), Priority: models.Priority(c.QueryParam("priority")), Limit: 20}
	probs := models.Problems{}
	for name, dst := range map[string]*int64{"client_id": &f.ClientID, "project_id": &f.ProjectID, "assignee_id": &f.AssigneeID} {
		if *dst, err = int64Query(c, name); err != nil {
			return err
		}
	}
	if v := c.QueryParam("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 100 {
			probs.Add("limit", models.SearchLimit, 100)
		}
	}
	if f.Status != "" && !f.Status.Valid() {
		probs.Add("status", models.StatusChoice)
	}
	if f.Kind != "" && !f.Kind.Valid() {
		probs.Add("kind", models.KindChoice)
	}
	if f.Priority != "" && !f.Priority.Valid() {
		probs.Add("priority", models.PriorityChoice)
	}
	for name, dst := range map[string]**models.Date{"created_from": &f.CreatedFrom, "created_to": &f.CreatedTo,
		"updated_from": &f.UpdatedFrom, "updated_to": &f.UpdatedTo} {
		if v := c.QueryParam(name); v != "" {
			d, err := models.ParseDate(v)
			if err != nil {
				probs.Put(name, problemOf(err))
				continue
			}
			*dst = &d
		}
	}
	if err := probs.Err(); err != nil {
		return err
	}
	page, err := h.store.Search(c.Request().Context(), actor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (h *handler) savedFilters(c echo.Context) error {
	list, err := h.store.SavedFilters(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handler) saveFilter(c echo.Context) error {
	var in struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	f, err := h.store.SaveFilter(c.Request().Context(), actor(c), models.SavedFilter{Name: in.Name, URL: in.URL})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, f)
}

func (h *handler) deleteSavedFilter(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := h.store.DeleteSavedFilter(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *handler) renameSavedFilter(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name string `json:"name"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	f, err := h.store.RenameSavedFilter(c.Request().Context(), actor(c), id, in.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}
