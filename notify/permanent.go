package notify

import "errors"

// ErrPermanent marks a delivery failure that trying again cannot mend: the
// receiver refused the event for good (an HTTP 4xx answer other than 408
// and 429, a mail server's 5xx reply, an endpoint that is gone). A
// [Notifier] returns such an error through [Permanent]; a caller that
// retries failed deliveries checks errors.Is(err, ErrPermanent) and gives
// up at once rather than after its last attempt.
var ErrPermanent = errors.New("notify: permanent failure")

// Permanent returns err marked as a permanent failure: an error whose
// message is err's and that satisfies both errors.Is(e, err) (and
// errors.As for err's types) and errors.Is(e, ErrPermanent). Permanent(nil)
// is nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &permanentError{err}
}

// permanentError is err marked permanent.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }

func (e *permanentError) Unwrap() []error { return []error{e.err, ErrPermanent} }
