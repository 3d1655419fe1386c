package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

func (h *handler) businessHours(c echo.Context) error {
	b, err := h.store.BusinessHours(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

func (h *handler) setBusinessHours(c echo.Context) error {
	// Holidays arrive as text so that a bad one is named by its field.
	var in struct {
		models.BusinessHours
		Holidays []string `json:"holidays"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	in.BusinessHours.Holidays = make([]models.Date, len(in.Holidays))
	for i, s := range in.Holidays {
		d, err := models.ParseDate(s)
		if err != nil {
			return &models.ValidationError{Fields: map[string]models.Problem{"holidays": problemOf(err)}}
		}
		in.BusinessHours.Holidays[i] = d
	}
	b, err := h.store.SetBusinessHours(c.Request().Context(), actor(c), in.BusinessHours)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, b)
}

// slaTargets is the body of a client's targets, one entry per priority.
type slaTargets struct {
	Targets []models.SLATarget `json:"targets"`
}

func (h *handler) slaTargets(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	list, err := h.store.SLATargets(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, slaTargets{list})
}

func (h *handler) setSLATargets(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in slaTargets
	if err := bind(c, &in); err != nil {
		return err
	}
	list, err := h.store.SetSLATargets(c.Request().Context(), actor(c), id, in.Targets)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, slaTargets{list})
}

func (h *handler) slaReport(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	rep, err := h.store.SLAReport(c.Request().Context(), actor(c), id, c.QueryParam("month"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

func (h *handler) boardClocks(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	clocks, err := h.store.Clocks(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, clocks)
}
