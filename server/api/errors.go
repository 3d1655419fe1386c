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

// Fields says in English what is wrong with each field; Problems says the
// same as stable codes with the values they name, for the web app to show
// in its user's language (frontend/messages: "field_<code>"). Conflict is
// why a 409 refused, the same way ("conflict_<code>"); Message says it in
// English.
type errorDetail struct {
	Code     string                  `json:"code"`
	Message  string                  `json:"message"`
	Fields   map[string]string       `json:"fields,omitempty"`
	Problems map[string]fieldProblem `json:"problems,omitempty"`
	Conflict *fieldProblem           `json:"conflict,omitempty"`
}

type fieldProblem struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// withFields adds the problems of fields to an error answer.
func (b *errorBody) withFields(fields map[string]models.Problem) {
	b.Error.Fields = make(map[string]string, len(fields))
	b.Error.Problems = make(map[string]fieldProblem, len(fields))
	for name, p := range fields {
		b.Error.Fields[name] = p.Message()
		b.Error.Problems[name] = fieldProblem{Code: p.Code(), Params: p.Params()}
	}
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

// messages are what a person reads for each error code, in one place so
// that they can be translated by code. Field messages come from the rules
// that found the problem; conflicts and rate limits say their own.
var messages = map[string]string{
	"validation":             "Correct the highlighted fields and try again.",
	"bad_request":            "Correct the request: a field could not be read.",
	"unsupported_media_type": "Send the body as JSON (Content-Type: application/json).",
	"not_found":              "This does not exist or is not shared with you; check the link.",
	"method_not_allowed":     "Use another method for this address; see the API description.",
	"too_large":              "Send a body smaller than 1 MiB.",
	"file_too_large":         "Send a smaller file: it is over the agency's size limit.",
	"forbidden":              "You are not allowed to do this; ask a manager if you need it done.",
	"unauthenticated":        "Sign in to continue.",
	"gone":                   "This link was already used or has expired; ask for a new invitation.",
	"work_started":           "Work on this request has started, so it can no longer be edited; write a comment instead.",
	"unavailable":            "The service is briefly unavailable; try again in a few seconds.",
	"internal":               "Something went wrong on our side; try again, and tell us if it keeps happening.",
}

func (h *handler) describe(err error, c echo.Context) (int, errorBody) {
	var (
		valErr   *models.ValidationError
		conflict *models.ConflictError
		limited  *models.RateLimitedError
		bad      *badRequest
		tooBig   *fileTooLarge
		httpErr  *echo.HTTPError
	)
	detail := func(status int, code string) (int, errorBody) {
		return status, errorBody{Error: errorDetail{Code: code, Message: messages[code]}}
	}
	switch {
	case errors.As(err, &valErr):
		s, b := detail(http.StatusUnprocessableEntity, "validation")
		b.withFields(valErr.Fields)
		return s, b
	case errors.As(err, &tooBig):
		s, b := detail(http.StatusRequestEntityTooLarge, "file_too_large")
		b.withFields(map[string]models.Problem{"file": models.FileTooLarge.With(tooBig.limitMB)})
		return s, b
	case errors.As(err, &bad):
		s, b := detail(http.StatusBadRequest, "bad_request")
		b.withFields(map[string]models.Problem{bad.field: bad.problem})
		return s, b
	case errors.Is(err, errNotJSON):
		return detail(http.StatusUnsupportedMediaType, "unsupported_media_type")
	case errors.Is(err, models.ErrNotFound):
		return detail(http.StatusNotFound, "not_found")
	case errors.Is(err, models.ErrForbidden):
		h.log.Warn("authz_denied", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"actor_id", actorID(c), "method", c.Request().Method, "route", c.Path())
		return detail(http.StatusForbidden, "forbidden")
	case errors.Is(err, models.ErrUnauthenticated):
		return detail(http.StatusUnauthorized, "unauthenticated")
	case errors.Is(err, models.ErrGone):
		return detail(http.StatusGone, "gone")
	case errors.As(err, &conflict):
		b := errorBody{Error: errorDetail{Code: "conflict", Message: conflict.Reason.Message(),
			Conflict: &fieldProblem{Code: conflict.Reason.Code(), Params: conflict.Reason.Params()}}, Current: conflict.Current}
		if conflict.Fields != nil {
			b.withFields(conflict.Fields)
		}
		return http.StatusConflict, b
	case errors.Is(err, models.ErrWorkStarted):
		return detail(http.StatusConflict, "work_started")
	case errors.Is(err, models.ErrDuplicate):
		return h.describe(&models.ConflictError{Reason: models.Duplicate.With()}, c)
	case errors.As(err, &limited):
		c.Response().Header().Set("Retry-After", strconv.Itoa(limited.RetryAfterSeconds))
		return http.StatusTooManyRequests, errorBody{Error: errorDetail{Code: "rate_limited",
			Message: "Too many attempts; try again in " + strconv.Itoa(limited.RetryAfterSeconds) + " seconds."}}
	case errors.Is(err, models.ErrUnavailable):
		c.Response().Header().Set("Retry-After", "5")
		h.log.Error("database unavailable", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		return detail(http.StatusServiceUnavailable, "unavailable")
	case errors.As(err, &httpErr) && httpErr.Code < 500:
		s, b := detail(httpErr.Code, httpCode(httpErr.Code))
		if m, ok := httpErr.Message.(string); ok && m != http.StatusText(httpErr.Code) {
			b.Error.Message = m // our own middleware's
		}
		return s, b
	}
	h.log.Error("request failed", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
		"method", c.Request().Method, "route", c.Path())
	return detail(http.StatusInternalServerError, "internal")
}

// httpCode names the errors Echo itself raises (routing, body limit).
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
