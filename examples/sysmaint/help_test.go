package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCLI_Help checks that the tool and every command explain
// themselves: on stdout with exit 0 when asked, on stderr with exit 2
// when the command line says nothing.
func TestCLI_Help(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		res := runTool(t, nil, args...)
		assert.Equal(t, exitOK, res.code, "%v", args)
		assert.Empty(t, res.stderr)
		for name := range commands {
			assert.Contains(t, res.stdout, "\n  "+name+" ", "%v lists %s", args, name)
		}
		for _, s := range []string{"--db PATH", "--api URL", "SYSMAINT_TOKEN", "SYSMAINT_NOW", "Exit codes:", "  3  status: maintenance is active", "  6  conflict"} {
			assert.Contains(t, res.stdout, s, "%v", args)
		}
	}
	for name, cmd := range commands {
		for _, args := range [][]string{{name, "-h"}, {name, "--help"}, {"help", name}, {"--db", "x.db", name, "-h"}} {
			res := runTool(t, nil, args...)
			assert.Equal(t, exitOK, res.code, "%v", args)
			assert.Empty(t, res.stderr)
			usage := fmt.Sprintf("Usage: sysmaint [global flags] %s [flags]", name)
			assert.True(t, strings.HasPrefix(res.stdout, usage), "%v: %s", args, res.stdout)
			assert.Contains(t, res.stdout, cmd.help)
			assert.Contains(t, res.stdout, "see 'sysmaint help'")
		}
	}
	res := runTool(t, nil, "status", "-h")
	assert.Contains(t, res.stdout, "--lead DURATION")
	assert.Contains(t, res.stdout, "0 none, 3 active, 4 coming")

	res = runTool(t, nil)
	assert.Equal(t, exitUsage, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "Usage: sysmaint [global flags] COMMAND")

	res = runTool(t, nil, "help", "nosuch")
	assert.Equal(t, exitUsage, res.code)
	assert.Empty(t, res.stdout)
	assert.Contains(t, res.stderr, "help takes one command name")
}
