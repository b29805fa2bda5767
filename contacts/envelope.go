package contacts

import "time"

// Envelope is a sealed message this profile carries for one of its
// contacts while that contact is offline (store-and-forward). The carrier
// can read only its outside: the recipient, the ID, the expiry, the size.
type Envelope struct {
	ID        string
	Recipient string // peer ID of the contact it is for
	Depositor string // peer ID of the contact who handed it to me
	Data      []byte // the sealed envelope as it arrived
	Expires   time.Time
	StoredAt  time.Time
}

// CarryUsage is how much a carrier holds: for one depositor, and in all.
type CarryUsage struct {
	Count, TotalCount int
	Bytes, TotalBytes int64
}
