package session

import "fmt"

// Kind says whether a user is an agent (staff) or a customer.
type Kind int8

// The two kinds of user.
const (
	Agent    Kind = 1
	Customer Kind = 2
)

// String returns "agent" or "customer"; an unknown value prints as
// "Kind(N)".
func (k Kind) String() string {
	switch k {
	case Agent:
		return "agent"
	case Customer:
		return "customer"
	}
	return fmt.Sprintf("Kind(%d)", int8(k))
}

// Known reports whether k is Agent or Customer.
func (k Kind) Known() bool { return k == Agent || k == Customer }
