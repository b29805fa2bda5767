package store

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"hearth/contacts"
)

// memGroups is the Memory store's share of group conversations; its
// fields are guarded by Memory.mu and made on first use.
type memGroups struct {
	groups map[string]contacts.Group
	owed   map[string][]int // member → indexes into Memory.messages, in order
}

func (g *memGroups) init() {
	if g.groups == nil {
		g.groups = make(map[string]contacts.Group)
		g.owed = make(map[string][]int)
	}
}

// normalizeGroup gives a group the shape it has after a round trip through
// SQLite: times without monotonic clock, empty slices and maps as nil, and
// nothing shared with the caller.
func normalizeGroup(g contacts.Group) contacts.Group {
	g.CreatedAt = fromUnixNano(unixNano(g.CreatedAt))
	if len(g.Members) == 0 {
		g.Members = nil
	} else {
		ms := make([]contacts.GroupMember, len(g.Members))
		for i, m := range g.Members {
			if len(m.Addrs) == 0 {
				m.Addrs = nil
			} else {
				m.Addrs = slices.Clone(m.Addrs)
			}
			ms[i] = m
		}
		g.Members = ms
	}
	g.State = cloneBlob(g.State)
	g.Signature = cloneBlob(g.Signature)
	if len(g.Told) == 0 {
		g.Told = nil
	} else {
		g.Told = maps.Clone(g.Told)
	}
	return g
}

func cloneBlob(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return slices.Clone(b)
}

// sortGroups orders groups by name, case-insensitively, then by ID.
func sortGroups(gs []contacts.Group) {
	slices.SortStableFunc(gs, func(a, b contacts.Group) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// PutGroup inserts or replaces a group.
func (s *Memory) PutGroup(g contacts.Group) error {
	if g.ID == "" {
		return fmt.Errorf("group without an ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	s.grp.init()
	s.grp.groups[g.ID] = normalizeGroup(g)
	return nil
}

// Group returns one group, or ErrNotFound.
func (s *Memory) Group(id string) (contacts.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return contacts.Group{}, ErrClosed
	}
	g, ok := s.grp.groups[id]
	if !ok {
		return contacts.Group{}, ErrNotFound
	}
	return normalizeGroup(g), nil
}

// Groups returns every group by name, then ID.
func (s *Memory) Groups() ([]contacts.Group, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Group
	for _, g := range s.grp.groups {
		out = append(out, normalizeGroup(g))
	}
	sortGroups(out)
	return out, nil
}

// AddGroupMessage stores m and a pending delivery to each member of to.
func (s *Memory) AddGroupMessage(m contacts.Message, to []string) (bool, error) {
	if m.ID == "" {
		return false, fmt.Errorf("storing message: message without an ID: %w", ErrInvalid)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false, ErrClosed
	}
	if !s.addMessage(m) {
		return false, nil
	}
	s.grp.init()
	i := s.byID[m.ID]
	for _, member := range to {
		if !slices.Contains(s.grp.owed[member], i) {
			s.grp.owed[member] = append(s.grp.owed[member], i)
		}
	}
	return true, nil
}

// GroupOutbox returns my oldest messages still owed to member.
func (s *Memory) GroupOutbox(member string, limit int) ([]contacts.Message, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var out []contacts.Message
	for _, i := range s.grp.owed[member] {
		if limit > 0 && len(out) == limit {
			break
		}
		out = append(out, s.messages[i].Message)
	}
	return out, nil
}

// DoneGroupDeliveries ends member's deliveries of ids; see Store.
func (s *Memory) DoneGroupDeliveries(member string, ids []string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	var idx []int
	for _, id := range ids {
		if i, ok := s.byID[id]; ok {
			idx = append(idx, i)
		}
	}
	return s.endDeliveries(member, func(i int) bool { return slices.Contains(idx, i) }), nil
}

// DropGroupDeliveries ends every delivery of a conversation's messages to
// member.
func (s *Memory) DropGroupDeliveries(conversation, member string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	return s.endDeliveries(member, func(i int) bool { return s.messages[i].Conversation == conversation }), nil
}

// endDeliveries removes member's deliveries of the messages end selects
// and marks Delivered the pending ones no one awaits any more, returning
// their IDs in order. Callers hold s.mu.
func (s *Memory) endDeliveries(member string, end func(i int) bool) []string {
	var ended []int
	kept := s.grp.owed[member][:0:0]
	for _, i := range s.grp.owed[member] {
		if end(i) {
			ended = append(ended, i)
		} else {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		delete(s.grp.owed, member)
	} else {
		s.grp.owed[member] = kept
	}
	var done []string
	for _, i := range ended {
		if s.messages[i].Status != contacts.Pending || s.owedByAnyone(i) {
			continue
		}
		s.messages[i].Status = contacts.Delivered
		done = append(done, s.messages[i].ID)
	}
	return done
}

func (s *Memory) owedByAnyone(i int) bool {
	for _, idx := range s.grp.owed {
		if slices.Contains(idx, i) {
			return true
		}
	}
	return false
}

// GroupDeliveryPeers lists the members owed any message, sorted.
func (s *Memory) GroupDeliveryPeers() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	out := slices.Sorted(maps.Keys(s.grp.owed))
	return out, nil
}
