//go:build !cgo

package sqlstore

// faultOf knows no fault without cgo: no connection ever opens.
func faultOf(error) fault { return faultNone }

// driverError returns the error of opening a connection as it is.
func driverError(err error) error { return err }
