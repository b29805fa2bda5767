package groups

import (
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/carry"
	"hearth/app/core/event"
	"hearth/contacts"
	"hearth/p2p/wire"
)

// Group messages through carriers. A member who is not connected gets my
// group messages the way a contact gets one-to-one messages while away
// (app/core/carry): each is sealed to that member, as the same GroupFrame a
// direct flush sends, and deposited with connected carriers. The seal's
// signed sender is the author, so the member applies the checks of a
// direct frame (deliverGroup: I am in the group, the author is a member),
// stores it deduped by message ID, and acks it through the carrier; the
// ack settles my delivery row for that member. A carrier only carries
// between two of its own contacts, so members who share no carrier with
// me (not contacts of any carrier I know) still wait for a direct flush.

// groupDepositKey is the deposit records' carrier key of group messages
// to member r through carrier c: one group message goes to many members
// through one carrier, each in its own envelope.
func groupDepositKey(c, r peer.ID) string { return c.String() + ">" + r.String() }

// Carried is the group part of store-and-forward (a carry.Provider).
func (gs *Groups) Carried() carry.Provider { return groupCarried{gs} }

type groupCarried struct{ gs *Groups }

// Sources: my group messages still owed to member r.
func (x groupCarried) Sources(c, r peer.ID) []carry.Source {
	return []carry.Source{carry.MessageSource(groupDepositKey(c, r), wire.SealedGroup, x.gs.d.Store.UndepositedGroup,
		func(msg contacts.Message) []byte { return groupMessageFrame(msg).Marshal() })}
}

// Waiting is false: members owed group messages are listed by Owed,
// contacts or not.
func (x groupCarried) Waiting(peer.ID) bool { return false }

// Owed lists the members owed group messages.
func (x groupCarried) Owed() []peer.ID {
	owed, err := x.gs.d.Store.GroupDeliveryPeers()
	if err != nil {
		return nil
	}
	var out []peer.ID
	for _, p := range owed {
		if id, err := peer.Decode(p); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func (x groupCarried) Acked(s peer.ID, ids []string) error {
	return x.gs.groupAckedThroughCarrier(s, ids)
}

// groupMessageFrame is what one of my group messages sends: directly
// (groupFlush) and inside a carried envelope alike.
func groupMessageFrame(msg contacts.Message) wire.GroupFrame {
	gid, _ := contacts.GroupID(msg.Conversation)
	return wire.GroupFrame{Kind: wire.GroupKindMessage, ID: msg.ID, GroupID: gid, Body: msg.Body, SentAt: msg.SentAt.UnixMilli()}
}

// openedGroupFrame decodes the payload of a sealed group message; only
// message frames travel this way (states and leaves go directly).
func openedGroupFrame(payload []byte) (wire.GroupFrame, bool) {
	var f wire.GroupFrame
	if f.Unmarshal(payload) != nil || f.Validate() != nil || f.Kind != wire.GroupKindMessage {
		return wire.GroupFrame{}, false
	}
	return f, true
}

// TakeCarried stores group messages author s sealed to me through
// the direct path and acks those stored now or before. A refused one (I do
// not hold the group yet, or s is not a member) is not acked: s sends it
// again directly, with the states I lack.
func (gs *Groups) TakeCarried(s peer.ID, payloads [][]byte) ([]carry.Taken, error) {
	res := make([]carry.Taken, len(payloads))
	var fs []wire.GroupFrame
	var at []int
	for i, p := range payloads {
		f, ok := openedGroupFrame(p)
		if !ok {
			res[i].Reason = "malformed group message"
			continue
		}
		fs = append(fs, f)
		at = append(at, i)
	}
	if len(fs) == 0 {
		return res, nil
	}
	taken, err := gs.deliverGroup(s, fs)
	if err != nil {
		return nil, err
	}
	for k, ok := range taken {
		if ok {
			res[at[k]] = carry.Taken{OK: true, Ack: fs[k].ID}
		} else {
			res[at[k]].Reason = "refused by the group"
		}
	}
	return res, nil
}

// groupAckedThroughCarrier ends member s's deliveries of my group
// messages it acked in a sealed ack; a message is Delivered when no member
// awaits it any more. Only deliveries owed to s can end.
func (gs *Groups) groupAckedThroughCarrier(s peer.ID, ids []string) error {
	out, err := gs.d.Store.GroupOutbox(s.String(), 0)
	if err != nil || len(out) == 0 {
		return err
	}
	conv := map[string]string{}
	var hit []string
	for _, o := range out {
		if slices.Contains(ids, o.ID) {
			hit = append(hit, o.ID)
			conv[o.ID] = o.Conversation
		}
	}
	if len(hit) == 0 {
		return nil
	}
	done, err := gs.d.Store.DoneGroupDeliveries(s.String(), hit)
	if err != nil {
		return err
	}
	for _, id := range done {
		gs.d.Publish(event.MessageStatusChanged{ID: id, Conversation: conv[id], Status: contacts.Delivered})
	}
	return nil
}
