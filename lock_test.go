package main

import (
	"errors"
	"testing"

	"hearth/app/core"
	"hearth/app/profile"
	"hearth/contacts/store"
)

// Log out closes the real profile: the store the running messenger read
// from refuses every read afterwards, the passphrase check does not open
// anything, and only the right passphrase opens it again.
func TestLogOutClosesTheStore(t *testing.T) {
	l := launcher{core.Opener{Dir: t.TempDir(), Opts: core.Options{Loopback: true, NoMDNS: true, Port: -1}}}
	b, err := l.Create("Rose", "sunflower")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Contacts.Contacts(); err != nil {
		t.Fatalf("reading contacts while open: %v", err)
	}
	if err := l.CheckPassphrase("sunflower"); err != nil {
		t.Errorf("lock screen, right passphrase: %v", err)
	}
	if err := l.CheckPassphrase("tulip"); !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Errorf("lock screen, wrong passphrase: %v", err)
	}

	if err := b.Close(); err != nil { // what Log out does
		t.Fatal(err)
	}
	if _, err := b.Contacts.Contacts(); !errors.Is(err, store.ErrClosed) {
		t.Errorf("reading contacts after log out: %v, want the store closed", err)
	}
	if _, err := b.Chat.History("anyone", 10); err == nil {
		t.Error("reading history after log out worked")
	}
	if _, err := l.Unlock("tulip"); !errors.Is(err, profile.ErrWrongPassphrase) {
		t.Errorf("unlock with a wrong passphrase: %v", err)
	}
	b2, err := l.Unlock("sunflower")
	if err != nil {
		t.Fatalf("unlock after log out: %v", err)
	}
	defer b2.Close()
	if _, err := b2.Contacts.Contacts(); err != nil {
		t.Errorf("reading contacts after unlocking again: %v", err)
	}
}
