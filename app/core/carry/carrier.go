package carry

import (
	"context"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	pcarry "hearth/p2p/carry"
	"hearth/p2p/wire"
)

// Deposited is a carrier's side of a deposit: it keeps envelopes for its
// contacts when it opted in, within quotas.
func (k *Carry) Deposited(from peer.ID, envs []wire.Envelope) ([]pcarry.Verdict, error) {
	verdicts := make([]pcarry.Verdict, len(envs))
	if !k.d.Book.IsAccepted(from) || !k.CarryMessages() {
		for i := range verdicts {
			verdicts[i] = pcarry.Verdict{Status: wire.CarryOff, Reason: "not carrying messages"}
		}
		return verdicts, nil
	}
	o := k.Limits()
	k.quota.Lock()
	defer k.quota.Unlock()
	use, err := k.d.Store.CarryUsage(from.String())
	if err != nil {
		return nil, err
	}
	now := k.Now()
	var keep []contacts.Envelope
	var to []peer.ID
	for i, e := range envs {
		rid, err := peer.Decode(e.Recipient)
		if err != nil || rid == k.d.Self || rid == from || !k.d.Book.IsAccepted(rid) {
			verdicts[i] = pcarry.Verdict{Status: wire.CarryUnknown, Reason: "the recipient is not my contact"}
			continue
		}
		if e.Expires <= now.UnixMilli() {
			verdicts[i] = pcarry.Verdict{Status: wire.CarryRejected, Reason: "expired"}
			continue
		}
		data := e.Marshal()
		size := int64(len(data))
		// A file (an envelope bigger than any message's) may only fill
		// half of each byte quota, so that messages always find room.
		bytesPer, bytesAll := o.MaxBytesPerSender, o.MaxTotalBytes
		if size > smallEnvelope {
			bytesPer, bytesAll = bytesPer/2, bytesAll/2
		}
		if use.Count+1 > o.MaxPerSender || use.Bytes+size > bytesPer ||
			use.TotalCount+1 > o.MaxTotal || use.TotalBytes+size > bytesAll {
			verdicts[i] = pcarry.Verdict{Status: wire.CarryFull, Reason: "carrier quota reached"}
			continue
		}
		use.Count++
		use.TotalCount++
		use.Bytes += size
		use.TotalBytes += size
		expires := time.UnixMilli(e.Expires)
		if limit := now.Add(o.MaxAge); expires.After(limit) {
			expires = limit
		}
		keep = append(keep, contacts.Envelope{ID: e.ID, Recipient: rid.String(), Depositor: from.String(),
			Data: data, Expires: expires, StoredAt: now})
		verdicts[i] = pcarry.Verdict{Status: wire.CarryOK}
		if !slices.Contains(to, rid) {
			to = append(to, rid)
		}
	}
	if len(keep) > 0 {
		if _, err := k.d.Store.AddEnvelopes(keep); err != nil {
			return nil, err
		}
	}
	for _, r := range to {
		if k.d.Connected(r) {
			k.requestHandover(r)
		}
	}
	return verdicts, nil
}

// handoverTo gives connected contact r the envelopes I hold for it and
// deletes each one it took.
func (k *Carry) handoverTo(r peer.ID) {
	for k.d.Ctx().Err() == nil && k.d.Book.IsAccepted(r) && k.d.Connected(r) {
		held, err := k.d.Store.Envelopes(r.String(), k.Now(), batchSize)
		if err != nil || len(held) == 0 {
			return
		}
		var envs []wire.Envelope
		var junk []string
		for _, h := range held {
			var e wire.Envelope
			if e.Unmarshal(h.Data) != nil || e.Validate() != nil {
				junk = append(junk, h.ID)
				continue
			}
			envs = append(envs, e)
		}
		if len(junk) > 0 && k.d.Store.DeleteEnvelopes(junk) != nil {
			return
		}
		if len(envs) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(k.d.Ctx(), 30*time.Second)
		replies, err := k.svc.Handover(ctx, r, envs)
		cancel()
		var done []string
		for i, rep := range replies {
			if rep.Status == wire.CarryOK {
				done = append(done, envs[i].ID)
			}
		}
		if len(done) > 0 && k.d.Store.DeleteEnvelopes(done) != nil {
			return
		}
		if err != nil || len(done) < len(envs) {
			// Not again until it reconnects or a minute has passed.
			k.mu.Lock()
			k.failed[r] = k.Now().Add(fullFor)
			k.mu.Unlock()
			return
		}
	}
}
