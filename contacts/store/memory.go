package store

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"hearth/contacts"
)

// Memory is a Store kept in memory, with the same semantics as SQLite
// (ordering, duplicate handling, search), for fast tests of the layers
// above. Nothing survives Close.
type Memory struct {
	mu       sync.Mutex // guards everything below
	closed   bool
	settings map[string][]byte
	contacts map[string]contacts.Contact
	invites  map[string]contacts.Invite
	messages []memMessage     // in insertion order: the slice index is the sequence
	byID     map[string]int   // message ID → index in messages
	byConv   map[string][]int // conversation → indexes, in order
	// transfers by ID; each keeps the sequence of its first insertion.
	transfers   map[string]memTransfer
	transferSeq int64
	grp         memGroups // group conversations (memory_groups.go)
	// receipts: conversation → the read receipt told or to tell (lazily made)
	receipts map[string]memReceipt
	carry    memCarry // store-and-forward (memory_carry.go)
}

type memTransfer struct {
	contacts.Transfer
	seq int64
}

type memMessage struct {
	contacts.Message
	words         []string // folded words of the body, for Search
	updatePending bool     // my edit or delete not yet acknowledged
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{
		settings: make(map[string][]byte),
		contacts: make(map[string]contacts.Contact),
		invites:  make(map[string]contacts.Invite),
		byID:     make(map[string]int),
		byConv:   make(map[string][]int),

		transfers: make(map[string]memTransfer),
	}
}

// normalize gives values the shape they have after a round trip through
// SQLite: times without monotonic clock or zone, empty slices as nil.
func normalizeMessage(m contacts.Message) contacts.Message {
	m.SentAt = fromUnixNano(unixNano(m.SentAt))
	m.ReceivedAt = fromUnixNano(unixNano(m.ReceivedAt))
	m.Edited = fromUnixNano(unixNano(m.Edited))
	return m
}

func normalizeContact(c contacts.Contact) contacts.Contact {
	c.AddedAt = fromUnixNano(unixNano(c.AddedAt))
	if len(c.Addrs) == 0 {
		c.Addrs = nil
	} else {
		c.Addrs = slices.Clone(c.Addrs)
	}
	if len(c.Labels) == 0 { // contact labels (groups)
		c.Labels = nil
	} else {
		c.Labels = slices.Clone(c.Labels)
	}
	return c
}

// Setting returns the value stored under key, or ErrNotFound.
func (s *Memory) Setting(key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	v, ok := s.settings[key]
	if !ok {
		return nil, ErrNotFound
	}
	return append([]byte{}, v...), nil
}

// SetSetting stores value under key. A nil value is stored as an empty one.
func (s *Memory) SetSetting(key string, value []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.settings[key] = append([]byte{}, value...)
	return nil
}

// Contacts returns every contact, sorted by name, then by peer ID.
func (s *Memory) Contacts() ([]contacts.Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Contact
	for _, c := range s.contacts {
		out = append(out, normalizeContact(c))
	}
	sortContacts(out)
	return out, nil
}

// Contact returns one contact, or ErrNotFound.
func (s *Memory) Contact(peerID string) (contacts.Contact, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return contacts.Contact{}, ErrClosed
	}
	c, ok := s.contacts[peerID]
	if !ok {
		return contacts.Contact{}, ErrNotFound
	}
	return normalizeContact(c), nil
}

// PutContact inserts or replaces a contact.
func (s *Memory) PutContact(c contacts.Contact) error {
	if c.PeerID == "" {
		return fmt.Errorf("contact without a peer ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.contacts[c.PeerID] = normalizeContact(c)
	return nil
}

// DeleteContact removes a contact, or returns ErrNotFound.
func (s *Memory) DeleteContact(peerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, ok := s.contacts[peerID]; !ok {
		return ErrNotFound
	}
	delete(s.contacts, peerID)
	return nil
}

// AddInvite stores a new invite secret; an already stored secret is left
// as it is.
func (s *Memory) AddInvite(inv contacts.Invite) error {
	if inv.Secret == "" {
		return fmt.Errorf("invite without a secret: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, ok := s.invites[inv.Secret]; !ok {
		inv.CreatedAt = fromUnixNano(unixNano(inv.CreatedAt))
		s.invites[inv.Secret] = inv
	}
	return nil
}

// UseInvite marks secret used and reports whether it was stored and unused.
func (s *Memory) UseInvite(secret string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, ErrClosed
	}
	inv, ok := s.invites[secret]
	if !ok || inv.Used {
		return false, nil
	}
	inv.Used = true
	s.invites[secret] = inv
	return true, nil
}

// addMessage stores m; callers hold s.mu.
func (s *Memory) addMessage(m contacts.Message) bool {
	if _, ok := s.byID[m.ID]; ok {
		return false
	}
	i := len(s.messages)
	s.messages = append(s.messages, memMessage{Message: normalizeMessage(m), words: words(m.Body)})
	s.byID[m.ID] = i
	s.byConv[m.Conversation] = append(s.byConv[m.Conversation], i)
	return true
}

// AddMessage stores m, or reports false when its ID is already stored.
func (s *Memory) AddMessage(m contacts.Message) (bool, error) {
	if m.ID == "" {
		return false, fmt.Errorf("storing message: message without an ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, ErrClosed
	}
	return s.addMessage(m), nil
}

// AddMessages stores ms at once and reports for each whether it was new.
func (s *Memory) AddMessages(ms []contacts.Message) ([]bool, error) {
	for _, m := range ms {
		if m.ID == "" {
			return nil, fmt.Errorf("message without an ID: %w", ErrInvalid)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	inserted := make([]bool, len(ms))
	for i, m := range ms {
		inserted[i] = s.addMessage(m)
	}
	return inserted, nil
}

// Messages returns the last limit messages of a conversation, oldest first;
// a limit of zero or less means all.
func (s *Memory) Messages(conversation string, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	idx := s.byConv[conversation]
	if limit > 0 && len(idx) > limit {
		idx = idx[len(idx)-limit:]
	}
	var out []contacts.Message
	for _, i := range idx {
		out = append(out, s.messages[i].Message)
	}
	return out, nil
}

// Outbox returns my undelivered messages to peerID, oldest first.
func (s *Memory) Outbox(peerID string, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Message
	for _, i := range s.byConv[peerID] {
		if m := s.messages[i].Message; m.Outgoing && m.Status == contacts.Pending {
			out = append(out, m)
			if len(out) == limit {
				break
			}
		}
	}
	return out, nil
}

// SetStatuses changes the status of several messages; unknown IDs are
// skipped.
func (s *Memory) SetStatuses(ids []string, st contacts.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for _, id := range ids {
		if i, ok := s.byID[id]; ok {
			s.messages[i].Status = st
		}
	}
	return nil
}

// SetStatus changes a message's delivery status, or returns ErrNotFound.
func (s *Memory) SetStatus(messageID string, st contacts.Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	i, ok := s.byID[messageID]
	if !ok {
		return ErrNotFound
	}
	s.messages[i].Status = st
	return nil
}

// MarkRead marks every message of a conversation read.
func (s *Memory) MarkRead(conversation string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	for _, i := range s.byConv[conversation] {
		s.messages[i].Read = true
	}
	return nil
}

// Unread counts the received messages of a conversation not yet read.
func (s *Memory) Unread(conversation string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrClosed
	}
	n := 0
	for _, i := range s.byConv[conversation] {
		if m := s.messages[i].Message; !m.Outgoing && !m.Read {
			n++
		}
	}
	return n, nil
}

// Search finds the messages containing every word of query (as words or
// word prefixes, ignoring case and common accents), newest first; see
// SQLite.Search.
func (s *Memory) Search(query string, limit int) ([]contacts.Message, error) {
	terms := searchTerms(query)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if len(terms) == 0 {
		return nil, nil
	}
	var out []contacts.Message
	for i := len(s.messages) - 1; i >= 0 && (limit <= 0 || len(out) < limit); i-- {
		if matches(s.messages[i].words, terms) {
			out = append(out, s.messages[i].Message)
		}
	}
	return out, nil
}

// Close empties the store; further calls return ErrClosed.
func (s *Memory) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.settings, s.contacts, s.invites = nil, nil, nil
	s.messages, s.byID, s.byConv = nil, nil, nil
	s.transfers = nil
	return nil
}

// PutTransfer inserts t, or replaces the transfer with the same ID, which
// keeps its place in the insertion order.
func (s *Memory) PutTransfer(t contacts.Transfer) error {
	if t.ID == "" {
		return fmt.Errorf("transfer without an ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	mt, ok := s.transfers[t.ID]
	if !ok {
		s.transferSeq++
		mt.seq = s.transferSeq
	}
	mt.Transfer = normalizeTransfer(t)
	s.transfers[t.ID] = mt
	return nil
}

// Transfer returns one transfer, or ErrNotFound.
func (s *Memory) Transfer(id string) (contacts.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return contacts.Transfer{}, ErrClosed
	}
	mt, ok := s.transfers[id]
	if !ok {
		return contacts.Transfer{}, ErrNotFound
	}
	return normalizeTransfer(mt.Transfer), nil // a copy of Recipients
}

// Transfers returns a conversation's transfers, oldest first.
func (s *Memory) Transfers(conversation string) ([]contacts.Transfer, error) {
	return s.selectTransfers(func(t contacts.Transfer) bool { return t.Conversation == conversation })
}

// ActiveTransfers returns the unfinished transfers of all conversations,
// oldest first.
func (s *Memory) ActiveTransfers() ([]contacts.Transfer, error) {
	return s.selectTransfers(func(t contacts.Transfer) bool { return activeTransfer(t.State) })
}

// selectTransfers returns the transfers keep accepts, ordered by creation
// time, then insertion order, as the SQLite store orders them.
func (s *Memory) selectTransfers(keep func(contacts.Transfer) bool) ([]contacts.Transfer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var sel []memTransfer
	for _, mt := range s.transfers {
		if keep(mt.Transfer) {
			sel = append(sel, mt)
		}
	}
	slices.SortFunc(sel, func(a, b memTransfer) int {
		if c := cmp.Compare(unixNano(a.CreatedAt), unixNano(b.CreatedAt)); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	var out []contacts.Transfer
	for _, mt := range sel {
		out = append(out, normalizeTransfer(mt.Transfer))
	}
	return out, nil
}
