package carry

import (
	"context"
	"crypto/rand"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	pcarry "hearth/p2p/carry"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// DepositIDs seals lists of IDs (a SealedAck payload) of the given kind to
// s and deposits them with carrier c, best effort.
func (k *Carry) DepositIDs(c, s peer.ID, kind uint32, ids []string) {
	now := k.Now()
	var envs []wire.Envelope
	for len(ids) > 0 {
		n := min(len(ids), acksPerEnvelope)
		payload := wire.SealedAck{IDs: ids[:n]}.Marshal()
		ids = ids[n:]
		e, err := seal.Seal(rand.Reader, k.d.Key, s, base.NewID(), now.Add(k.Limits().MaxAge), kind, payload)
		if err != nil {
			return
		}
		envs = append(envs, e)
	}
	ctx, cancel := context.WithTimeout(k.d.Ctx(), 10*time.Second)
	defer cancel()
	k.svc.Deposit(ctx, c, envs)
}

// HandedOver is the recipient's side of a hand-over: it opens what a
// carrier kept for me and gives each payload to the taker of its kind,
// sender by sender, kinds in the order they were registered (a kind
// registered first, such as recalls, goes first for all senders); sealed
// acks go to the providers. The acks of what was taken go back through
// the carrier before it hears that I took the envelopes: if I stop in
// between, it hands them over again and I ack again. Envelopes that do
// not open, come from someone I do not exchange with, or are refused are
// taken and dropped; only a store error leaves them with the carrier.
func (k *Carry) HandedOver(from peer.ID, envs []wire.Envelope) ([]pcarry.Verdict, error) {
	verdicts := make([]pcarry.Verdict, len(envs))
	type batch struct {
		payloads [][]byte
		at       []int // the envelopes the payloads came in
	}
	var senders []peer.ID
	byKind := map[uint32]map[peer.ID]*batch{}
	acks := map[peer.ID][]string{}
	var ackers []peer.ID
	for i, e := range envs {
		verdicts[i] = pcarry.Verdict{Status: wire.CarryOK}
		o, err := seal.Open(k.d.Key, e)
		if err != nil {
			verdicts[i].Reason = "dropped: " + err.Error()
			continue
		}
		if o.Sender == k.d.Self || !k.reach(o.Sender) {
			verdicts[i].Reason = "dropped: not from a contact"
			continue
		}
		if o.Kind == wire.SealedAcks {
			var a wire.SealedAck
			if a.Unmarshal(o.Payload) != nil || a.Validate() != nil {
				verdicts[i].Reason = "dropped: malformed ack"
				continue
			}
			if !slices.Contains(ackers, o.Sender) {
				ackers = append(ackers, o.Sender)
			}
			acks[o.Sender] = append(acks[o.Sender], a.IDs...)
			continue
		}
		if k.takers[o.Kind] == nil {
			verdicts[i].Reason = "dropped: unknown kind"
			continue
		}
		if byKind[o.Kind] == nil {
			byKind[o.Kind] = map[peer.ID]*batch{}
		}
		b := byKind[o.Kind][o.Sender]
		if b == nil {
			b = &batch{}
			byKind[o.Kind][o.Sender] = b
		}
		b.payloads = append(b.payloads, o.Payload)
		b.at = append(b.at, i)
		if !slices.Contains(senders, o.Sender) {
			senders = append(senders, o.Sender)
		}
	}
	took := map[peer.ID][]string{} // what each sender gets acks for
	take := func(kind uint32, s peer.ID) error {
		b := byKind[kind][s]
		if b == nil {
			return nil
		}
		res, err := k.takers[kind](s, b.payloads)
		if err != nil {
			return err
		}
		for j, r := range res {
			if !r.OK {
				verdicts[b.at[j]].Reason = "dropped: " + r.Reason
			}
			if r.Ack != "" {
				took[s] = append(took[s], r.Ack)
			}
		}
		return nil
	}
	// The first kind registered applies for every sender before the rest.
	if len(k.kinds) > 0 {
		for _, s := range senders {
			if err := take(k.kinds[0], s); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range senders {
		for _, kind := range k.kinds[min(1, len(k.kinds)):] {
			if err := take(kind, s); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range ackers {
		for _, p := range k.providers {
			if err := p.Acked(s, acks[s]); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range senders {
		if !k.d.Connected(s) && len(took[s]) > 0 {
			k.DepositIDs(from, s, wire.SealedAcks, took[s])
		}
	}
	return verdicts, nil
}
