package memstore

// SetKeep makes s remember keep changes for ChangesSince, rather than
// KeepChanges.
func SetKeep(s *WindowStore, keep int) { s.keep = keep }
