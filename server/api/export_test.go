package api

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
)

// OpenAPIPath lets the tests find a route's operation in the document.
var OpenAPIPath = openAPIPath

// TextField is a text field of a request body, as the bad-input table
// probes it.
type TextField struct {
	Name      string
	Multiline bool
	List      bool // a list of strings, such as labels
}

// BodyTextFields reads this package's source and returns, per handler
// method name, the text fields of every body it binds (directly or through
// the handler methods it calls). It is derived from the code, not listed by
// hand, so a new field or route cannot be left out of the table.
func BodyTextFields() (map[string][]TextField, error) {
	_, files, err := SourceFiles(".")
	if err != nil {
		return nil, err
	}
	types := map[string]ast.Expr{}
	funcs := map[string]*ast.FuncDecl{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if ts, ok := s.(*ast.TypeSpec); ok {
						types[ts.Name.Name] = ts.Type
					}
				}
			case *ast.FuncDecl:
				funcs[d.Name.Name] = d
			}
		}
	}
	var bodyFields func(name string, seen map[string]bool) []TextField
	bodyFields = func(name string, seen map[string]bool) []TextField {
		fn := funcs[name]
		if fn == nil || fn.Body == nil || seen[name] {
			return nil
		}
		seen[name] = true
		vars := map[string]ast.Expr{}
		var out []TextField
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ValueSpec:
				for _, id := range n.Names {
					vars[id.Name] = n.Type
				}
			case *ast.CallExpr:
				switch f := n.Fun.(type) {
				case *ast.Ident:
					if f.Name == "bind" && len(n.Args) == 2 {
						if u, ok := n.Args[1].(*ast.UnaryExpr); ok {
							if id, ok := u.X.(*ast.Ident); ok {
								out = append(out, textFields(types, vars[id.Name], "", "", false)...)
							}
						}
					}
				case *ast.SelectorExpr:
					if x, ok := f.X.(*ast.Ident); ok && x.Name == "h" {
						out = append(out, bodyFields(f.Sel.Name, seen)...)
					}
				}
			}
			return true
		})
		return out
	}
	out := map[string][]TextField{}
	for name := range funcs {
		out[name] = bodyFields(name, map[string]bool{})
	}
	return out, nil
}

// SourceFiles parses the Go files of a package folder, tests left out,
// for the tests that read the code itself; names are the files' paths.
func SourceFiles(dir string) (*token.FileSet, map[string]*ast.File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		if files[p], err = parser.ParseFile(fset, p, nil, 0); err != nil {
			return nil, nil, err
		}
	}
	return fset, files, nil
}

// textFields lists the string fields of a request type expression.
// Types of other packages (models.Role and the like) are enums that their
// own rules check, and are skipped.
func textFields(types map[string]ast.Expr, e ast.Expr, field, tag string, list bool) []TextField {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name == "string" {
			if field == "" {
				return nil
			}
			return []TextField{{Name: field, Multiline: tag == "multiline", List: list}}
		}
		if t, ok := types[e.Name]; ok {
			return textFields(types, t, field, tag, list)
		}
	case *ast.StarExpr:
		return textFields(types, e.X, field, tag, list)
	case *ast.ArrayType:
		if st := structOf(types, e.Elt); st != nil && field != "" {
			// A list of objects (agenda items, note lines): each text field
			// is probed in the first element, named as the server names
			// its problem ("items.0.title").
			var out []TextField
			for _, f := range textFields(types, st, "", "", false) {
				f.Name = field + ".0." + f.Name
				out = append(out, f)
			}
			return out
		}
		return textFields(types, e.Elt, field, tag, true)
	case *ast.IndexExpr: // optional[T]
		return textFields(types, e.Index, field, tag, list)
	case *ast.StructType:
		var out []TextField
		for _, f := range e.Fields.List {
			name, fieldTag := field, tag
			if f.Tag != nil {
				raw, _ := strconv.Unquote(f.Tag.Value)
				st := reflect.StructTag(raw)
				if n, _, _ := strings.Cut(st.Get("json"), ","); n != "" {
					name = n
				}
				if t, ok := st.Lookup("text"); ok {
					fieldTag = t
				}
			}
			out = append(out, textFields(types, f.Type, name, fieldTag, list)...)
		}
		return out
	}
	return nil
}

// structOf is the struct type e names in this package, or nil.
func structOf(types map[string]ast.Expr, e ast.Expr) *ast.StructType {
	switch e := e.(type) {
	case *ast.StructType:
		return e
	case *ast.StarExpr:
		return structOf(types, e.X)
	case *ast.Ident:
		if t, ok := types[e.Name]; ok {
			return structOf(types, t)
		}
	}
	return nil
}
