package wire

import "fmt"

// Limits a receiver enforces through Validate.
const (
	// MaxChatBody is the largest chat message body, in bytes.
	MaxChatBody = 16 << 10
	// MaxIDLen bounds message and call identifiers.
	MaxIDLen = 256
	// MaxPresenceText bounds the status text, in bytes.
	MaxPresenceText = 256
	// MaxNameLen bounds display names sent with requests and replies.
	MaxNameLen = 256
	// MaxNoteLen bounds the note a stranger can attach to a request.
	MaxNoteLen = 1024
)

// ChatMessage is one chat message. ID is chosen by the sender and is what
// the receiver acknowledges; it also lets the receiver drop duplicates.
type ChatMessage struct {
	ID     string
	Body   string
	SentAt int64 // unix milliseconds, sender's clock
	// ReplyTo is the ID of the message this one answers; empty for none.
	// Peers that predate it skip the field and show a plain message.
	ReplyTo string
}

// Marshal encodes m.
func (m ChatMessage) Marshal() []byte {
	b := make([]byte, 0, len(m.ID)+len(m.Body)+24)
	b = appendString(b, 1, m.ID)
	b = appendString(b, 2, m.Body)
	b = appendUvarint(b, 3, uint64(m.SentAt))
	b = appendString(b, 4, m.ReplyTo)
	return b
}

// Unmarshal decodes b into m, replacing its contents.
func (m *ChatMessage) Unmarshal(b []byte) error {
	*m = ChatMessage{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&m.ID)
		case 2:
			return f.str(&m.Body)
		case 3:
			return f.int64(&m.SentAt)
		case 4:
			return f.str(&m.ReplyTo)
		}
		return nil
	})
}

// Validate checks what a receiver requires: an ID, a body of at most
// MaxChatBody bytes and a ReplyTo of at most MaxIDLen.
func (m ChatMessage) Validate() error {
	if err := checkID(m.ID); err != nil {
		return err
	}
	if len(m.ReplyTo) > MaxIDLen {
		return fmt.Errorf("%w: reply-to id is %d bytes, limit %d", ErrTooLarge, len(m.ReplyTo), MaxIDLen)
	}
	if len(m.Body) > MaxChatBody {
		return fmt.Errorf("%w: body is %d bytes, limit %d", ErrTooLarge, len(m.Body), MaxChatBody)
	}
	return nil
}

// ChatAck tells the sender that the message with ID is stored by the receiver.
type ChatAck struct {
	ID string
}

// Marshal encodes a.
func (a ChatAck) Marshal() []byte {
	return appendString(make([]byte, 0, len(a.ID)+3), 1, a.ID)
}

// Unmarshal decodes b into a, replacing its contents.
func (a *ChatAck) Unmarshal(b []byte) error {
	*a = ChatAck{}
	return walk(b, func(f field) error {
		if f.num == 1 {
			return f.str(&a.ID)
		}
		return nil
	})
}

// Presence states, the same numbers as hearth/contacts.Presence. Invisible
// is never sent: an invisible person sends Offline or nothing.
const (
	PresenceOffline uint32 = 0
	PresenceOnline  uint32 = 1
	PresenceAway    uint32 = 2
	PresenceBusy    uint32 = 3
)

// Presence is a contact's availability and status text.
type Presence struct {
	State uint32
	Text  string
}

// Marshal encodes p.
func (p Presence) Marshal() []byte {
	b := make([]byte, 0, len(p.Text)+8)
	b = appendUvarint(b, 1, uint64(p.State))
	b = appendString(b, 2, p.Text)
	return b
}

// Unmarshal decodes b into p, replacing its contents.
func (p *Presence) Unmarshal(b []byte) error {
	*p = Presence{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&p.State)
		case 2:
			return f.str(&p.Text)
		}
		return nil
	})
}

// Validate checks the text length. Unknown states are allowed (a newer peer
// may have more); receivers show them as Online.
func (p Presence) Validate() error {
	if len(p.Text) > MaxPresenceText {
		return fmt.Errorf("%w: status text is %d bytes, limit %d", ErrTooLarge, len(p.Text), MaxPresenceText)
	}
	return nil
}

// ContactRequest kinds.
const (
	KindRequest uint32 = 1 // please add me; Secret may carry an invite's secret
	KindAccept  uint32 = 2 // I accepted your request
	KindDecline uint32 = 3 // I declined your request
	KindRemove  uint32 = 4 // I removed you from my contacts
)

// ContactRequest is sent on the contact protocol, the only one strangers reach.
type ContactRequest struct {
	Kind   uint32
	Name   string
	Note   string
	Secret string   // from an invite code, so the receiver can accept at once
	Addrs  []string // multiaddrs where the sender can be reached
}

// Marshal encodes r.
func (r ContactRequest) Marshal() []byte {
	n := len(r.Name) + len(r.Note) + len(r.Secret) + 16
	for _, a := range r.Addrs {
		n += len(a) + 3
	}
	b := make([]byte, 0, n)
	b = appendUvarint(b, 1, uint64(r.Kind))
	b = appendString(b, 2, r.Name)
	b = appendString(b, 3, r.Note)
	b = appendString(b, 4, r.Secret)
	b = appendStrings(b, 5, r.Addrs)
	return b
}

// Unmarshal decodes b into r, replacing its contents.
func (r *ContactRequest) Unmarshal(b []byte) error {
	*r = ContactRequest{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&r.Kind)
		case 2:
			return f.str(&r.Name)
		case 3:
			return f.str(&r.Note)
		case 4:
			return f.str(&r.Secret)
		case 5:
			return f.strs(&r.Addrs)
		}
		return nil
	})
}

// Validate checks the kind and the sizes of the text fields.
func (r ContactRequest) Validate() error {
	if r.Kind < KindRequest || r.Kind > KindRemove {
		return fmt.Errorf("%w: unknown request kind %d", ErrInvalid, r.Kind)
	}
	if len(r.Name) > MaxNameLen || len(r.Note) > MaxNoteLen || len(r.Secret) > MaxIDLen {
		return fmt.Errorf("%w: name, note or secret above its limit", ErrTooLarge)
	}
	return nil
}

// ContactReply statuses.
const (
	StatusAccepted uint32 = 1 // we are contacts now
	StatusPending  uint32 = 2 // the person will decide later
	StatusRefused  uint32 = 3 // no (also used for declined and blocked, silently)
)

// ContactReply answers a ContactRequest.
type ContactReply struct {
	Status uint32
	Name   string
}

// Marshal encodes r.
func (r ContactReply) Marshal() []byte {
	b := make([]byte, 0, len(r.Name)+8)
	b = appendUvarint(b, 1, uint64(r.Status))
	b = appendString(b, 2, r.Name)
	return b
}

// Unmarshal decodes b into r, replacing its contents.
func (r *ContactReply) Unmarshal(b []byte) error {
	*r = ContactReply{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&r.Status)
		case 2:
			return f.str(&r.Name)
		}
		return nil
	})
}

// Validate checks the name length.
func (r ContactReply) Validate() error {
	if len(r.Name) > MaxNameLen {
		return fmt.Errorf("%w: name is %d bytes, limit %d", ErrTooLarge, len(r.Name), MaxNameLen)
	}
	return nil
}

// Signal kinds.
const (
	SignalOffer     uint32 = 1
	SignalAnswer    uint32 = 2
	SignalCandidate uint32 = 3
	SignalDecline   uint32 = 4
	SignalHangup    uint32 = 5
	SignalBusy      uint32 = 6
	SignalRinging   uint32 = 7
)

// Signal is one call-signalling message.
type Signal struct {
	Kind      uint32
	CallID    string
	SDP       string // Offer and Answer
	Candidate string // Candidate: one ICE candidate, JSON as Pion writes it
}

// Marshal encodes s.
func (s Signal) Marshal() []byte {
	b := make([]byte, 0, len(s.CallID)+len(s.SDP)+len(s.Candidate)+16)
	b = appendUvarint(b, 1, uint64(s.Kind))
	b = appendString(b, 2, s.CallID)
	b = appendString(b, 3, s.SDP)
	b = appendString(b, 4, s.Candidate)
	return b
}

// Unmarshal decodes b into s, replacing its contents.
func (s *Signal) Unmarshal(b []byte) error {
	*s = Signal{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&s.Kind)
		case 2:
			return f.str(&s.CallID)
		case 3:
			return f.str(&s.SDP)
		case 4:
			return f.str(&s.Candidate)
		}
		return nil
	})
}

// Validate checks the kind and the call ID. SDP size is bounded by the
// signal protocol's frame limit.
func (s Signal) Validate() error {
	if s.Kind < SignalOffer || s.Kind > SignalRinging {
		return fmt.Errorf("%w: unknown signal kind %d", ErrInvalid, s.Kind)
	}
	return checkID(s.CallID)
}

func checkID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: empty id", ErrInvalid)
	}
	if len(id) > MaxIDLen {
		return fmt.Errorf("%w: id is %d bytes, limit %d", ErrTooLarge, len(id), MaxIDLen)
	}
	return nil
}
