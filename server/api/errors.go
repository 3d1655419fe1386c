package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/doska/doska/models"
)

// errorBody is the one shape of every error answer.
type errorBody struct {
	Error     errorDetail `json:"error"`
	RequestID string      `json:"request_id"`
	Current   any         `json:"current,omitempty"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError is Echo's HTTPErrorHandler: the one place that turns errors
// into HTTP answers. Unknown errors become a generic 500 and a log record.
func (h *handler) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := h.describe(err, c)
	body.RequestID = c.Response().Header().Get(echo.HeaderXRequestID)
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, body)
	}
	if err != nil {
		h.log.Error("write error response", "err", err, "request_id", body.RequestID)
	}
}

func (h *handler) describe(err error, c echo.Context) (int, errorBody) {
	var (
		valErr   *models.ValidationError
		conflict *models.ConflictError
		limited  *models.RateLimitedError
		bad      *badRequest
		httpErr  *echo.HTTPError
	)
	detail := func(status int, code, msg string) (int, errorBody) {
		return status, errorBody{Error: errorDetail{Code: code, Message: msg}}
	}
	switch {
	case errors.As(err, &valErr):
		return http.StatusUnprocessableEntity, errorBody{Error: errorDetail{Code: "validation", Message: "check the highlighted fields", Fields: valErr.Fields}}
	case errors.As(err, &bad):
		return http.StatusBadRequest, errorBody{Error: errorDetail{Code: "bad_request", Message: bad.field + " " + bad.message, Fields: map[string]string{bad.field: bad.message}}}
	case errors.Is(err, errNotJSON):
		return detail(http.StatusUnsupportedMediaType, "unsupported_media_type", errNotJSON.Error())
	case errors.Is(err, models.ErrNotFound):
		return detail(http.StatusNotFound, "not_found", "not found")
	case errors.Is(err, models.ErrForbidden):
		h.log.Warn("authz_denied", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"actor_id", actorID(c), "method", c.Request().Method, "route", c.Path())
		return detail(http.StatusForbidden, "forbidden", "you are not allowed to do this")
	case errors.Is(err, models.ErrUnauthenticated):
		return detail(http.StatusUnauthorized, "unauthenticated", "please sign in")
	case errors.Is(err, models.ErrGone):
		return detail(http.StatusGone, "gone", "this link was already used or has expired")
	case errors.As(err, &conflict):
		s, b := detail(http.StatusConflict, "conflict", conflict.Reason)
		b.Current = conflict.Current
		return s, b
	case errors.Is(err, models.ErrDuplicate):
		return detail(http.StatusConflict, "conflict", "this already exists")
	case errors.As(err, &limited):
		c.Response().Header().Set("Retry-After", strconv.Itoa(limited.RetryAfterSeconds))
		return detail(http.StatusTooManyRequests, "rate_limited", "too many attempts; try again in "+strconv.Itoa(limited.RetryAfterSeconds)+" s")
	case errors.Is(err, models.ErrUnavailable):
		c.Response().Header().Set("Retry-After", "5")
		h.log.Error("database unavailable", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		return detail(http.StatusServiceUnavailable, "unavailable", "the service is briefly unavailable; try again in a few seconds")
	case errors.As(err, &httpErr) && httpErr.Code < 500:
		return detail(httpErr.Code, httpCode(httpErr.Code), httpMessage(httpErr))
	}
	h.log.Error("request failed", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
		"method", c.Request().Method, "route", c.Path())
	return detail(http.StatusInternalServerError, "internal", "something went wrong on our side")
}

func httpCode(status int) string {
	switch status {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnauthorized:
		return "unauthenticated"
	case http.StatusForbidden:
		return "forbidden"
	}
	return "bad_request"
}

func httpMessage(e *echo.HTTPError) string {
	switch e.Code {
	case http.StatusRequestEntityTooLarge:
		return "the request body is larger than 1 MiB"
	case http.StatusNotFound:
		return "not found"
	}
	if m, ok := e.Message.(string); ok {
		return m
	}
	return http.StatusText(e.Code)
}
