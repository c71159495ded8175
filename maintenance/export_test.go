package maintenance

// Driving reports whether Run keeps the status of now that Status reads,
// rather than Status reading the clock.
func Driving(m *Manager) bool { return m.now.Load() != nil }

// Normal reports what w.normal does: whether w is surely its own
// Normalize.
func Normal(w Window) bool { return w.normal() }
