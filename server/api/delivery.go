package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/store"
)

type approveRequest struct {
	Version  int64  `json:"version"`
	DeployOn string `json:"deploy_on"`
	Reason   string `json:"reason"`
}

// approval is the answer to an approval: the card, and a warning when the
// chosen deploy day is outside the deploy window.
type approval struct {
	Task    models.Task           `json:"task"`
	Warning *models.DeployWarning `json:"warning,omitempty"`
}

func (h *handler) approveTask(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in approveRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	var day *models.Date
	if in.DeployOn != "" {
		d, err := models.ParseDate(in.DeployOn)
		if err != nil {
			return &models.ValidationError{Fields: map[string]models.Problem{"deploy_on": problemOf(err)}}
		}
		day = &d
	}
	t, warning, err := h.store.ApproveTask(c.Request().Context(), actor(c), id, store.Approval{Version: in.Version, DeployOn: day, Reason: in.Reason})
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, approval{Task: t, Warning: warning})
}

type changesRequest struct {
	Version int64  `json:"version"`
	Comment string `json:"comment" text:"multiline"`
}

func (h *handler) requestChanges(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	var in changesRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	t, err := h.store.RequestChanges(c.Request().Context(), actor(c), id, in.Version, in.Comment)
	if err != nil {
		return h.conflictView(c, err)
	}
	return c.JSON(http.StatusOK, t)
}

func (h *handler) markDeployed(c echo.Context) error {
	return h.versioned(c, h.store.MarkDeployed)
}

func (h *handler) waiting(c echo.Context) error {
	lists, err := h.store.Waiting(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, lists)
}

func (h *handler) approvals(c echo.Context) error {
	return h.cardList(c, h.store.Approvals)
}

func (h *handler) deployList(c echo.Context) error {
	return h.cardList(c, h.store.DeployList)
}

func (h *handler) cardList(c echo.Context, list func(ctx context.Context, a models.Actor) ([]store.ListedCard, error)) error {
	cards, err := list(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cards)
}

func (h *handler) seqs(c echo.Context) error {
	seqs, err := h.store.Seqs(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, seqs)
}

func (h *handler) home(c echo.Context) error {
	home, err := h.store.Home(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, home)
}

func (h *handler) notifications(c echo.Context) error {
	n, err := h.store.ListNotifications(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

func (h *handler) markRead(c echo.Context) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := h.store.MarkRead(c.Request().Context(), actor(c), in.IDs); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (h *handler) settings(c echo.Context) error {
	s, err := h.store.Settings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}

func (h *handler) updateSettings(c echo.Context) error {
	var in struct {
		DeployDays    *[]time.Weekday  `json:"deploy_days"`
		BufferPercent *int             `json:"buffer_percent"`
		DefaultLocale *models.Locale   `json:"default_locale"`
		AttachmentMB  *int             `json:"attachment_max_mb"`
		TimeRounding  *models.Rounding `json:"time_rounding"`
		StuckDays     *int             `json:"stuck_days"`
		ShowMoney     *bool            `json:"show_money_to_devs"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	s, err := h.store.UpdateSettings(c.Request().Context(), actor(c), store.SettingsPatch{DeployDays: in.DeployDays, BufferPercent: in.BufferPercent, DefaultLocale: in.DefaultLocale,
		AttachmentMaxMB: in.AttachmentMB, TimeRounding: in.TimeRounding, StuckDays: in.StuckDays, ShowMoneyToDevs: in.ShowMoney})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s)
}
