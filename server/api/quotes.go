package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/server/store"
)

type quoteRequest struct {
	Version int64 `json:"version"`
	// Minutes is the estimate when sending a quote.
	Minutes int `json:"quote_minutes"`
	// Comment is why the client declines; Reason why a manager starts
	// without the client's acceptance.
	Comment string `json:"comment" text:"multiline"`
	Reason  string `json:"reason"`
}

// quote is the handler of one step of a card's quote.
func (h *handler) quote(do store.QuoteAction) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := idParam(c, "id")
		if err != nil {
			return err
		}
		var in quoteRequest
		if err := bind(c, &in); err != nil {
			return err
		}
		t, err := h.store.Quote(c.Request().Context(), actor(c), id, do,
			store.QuoteInput{Version: in.Version, Minutes: in.Minutes, Comment: in.Comment, Reason: in.Reason})
		if err != nil {
			return h.conflictView(c, err)
		}
		return c.JSON(http.StatusOK, t)
	}
}

// quoteAmount answers the frozen amount of a card's quote; the field is
// absent for a reader who may not see money.
func (h *handler) quoteAmount(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	m, err := h.store.QuoteAmount(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, m)
}
