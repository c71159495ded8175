package httpapi

import (
	_ "embed"
	"encoding/json"
)

// openAPISource is the OpenAPI 3.1 document of the API, with "/" as its
// server.
//
//go:embed openapi.json
var openAPISource []byte

// OpenAPI returns the OpenAPI 3.1 document of the API (JSON) with base as
// its server URL ("/" when base is empty): what GET /openapi.json of a
// handler mounted at base serves.
func OpenAPI(base string) []byte { return openAPIDocument(base) }

// openAPIDocument returns the document with its server set to base.
func openAPIDocument(base string) []byte {
	var doc map[string]any
	if err := json.Unmarshal(openAPISource, &doc); err != nil {
		panic("httpapi: the embedded OpenAPI document is not JSON: " + err.Error())
	}
	if base == "" {
		base = "/"
	}
	doc["servers"] = []any{map[string]any{"url": base}}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic("httpapi: marshal the OpenAPI document: " + err.Error())
	}
	return append(out, '\n')
}
