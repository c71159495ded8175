package browsertest_test

import (
	"errors"
	"fmt"

	"github.com/sysmaint/sysmaint/examples/helpdesk/internal/browsertest"
)

// LookPath is what Chrome uses to decide between running, skipping and (with
// CI=true) failing a browser test. The output depends on the machine, so this
// example is compiled, not run.
func ExampleLookPath() {
	path, err := browsertest.LookPath()
	if errors.Is(err, browsertest.ErrNotFound) {
		fmt.Println("no browser: run .ci/install-browser or set CHROME_PATH")
		return
	}
	if err != nil {
		fmt.Println(err) // a CHROME_PATH that is not a program
		return
	}
	fmt.Println("browser tests run with", path)
}
