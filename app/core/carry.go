package core

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"
	"time"

	"hearth/app/core/base"
	"hearth/app/core/chat"
	"hearth/app/core/event"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/contacts"
	"hearth/p2p/carry"
	"hearth/p2p/files"
	"hearth/p2p/seal"
	"hearth/p2p/wire"
)

// Store-and-forward. A message to a contact who is not connected is sealed
// to that contact (p2p/seal) and deposited with up to CarryOptions.Carriers
// carriers: connected mutual contacts who opted in (a home node is simply
// such a contact that is always online). A carrier keeps it in its
// database, within quotas, until it expires or the recipient connects and
// takes it. The recipient stores and dedupes it exactly as a direct chat
// message, then acknowledges end to end: a sealed ack goes back through
// the same carrier, and the sender's outbox resend gets a direct ack when
// the two next meet. A deposit marks nothing delivered.

// CarryOptions configure store-and-forward; zero fields take defaults.
type CarryOptions struct {
	// Quotas a carrier enforces: per depositor, and in total.
	MaxPerSender      int   // envelopes (default 1000)
	MaxBytesPerSender int64 // bytes (default 16 MiB)
	MaxTotal          int   // envelopes (default 10000)
	MaxTotalBytes     int64 // bytes (default 128 MiB)
	// MaxAge is how long an envelope is kept (default 14 days).
	MaxAge time.Duration
	// Carriers is how many carriers each message is deposited with
	// (default 3).
	Carriers int
	// Now is the clock for expiry (tests); nil means Options.Now, or
	// time.Now.
	Now func() time.Time
}

func (o CarryOptions) withDefaults() CarryOptions {
	if o.MaxPerSender <= 0 {
		o.MaxPerSender = 1000
	}
	if o.MaxBytesPerSender <= 0 {
		o.MaxBytesPerSender = 16 << 20
	}
	if o.MaxTotal <= 0 {
		o.MaxTotal = 10000
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = 128 << 20
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 14 * 24 * time.Hour
	}
	if o.Carriers <= 0 {
		o.Carriers = 3
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

const (
	// settingCarry holds "1" when this profile carries for its contacts.
	settingCarry = "carry.enabled"
	// carryBatch is how many envelopes go in one deposit or hand-over.
	carryBatch = 64
	// refusedFor is how long a carrier that said no is not asked again
	// (for that recipient, or at all when it does not carry).
	refusedFor = 10 * time.Minute
	// fullFor is how long a carrier whose quota is full is left alone.
	fullFor = time.Minute
	// sweepEvery is how often expired envelopes are dropped.
	sweepEvery = time.Minute
	// smallEnvelope is more than a message's envelope ever takes (a chat
	// body is at most 16 KiB, a sealed ack 100 IDs); bigger ones carry
	// files.
	smallEnvelope = 40 << 10
	// acksPerEnvelope is how many IDs one sealed ack holds.
	acksPerEnvelope = wire.MaxSealedAcks
)

// carryState is the Messenger's store-and-forward bookkeeping.
type carryState struct {
	clock func() time.Time // never changes after startCarry
	// quota serialises a carrier's quota checks with the writes they
	// allow, so concurrent deposits cannot overshoot.
	quota sync.Mutex
	// per-peer runs, one at a time each: deposits for a recipient,
	// hand-overs to a recipient.
	deposits, handovers base.PerPeer

	mu   sync.Mutex // guards the fields below
	opts CarryOptions
	// refused: carriers not to ask until the time given; the recipient
	// is "" when the carrier refused everything.
	refused   map[[2]peer.ID]time.Time
	failed    map[peer.ID]time.Time // hand-overs not to retry before then
	good      map[[2]peer.ID]bool   // carriers that took a recipient's messages
	lastSweep time.Time
}

// startCarry registers the carrier protocol; New calls it.
func (m *Messenger) startCarry() {
	o := m.opts.Carry
	if o.Now == nil {
		o.Now = m.opts.Now // the Messenger's clock, when a test set one
	}
	m.cy.opts = o.withDefaults()
	m.cy.clock = m.cy.opts.Now
	m.cy.refused = map[[2]peer.ID]time.Time{}
	m.cy.good = map[[2]peer.ID]bool{}
	m.cy.failed = map[peer.ID]time.Time{}
	m.carry = carry.New(m.node.Host, carry.Config{
		Allow:    m.isAccepted,
		Deposit:  m.onDeposit,
		Handover: m.onHandover,
	})
}

func (m *Messenger) now() time.Time { return m.cy.clock() }

// carryLimits returns the store-and-forward options in force.
func (m *Messenger) carryLimits() CarryOptions {
	m.cy.mu.Lock()
	defer m.cy.mu.Unlock()
	return m.cy.opts
}

// CarryMessages reports whether this profile carries messages for its
// contacts while they are offline.
func (m *Messenger) CarryMessages() bool {
	b, err := m.store.Setting(settingCarry)
	return err == nil && string(b) == "1"
}

// SetCarryMessages turns carrying for contacts on or off. Turning it off
// refuses new deposits; envelopes already held are still handed over.
func (m *Messenger) SetCarryMessages(on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	return m.store.SetSetting(settingCarry, []byte(v))
}

// Carrying reports how many envelopes (and bytes) this profile holds for
// its contacts.
func (m *Messenger) Carrying() (count int, bytes int64, err error) {
	u, err := m.store.CarryUsage("")
	return u.TotalCount, u.TotalBytes, err
}

// carryTick runs on every pass of the connect loop: it drops expired
// envelopes, hands over what is held for connected contacts and deposits
// what waits for contacts who are not connected.
func (m *Messenger) carryTick() {
	now := m.now()
	m.cy.mu.Lock()
	sweep := now.Sub(m.cy.lastSweep) >= sweepEvery
	if sweep {
		m.cy.lastSweep = now
	}
	m.cy.mu.Unlock()
	if sweep {
		m.store.DropExpiredEnvelopes(now)
	}
	online, offline := m.book.Accepted()
	for _, id := range online {
		m.cy.mu.Lock()
		wait := now.Before(m.cy.failed[id])
		m.cy.mu.Unlock()
		if wait {
			continue
		}
		if held, err := m.store.Envelopes(id.String(), now, 1); err == nil && len(held) > 0 {
			m.requestHandover(id)
		}
	}
	if len(online) == 0 {
		return // no one to carry anything
	}
	var asked []peer.ID
	for _, id := range offline {
		if waiting, _ := m.Chat.HasUndelivered(id.String()); waiting || m.smallOffersWaiting(id) {
			m.requestDeposit(id)
			asked = append(asked, id)
		}
	}
	m.depositGroupsTick(asked)
}

// carryOnConnect runs when an accepted contact connects: it may be waiting
// for envelopes I hold, and it may carry for contacts who are away.
func (m *Messenger) carryOnConnect(id peer.ID) {
	m.cy.mu.Lock()
	for k := range m.cy.refused {
		if k[0] == id && k[1] == "" {
			delete(m.cy.refused, k) // it may have opted in since
		}
	}
	delete(m.cy.failed, id)
	m.cy.mu.Unlock()
	// Hands over what I hold for it, and deposits with it for those away.
	// (No wake of the connect loop: a dial racing the one that just
	// connected can cost the new connection its streams.)
	m.carryTick()
}

func (m *Messenger) requestDeposit(id peer.ID) {
	m.cy.deposits.Request(m.d.Tasks, id, func() { m.depositFor(id) })
}

func (m *Messenger) requestHandover(id peer.ID) {
	m.cy.handovers.Request(m.d.Tasks, id, func() { m.handoverTo(id) })
}

// envelopeID names the envelope of one message to one recipient, the same
// every time it is sealed: a carrier given it twice keeps it once.
func envelopeID(from, to peer.ID, messageID string) string {
	h := sha256.Sum256([]byte("hearth carry envelope\x00" + from.String() + "\x00" + to.String() + "\x00" + messageID))
	return hex.EncodeToString(h[:16])
}

// carriersFor lists the connected contacts who may carry for r, those
// that did before first.
func (m *Messenger) carriersFor(r peer.ID) []peer.ID {
	now := m.now()
	out, _ := m.book.Accepted()
	out = slices.DeleteFunc(out, func(id peer.ID) bool { return id == r })
	m.cy.mu.Lock()
	defer m.cy.mu.Unlock()
	out = slices.DeleteFunc(out, func(c peer.ID) bool {
		return now.Before(m.cy.refused[[2]peer.ID{c, r}]) || now.Before(m.cy.refused[[2]peer.ID{c, ""}])
	})
	slices.SortFunc(out, func(a, b peer.ID) int {
		ga, gb := m.cy.good[[2]peer.ID{a, r}], m.cy.good[[2]peer.ID{b, r}]
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

func (m *Messenger) refuse(carrier, recipient peer.ID, d time.Duration) {
	m.cy.mu.Lock()
	m.cy.refused[[2]peer.ID{carrier, recipient}] = m.now().Add(d)
	if recipient != "" {
		delete(m.cy.good, [2]peer.ID{carrier, recipient})
	}
	m.cy.mu.Unlock()
}

// depositFor hands my undelivered messages to r (one-to-one, and group
// messages when r is a member of my groups) to up to Carriers carriers,
// while r is not connected.
func (m *Messenger) depositFor(r peer.ID) {
	if m.d.Ctx().Err() != nil || !m.allowGroupPeer(r) || m.connected(r) {
		return
	}
	took := 0
	for _, c := range m.carriersFor(r) {
		if took >= m.carryLimits().Carriers || m.d.Ctx().Err() != nil || m.connected(r) {
			return
		}
		if m.depositAt(c, r) {
			took++
		}
	}
}

// carrySource is one kind of pending item that goes to a recipient
// through carriers: my one-to-one outbox, my group deliveries, or my small
// file offers (carryfiles.go).
type carrySource struct {
	key  string // the deposit records' carrier key
	kind uint32 // sealed content kind
	// batch is how many items go in one deposit (0: carryBatch).
	batch int
	// pending returns up to limit items for r with no deposit record
	// under key newer than since, oldest first.
	pending func(r peer.ID, since time.Time, limit int) ([]carryItem, error)
}

// carryItem is one pending item: its ID (a message's or a transfer's) and
// the payload its envelope carries.
type carryItem struct {
	id      string
	payload []byte
}

// messageSource is a carry source of messages: query lists them, payload
// encodes one.
func messageSource(key string, kind uint32, query func(r, key string, since time.Time, limit int) ([]contacts.Message, error), payload func(contacts.Message) []byte) carrySource {
	return carrySource{key: key, kind: kind, pending: func(r peer.ID, since time.Time, limit int) ([]carryItem, error) {
		msgs, err := query(r.String(), key, since, limit)
		items := make([]carryItem, len(msgs))
		for i, msg := range msgs {
			items[i] = carryItem{id: msg.ID, payload: payload(msg)}
		}
		return items, err
	}}
}

// carrySources lists what may go to r through carrier c.
func (m *Messenger) carrySources(c, r peer.ID) []carrySource {
	var out []carrySource
	if m.isAccepted(r) {
		out = append(out, messageSource(c.String(), wire.SealedChat, m.store.Undeposited,
			func(msg contacts.Message) []byte { return chat.ToWire(msg).Marshal() }))
	}
	return append(out, m.groupCarrySource(c, r), m.fileCarrySource(c, r)) // carryfiles.go
}

// depositAt seals and deposits with carrier c what it does not hold yet of
// my messages to r, and reports whether c holds them all.
func (m *Messenger) depositAt(c, r peer.ID) bool {
	for _, src := range m.carrySources(c, r) {
		if !m.depositSource(c, r, src) {
			return false
		}
	}
	return true
}

// depositSource deposits with c what it does not hold yet of one source.
func (m *Messenger) depositSource(c, r peer.ID, src carrySource) bool {
	batch := src.batch
	if batch <= 0 {
		batch = carryBatch
	}
	for m.d.Ctx().Err() == nil {
		now := m.now()
		items, err := src.pending(r, now.Add(-m.carryLimits().MaxAge), batch)
		if err != nil {
			return false
		}
		if len(items) == 0 {
			return true
		}
		envs := make([]wire.Envelope, 0, len(items))
		for _, it := range items {
			e, err := seal.Seal(rand.Reader, m.prof.Key, r, envelopeID(m.prof.ID, r, it.id), now.Add(m.carryLimits().MaxAge), src.kind, it.payload)
			if err != nil {
				return false
			}
			envs = append(envs, e)
		}
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 30*time.Second)
		replies, err := m.carry.Deposit(ctx, c, envs)
		cancel()
		if err != nil && len(replies) == 0 {
			// Gone, or a Hearth without carriers: not again for a while.
			m.refuse(c, "", fullFor)
		}
		var taken []string
		for i, rep := range replies {
			switch rep.Status {
			case wire.CarryOK:
				taken = append(taken, items[i].id)
			case wire.CarryOff:
				m.refuse(c, "", refusedFor)
			case wire.CarryFull:
				m.refuse(c, "", fullFor)
			default: // unknown recipient, rejected, or a status from a newer carrier
				m.refuse(c, r, refusedFor)
			}
		}
		if len(taken) > 0 {
			if m.store.MarkDeposited(src.key, taken, now) != nil {
				return false
			}
			m.cy.mu.Lock()
			m.cy.good[[2]peer.ID{c, r}] = true
			m.cy.mu.Unlock()
		}
		if err != nil || len(taken) < len(items) {
			return false
		}
	}
	return false
}

// onDeposit is a carrier's side of a deposit: it keeps envelopes for its
// contacts when it opted in, within quotas.
func (m *Messenger) onDeposit(from peer.ID, envs []wire.Envelope) ([]carry.Verdict, error) {
	verdicts := make([]carry.Verdict, len(envs))
	if !m.isAccepted(from) || !m.CarryMessages() {
		for i := range verdicts {
			verdicts[i] = carry.Verdict{Status: wire.CarryOff, Reason: "not carrying messages"}
		}
		return verdicts, nil
	}
	o := m.carryLimits()
	m.cy.quota.Lock()
	defer m.cy.quota.Unlock()
	use, err := m.store.CarryUsage(from.String())
	if err != nil {
		return nil, err
	}
	now := m.now()
	var keep []contacts.Envelope
	var to []peer.ID
	for i, e := range envs {
		rid, err := peer.Decode(e.Recipient)
		if err != nil || rid == m.prof.ID || rid == from || !m.isAccepted(rid) {
			verdicts[i] = carry.Verdict{Status: wire.CarryUnknown, Reason: "the recipient is not my contact"}
			continue
		}
		if e.Expires <= now.UnixMilli() {
			verdicts[i] = carry.Verdict{Status: wire.CarryRejected, Reason: "expired"}
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
			verdicts[i] = carry.Verdict{Status: wire.CarryFull, Reason: "carrier quota reached"}
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
		verdicts[i] = carry.Verdict{Status: wire.CarryOK}
		if !slices.Contains(to, rid) {
			to = append(to, rid)
		}
	}
	if len(keep) > 0 {
		if _, err := m.store.AddEnvelopes(keep); err != nil {
			return nil, err
		}
	}
	for _, r := range to {
		if m.connected(r) {
			m.requestHandover(r)
		}
	}
	return verdicts, nil
}

// handoverTo gives connected contact r the envelopes I hold for it and
// deletes each one it took.
func (m *Messenger) handoverTo(r peer.ID) {
	for m.d.Ctx().Err() == nil && m.isAccepted(r) && m.connected(r) {
		held, err := m.store.Envelopes(r.String(), m.now(), carryBatch)
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
		if len(junk) > 0 && m.store.DeleteEnvelopes(junk) != nil {
			return
		}
		if len(envs) == 0 {
			continue
		}
		ctx, cancel := context.WithTimeout(m.d.Ctx(), 30*time.Second)
		replies, err := m.carry.Handover(ctx, r, envs)
		cancel()
		var done []string
		for i, rep := range replies {
			if rep.Status == wire.CarryOK {
				done = append(done, envs[i].ID)
			}
		}
		if len(done) > 0 && m.store.DeleteEnvelopes(done) != nil {
			return
		}
		if err != nil || len(done) < len(envs) {
			// Not again until it reconnects or a minute has passed.
			m.cy.mu.Lock()
			m.cy.failed[r] = m.now().Add(fullFor)
			m.cy.mu.Unlock()
			return
		}
	}
}

// onHandover is the recipient's side: it opens what a carrier kept for me,
// stores chat messages exactly as direct ones (deduped by ID), keeps
// carried files as offers whose bytes are already here, applies acks, and
// sends sealed acks back through the carrier. Envelopes that do
// not open, or come from someone who is not my contact, are taken and
// dropped; only a store error leaves them with the carrier.
func (m *Messenger) onHandover(from peer.ID, envs []wire.Envelope) ([]carry.Verdict, error) {
	verdicts := make([]carry.Verdict, len(envs))
	var senders []peer.ID
	chats := map[peer.ID][]wire.ChatMessage{}
	groups := map[peer.ID][]wire.GroupFrame{}
	groupAt := map[peer.ID][]int{} // the envelopes groups came in
	acks := map[peer.ID][]string{}
	carried := map[peer.ID][]wire.CarriedFile{} // carryfiles.go
	recalls := map[peer.ID][]string{}
	fileAt := map[peer.ID][]int{}
	addSender := func(s peer.ID) { // s sent something to store
		if !slices.Contains(senders, s) {
			senders = append(senders, s)
		}
	}
	for i, e := range envs {
		verdicts[i] = carry.Verdict{Status: wire.CarryOK}
		o, err := seal.Open(m.prof.Key, e)
		if err != nil {
			verdicts[i].Reason = "dropped: " + err.Error()
			continue
		}
		// Group members who are not my contacts may send group messages
		// and acks; deliverGroup checks membership as for a direct frame.
		if o.Sender == m.prof.ID || !m.allowGroupPeer(o.Sender) || (o.Kind == wire.SealedChat && !m.isAccepted(o.Sender)) {
			verdicts[i].Reason = "dropped: not from a contact"
			continue
		}
		switch o.Kind {
		case wire.SealedGroup:
			f, ok := openedGroupFrame(o.Payload)
			if !ok {
				verdicts[i].Reason = "dropped: malformed group message"
				continue
			}
			addSender(o.Sender)
			groups[o.Sender] = append(groups[o.Sender], f)
			groupAt[o.Sender] = append(groupAt[o.Sender], i)
		case wire.SealedChat:
			var cm wire.ChatMessage
			if cm.Unmarshal(o.Payload) != nil || cm.Validate() != nil {
				verdicts[i].Reason = "dropped: malformed message"
				continue
			}
			addSender(o.Sender)
			chats[o.Sender] = append(chats[o.Sender], cm)
		case wire.SealedFile:
			var cf wire.CarriedFile
			if cf.Unmarshal(o.Payload) != nil || cf.Validate() != nil {
				verdicts[i].Reason = "dropped: malformed file"
				continue
			}
			if cf.Offer.Group == "" && !m.isAccepted(o.Sender) {
				verdicts[i].Reason = "dropped: not from a contact"
				continue
			}
			addSender(o.Sender)
			carried[o.Sender] = append(carried[o.Sender], cf)
			fileAt[o.Sender] = append(fileAt[o.Sender], i)
		case wire.SealedAcks, wire.SealedRecall:
			var a wire.SealedAck
			if a.Unmarshal(o.Payload) != nil || a.Validate() != nil {
				verdicts[i].Reason = "dropped: malformed ack"
				continue
			}
			if o.Kind == wire.SealedRecall {
				recalls[o.Sender] = append(recalls[o.Sender], a.IDs...)
			} else {
				acks[o.Sender] = append(acks[o.Sender], a.IDs...)
			}
		default:
			verdicts[i].Reason = "dropped: unknown kind"
		}
	}
	// Cancels first: a file recalled in the same hand-over is not kept.
	for s, ids := range recalls {
		for _, id := range ids {
			m.onControl(s, files.Control{TransferID: id, Kind: files.Cancel, Reason: "Cancelled by the sender"})
		}
	}
	took := map[peer.ID][]string{} // what each sender gets acks for
	for _, s := range senders {
		if len(chats[s]) > 0 {
			if err := m.Chat.Deliver(s, chats[s]); err != nil {
				return nil, err
			}
			for _, cm := range chats[s] {
				took[s] = append(took[s], cm.ID)
			}
		}
		taken, err := m.deliverCarriedGroup(s, groups[s])
		if err != nil {
			return nil, err
		}
		for k, ok := range taken {
			if ok {
				took[s] = append(took[s], groups[s][k].ID)
			} else {
				verdicts[groupAt[s][k]].Reason = "dropped: refused by the group"
			}
		}
		for k, cf := range carried[s] {
			taken, ack, err := m.takeCarriedFile(s, cf)
			if err != nil {
				return nil, err
			}
			if ack {
				took[s] = append(took[s], cf.Offer.TransferID)
			}
			if !taken {
				verdicts[fileAt[s][k]].Reason = "dropped: file refused"
			}
		}
	}
	for s, ids := range acks {
		if err := m.ackedThroughCarrier(s, ids); err != nil {
			return nil, err
		}
	}
	// The acks go back before the carrier hears that I took the
	// messages: if I stop in between, it hands them over again and I ack
	// again.
	for _, s := range senders {
		if !m.connected(s) && len(took[s]) > 0 {
			m.depositAcks(from, s, took[s])
		}
	}
	return verdicts, nil
}

// ackedThroughCarrier marks delivered the messages to s that s acked in a
// sealed ack. Only my undelivered messages to s can be marked.
func (m *Messenger) ackedThroughCarrier(s peer.ID, ids []string) error {
	if err := m.groupAckedThroughCarrier(s, ids); err != nil {
		return err
	}
	m.filesAckedThroughCarrier(s, ids) // carryfiles.go
	out, err := m.store.Outbox(s.String(), 0)
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
	if err := m.store.SetStatuses(hit, contacts.Delivered); err != nil {
		return err
	}
	for _, id := range hit {
		m.publish(event.MessageStatusChanged{ID: id, Conversation: s.String(), Status: contacts.Delivered})
	}
	return nil
}

// depositAcks seals acks of ids to s and deposits them with carrier c. It
// is best effort: when it fails, s still gets a direct ack when its outbox
// resend reaches me.
func (m *Messenger) depositAcks(c, s peer.ID, ids []string) { m.depositIDs(c, s, wire.SealedAcks, ids) }

// depositIDs seals lists of IDs (a SealedAck payload) of the given kind to
// s and deposits them with carrier c, best effort.
func (m *Messenger) depositIDs(c, s peer.ID, kind uint32, ids []string) {
	now := m.now()
	var envs []wire.Envelope
	for len(ids) > 0 {
		n := min(len(ids), acksPerEnvelope)
		payload := wire.SealedAck{IDs: ids[:n]}.Marshal()
		ids = ids[n:]
		e, err := seal.Seal(rand.Reader, m.prof.Key, s, base.NewID(), now.Add(m.carryLimits().MaxAge), kind, payload)
		if err != nil {
			return
		}
		envs = append(envs, e)
	}
	ctx, cancel := context.WithTimeout(m.d.Ctx(), 10*time.Second)
	defer cancel()
	m.carry.Deposit(ctx, c, envs)
}
