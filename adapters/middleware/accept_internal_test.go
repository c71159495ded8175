package middleware

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Negotiating allocates nothing, whatever the header; the choice itself is
// tested through the Lockout (TestLockout_Negotiation, FuzzLockout_Accept).
func TestWantsJSON_NoAllocs(t *testing.T) {
	for _, accept := range []string{
		"", "*/*", "Application/Problem+JSON;Q=0.9, text/html;q=0.8",
		"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
		`text/html;x="a,b;q=0", application/json;q=0.5`, "application/json;q=oops",
	} {
		assert.Zero(t, testing.AllocsPerRun(100, func() { wantsJSON(accept) }), accept)
	}
}
