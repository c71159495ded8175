package notify_test

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/sysmaint/sysmaint/notify"
)

func TestPermanent(t *testing.T) {
	assert.NoError(t, notify.Permanent(nil))

	cause := &fs.PathError{Op: "open", Path: "x", Err: fs.ErrNotExist}
	err := fmt.Errorf("webhook: %w", notify.Permanent(cause))
	assert.ErrorIs(t, err, notify.ErrPermanent)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	var pe *fs.PathError
	assert.ErrorAs(t, err, &pe)
	assert.Equal(t, "webhook: "+cause.Error(), err.Error())

	assert.NotErrorIs(t, errors.New("timeout"), notify.ErrPermanent)
}
