package adminuitest_test

import (
	"errors"
	"fmt"

	"github.com/sysmaint/sysmaint/adapters/adminui/adminuitest"
)

// LookPath is what Chrome uses to decide between running, skipping and (with
// CI=true) failing a browser test. The output depends on the machine, so this
// example is compiled, not run.
func ExampleLookPath() {
	path, err := adminuitest.LookPath()
	if errors.Is(err, adminuitest.ErrNotFound) {
		fmt.Println("no browser: run .ci/install-browser or set CHROME_PATH")
		return
	}
	if err != nil {
		fmt.Println(err) // a CHROME_PATH that is not a program
		return
	}
	fmt.Println("browser tests run with", path)
}
