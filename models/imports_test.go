package models

import (
	"go/build"
	"strings"
	"testing"
)

// TestImportsOnlyStdlib keeps models free of HTTP, SQL and socket packages:
// it holds the rules, which must not depend on how they are served or stored.
func TestImportsOnlyStdlib(t *testing.T) {
	t.Parallel()
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range append(pkg.Imports, pkg.TestImports...) {
		if first := strings.SplitN(imp, "/", 2)[0]; strings.Contains(first, ".") {
			t.Errorf("models imports %s; it may import the standard library only", imp)
		}
	}
}
