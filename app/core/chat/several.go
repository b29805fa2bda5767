package chat

import (
	"errors"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	"hearth/app/core/book"
	"hearth/contacts"
)

// ErrNoRecipients: "send to several" needs at least one contact.
var ErrNoRecipients = errors.New("choose at least one contact")

// SendToSeveral sends one message to several contacts at once: one
// one-to-one message each, with its own delivery. Every recipient must be
// an accepted contact; nothing is sent otherwise.
func (c *Chat) SendToSeveral(peerIDs []string, text string) ([]contacts.Message, error) {
	if _, err := base.CheckText(text); err != nil {
		return nil, err
	}
	ids := slices.Compact(slices.Sorted(slices.Values(peerIDs)))
	if len(ids) == 0 {
		return nil, ErrNoRecipients
	}
	for _, p := range ids {
		id, err := peer.Decode(p)
		if err != nil {
			return nil, book.ErrUnknownPeer
		}
		if !c.d.Book.IsAccepted(id) {
			return nil, book.ErrNotContact
		}
	}
	out := make([]contacts.Message, 0, len(ids))
	for _, p := range ids {
		msg, err := c.Send(p, text)
		if err != nil {
			return out, err
		}
		out = append(out, msg)
	}
	return out, nil
}
