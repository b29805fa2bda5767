package store

import (
	"path/filepath"
	"reflect"
	"testing"

	"hearth/contacts"
)

func TestSQLiteContactMeta(t *testing.T)         { testContactMeta(t, openSQLite) }
func TestSQLiteInMemoryContactMeta(t *testing.T) { testContactMeta(t, openSQLiteMemory) }

// testContactMeta is the conformance suite for what contact management
// keeps per contact: labels, the verified mark, the state before a block.
func testContactMeta(t *testing.T, open func(t *testing.T) Store) {
	s := open(t)
	bob := contacts.Contact{PeerID: "12D3Bob", Name: "Bob", State: contacts.Blocked,
		Labels: []string{"Family", "Team"}, Verified: true, BlockedFrom: contacts.Accepted}
	plain := contacts.Contact{PeerID: "12D3Plain", Name: "Plain", State: contacts.Accepted, Labels: []string{}}
	must(t, s.PutContact(bob))
	must(t, s.PutContact(plain))
	got, err := s.Contact(bob.PeerID)
	must(t, err)
	if !reflect.DeepEqual(got, bob) {
		t.Errorf("Contact = %+v, want %+v", got, bob)
	}
	got, err = s.Contact(plain.PeerID)
	must(t, err)
	if got.Labels != nil || got.Verified || got.BlockedFrom != contacts.Outgoing {
		t.Errorf("plain contact = %+v: empty labels must read back as nil", got)
	}

	// The caller's slice is not kept.
	bob.Labels[0] = "Changed"
	got, _ = s.Contact(bob.PeerID)
	if got.Labels[0] != "Family" {
		t.Errorf("store kept the caller's slice: %q", got.Labels)
	}

	// Replacing a contact replaces its labels and mark.
	bob.Labels, bob.Verified, bob.State = []string{"Choir"}, false, contacts.Accepted
	must(t, s.PutContact(bob))
	all, err := s.Contacts()
	must(t, err)
	if len(all) != 2 || !reflect.DeepEqual(all[0].Labels, []string{"Choir"}) || all[0].Verified {
		t.Errorf("Contacts after replace = %+v", all)
	}
}

// TestSQLiteMigrateContactMeta: a database from before migration 3 keeps
// its contacts, which come out with no labels, unverified.
func TestSQLiteMigrateContactMeta(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hearth.db")
	key := testKey(7)
	all := migrations
	migrations = all[:2]
	old, err := OpenSQLite(path, key)
	migrations = all
	must(t, err)
	must(t, old.exec("INSERT INTO contacts (peer_id, name, notes, addrs, state, message, added_at) VALUES ('p1', 'Bob', 'n', '[]', 2, '', 0)"))
	must(t, old.Close())

	s, err := OpenSQLite(path, key)
	must(t, err)
	defer s.Close()
	c, err := s.Contact("p1")
	must(t, err)
	want := contacts.Contact{PeerID: "p1", Name: "Bob", Notes: "n", State: contacts.Accepted}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("migrated contact = %+v, want %+v", c, want)
	}
	c.Labels, c.Verified = []string{"Team"}, true
	must(t, s.PutContact(c))
	if got, _ := s.Contact("p1"); !reflect.DeepEqual(got, c) {
		t.Errorf("after put = %+v", got)
	}
}
