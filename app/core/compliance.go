package core

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

// A conversation "archived for compliance" shows a banner to both people.
// The flag is kept per conversation in the store, with when it was set;
// the newest setting wins, whichever side made it.

const settingCompliancePrefix = "compliance."

type complianceState struct {
	On    bool  `json:"on"`
	SetAt int64 `json:"set_at"` // Unix milliseconds, the setter's clock
	Sent  bool  `json:"sent"`   // the contact has been told
}

func (m *Messenger) complianceState(peerID string) complianceState {
	var st complianceState
	if b, err := m.store.Setting(settingCompliancePrefix + peerID); err == nil {
		json.Unmarshal(b, &st)
	}
	return st
}

func (m *Messenger) putComplianceState(peerID string, st complianceState) error {
	b, _ := json.Marshal(st)
	if err := m.store.SetSetting(settingCompliancePrefix+peerID, b); err != nil {
		return fmt.Errorf("saving compliance flag: %w", err)
	}
	return nil
}

// Compliance reports whether a conversation is archived for compliance.
func (m *Messenger) Compliance(peerID string) bool { return m.complianceState(peerID).On }

// SetCompliance marks a conversation archived for compliance (or not) and
// tells the contact, now or when they are next reachable.
func (m *Messenger) SetCompliance(peerID string, on bool) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return ErrUnknownPeer
	}
	if _, ok := m.contact(id); !ok {
		return ErrUnknownPeer
	}
	m.cmu.Lock()
	err = m.putComplianceState(peerID, complianceState{On: on, SetAt: time.Now().UnixMilli()})
	m.cmu.Unlock()
	if err != nil {
		return err
	}
	m.publish(ComplianceChanged{PeerID: peerID, On: on})
	m.spawn(func() { m.sendCompliance(id) })
	return nil
}

// ComplianceChanged: a conversation's "archived for compliance" flag
// changed, here or on the contact's side.
type ComplianceChanged struct {
	PeerID string
	On     bool
}

func (ComplianceChanged) isEvent() {}

// sendCompliance tells a contact our flag for the conversation unless it
// already knows it. A failure is retried on the next connection.
func (m *Messenger) sendCompliance(id peer.ID) {
	st := m.complianceState(id.String())
	if st.Sent || st.SetAt == 0 || !m.isAccepted(id) || !m.connected(id) {
		return
	}
	n := wire.ComplianceNotice{SetAt: st.SetAt}
	if st.On {
		n.Archived = 1
	}
	ctx, cancel := context.WithTimeout(m.ctx, 10*time.Second)
	defer cancel()
	if m.comp.Send(ctx, id, n) != nil {
		return
	}
	m.cmu.Lock() // serialises the read-modify-write with onComplianceNotice
	defer m.cmu.Unlock()
	if cur := m.complianceState(id.String()); cur.SetAt == st.SetAt && cur.On == st.On {
		cur.Sent = true
		m.putComplianceState(id.String(), cur)
	}
}

// onComplianceNotice takes a contact's flag when it is newer than ours.
func (m *Messenger) onComplianceNotice(from peer.ID, n wire.ComplianceNotice) {
	m.cmu.Lock()
	cur := m.complianceState(from.String())
	if n.SetAt < cur.SetAt {
		m.cmu.Unlock()
		return
	}
	on := n.Archived == 1
	// What they told us they know: nothing to send back.
	err := m.putComplianceState(from.String(), complianceState{On: on, SetAt: n.SetAt, Sent: true})
	m.cmu.Unlock()
	if err == nil && on != cur.On {
		m.publish(ComplianceChanged{PeerID: from.String(), On: on})
	}
}
