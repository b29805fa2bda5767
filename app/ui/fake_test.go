package ui

import (
	"fmt"
	"sync"
	"time"

	"hearth/app/core/event"
	"hearth/app/core/nearby"
	"hearth/app/core/people"
	"hearth/app/profile"
	"hearth/app/ui/area"
	"hearth/contacts"
)

// fakeMyID is the fake profile's own peer ID.
const fakeMyID = "12D3KooWAnnAnnAnnAnnAnnAnn"

// fakeHub is what the area fakes share, as the areas of one messenger do:
// one lock over all their fields (a test reads what they recorded under
// fakeBackend.locked), the event channel and the ID counter.
type fakeHub struct {
	mu     sync.Mutex
	events chan event.Event
	nextID int // guarded by mu
}

// fakeBackend is the fake messenger a view test runs against: one fake per
// area of Backend (fake_*_test.go), each implementing only its interface.
// backend() hands them to the UI.
type fakeBackend struct {
	*fakeHub
	people  *fakeContacts
	chat    *fakeChat
	files   *fakeFiles
	groups  *fakeGroups
	calls   *fakeCalls
	archive *fakeArchive
	me      *fakeMe
}

func newFakeBackend() *fakeBackend {
	hub := &fakeHub{events: make(chan event.Event, 64)}
	f := &fakeBackend{
		fakeHub: hub,
		people:  &fakeContacts{fakeHub: hub},
		chat:    &fakeChat{fakeHub: hub, history: map[string][]contacts.Message{}},
		files:   &fakeFiles{fakeHub: hub, transfers: map[string][]contacts.Transfer{}, downloadDir: "/home/ann/Downloads"},
		groups:  &fakeGroups{fakeHub: hub},
		calls:   &fakeCalls{fakeHub: hub},
		archive: &fakeArchive{fakeHub: hub},
		me:      &fakeMe{fakeHub: hub, presence: contacts.Online},
	}
	// Muting is kept on the contact, and an export reads the history, as
	// in core.
	f.chat.people = f.people
	f.archive.chat = f.chat
	return f
}

// backend is the bundle the UI gets.
func (f *fakeBackend) backend() *area.Backend {
	return &area.Backend{
		Contacts: f.people, Chat: f.chat, Files: f.files, Groups: f.groups,
		Calls: f.calls, Archive: f.archive, Me: f.me,
		Events: func() <-chan event.Event { return f.events },
		Close:  func() error { return nil },
	}
}

// lock locks the fakes' fields; defer what it returns.
func (h *fakeHub) lock() func() {
	h.mu.Lock()
	return h.mu.Unlock
}

// locked runs fn with the fakes' lock held, for reading what they recorded.
func (f *fakeBackend) locked(fn func()) {
	defer f.lock()()
	fn()
}

// fakeLauncher opens a fake backend.
type fakeLauncher struct {
	exists, needsPass bool
	pass              string // the right passphrase

	mu      sync.Mutex // guards the fields below
	created []string   // "name/passphrase"
	tries   []string
}

var errWrongPass = fmt.Errorf("opening profile: %w", profile.ErrWrongPassphrase)

func (l *fakeLauncher) Exists() (bool, bool, error) { return l.exists, l.needsPass, nil }

func (l *fakeLauncher) Create(name, pass string) (*area.Backend, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created = append(l.created, name+"/"+pass)
	return newFakeBackend().backend(), nil
}

func (l *fakeLauncher) CheckPassphrase(pass string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tries = append(l.tries, pass)
	if pass != l.pass {
		return errWrongPass
	}
	return nil
}

func (l *fakeLauncher) Unlock(pass string) (*area.Backend, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tries = append(l.tries, pass)
	if pass != l.pass {
		return nil, errWrongPass
	}
	return newFakeBackend().backend(), nil
}

func (l *fakeLauncher) locked(fn func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fn()
}

// sampleBackend holds two contacts with history, one incoming and one
// outgoing request, and a nearby user.
func sampleBackend() *fakeBackend {
	f := newFakeBackend()
	now := time.Now()
	f.people.contacts = []people.ContactView{
		{Contact: contacts.Contact{PeerID: "peer-bob", Name: "Bob", State: contacts.Accepted}, Presence: contacts.Online, StatusText: "Baking bread", Unread: 2},
		{Contact: contacts.Contact{PeerID: "peer-cleo", Name: "Cleo", State: contacts.Accepted}, Presence: contacts.Away},
		{Contact: contacts.Contact{PeerID: "peer-dan", Name: "Dan", State: contacts.Incoming, Message: "Hi, it's Dan from the choir"}},
		{Contact: contacts.Contact{PeerID: "peer-eve", Name: "Eve", State: contacts.Outgoing}},
	}
	f.chat.history["peer-bob"] = []contacts.Message{
		{ID: "m1", Conversation: "peer-bob", From: "peer-bob", Body: "Are you coming on Sunday?", SentAt: now.Add(-time.Hour), Status: contacts.Received},
		{ID: "m2", Conversation: "peer-bob", Body: "Yes! I'll bring the cake.", SentAt: now.Add(-50 * time.Minute), Status: contacts.Delivered, Outgoing: true},
	}
	f.people.nearby = []nearby.Peer{{PeerID: "peer-finn", Name: "Finn"}}
	return f
}
