package core

import (
	"slices"

	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/wire"
)

// Group messages through carriers. A member who is not connected gets my
// group messages the way a contact gets one-to-one messages while away
// (carry.go): each is sealed to that member, as the same GroupFrame a
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

// groupCarrySource is the group part of what goes to r through c.
func (m *Messenger) groupCarrySource(c, r peer.ID) carrySource {
	return messageSource(groupDepositKey(c, r), wire.SealedGroup, m.store.UndepositedGroup,
		func(msg contacts.Message) []byte { return groupMessageFrame(msg).Marshal() })
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

// deliverCarriedGroup stores group messages author s sealed to me through
// the direct path and reports which to ack: those stored now or before. A
// refused one (I do not hold the group yet, or s is not a member) is not
// acked: s sends it again directly, with the states I lack.
func (m *Messenger) deliverCarriedGroup(s peer.ID, fs []wire.GroupFrame) ([]bool, error) {
	if len(fs) == 0 {
		return nil, nil
	}
	return m.deliverGroup(s, fs)
}

// groupAckedThroughCarrier ends member s's deliveries of my group
// messages it acked in a sealed ack; a message is Delivered when no member
// awaits it any more. Only deliveries owed to s can end.
func (m *Messenger) groupAckedThroughCarrier(s peer.ID, ids []string) error {
	out, err := m.store.GroupOutbox(s.String(), 0)
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
	done, err := m.store.DoneGroupDeliveries(s.String(), hit)
	if err != nil {
		return err
	}
	for _, id := range done {
		m.publish(event.MessageStatusChanged{ID: id, Conversation: conv[id], Status: contacts.Delivered})
	}
	return nil
}

// depositGroupsTick deposits for group members owed messages who are not
// connected; carryTick calls it while someone is connected. Those in skip
// already had their deposit requested (it covers group messages too).
func (m *Messenger) depositGroupsTick(skip []peer.ID) {
	owed, err := m.store.GroupDeliveryPeers()
	if err != nil {
		return
	}
	for _, p := range owed {
		id, err := peer.Decode(p)
		if err != nil || id == m.prof.ID || slices.Contains(skip, id) || m.connected(id) {
			continue
		}
		m.requestDeposit(id)
		skip = append(skip, id)
	}
	for _, id := range m.groupFileMembersOwed() { // carryfiles.go
		if id != m.prof.ID && !slices.Contains(skip, id) {
			m.requestDeposit(id)
		}
	}
}
