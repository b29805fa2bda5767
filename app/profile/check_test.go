package profile

import (
	"errors"
	"testing"

	"hearth/contacts/store"
)

func TestCheckPassphrase(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Rose", "sunflower")
	must(t, err)
	defer p.Close()
	if err := CheckPassphrase(dir, "sunflower"); err != nil {
		t.Errorf("the right passphrase: %v", err)
	}
	if err := CheckPassphrase(dir, "tulip"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("a wrong passphrase: %v", err)
	}
	if err := CheckPassphrase(t.TempDir(), "sunflower"); err == nil {
		t.Error("a folder without a profile passed")
	}
}

// Logging out closes the profile: the store it had refuses every read and
// the identity key is dropped; only the passphrase opens it again.
func TestClosedProfileRefusesReads(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Rose", "sunflower")
	must(t, err)
	s := p.Store
	if _, err := s.Setting(settingName); err != nil {
		t.Fatalf("reading before log-out: %v", err)
	}
	must(t, p.Close())
	if _, err := s.Setting(settingName); !errors.Is(err, store.ErrClosed) {
		t.Errorf("reading after log-out: %v, want ErrClosed", err)
	}
	if _, err := s.Contacts(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("listing contacts after log-out: %v, want ErrClosed", err)
	}
	if p.Key != nil || p.Store != nil {
		t.Error("the closed profile still holds its key or store")
	}
	if _, err := Open(dir, "tulip"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("reopening with a wrong passphrase: %v", err)
	}
	q, err := Open(dir, "sunflower")
	must(t, err)
	defer q.Close()
	if q.Name != "Rose" {
		t.Errorf("reopened as %q", q.Name)
	}
}
