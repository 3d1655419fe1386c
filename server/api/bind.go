package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/secure/precis"

	"github.com/doska/doska/models"
)

// badRequest is input that cannot be read at all: not JSON, an unknown
// field, a value of the wrong type.
type badRequest struct {
	field   string
	problem models.Problem
}

func (e *badRequest) Error() string { return "bad request: " + e.field + " " + e.problem.Message() }

// errNotJSON is a body with another media type; it answers 415, which also
// keeps HTML forms from other sites out of the cookie endpoints.
var errNotJSON = errors.New("request body is not application/json")

// bind decodes the JSON body into dst strictly: unknown fields, trailing
// data and type mismatches are errors that name the field.
func bind(c echo.Context, dst any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return errNotJSON
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		// The body limit middleware reports oversize bodies through here.
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return he
		}
		return &badRequest{"body", models.BodyUnreadable.With()}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return &badRequest{"body", models.BodyOneObject.With()}
	}
	probs := models.Problems{}
	checkText(reflect.ValueOf(dst), "body", "", probs)
	return probs.Err()
}

// checkText applies the text rule to every string in a decoded request, so
// no field of any command can skip it. A field's `text` tag says its kind:
// none is a single line, "multiline" takes line breaks and tabs, "name" is
// a person's display name (normalised in place, see displayName). The tag
// is inherited by what the field holds (a pointer, list or optional).
func checkText(v reflect.Value, field, tag string, p models.Problems) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			checkText(v.Elem(), field, tag, p)
		}
	case reflect.Slice, reflect.Array:
		// The fields of a list of objects are named as the commands name
		// them, after the element ("items.2.title"); a list of strings is
		// one field.
		objects := v.Type().Elem()
		for objects.Kind() == reflect.Pointer {
			objects = objects.Elem()
		}
		for i := range v.Len() {
			if objects.Kind() == reflect.Struct {
				checkText(v.Index(i), field+"."+strconv.Itoa(i)+".", tag, p)
			} else {
				checkText(v.Index(i), field, tag, p)
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			checkText(it.Value(), field, tag, p)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, fieldTag := field, tag
			if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n != "" && n != "-" {
				name = n
				if strings.HasSuffix(field, ".") {
					name = field + n
				}
			}
			if t, ok := f.Tag.Lookup("text"); ok {
				fieldTag = t
			}
			checkText(v.Field(i), name, fieldTag, p)
		}
	case reflect.String:
		var k *models.ProblemKind
		switch tag {
		case "multiline":
			k = models.MultiLine.Problem(v.String())
		case "name":
			var name string
			if name, k = displayName(v.String()); k == nil && v.CanSet() {
				v.SetString(name)
			}
		default:
			k = models.SingleLine.Problem(v.String())
		}
		if k != nil {
			p.Add(field, k)
		}
	}
}

// displayName normalises a person's name with the PRECIS Nickname profile
// (RFC 8266): full-width forms folded, runs of spaces collapsed, and
// invisible or direction-changing characters (zero-width joiners,
// right-to-left overrides) refused, so no one can pose as someone else
// with a name that looks the same. An empty name is left to the command's
// "required" rule.
func displayName(s string) (string, *models.ProblemKind) {
	if strings.TrimSpace(s) == "" {
		return s, nil
	}
	name, err := precis.Nickname.String(s)
	if err != nil {
		return s, models.NameChars
	}
	return name, nil
}

func jsonError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return &badRequest{field, jsonKind(typeErr.Type.Kind().String()).With()}
	case errors.As(err, &syntaxErr):
		return &badRequest{"body", models.BodyInvalidAt.With(syntaxErr.Offset)}
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &badRequest{"body", models.BodyCut.With()}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return &badRequest{name, models.UnknownField.With()}
	}
	return &badRequest{"body", models.BodyInvalid.With()}
}

func jsonKind(k string) *models.ProblemKind {
	switch k {
	case "string":
		return models.WantString
	case "bool":
		return models.WantBool
	case "slice", "array":
		return models.WantList
	case "struct", "map":
		return models.WantObject
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return models.WantInteger
	case "float32", "float64":
		return models.WantNumber
	}
	return models.WantOther
}

// idParam reads a positive integer path parameter.
func idParam(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &badRequest{name, models.PositiveID.With()}
	}
	return id, nil
}

// int64Query reads an optional positive integer query parameter (0 = absent).
func int64Query(c echo.Context, name string) (int64, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, &badRequest{name, models.PositiveID.With()}
	}
	return id, nil
}

// boolQuery reads an optional boolean query parameter.
func boolQuery(c echo.Context, name string) (bool, error) {
	v := c.QueryParam(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &badRequest{name, models.BoolQuery.With()}
	}
	return b, nil
}

// problemOf is the field problem a parser in models returned (ParseDate,
// ParseWeek): their errors are always one.
func problemOf(err error) models.Problem {
	var p models.Problem
	errors.As(err, &p)
	return p
}
