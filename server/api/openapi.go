package api

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/labstack/echo/v4"
	"github.com/swaggest/jsonschema-go"
	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"

	"github.com/doska/doska/models"
	"github.com/doska/doska/server/mail"
	"github.com/doska/doska/server/store"
)

//go:generate go run ./openapigen ../../docs/openapi.json

// operation documents one route: what it answers. The answers are the very
// Go types the handlers encode, so the document (and the TypeScript types
// generated from it) cannot drift from the wire; TestOpenAPICoversEveryRoute keeps
// this table equal to the routes. Request bodies are described in
// docs/API.md.
type operation struct {
	method, path string
	public       bool
	status       int
	answer       any // nil: no body
}

// Answers that are lists or maps: only their types matter.
var (
	cards        []models.Task
	listedCards  []store.ListedCard
	seqs         map[int64]int64
	readiness    map[string]string
	document     map[string]any
	clocks       map[int64]models.SLA
	savedFilters []models.SavedFilter
)

// noSession: the refresh route answers 204 without a body when no refresh
// cookie was sent, besides its Session.
var noSession = operation{http.MethodPost, "/api/auth/refresh", true, http.StatusNoContent, nil}

var operations = []operation{
	{http.MethodGet, "/healthz", true, http.StatusOK, readiness},
	{http.MethodGet, "/readyz", true, http.StatusOK, readiness},
	{http.MethodGet, "/api/openapi.json", true, http.StatusOK, document},

	{http.MethodPost, "/api/auth/login", true, http.StatusOK, session{}},
	{http.MethodPost, "/api/auth/refresh", true, http.StatusOK, session{}},
	{http.MethodPost, "/api/auth/logout", true, http.StatusNoContent, nil},
	{http.MethodPost, "/api/invitations/lookup", true, http.StatusOK, invitationInfo{}},
	{http.MethodPost, "/api/invitations/accept", true, http.StatusOK, session{}},
	{http.MethodGet, "/api/ws", true, http.StatusSwitchingProtocols, nil},

	{http.MethodGet, "/api/me", false, http.StatusOK, models.User{}},
	{http.MethodPatch, "/api/me", false, http.StatusOK, models.User{}},
	{http.MethodPost, "/api/me/password", false, http.StatusOK, session{}},

	{http.MethodGet, "/api/users", false, http.StatusOK, []models.User{}},
	{http.MethodPatch, "/api/users/:id", false, http.StatusOK, models.User{}},
	{http.MethodGet, "/api/invitations", false, http.StatusOK, []invitationView{}},
	{http.MethodPost, "/api/invitations", false, http.StatusCreated, invitationView{}},
	{http.MethodDelete, "/api/invitations/:id", false, http.StatusNoContent, nil},

	{http.MethodGet, "/api/clients", false, http.StatusOK, []models.Client{}},
	{http.MethodPost, "/api/clients", false, http.StatusCreated, models.Client{}},
	{http.MethodGet, "/api/clients/:id", false, http.StatusOK, models.Client{}},
	{http.MethodPatch, "/api/clients/:id", false, http.StatusOK, models.Client{}},

	{http.MethodGet, "/api/projects", false, http.StatusOK, []models.Project{}},
	{http.MethodPost, "/api/projects", false, http.StatusCreated, models.Project{}},
	{http.MethodGet, "/api/projects/:id", false, http.StatusOK, models.Project{}},
	{http.MethodPatch, "/api/projects/:id", false, http.StatusOK, models.Project{}},
	{http.MethodPut, "/api/projects/:id/members", false, http.StatusOK, models.Project{}},
	{http.MethodGet, "/api/projects/:id/board", false, http.StatusOK, store.Board{}},
	{http.MethodGet, "/api/projects/:id/archived", false, http.StatusOK, cards},
	{http.MethodPost, "/api/projects/:id/tasks", false, http.StatusCreated, taskDetail{}},
	{http.MethodGet, "/api/team-board", false, http.StatusOK, store.TeamBoard{}},

	{http.MethodGet, "/api/tasks/by-number/:number", false, http.StatusOK, taskDetail{}},
	{http.MethodGet, "/api/tasks/:id", false, http.StatusOK, taskDetail{}},
	{http.MethodPatch, "/api/tasks/:id", false, http.StatusOK, taskDetail{}},
	{http.MethodPost, "/api/tasks/:id/move", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/archive", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/restore", false, http.StatusOK, models.Task{}},
	{http.MethodGet, "/api/tasks/:id/activity", false, http.StatusOK, []models.Event{}},
	{http.MethodGet, "/api/tasks/:id/comments", false, http.StatusOK, []commentView{}},
	{http.MethodPost, "/api/tasks/:id/comments", false, http.StatusCreated, commentView{}},
	{http.MethodPatch, "/api/comments/:id", false, http.StatusOK, commentView{}},
	{http.MethodDelete, "/api/comments/:id", false, http.StatusNoContent, nil},

	{http.MethodPost, "/api/tasks/:id/approve", false, http.StatusOK, approval{}},
	{http.MethodPost, "/api/tasks/:id/request-changes", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/deployed", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/quote", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/quote/accept", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/quote/decline", false, http.StatusOK, models.Task{}},
	{http.MethodPost, "/api/tasks/:id/quote/override", false, http.StatusOK, models.Task{}},
	{http.MethodGet, "/api/tasks/:id/quote/amount", false, http.StatusOK, store.QuoteMoney{}},
	{http.MethodGet, "/api/waiting", false, http.StatusOK, store.WaitLists{}},
	{http.MethodGet, "/api/approvals", false, http.StatusOK, listedCards},
	{http.MethodGet, "/api/deploys", false, http.StatusOK, listedCards},
	{http.MethodGet, "/api/home", false, http.StatusOK, store.Home{}},
	{http.MethodGet, "/api/seqs", false, http.StatusOK, seqs},
	{http.MethodGet, "/api/notifications", false, http.StatusOK, store.Notifications{}},
	{http.MethodPost, "/api/notifications/read", false, http.StatusNoContent, nil},
	{http.MethodGet, "/api/settings", false, http.StatusOK, store.Settings{}},
	{http.MethodPatch, "/api/settings", false, http.StatusOK, store.Settings{}},

	{http.MethodGet, "/api/backlog", false, http.StatusOK, listedCards},
	{http.MethodGet, "/api/sprints/:week", false, http.StatusOK, store.Plan{}},
	{http.MethodGet, "/api/sprints/:week/report", false, http.StatusOK, store.SprintReport{}},
	{http.MethodPost, "/api/sprints/:week/close", false, http.StatusOK, store.SprintReport{}},
	{http.MethodPost, "/api/sprints/:week/plan", false, http.StatusOK, models.Task{}},
	{http.MethodPut, "/api/sprints/:week/capacity/:user", false, http.StatusNoContent, nil},
	{http.MethodPost, "/api/tasks/:id/unplan", false, http.StatusOK, models.Task{}},
	{http.MethodPut, "/api/users/:id/capacity", false, http.StatusOK, models.User{}},

	// The files themselves are bytes, not JSON (docs/API.md).
	{http.MethodPost, "/api/tasks/:id/attachments", false, http.StatusCreated, models.Attachment{}},
	{http.MethodGet, "/api/tasks/:id/attachments", false, http.StatusOK, []models.Attachment{}},
	{http.MethodGet, "/api/attachments/:id", false, http.StatusOK, nil},
	{http.MethodGet, "/api/attachments/:id/thumbnail", false, http.StatusOK, nil},
	{http.MethodDelete, "/api/attachments/:id", false, http.StatusNoContent, nil},

	{http.MethodGet, "/api/business-hours", false, http.StatusOK, models.BusinessHours{}},
	{http.MethodPut, "/api/business-hours", false, http.StatusOK, models.BusinessHours{}},
	{http.MethodGet, "/api/clients/:id/sla", false, http.StatusOK, slaTargets{}},
	{http.MethodPut, "/api/clients/:id/sla", false, http.StatusOK, slaTargets{}},
	{http.MethodGet, "/api/clients/:id/sla-report", false, http.StatusOK, store.SLAReport{}},
	{http.MethodGet, "/api/clients/:id/rates", false, http.StatusOK, models.Rates{}},
	{http.MethodPut, "/api/clients/:id/rates", false, http.StatusOK, models.Rates{}},
	{http.MethodGet, "/api/clients/:id/packages", false, http.StatusOK, store.PackageBalance{}},
	{http.MethodPost, "/api/clients/:id/packages", false, http.StatusCreated, models.HourPackage{}},
	{http.MethodPut, "/api/packages/:id", false, http.StatusOK, models.HourPackage{}},
	{http.MethodGet, "/api/projects/:id/sla", false, http.StatusOK, clocks},

	{http.MethodGet, "/api/timer", false, http.StatusOK, store.Timer{}},
	{http.MethodPost, "/api/timer", false, http.StatusOK, store.Timer{}},
	{http.MethodPost, "/api/timer/stop", false, http.StatusOK, store.Timer{}},
	{http.MethodGet, "/api/timesheet", false, http.StatusOK, store.Timesheet{}},
	{http.MethodGet, "/api/tasks/:id/time", false, http.StatusOK, store.TaskTime{}},
	{http.MethodPost, "/api/tasks/:id/time", false, http.StatusCreated, models.TimeEntry{}},
	{http.MethodPatch, "/api/time-entries/:id", false, http.StatusOK, models.TimeEntry{}},
	{http.MethodDelete, "/api/time-entries/:id", false, http.StatusNoContent, nil},
	{http.MethodGet, "/api/reports/time", false, http.StatusOK, models.Report{}},
	{http.MethodGet, "/api/reports/time.csv", false, http.StatusOK, nil},
	{http.MethodGet, "/api/workshops", false, http.StatusOK, []models.Workshop{}},
	{http.MethodPost, "/api/workshops", false, http.StatusCreated, models.Workshop{}},
	{http.MethodGet, "/api/workshops/:id", false, http.StatusOK, models.Workshop{}},
	{http.MethodPatch, "/api/workshops/:id", false, http.StatusOK, models.Workshop{}},
	{http.MethodPost, "/api/workshops/:id/refresh", false, http.StatusOK, models.Workshop{}},
	{http.MethodPost, "/api/workshops/:id/proposals", false, http.StatusCreated, models.Workshop{}},
	{http.MethodPost, "/api/workshops/:id/cards", false, http.StatusCreated, models.Workshop{}},
	{http.MethodGet, "/api/tasks/:id/workshop", false, http.StatusOK, store.WorkshopLink{}},
	{http.MethodGet, "/api/search", false, http.StatusOK, store.SearchPage{}},
	{http.MethodGet, "/api/saved-filters", false, http.StatusOK, savedFilters},
	{http.MethodPost, "/api/saved-filters", false, http.StatusCreated, models.SavedFilter{}},
	{http.MethodDelete, "/api/saved-filters/:id", false, http.StatusNoContent, nil},
	{http.MethodPatch, "/api/saved-filters/:id", false, http.StatusOK, models.SavedFilter{}},
	{http.MethodPost, "/api/requests", false, http.StatusCreated, taskDetail{}},
	{http.MethodPost, "/api/requests/attachments", false, http.StatusCreated, models.Attachment{}},
	{http.MethodGet, "/api/triage", false, http.StatusOK, []store.TriageCard{}},
	{http.MethodPost, "/api/tasks/:id/escalate", false, http.StatusOK, models.Task{}},
	{http.MethodGet, "/api/clients/:id/overview", false, http.StatusOK, store.WaitLists{}},
	{http.MethodGet, "/api/clients/:id/statements", false, http.StatusOK, []store.StatementSummary{}},
	{http.MethodPost, "/api/clients/:id/statements", false, http.StatusCreated, models.Statement{}},
	{http.MethodGet, "/api/statements/:id", false, http.StatusOK, models.Statement{}},
	{http.MethodGet, "/api/statements/:id/csv", false, http.StatusOK, nil},
	{http.MethodPut, "/api/statements/:id/notes/:entry", false, http.StatusOK, models.Statement{}},
	{http.MethodPost, "/api/statements/:id/issue", false, http.StatusOK, models.Statement{}},
	{http.MethodPost, "/api/auth/forgot", true, http.StatusAccepted, nil},
	{http.MethodPost, "/api/auth/reset", true, http.StatusNoContent, nil},
	{http.MethodPost, "/api/mail/unsubscribe/:token", true, http.StatusNoContent, nil},
	{http.MethodGet, "/api/mail", false, http.StatusOK, sentMailList{}},
	{http.MethodGet, "/api/me/mail", false, http.StatusOK, store.MailPrefs{}},
	{http.MethodPut, "/api/me/mail", false, http.StatusOK, store.MailPrefs{}},
}

// eventData are the types of an event's data, one per group of kinds
// (docs/API.md lists which); no route answers them directly.
var eventData = []any{models.TaskEvent{}, models.CommentEvent{}, models.RespaceEvent{}, store.ProjectEvent{}, models.AttachmentEvent{}, store.SLAAlert{}}

// schemaNames renames Go types whose names differ on the wire: a task is
// a card to its readers, and views take the name of what they show.
var schemaNames = map[reflect.Type]string{
	reflect.TypeFor[models.Task]():    "Card",
	reflect.TypeFor[models.Member]():  "ProjectMember",
	reflect.TypeFor[commentView]():    "Comment",
	reflect.TypeFor[invitationView](): "Invitation",
	reflect.TypeFor[store.Settings](): "AgencySettings",
	reflect.TypeFor[errorBody]():      "Error",
	reflect.TypeFor[mail.Kind]():      "MailKind",
	reflect.TypeFor[mail.Message]():   "MailMessage",
}

// enums gives the values of the string types that are closed sets.
var enums = map[reflect.Type][]string{
	reflect.TypeFor[models.Role]():             strs(models.Roles),
	reflect.TypeFor[models.Status]():           strs(models.Statuses),
	reflect.TypeFor[models.Kind]():             strs(models.Kinds),
	reflect.TypeFor[models.Priority]():         strs(models.Priorities),
	reflect.TypeFor[models.ApprovalState]():    strs(models.ApprovalStates),
	reflect.TypeFor[models.NotificationKind](): strs(models.NotificationKinds),
	reflect.TypeFor[models.EventKind]():        strs(models.EventKinds),
	reflect.TypeFor[models.SLAGoal]():          strs(models.SLAGoals),
	reflect.TypeFor[models.ClockState]():       strs(models.ClockStates),
	reflect.TypeFor[models.Party]():            strs(models.Parties),
	reflect.TypeFor[models.WaitReason]():       strs(models.WaitReasons),
	reflect.TypeFor[models.ReportGroup]():      strs(models.ReportGroups),
	reflect.TypeFor[mail.Kind]():               strs(mail.Kinds),
	reflect.TypeFor[models.AgendaSource]():     strs(models.AgendaSources),
}

func strs[S ~string](list []S) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = string(s)
	}
	return out
}

// OpenAPI returns the OpenAPI 3.1 document of the API as JSON. It is built
// once, by reflection over the wire types.
var OpenAPI = sync.OnceValues(buildOpenAPI)

func buildOpenAPI() ([]byte, error) {
	r := openapi31.NewReflector()
	r.Spec.Info.WithTitle("Doska").WithVersion("1").WithDescription(
		"Answers of the Doska HTTP API. Requests, rules and the websocket protocol: docs/API.md.")
	r.Spec.SetHTTPBearerTokenSecurity("bearer", "JWT", "The access token of a session.")
	r.DefaultOptions = append(r.DefaultOptions, jsonschema.InterceptProp(refineProp),
		jsonschema.InterceptSchema(refine), jsonschema.InterceptNullability(noNullLists),
		jsonschema.InterceptDefName(func(t reflect.Type, _ string) string { return schemaName(t) }))
	r.InlineDefinition(models.Date{})
	for _, op := range operations {
		oc, err := r.NewOperationContext(op.method, openAPIPath(op.path))
		if err != nil {
			return nil, err
		}
		oc.SetID(strings.ToLower(op.method) + openAPIPath(op.path))
		if params := pathParams(op.path); params != nil {
			oc.AddReqStructure(params)
		}
		if !op.public {
			oc.AddSecurity("bearer")
		}
		oc.AddRespStructure(op.answer, openapi.WithHTTPStatus(op.status))
		if op.method == noSession.method && op.path == noSession.path {
			oc.AddRespStructure(noSession.answer, openapi.WithHTTPStatus(noSession.status))
		}
		if err := r.AddOperation(oc); err != nil {
			return nil, err
		}
	}
	for _, p := range append(eventData, errorBody{}) {
		_, err := r.Reflect(p, jsonschema.RootRef, jsonschema.DefinitionsPrefix("#/components/schemas/"),
			jsonschema.CollectDefinitions(func(name string, s jsonschema.Schema) {
				r.SpecEns().ComponentsEns().WithSchemasItem(name, must(s.ToSchemaOrBool().ToSimpleMap()))
			}))
		if err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(r.Spec, "", "  ")
}

// schemaName names a type's schema: its Go name without the package, with
// a capital, unless schemaNames says otherwise.
func schemaName(t reflect.Type) string {
	if n, ok := schemaNames[t]; ok {
		return n
	}
	n := []rune(t.Name())
	n[0] = unicode.ToUpper(n[0])
	return string(n)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// refineProp marks every field encoding/json always writes as required
// (absent means omitempty), and says what an event's data may be.
func refineProp(p jsonschema.InterceptPropParams) error {
	if !p.Processed {
		return nil
	}
	if p.Field.Type == reflect.TypeFor[json.RawMessage]() {
		*p.PropertySchema = jsonschema.Schema{}
		for _, d := range eventData {
			p.PropertySchema.OneOf = append(p.PropertySchema.OneOf,
				(&jsonschema.Schema{}).WithRef("#/components/schemas/"+schemaName(reflect.TypeOf(d))).ToSchemaOrBool())
		}
	}
	if _, opts, _ := strings.Cut(p.Field.Tag.Get("json"), ","); !strings.Contains(opts, "omitempty") {
		p.ParentSchema.Required = append(p.ParentSchema.Required, p.Name)
	}
	return nil
}

// refine adds what reflection cannot see: the values of closed sets, that
// a Date is a calendar day, and that a struct has no other fields (so
// TestPermissionMatrix catches a field sent but not declared).
func refine(p jsonschema.InterceptSchemaParams) (bool, error) {
	if t := p.Value.Type(); t == reflect.TypeFor[models.Date]() || t == reflect.TypeFor[*models.Date]() {
		p.Schema.WithType(jsonschema.String.Type()).WithFormat("date")
		return true, nil
	}
	if !p.Processed {
		return false, nil
	}
	if p.Value.Kind() == reflect.Struct && p.Schema.HasType(jsonschema.Object) {
		p.Schema.WithAdditionalProperties(jsonschema.SchemaOrBool{TypeBoolean: new(false)})
	}
	if values, ok := enums[p.Value.Type()]; ok {
		for _, v := range values {
			p.Schema.Enum = append(p.Schema.Enum, v)
		}
	}
	if k := p.Value.Kind(); k == reflect.Slice || k == reflect.Map {
		p.Schema.RemoveType(jsonschema.Null) // see noNullLists
	}
	return false, nil
}

// noNullLists declares lists and maps as never null: the server sends
// empty ones, which TestAnswersMatchOpenAPI checks on every route.
func noNullLists(p jsonschema.InterceptNullabilityParams) {
	if k := p.Type.Kind(); k == reflect.Slice || k == reflect.Map {
		p.Schema.RemoveType(jsonschema.Null)
	}
	// A pointer to a struct is a reference, which the reflector leaves
	// non-null; encoding/json writes null for nil.
	if p.Type.Kind() == reflect.Pointer && p.Type.Elem().Kind() == reflect.Struct && p.RefDef != nil && p.Schema.Ref != nil {
		ref := jsonschema.Schema{Ref: p.Schema.Ref}
		p.Schema.Ref, p.Schema.Type = nil, nil
		p.Schema.AnyOf = []jsonschema.SchemaOrBool{ref.ToSchemaOrBool(), (&jsonschema.Schema{}).WithType(jsonschema.Null.Type()).ToSchemaOrBool()}
	}
}

// openAPIPath turns Echo's /tasks/:id into OpenAPI's /tasks/{id}.
func openAPIPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			parts[i] = "{" + name + "}"
		}
	}
	return strings.Join(parts, "/")
}

// pathParams returns a value whose fields are the path's parameters, as
// the reflector reads them; nil when it has none. A week is a string
// ("2026-W48", a date or "current"), every other parameter an integer.
func pathParams(path string) any {
	var fields []reflect.StructField
	for _, s := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(s, ":"); ok {
			typ := reflect.TypeFor[int64]()
			if name == "week" {
				typ = reflect.TypeFor[string]()
			}
			fields = append(fields, reflect.StructField{Name: "P" + strconv.Itoa(len(fields)), Type: typ, Tag: reflect.StructTag(`path:"` + name + `"`)})
		}
	}
	if fields == nil {
		return nil
	}
	return reflect.New(reflect.StructOf(fields)).Elem().Interface()
}

// openAPIDoc serves the document. It is public: it tells no more than the
// web app's own code, and API users read it before they have a session.
func (h *handler) openAPIDoc(c echo.Context) error {
	doc, err := OpenAPI()
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, doc)
}
