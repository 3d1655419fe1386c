// Command openapigen writes the API's OpenAPI document to the file named by
// its argument; the web app's TypeScript types are generated from it.
package main

import (
	"log"
	"os"

	"github.com/doska/doska/server/api"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: openapigen FILE")
	}
	doc, err := api.OpenAPI()
	if err != nil {
		log.Fatal(err)
	}
	// The document is committed and published: world-readable is intended.
	if err := os.WriteFile(os.Args[1], append(doc, '\n'), 0o644); err != nil { //nolint:gosec
		log.Fatal(err)
	}
}
