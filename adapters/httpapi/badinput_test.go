package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/httpapi"
	"github.com/sysmaint/sysmaint/maintenance"
)

// TestBadInput sends malformed requests: each gets a problem with the
// right status and type, naming every bad field, and writes nothing.
func TestBadInput(t *testing.T) {
	const ok = `"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c"`
	long := strings.Repeat("é", maintenance.MaxTextLen+1)
	ifMatch := map[string]string{"If-Match": `"v1"`}
	tests := []struct {
		name   string
		req    req
		status int
		typ    string
		fields []string
	}{
		{"not JSON", req{method: "POST", path: "/windows", body: `{"start":`}, 400, httpapi.TypeMalformed, nil},
		{"no body", req{method: "POST", path: "/windows", header: map[string]string{"Content-Type": "application/json"}}, 400, httpapi.TypeMalformed, nil},
		{"an array", req{method: "POST", path: "/windows", body: `[]`}, 400, httpapi.TypeMalformed, nil},
		{"a string", req{method: "POST", path: "/windows", body: `"x"`}, 400, httpapi.TypeMalformed, nil},
		{"two objects", req{method: "POST", path: "/windows", body: `{` + ok + `} {}`}, 400, httpapi.TypeMalformed, nil},
		{"trailing garbage", req{method: "POST", path: "/windows", body: `{` + ok + `} x`}, 400, httpapi.TypeMalformed, nil},
		{"not UTF-8", req{method: "POST", path: "/windows", body: "{" + ok + `,"notify_message":"` + "\xff" + `"}`}, 400, httpapi.TypeMalformed, nil},
		{"unknown fields", req{method: "POST", path: "/windows", body: `{` + ok + `,"colour":"red","id":7}`}, 400, httpapi.TypeMalformed, []string{"colour", "id"}},
		{"unknown field beside bad values", req{method: "POST", path: "/windows", body: `{"start":"x","colour":"red"}`}, 400, httpapi.TypeMalformed, []string{"colour"}},
		{"a repeated field", req{method: "POST", path: "/windows", body: `{` + ok + `,"comment":"d"}`}, 400, httpapi.TypeMalformed, []string{"comment"}},
		{"wrong types", req{method: "POST", path: "/windows", body: `{"start":5,"stop":true,"comment":null,"show_login_message":"yes","lead_seconds":1.5,"validity":1}`}, 400, httpapi.TypeMalformed,
			[]string{"start", "stop", "comment", "show_login_message", "lead_seconds", "validity"}},
		{"an integer out of range", req{method: "POST", path: "/windows", body: `{` + ok + `,"lead_seconds":99999999999999999999}`}, 400, httpapi.TypeMalformed, []string{"lead_seconds"}},
		{"an exponent", req{method: "POST", path: "/windows", body: `{` + ok + `,"lead_seconds":1e3}`}, 400, httpapi.TypeMalformed, []string{"lead_seconds"}},
		{"nothing given", req{method: "POST", path: "/windows", body: `{}`}, 422, httpapi.TypeInvalid, []string{"start", "stop", "comment"}},
		{"bad instants", req{method: "POST", path: "/windows", body: `{"start":"tomorrow","stop":"2026-11-24T10:00:00","comment":"c"}`}, 422, httpapi.TypeInvalid, []string{"start", "stop"}},
		{"an instant in year 0", req{method: "POST", path: "/windows", body: `{"start":"0000-01-01T00:00:00Z","stop":"2026-11-24T10:00:00Z","comment":"c"}`}, 422, httpapi.TypeInvalid, []string{"start"}},
		{"a lowercase instant", req{method: "POST", path: "/windows", body: `{"start":"2026-11-24t10:00:00z","stop":"2026-11-24T11:00:00Z","comment":"c"}`}, 422, httpapi.TypeInvalid, []string{"start"}},
		{"start after stop", req{method: "POST", path: "/windows", body: `{"start":"2026-11-24T12:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c"}`}, 422, httpapi.TypeInvalid, []string{"start"}},
		{"start equals stop", req{method: "POST", path: "/windows", body: `{"start":"2026-11-24T12:00:00Z","stop":"2026-11-24T13:00:00+01:00","comment":"c"}`}, 422, httpapi.TypeInvalid, []string{"start"}},
		{"texts over the limit and a blank comment", req{method: "POST", path: "/windows", body: `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"  ","login_message":"` + long + `","notify_message":"` + long + `"}`}, 422, httpapi.TypeInvalid,
			[]string{"comment", "login_message", "notify_message"}},
		{"a comment over the limit", req{method: "POST", path: "/windows", body: `{"start":"2026-11-24T10:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"` + long + `"}`}, 422, httpapi.TypeInvalid, []string{"comment"}},
		{"a NUL in a text", req{method: "POST", path: "/windows", body: `{` + ok + `,"notify_message":"a\u0000b"}`}, 422, httpapi.TypeInvalid, []string{"notify_message"}},
		{"an unknown validity", req{method: "POST", path: "/windows", body: `{` + ok + `,"validity":"maybe"}`}, 422, httpapi.TypeInvalid, []string{"validity"}},
		{"a negative lead", req{method: "POST", path: "/windows", body: `{` + ok + `,"lead_seconds":-1}`}, 422, httpapi.TypeInvalid, []string{"lead_seconds"}},
		{"a lead over 366 days", req{method: "POST", path: "/windows", body: `{` + ok + `,"lead_seconds":31622401}`}, 422, httpapi.TypeInvalid, []string{"lead_seconds"}},
		{"every field bad at once", req{method: "POST", path: "/windows", body: `{"start":"x","stop":"0000-01-01T00:00:00Z","comment":"","login_message":"` + long + `","notify_message":"` + long + `","validity":"x","lead_seconds":-5}`}, 422, httpapi.TypeInvalid,
			[]string{"start", "validity", "stop", "comment", "login_message", "notify_message", "lead_seconds"}},
		{"text/plain", req{method: "POST", path: "/windows", body: `{` + ok + `}`, header: map[string]string{"Content-Type": "text/plain"}}, 415, httpapi.TypeBlank, nil},
		{"no Content-Type", req{method: "POST", path: "/windows", body: `{` + ok + `}`, header: map[string]string{"Content-Type": ""}}, 415, httpapi.TypeBlank, nil},
		{"a charset not UTF-8", req{method: "POST", path: "/windows", body: `{` + ok + `}`, header: map[string]string{"Content-Type": "application/json; charset=latin1"}}, 415, httpapi.TypeBlank, nil},
		{"gzip", req{method: "POST", path: "/windows", body: `{` + ok + `}`, header: map[string]string{"Content-Encoding": "gzip"}}, 415, httpapi.TypeBlank, nil},
		{"a huge body", req{method: "POST", path: "/windows", body: `{` + ok + `,"notify_message":"` + strings.Repeat("x", httpapi.DefaultMaxBody) + `"}`}, 413, httpapi.TypeBlank, nil},

		{"PUT without If-Match", req{method: "PUT", path: "/windows/1", body: `{` + ok + `,"validity":"valid"}`}, 428, httpapi.TypeBlank, nil},
		{"PUT with a bare If-Match", req{method: "PUT", path: "/windows/1", body: `{` + ok + `,"validity":"valid"}`, header: map[string]string{"If-Match": `v1`}}, 400, httpapi.TypeMalformed, []string{"If-Match"}},
		{"PUT with an empty If-Match", req{method: "PUT", path: "/windows/1", body: `{` + ok + `,"validity":"valid"}`, header: map[string]string{"If-Match": ` , `}}, 400, httpapi.TypeMalformed, []string{"If-Match"}},
		{"PUT with a stale If-Match", req{method: "PUT", path: "/windows/1", body: `{` + ok + `,"validity":"valid"}`, header: map[string]string{"If-Match": `"v0"`}}, 412, httpapi.TypeBlank, nil},
		{"PUT with a weak If-Match", req{method: "PUT", path: "/windows/1", body: `{` + ok + `,"validity":"valid"}`, header: map[string]string{"If-Match": `W/"v1"`}}, 412, httpapi.TypeBlank, nil},
		{"PUT without validity", req{method: "PUT", path: "/windows/1", body: `{` + ok + `}`, header: ifMatch}, 422, httpapi.TypeInvalid, []string{"validity"}},
		{"PUT with an invalid window", req{method: "PUT", path: "/windows/1", body: `{"start":"2026-11-24T12:00:00Z","stop":"2026-11-24T11:00:00Z","comment":"c","validity":"valid"}`, header: ifMatch}, 422, httpapi.TypeInvalid, []string{"start"}},
		{"PUT of an unknown window", req{method: "PUT", path: "/windows/99", body: `{` + ok + `,"validity":"valid"}`, header: ifMatch}, 404, httpapi.TypeBlank, nil},
		{"GET of an unknown window", req{method: "GET", path: "/windows/99"}, 404, httpapi.TypeBlank, nil},
		{"an ID that is not a number", req{method: "GET", path: "/windows/abc"}, 404, httpapi.TypeBlank, nil},
		{"an ID with a leading zero", req{method: "GET", path: "/windows/01"}, 404, httpapi.TypeBlank, nil},
		{"a negative ID", req{method: "DELETE", path: "/windows/-1", header: ifMatch}, 404, httpapi.TypeBlank, nil},
		{"ID zero", req{method: "POST", path: "/windows/0/end"}, 404, httpapi.TypeBlank, nil},
		{"an ID past int64", req{method: "POST", path: "/windows/9223372036854775808/cancel"}, 404, httpapi.TypeBlank, nil},
		{"GET with a bad If-None-Match", req{method: "GET", path: "/windows/1", header: map[string]string{"If-None-Match": `"v1`}}, 400, httpapi.TypeMalformed, []string{"If-None-Match"}},
		{"DELETE with a bad If-Match", req{method: "DELETE", path: "/windows/1", header: map[string]string{"If-Match": `"v"1"`}}, 400, httpapi.TypeMalformed, []string{"If-Match"}},
		{"DELETE of an unknown window", req{method: "DELETE", path: "/windows/99", header: map[string]string{"If-Match": "*"}}, 404, httpapi.TypeBlank, nil},

		{"extend without a body", req{method: "POST", path: "/windows/1/extend"}, 400, httpapi.TypeMalformed, nil},
		{"extend by nothing", req{method: "POST", path: "/windows/1/extend", body: `{}`}, 422, httpapi.TypeInvalid, []string{"by_seconds"}},
		{"extend by zero", req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":0}`}, 422, httpapi.TypeInvalid, []string{"by_seconds"}},
		{"extend by a negative", req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":-60}`}, 422, httpapi.TypeInvalid, []string{"by_seconds"}},
		{"extend by over the longest duration", req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":9223372037}`}, 422, httpapi.TypeInvalid, []string{"by_seconds"}},
		{"extend past the year 9999", req{method: "POST", path: "/windows/2/extend", body: `{"by_seconds":86400}`}, 422, httpapi.TypeInvalid, []string{"by_seconds"}},
		{"extend by a string", req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":"60"}`}, 400, httpapi.TypeMalformed, []string{"by_seconds"}},
		{"extend by an ISO 8601 duration", req{method: "POST", path: "/windows/1/extend", body: `{"by":"PT1M"}`}, 400, httpapi.TypeMalformed, []string{"by"}},
		{"extend with a bad If-Match", req{method: "POST", path: "/windows/1/extend", body: `{"by_seconds":60}`, header: map[string]string{"If-Match": `*, "v1"`}}, 400, httpapi.TypeMalformed, []string{"If-Match"}},
		{"end with parameters", req{method: "POST", path: "/windows/1/end", body: `{"at":"now"}`}, 400, httpapi.TypeMalformed, []string{"at"}},
		{"cancel with an array", req{method: "POST", path: "/windows/1/cancel", body: `[]`}, 400, httpapi.TypeMalformed, nil},
		{"cancel with a stale If-Match", req{method: "POST", path: "/windows/1/cancel", header: map[string]string{"If-Match": `"v2"`}}, 412, httpapi.TypeBlank, nil},
		{"end of an unknown window", req{method: "POST", path: "/windows/99/end"}, 404, httpapi.TypeBlank, nil},
		{"down for nothing", req{method: "POST", path: "/down", body: `{"comment":"x"}`}, 422, httpapi.TypeInvalid, []string{"for_seconds"}},
		{"down for zero", req{method: "POST", path: "/down", body: `{"for_seconds":0}`}, 422, httpapi.TypeInvalid, []string{"for_seconds"}},
		{"down for over the longest duration", req{method: "POST", path: "/down", body: `{"for_seconds":9223372037}`}, 422, httpapi.TypeInvalid, []string{"for_seconds"}},
		{"down with a blank comment and a long message", req{method: "POST", path: "/down", body: `{"for_seconds":60,"comment":" ","notify_message":"` + long + `"}`}, 422, httpapi.TypeInvalid, []string{"comment", "notify_message"}},
		{"down with a validity", req{method: "POST", path: "/down", body: `{"for_seconds":60,"validity":"valid"}`}, 400, httpapi.TypeMalformed, []string{"validity"}},
		{"down without a body", req{method: "POST", path: "/down"}, 400, httpapi.TypeMalformed, nil},
		{"up with parameters", req{method: "POST", path: "/up", body: `{"all":true}`}, 400, httpapi.TypeMalformed, []string{"all"}},

		{"limit zero", req{method: "GET", path: "/windows?limit=0"}, 400, httpapi.TypeMalformed, []string{"limit"}},
		{"limit over the most", req{method: "GET", path: "/windows?limit=1001"}, 400, httpapi.TypeMalformed, []string{"limit"}},
		{"limit not a number", req{method: "GET", path: "/windows?limit=ten"}, 400, httpapi.TypeMalformed, []string{"limit"}},
		{"limit twice", req{method: "GET", path: "/windows?limit=1&limit=2"}, 400, httpapi.TypeMalformed, []string{"limit"}},
		{"an unknown state and validity", req{method: "GET", path: "/windows?state=done&validity=maybe"}, 400, httpapi.TypeMalformed, []string{"validity", "state"}},
		{"a comma list", req{method: "GET", path: "/windows?state=active,planned"}, 400, httpapi.TypeMalformed, []string{"state"}},
		{"bad instants in the query", req{method: "GET", path: "/windows?from=today&to=2026-11-24"}, 400, httpapi.TypeMalformed, []string{"from", "to"}},
		{"from not before to", req{method: "GET", path: "/windows?from=2026-11-24T10:00:00Z&to=2026-11-24T10:00:00Z"}, 400, httpapi.TypeMalformed, []string{"from"}},
		{"a forged cursor", req{method: "GET", path: "/windows?cursor=MTIzNA"}, 400, httpapi.TypeMalformed, []string{"cursor"}},
		{"an unknown parameter", req{method: "GET", path: "/windows?colour=red"}, 400, httpapi.TypeMalformed, []string{"colour"}},
		{"a bad escape", req{method: "GET", path: "/windows?limit=%zz"}, 400, httpapi.TypeMalformed, nil},
		{"a feed with a bad If-None-Match", req{method: "GET", path: "/calendar.ics", header: map[string]string{"If-None-Match": `x`}}, 400, httpapi.TypeMalformed, []string{"If-None-Match"}},
	}
	e := newEnv(t)
	e.add(maintenance.Window{Start: at(-time.Hour), Stop: at(time.Hour)})
	e.add(maintenance.Window{Start: time.Date(9999, 12, 30, 0, 0, 0, 0, time.UTC), Stop: time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)})
	before := e.snapshot()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.req)
			require.Equal(t, tt.status, r.status, "%s", r.body)
			p := r.problem(t)
			assert.Equal(t, tt.typ, p.Type)
			assert.NotEmpty(t, p.Detail)
			if tt.fields != nil {
				assert.ElementsMatch(t, tt.fields, r.fields(t))
				for _, f := range p.Errors {
					assert.NotEmpty(t, f.Reason, f.Field)
				}
			}
			assert.Equal(t, before, e.snapshot(), "nothing is written")
		})
	}
}
