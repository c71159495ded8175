//go:build !cgo

package sqlstore

// faultOf knows no fault without cgo: no connection ever opens.
func faultOf(error) fault { return faultNone }

// driverError explains go-sqlite3's stub error: built without cgo, it
// cannot open any file.
func driverError(err error) error { return needsCgo(err) }
