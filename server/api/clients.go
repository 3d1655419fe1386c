package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

func (h *handler) listClients(c echo.Context) error {
	archived, err := boolQuery(c, "archived")
	if err != nil {
		return err
	}
	list, err := h.store.ListClients(c.Request().Context(), actor(c), archived)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (h *handler) getClient(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	cl, err := h.store.Client(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cl)
}

type clientRequest struct {
	Name     *string `json:"name"`
	Archived *bool   `json:"archived"`
}

func (h *handler) createClient(c echo.Context) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	cl, err := h.store.CreateClient(c.Request().Context(), actor(c), in.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, cl)
}

func (h *handler) updateClient(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in clientRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	cl, err := h.store.UpdateClient(c.Request().Context(), actor(c), id, store.ClientPatch{Name: in.Name, Archived: in.Archived})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cl)
}

func (h *handler) rates(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	r, err := h.store.Rates(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (h *handler) setRates(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in models.Rates
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := h.store.SetRates(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}
