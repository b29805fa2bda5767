package carry

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// Tick runs on every pass of the connect loop: it drops expired
// envelopes, hands over what is held for connected contacts and deposits
// what waits for contacts who are not connected.
func (k *Carry) Tick() {
	now := k.Now()
	k.mu.Lock()
	sweep := now.Sub(k.lastSweep) >= sweepEvery
	if sweep {
		k.lastSweep = now
	}
	k.mu.Unlock()
	if sweep {
		k.d.Store.DropExpiredEnvelopes(now)
	}
	online, offline := k.d.Book.Accepted()
	for _, id := range online {
		k.mu.Lock()
		wait := now.Before(k.failed[id])
		k.mu.Unlock()
		if wait {
			continue
		}
		if held, err := k.d.Store.Envelopes(id.String(), now, 1); err == nil && len(held) > 0 {
			k.requestHandover(id)
		}
	}
	if len(online) == 0 {
		return // no one to carry anything
	}
	var asked []peer.ID
	for _, id := range offline {
		if k.waiting(id) {
			k.RequestDeposit(id)
			asked = append(asked, id)
		}
	}
	// Peers who are not contacts (group members) that something waits
	// for, and are not connected.
	for _, p := range k.providers {
		for _, id := range p.Owed() {
			if id == k.d.Self || slices.Contains(asked, id) || k.d.Connected(id) {
				continue
			}
			k.RequestDeposit(id)
			asked = append(asked, id)
		}
	}
}

// waiting reports whether any provider has something for contact r.
func (k *Carry) waiting(r peer.ID) bool {
	for _, p := range k.providers {
		if p.Waiting(r) {
			return true
		}
	}
	return false
}

// OnConnect runs when an accepted contact connects: it may be waiting
// for envelopes I hold, and it may carry for contacts who are away.
func (k *Carry) OnConnect(id peer.ID) {
	k.mu.Lock()
	for key := range k.refused {
		if key[0] == id && key[1] == "" {
			delete(k.refused, key) // it may have opted in since
		}
	}
	delete(k.failed, id)
	k.mu.Unlock()
	// Hands over what I hold for it, and deposits with it for those away.
	// (No wake of the connect loop: a dial racing the one that just
	// connected can cost the new connection its streams.)
	k.Tick()
}

// RequestDeposit deposits what waits for r with carriers, in the
// background (one run per recipient at a time).
func (k *Carry) RequestDeposit(id peer.ID) {
	k.deposits.Request(k.d.Tasks, id, func() { k.DepositFor(id) })
}

func (k *Carry) requestHandover(id peer.ID) {
	k.handovers.Request(k.d.Tasks, id, func() { k.handoverTo(id) })
}

// envelopeID names the envelope of one message to one recipient, the same
// every time it is sealed: a carrier given it twice keeps it once.
func envelopeID(from, to peer.ID, messageID string) string {
	h := sha256.Sum256([]byte("hearth carry envelope\x00" + from.String() + "\x00" + to.String() + "\x00" + messageID))
	return hex.EncodeToString(h[:16])
}

// CarriersFor lists the connected contacts who may carry for r, those
// that did before first.
func (k *Carry) CarriersFor(r peer.ID) []peer.ID {
	now := k.Now()
	out, _ := k.d.Book.Accepted()
	out = slices.DeleteFunc(out, func(id peer.ID) bool { return id == r })
	k.mu.Lock()
	defer k.mu.Unlock()
	out = slices.DeleteFunc(out, func(c peer.ID) bool {
		return now.Before(k.refused[[2]peer.ID{c, r}]) || now.Before(k.refused[[2]peer.ID{c, ""}])
	})
	slices.SortFunc(out, func(a, b peer.ID) int {
		ga, gb := k.good[[2]peer.ID{a, r}], k.good[[2]peer.ID{b, r}]
		if ga != gb {
			if ga {
				return -1
			}
			return 1
		}
		return cmp.Compare(a, b)
	})
	return out
}

func (k *Carry) refuse(carrier, recipient peer.ID, d time.Duration) {
	k.mu.Lock()
	k.refused[[2]peer.ID{carrier, recipient}] = k.Now().Add(d)
	if recipient != "" {
		delete(k.good, [2]peer.ID{carrier, recipient})
	}
	k.mu.Unlock()
}

// DepositFor hands my undelivered messages to r (one-to-one, and group
// messages when r is a member of my groups) to up to Carriers carriers,
// while r is not connected.
func (k *Carry) DepositFor(r peer.ID) {
	if k.d.Ctx().Err() != nil || !k.reach(r) || k.d.Connected(r) {
		return
	}
	took := 0
	for _, c := range k.CarriersFor(r) {
		if took >= k.Limits().Carriers || k.d.Ctx().Err() != nil || k.d.Connected(r) {
			return
		}
		if k.depositAt(c, r) {
			took++
		}
	}
}

// MessageSource is a carry source of messages: query lists them, payload
// encodes one.
func MessageSource(key string, kind uint32, query func(r, key string, since time.Time, limit int) ([]contacts.Message, error), payload func(contacts.Message) []byte) Source {
	return Source{Key: key, Kind: kind, Pending: func(r peer.ID, since time.Time, limit int) ([]Item, error) {
		msgs, err := query(r.String(), key, since, limit)
		items := make([]Item, len(msgs))
		for i, msg := range msgs {
			items[i] = Item{ID: msg.ID, Payload: payload(msg)}
		}
		return items, err
	}}
}

// depositAt seals and deposits with carrier c what it does not hold yet of
// my messages to r, and reports whether c holds them all.
func (k *Carry) depositAt(c, r peer.ID) bool {
	for _, p := range k.providers {
		for _, src := range p.Sources(c, r) {
			if !k.depositSource(c, r, src) {
				return false
			}
		}
	}
	return true
}

// depositSource deposits with c what it does not hold yet of one source.
func (k *Carry) depositSource(c, r peer.ID, src Source) bool {
	batch := src.Batch
	if batch <= 0 {
		batch = batchSize
	}
	for k.d.Ctx().Err() == nil {
		now := k.Now()
		items, err := src.Pending(r, now.Add(-k.Limits().MaxAge), batch)
		if err != nil {
			return false
		}
		if len(items) == 0 {
			return true
		}
		envs := make([]wire.Envelope, 0, len(items))
		for _, it := range items {
			e, err := seal.Seal(rand.Reader, k.d.Key, r, envelopeID(k.d.Self, r, it.ID), now.Add(k.Limits().MaxAge), src.Kind, it.Payload)
			if err != nil {
				return false
			}
			envs = append(envs, e)
		}
		ctx, cancel := context.WithTimeout(k.d.Ctx(), 30*time.Second)
		replies, err := k.svc.Deposit(ctx, c, envs)
		cancel()
		if err != nil && len(replies) == 0 {
			// Gone, or a Hearth without carriers: not again for a while.
			k.refuse(c, "", fullFor)
		}
		var taken []string
		for i, rep := range replies {
			switch rep.Status {
			case wire.CarryOK:
				taken = append(taken, items[i].ID)
			case wire.CarryOff:
				k.refuse(c, "", refusedFor)
			case wire.CarryFull:
				k.refuse(c, "", fullFor)
			default: // unknown recipient, rejected, or a status from a newer carrier
				k.refuse(c, r, refusedFor)
			}
		}
		if len(taken) > 0 {
			if k.d.Store.MarkDeposited(src.Key, taken, now) != nil {
				return false
			}
			k.mu.Lock()
			k.good[[2]peer.ID{c, r}] = true
			k.mu.Unlock()
		}
		if err != nil || len(taken) < len(items) {
			return false
		}
	}
	return false
}

// Refused reports whether carrier c is not asked for recipient r now (""
// for a carrier that refused everything).
func (k *Carry) Refused(c, r peer.ID) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.Now().Before(k.refused[[2]peer.ID{c, r}])
}
