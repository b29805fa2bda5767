package chat

import (
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/carry"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/wire"
)

// Carried is chat's part in store-and-forward: my outbox to a contact
// who is away goes through carriers, sealed; what carriers hand over is
// stored as a direct message would be.
func (c *Chat) Carried() carry.Provider { return carried{c} }

type carried struct{ c *Chat }

// Sources: my undelivered messages to r (a contact), in outbox order.
func (x carried) Sources(carrier, r peer.ID) []carry.Source {
	if !x.c.d.Book.IsAccepted(r) {
		return nil
	}
	return []carry.Source{carry.MessageSource(carrier.String(), wire.SealedChat, x.c.d.Store.Undeposited,
		func(msg contacts.Message) []byte { return ToWire(msg).Marshal() })}
}

func (x carried) Waiting(r peer.ID) bool {
	w, _ := x.c.HasUndelivered(r.String())
	return w
}

func (x carried) Owed() []peer.ID { return nil }

// Acked marks delivered the messages to s that s acked in a sealed ack.
// Only my undelivered messages to s can be marked.
func (x carried) Acked(s peer.ID, ids []string) error {
	out, err := x.c.d.Store.Outbox(s.String(), 0)
	if err != nil {
		return err
	}
	var hit []string
	for _, o := range out {
		if slices.Contains(ids, o.ID) {
			hit = append(hit, o.ID)
		}
	}
	if len(hit) == 0 {
		return nil
	}
	if err := x.c.d.Store.SetStatuses(hit, contacts.Delivered); err != nil {
		return err
	}
	for _, id := range hit {
		x.c.d.Publish(event.MessageStatusChanged{ID: id, Conversation: s.String(), Status: contacts.Delivered})
	}
	return nil
}

// TakeCarried stores the messages contact s sealed to me, exactly as
// direct ones (deduped by ID), and acks every one stored now or before.
func (c *Chat) TakeCarried(s peer.ID, payloads [][]byte) ([]carry.Taken, error) {
	res := make([]carry.Taken, len(payloads))
	if !c.d.Book.IsAccepted(s) {
		for i := range res {
			res[i].Reason = "not from a contact"
		}
		return res, nil
	}
	var msgs []wire.ChatMessage
	var at []int
	for i, p := range payloads {
		var cm wire.ChatMessage
		if cm.Unmarshal(p) != nil || cm.Validate() != nil {
			res[i].Reason = "malformed message"
			continue
		}
		msgs = append(msgs, cm)
		at = append(at, i)
	}
	if len(msgs) == 0 {
		return res, nil
	}
	if err := c.Deliver(s, msgs); err != nil {
		return nil, err
	}
	for k, cm := range msgs {
		res[at[k]] = carry.Taken{OK: true, Ack: cm.ID}
	}
	return res, nil
}
