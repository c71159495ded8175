package sqlstore_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/sysmaint/sysmaint/adapters/sqlstore"
)

// cgoHint is what Open says when the program was built without cgo.
const cgoHint = "sqlstore: SQLite needs cgo: install a C compiler (gcc) and build with CGO_ENABLED=1"

func TestNeedsCgo(t *testing.T) {
	stub := errors.New("Binary was compiled with 'CGO_ENABLED=0', go-sqlite3 requires cgo to work. This is a stub")
	err := sqlstore.NeedsCgo(stub)
	assert.ErrorIs(t, err, stub, "the driver's own words stay in the chain")
	assert.Contains(t, err.Error(), cgoHint)
}

// TestOpen_WithoutCgo builds a small program with CGO_ENABLED=0 and checks
// what Open tells its user.
func TestOpen_WithoutCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program without cgo; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the go command is not on PATH: %v", err)
		}
		t.Skipf("the go command is not on PATH: %v", err)
	}
	path := filepath.Join(t.TempDir(), "x.db")
	cmd := exec.CommandContext(t.Context(), gobin, "run", "./testdata/nocgo", path)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=") // GOFLAGS=-race would need cgo
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, "the program should fail: %s", out)
	assert.Contains(t, string(out), cgoHint)
	_, err = os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing was created")
}
