package archive

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/event"
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

func (a *Archive) complianceState(peerID string) complianceState {
	var st complianceState
	if b, err := a.d.Store.Setting(settingCompliancePrefix + peerID); err == nil {
		json.Unmarshal(b, &st)
	}
	return st
}

func (a *Archive) putComplianceState(peerID string, st complianceState) error {
	b, _ := json.Marshal(st)
	if err := a.d.Store.SetSetting(settingCompliancePrefix+peerID, b); err != nil {
		return fmt.Errorf("saving compliance flag: %w", err)
	}
	return nil
}

// Compliance reports whether a conversation is archived for compliance.
func (a *Archive) Compliance(peerID string) bool { return a.complianceState(peerID).On }

// SetCompliance marks a conversation archived for compliance (or not) and
// tells the contact, now or when they are next reachable.
func (a *Archive) SetCompliance(peerID string, on bool) error {
	id, err := peer.Decode(peerID)
	if err != nil {
		return book.ErrUnknownPeer
	}
	if _, ok := a.d.Book.Get(id); !ok {
		return book.ErrUnknownPeer
	}
	a.mu.Lock()
	err = a.putComplianceState(peerID, complianceState{On: on, SetAt: time.Now().UnixMilli()})
	a.mu.Unlock()
	if err != nil {
		return err
	}
	a.d.Publish(event.ComplianceChanged{PeerID: peerID, On: on})
	a.d.Go(func() { a.SendFlag(id) })
	return nil
}

// SendFlag tells a contact our flag for the conversation unless it
// already knows it. A failure is retried on the next connection.
func (a *Archive) SendFlag(id peer.ID) {
	st := a.complianceState(id.String())
	if st.Sent || st.SetAt == 0 || !a.d.Book.IsAccepted(id) || !a.d.Connected(id) {
		return
	}
	n := wire.ComplianceNotice{SetAt: st.SetAt}
	if st.On {
		n.Archived = 1
	}
	ctx, cancel := context.WithTimeout(a.d.Ctx(), 10*time.Second)
	defer cancel()
	if a.comp.Send(ctx, id, n) != nil {
		return
	}
	a.mu.Lock() // serialises the read-modify-write with onComplianceNotice
	defer a.mu.Unlock()
	if cur := a.complianceState(id.String()); cur.SetAt == st.SetAt && cur.On == st.On {
		cur.Sent = true
		a.putComplianceState(id.String(), cur)
	}
}

// onComplianceNotice takes a contact's flag when it is newer than ours.
func (a *Archive) onComplianceNotice(from peer.ID, n wire.ComplianceNotice) {
	a.mu.Lock()
	cur := a.complianceState(from.String())
	if n.SetAt < cur.SetAt {
		a.mu.Unlock()
		return
	}
	on := n.Archived == 1
	// What they told us they know: nothing to send back.
	err := a.putComplianceState(from.String(), complianceState{On: on, SetAt: n.SetAt, Sent: true})
	a.mu.Unlock()
	if err == nil && on != cur.On {
		a.d.Publish(event.ComplianceChanged{PeerID: from.String(), On: on})
	}
}
