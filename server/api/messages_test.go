package api_test

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/doska/doska/server/api"
)

// fixVerbs are the verbs a message starts a clause with to say what to do.
var fixVerbs = map[string]bool{}

func init() {
	for _, v := range strings.Fields(`enter choose use send remove shorten fill write say mention leave keep pick
		mark ask invite place correct sign try reload restore review wait check plan move clear connect open search`) {
		fixVerbs[v] = true
	}
}

var clauseStart = regexp.MustCompile(`(?:^|[.;:,(] )([A-Za-z]+)`)

// sentenceProblem says why msg is not a whole sentence that says what to
// do, or "" when it is one: a capital first, a full stop last, and a clause
// that starts with a verb of what to do ("Enter …", "…; reload it").
func sentenceProblem(msg string) string {
	r, _ := utf8.DecodeRuneInString(msg)
	switch {
	case !unicode.IsUpper(r):
		return "does not start with a capital"
	case !strings.HasSuffix(msg, "."):
		return "does not end with a full stop"
	}
	for _, m := range clauseStart.FindAllStringSubmatch(msg, -1) {
		if fixVerbs[strings.ToLower(m[1])] {
			return ""
		}
	}
	return "does not say what to do"
}

// checkSentence fails t when an error message a person reads is a
// fragment.
func checkSentence(t *testing.T, where, msg string) {
	t.Helper()
	if p := sentenceProblem(msg); p != "" {
		t.Errorf("%s: message %q %s", where, msg, p)
	}
}

// TestEveryErrorMessageIsASentence reads the source of models, store and
// api and checks every message written into an error answer: field
// problems (the English of every models.ProblemKind), conflicts and the
// per-code messages. Parts
// computed at run time stand as "X". Answers the tests receive are checked
// as well, by env.do.
func TestEveryErrorMessageIsASentence(t *testing.T) {
	t.Parallel()
	found := 0
	for _, dir := range []string{"../../models", "../store", "."} {
		fset, files, err := api.SourceFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		for name, f := range files {
			check := func(n ast.Node, e ast.Expr) {
				if msg, ok := messageText(e); ok {
					found++
					checkSentence(t, filepath.Base(name)+":"+strconv.Itoa(fset.Position(n.Pos()).Line), msg)
				}
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "kind" || id.Name == "conflict") && f.Name.Name == "models" {
						check(n, n.Args[1])
					}
				case *ast.KeyValueExpr:
					if id, ok := n.Key.(*ast.Ident); ok && (id.Name == "Reason" || id.Name == "message") {
						check(n, n.Value)
					}
				case *ast.ValueSpec:
					if len(n.Names) == 1 && n.Names[0].Name == "messages" {
						for _, el := range n.Values[0].(*ast.CompositeLit).Elts {
							check(el, el.(*ast.KeyValueExpr).Value)
						}
					}
				}
				return true
			})
		}
	}
	if found < 80 {
		t.Errorf("only %d messages found; the scan misses the code", found)
	}
}

// messageText is the text of a message expression made of string literals
// (joined with +, or a format), with what is computed at run time as "X";
// ok is false when no literal is in it (a variable or a call).
func messageText(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return regexp.MustCompile(`%[a-z]`).ReplaceAllString(s, "X"), err == nil
	case *ast.BinaryExpr:
		l, lok := messageText(e.X)
		r, rok := messageText(e.Y)
		if !lok {
			l = "X"
		}
		if !rok {
			r = "X"
		}
		return l + r, lok || rok
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Sprintf" || sel.Sel.Name == "Errorf") {
			return messageText(e.Args[0])
		}
	}
	return "", false
}
