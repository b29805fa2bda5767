package wire

import "fmt"

// ChatUpdate kinds: what a ChatUpdate says about the conversation.
const (
	// UpdateTyping: I am typing a message to you (ephemeral; no Target).
	UpdateTyping uint32 = 1
	// UpdateRead: I have read your messages up to and including Target.
	UpdateRead uint32 = 2
	// UpdateEdit: my message Target now reads Body (edited at At).
	UpdateEdit uint32 = 3
	// UpdateDelete: I deleted my message Target for everyone (at At).
	UpdateDelete uint32 = 4
	// UpdateReact: my reaction to message Target (mine or yours) is the
	// emoji Body ("" takes it back), set at At. One per person per
	// message; the newest wins.
	UpdateReact uint32 = 5
)

// MaxReaction is the most bytes a reaction's emoji may have (a flag or a
// family sequence is under 30).
const MaxReaction = 64

// ChatUpdate changes something about a 1:1 conversation other than adding
// a message: typing, read receipts, edits and deletes. Kinds a receiver
// does not know are skipped by it, so newer peers may add more.
type ChatUpdate struct {
	Kind   uint32
	Target string // the message ID the update is about
	Body   string // UpdateEdit: the new text; UpdateReact: the emoji
	At     int64  // UpdateEdit, UpdateDelete, UpdateReact: unix milliseconds, author's clock; orders changes
}

// Marshal encodes u.
func (u ChatUpdate) Marshal() []byte {
	b := make([]byte, 0, len(u.Target)+len(u.Body)+24)
	b = appendUvarint(b, 1, uint64(u.Kind))
	b = appendString(b, 2, u.Target)
	b = appendString(b, 3, u.Body)
	b = appendUvarint(b, 4, uint64(u.At))
	return b
}

// Unmarshal decodes b into u, replacing its contents.
func (u *ChatUpdate) Unmarshal(b []byte) error {
	*u = ChatUpdate{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&u.Kind)
		case 2:
			return f.str(&u.Target)
		case 3:
			return f.str(&u.Body)
		case 4:
			return f.int64(&u.At)
		}
		return nil
	})
}

// Validate checks the limits every kind shares (Target at most MaxIDLen,
// Body at most MaxChatBody) and what each known kind requires: a Target for
// read, edit and delete, a time for edit and delete, and text for an edit.
func (u ChatUpdate) Validate() error {
	if len(u.Target) > MaxIDLen {
		return fmt.Errorf("%w: target id is %d bytes, limit %d", ErrTooLarge, len(u.Target), MaxIDLen)
	}
	if len(u.Body) > MaxChatBody {
		return fmt.Errorf("%w: body is %d bytes, limit %d", ErrTooLarge, len(u.Body), MaxChatBody)
	}
	switch u.Kind {
	case 0:
		return fmt.Errorf("%w: update without a kind", ErrInvalid)
	case UpdateRead:
		return checkID(u.Target)
	case UpdateEdit, UpdateDelete, UpdateReact:
		if err := checkID(u.Target); err != nil {
			return err
		}
		if u.At <= 0 {
			return fmt.Errorf("%w: change without a time", ErrInvalid)
		}
		if u.Kind == UpdateEdit && u.Body == "" {
			return fmt.Errorf("%w: edit without text", ErrInvalid)
		}
		if u.Kind == UpdateReact && len(u.Body) > MaxReaction {
			return fmt.Errorf("%w: reaction is %d bytes, limit %d", ErrTooLarge, len(u.Body), MaxReaction)
		}
	}
	return nil
}
