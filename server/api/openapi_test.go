package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/doska/doska/server/api"
)

// openAPIFile is the committed document; the web app's types are generated
// from it.
const openAPIFile = "../../docs/openapi.json"

// TestOpenAPIFileIsCurrent fails when a Go wire type changed and the
// document (and so the TypeScript types) was not generated again.
func TestOpenAPIFileIsCurrent(t *testing.T) {
	t.Parallel()
	doc, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(doc, '\n'), file) {
		t.Errorf("docs/openapi.json is not what the Go types give: run `make types` and commit the result")
	}
}

// TestOpenAPICoversEveryRoute keeps the document's operations equal to the
// routes: every route documented, none that does not exist.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDoc(t), &doc); err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	for _, r := range e.echo.Routes() {
		if strings.HasSuffix(r.Path, "/*") || r.Method == "echo_route_not_found" {
			continue // the SPA and the JSON 404 catch-all
		}
		key := r.Method + " " + api.OpenAPIPath(r.Path)
		if !documented[key] {
			t.Errorf("route %s is not in the OpenAPI document", key)
		}
		delete(documented, key)
	}
	for key := range documented {
		t.Errorf("the OpenAPI document has %s, which is no route", key)
	}
}

func TestOpenAPIServed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	res := e.do(req{method: http.MethodGet, path: "/api/openapi.json"})
	if res.status != http.StatusOK || !bytes.Equal(res.body, openAPIDoc(t)) {
		t.Fatalf("GET /api/openapi.json: %d %.200s", res.status, res.body)
	}
}

func openAPIDoc(t *testing.T) []byte {
	t.Helper()
	doc, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// answerSchemas compiles the document once for checkAnswer. A compiler is
// not safe for concurrent use and the permission matrix checks answers in
// parallel: compiling holds it, since Compile writes the compiler's maps
// (a compiled schema validates from any goroutine).
var (
	answerSchemas = sync.OnceValues(func() (*jsonschema.Compiler, error) {
		doc, err := api.OpenAPI()
		if err != nil {
			return nil, err
		}
		parsed, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
		if err != nil {
			return nil, err
		}
		c := jsonschema.NewCompiler()
		return c, c.AddResource("doska:openapi.json", parsed)
	})
	compiling sync.Mutex
)

// checkAnswer fails unless a successful answer is what the OpenAPI document
// (and so the web app's types) declares for its route and status: no field
// missing, none undeclared, no null where none is allowed, no value
// outside its set.
func checkAnswer(t *testing.T, method, route string, res response) {
	t.Helper()
	if res.status >= 300 || res.status == http.StatusSwitchingProtocols {
		return
	}
	c, err := answerSchemas()
	if err != nil {
		t.Fatal(err)
	}
	pointer := "/paths/" + escapePointer(api.OpenAPIPath(route)) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(res.status)
	if len(res.body) == 0 || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		return // a file's bytes
	}
	compiling.Lock()
	schema, err := c.Compile("doska:openapi.json#" + pointer + "/content/application~1json/schema")
	compiling.Unlock()
	if err != nil {
		t.Fatalf("%s %s answered %d, which the OpenAPI document does not declare: %v", method, route, res.status, err)
	}
	answer, err := jsonschema.UnmarshalJSON(bytes.NewReader(res.body))
	if err != nil {
		t.Fatalf("%s %s: answer is not JSON: %v", method, route, err)
	}
	if err := schema.Validate(answer); err != nil {
		t.Errorf("%s %s: the answer is not what the OpenAPI document declares: %#v\n%.500s", method, route, err, res.body)
	}
}

func escapePointer(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
