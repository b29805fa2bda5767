// Package carry is store-and-forward. Something for a contact who is not
// connected (a message, a group message, a small file, an ack) is sealed to
// that contact (p2p/seal) and deposited with up to Options.Carriers
// carriers: connected mutual contacts who opted in (a home node is simply
// such a contact that is always online). A carrier keeps it in its
// database, within quotas, until it expires or the recipient connects and
// takes it. The recipient stores and dedupes it exactly as if it had come
// directly, then acknowledges end to end: a sealed ack goes back through
// the same carrier, and the sender's direct resend gets a direct ack when
// the two next meet. A deposit marks nothing delivered.
//
// The engine knows no kind of content. Each mechanism whose items may
// travel this way registers a Provider (what waits for whom, and what an
// ack settles) and a Taker per sealed kind it opens.
package carry

import (
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/base"
	pcarry "hearth/p2p/carry"
)

const (
	// settingCarry holds "1" when this profile carries for its contacts.
	settingCarry = "carry.enabled"
	// batchSize is how many envelopes go in one deposit or hand-over.
	batchSize = 64
	// refusedFor is how long a carrier that said no is not asked again
	// (for that recipient, or at all when it does not carry).
	refusedFor = 10 * time.Minute
	// fullFor is how long a carrier whose quota is full is left alone.
	fullFor = time.Minute
	// sweepEvery is how often expired envelopes are dropped.
	sweepEvery = time.Minute
)

// Provider is one mechanism whose items go to recipients through carriers.
type Provider interface {
	// Sources lists what of it may go to recipient r through carrier c.
	Sources(c, r peer.ID) []Source
	// Waiting reports whether something of it waits for contact r.
	Waiting(r peer.ID) bool
	// Owed lists peers who are not (necessarily) contacts that something
	// of it waits for (group members).
	Owed() []peer.ID
	// Acked settles what r acknowledged in a sealed ack; IDs that are not
	// its own, or not owed to r, are skipped.
	Acked(r peer.ID, ids []string) error
}

// Source is one kind of pending item that goes to a recipient through
// carriers.
type Source struct {
	Key  string // the deposit records' carrier key
	Kind uint32 // sealed content kind
	// Batch is how many items go in one deposit (0: the engine's batch).
	Batch int
	// Pending returns up to limit items for r with no deposit record
	// under Key newer than since, oldest first.
	Pending func(r peer.ID, since time.Time, limit int) ([]Item, error)
}

// Item is one pending item: its ID (a message's or a transfer's) and the
// payload its envelope carries.
type Item struct {
	ID      string
	Payload []byte
}

// Taker opens what senders sealed to me of one kind: the payloads that
// came from sender s in one hand-over, in order. For each it reports
// whether it was taken (or dropped, with a reason for the carrier), and
// the ID to acknowledge to s ("" for none). Only a store error is
// returned: the carrier then keeps the envelopes.
type Taker func(s peer.ID, payloads [][]byte) ([]Taken, error)

// Taken is a Taker's verdict on one payload.
type Taken struct {
	OK     bool   // taken; false: dropped
	Reason string // why it was dropped
	Ack    string // the ID to acknowledge, if any
}

// Carry is the store-and-forward engine: the carrier protocol, my deposits
// with carriers and hand-overs to recipients, and the carrier's side.
//
// quota serialises a carrier's quota checks with the writes they allow.
// mu guards the fields below it. Providers and takers are given to New
// and never change after.
type Carry struct {
	d         *base.Deps
	svc       *pcarry.Service
	reach     func(r peer.ID) bool
	providers []Provider
	kinds     []uint32 // takers' kinds, in the order they apply
	takers    map[uint32]Taker

	deposits, handovers base.PerPeer
	quota               sync.Mutex

	mu   sync.Mutex
	opts Options
	// refused: carriers not to ask until the time given; the recipient
	// is "" when the carrier refused everything.
	refused   map[[2]peer.ID]time.Time
	failed    map[peer.ID]time.Time // hand-overs not to retry before then
	good      map[[2]peer.ID]bool   // carriers that took a recipient's messages
	lastSweep time.Time
}

// Config is what the engine carries and for whom.
type Config struct {
	Options
	// Reach reports whether r may exchange sealed items with me at all:
	// an accepted contact or a member of a group I am in.
	Reach func(r peer.ID) bool
	// Providers, in the order acks reach them.
	Providers []Provider
	// Takers by sealed kind, in the order they apply in a hand-over (the
	// first for every sender before the rest, such as recalls).
	Takers []KindTaker
}

// KindTaker is the taker of one sealed kind.
type KindTaker struct {
	Kind uint32
	Take Taker
}

// New registers the carrier protocol.
func New(d *base.Deps, cfg Config) *Carry {
	o := cfg.Options
	if o.Now == nil {
		o.Now = d.Now
	}
	k := &Carry{d: d, opts: o.withDefaults(), takers: map[uint32]Taker{},
		refused: map[[2]peer.ID]time.Time{}, good: map[[2]peer.ID]bool{}, failed: map[peer.ID]time.Time{},
		reach: cfg.Reach, providers: cfg.Providers}
	if k.reach == nil {
		k.reach = d.Book.IsAccepted
	}
	for _, t := range cfg.Takers {
		k.kinds = append(k.kinds, t.Kind)
		k.takers[t.Kind] = t.Take
	}
	k.svc = pcarry.New(d.Host, pcarry.Config{
		Allow:    d.Book.IsAccepted,
		Deposit:  k.Deposited,
		Handover: k.HandedOver,
	})
	return k
}

// Close stops the carrier protocol.
func (k *Carry) Close() { k.svc.Close() }

// Now is the engine's clock.
func (k *Carry) Now() time.Time { return k.opts.Now() }

// Limits returns the store-and-forward options in force.
func (k *Carry) Limits() Options {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.opts
}

// SetLimits changes the options in force (tests).
func (k *Carry) SetLimits(o Options) {
	k.mu.Lock()
	k.opts = o
	k.mu.Unlock()
}

// CarryMessages reports whether this profile carries messages for its
// contacts while they are offline.
func (k *Carry) CarryMessages() bool {
	b, err := k.d.Store.Setting(settingCarry)
	return err == nil && string(b) == "1"
}

// SetCarryMessages turns carrying for contacts on or off. Turning it off
// refuses new deposits; envelopes already held are still handed over.
func (k *Carry) SetCarryMessages(on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	return k.d.Store.SetSetting(settingCarry, []byte(v))
}

// Carrying reports how many envelopes (and bytes) this profile holds for
// its contacts.
func (k *Carry) Carrying() (count int, bytes int64, err error) {
	u, err := k.d.Store.CarryUsage("")
	return u.TotalCount, u.TotalBytes, err
}
