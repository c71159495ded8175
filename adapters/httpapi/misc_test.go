package httpapi_test

import (
	"encoding/json"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// mustJSON returns v as JSON text.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// itoa formats an ID.
func itoa(id int64) string { return strconv.FormatInt(id, 10) }
