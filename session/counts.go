package session

// Counts are the counters of the admin screen's session section.
type Counts struct {
	// All is the number of sessions, agents and customers.
	All int
	// Agents is the number of agent sessions.
	Agents int
	// Customers is the number of customer sessions.
	Customers int
	// UniqueAgents is the number of distinct logins among agent sessions:
	// a user with three agent sessions counts once.
	UniqueAgents int
	// UniqueCustomers is the number of distinct logins among customer
	// sessions. Uniqueness is per kind: "bob" as an agent and "bob" as a
	// customer are one unique agent and one unique customer (Znuny kept
	// one set for both kinds and counted the second not at all).
	UniqueCustomers int
}

// Count returns the counters of ss. Sessions of an unknown kind count in
// All only.
func Count(ss []Session) Counts {
	c := Counts{All: len(ss)}
	agents := make(map[string]struct{})
	customers := make(map[string]struct{})
	for _, s := range ss {
		switch s.Kind {
		case Agent:
			c.Agents++
			agents[s.UserLogin] = struct{}{}
		case Customer:
			c.Customers++
			customers[s.UserLogin] = struct{}{}
		}
	}
	c.UniqueAgents, c.UniqueCustomers = len(agents), len(customers)
	return c
}

// Overview is what the admin screen shows: the counters and the agent and
// customer sessions, taken from one read of the store so that they agree.
type Overview struct {
	// Counts are the counters of the sessions below.
	Counts Counts
	// Agents are the agent sessions, in the store's order (CreatedAt,
	// then ID). Never nil.
	Agents []Session
	// Customers are the customer sessions, in the store's order. Never
	// nil.
	Customers []Session
}

// NewOverview splits ss by kind and counts them. Sessions of an unknown
// kind count in Counts.All and are in neither list.
func NewOverview(ss []Session) Overview {
	o := Overview{Counts: Count(ss), Agents: []Session{}, Customers: []Session{}}
	for _, s := range ss {
		switch s.Kind {
		case Agent:
			o.Agents = append(o.Agents, s)
		case Customer:
			o.Customers = append(o.Customers, s)
		}
	}
	return o
}
