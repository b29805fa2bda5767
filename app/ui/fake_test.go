package ui

import (
	"errors"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/app/core/calls"
	"hearth/app/core/event"

	"hearth/app/core"
	"hearth/app/profile"
	"hearth/contacts"
)

// uiQueue stands in for fyne.Do in view tests: goroutines queue functions
// and the test goroutine runs them, as the Fyne main goroutine would.
type uiQueue chan func()

func newQueue() uiQueue { return make(uiQueue, 4096) }

func (q uiQueue) do(f func()) { q <- f }

func (q uiQueue) drain() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

// waitFor runs queued UI work until cond holds or a second passes.
func (q uiQueue) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// fakeBackend records calls and serves canned data.
type fakeBackend struct {
	events chan event.Event

	mu       sync.Mutex // guards the fields below
	contacts []core.ContactView
	nearby   []core.NearbyPeer
	history  map[string][]contacts.Message
	sent     []contacts.Message
	read     []string
	accepted []string
	declined []string
	invites  []string // codes given to AddByInvite
	notes    []string
	addErr   error
	presence contacts.Presence
	status   string
	calls    []*fakeCall
	accCalls []string
	decCalls []string
	closed   bool
	nextID   int
	myName   string // "" means "Ann"

	// files and voice notes
	transfers   map[string][]contacts.Transfer
	sentFiles   []string // "peer|path" given to SendFile
	sendFileErr error
	actions     []string // "accept:ID", "decline:ID", "pause:ID", "resume:ID", "cancel:ID"
	downloadDir string
	policy      core.PolicyView
	recorders   []*fakeRecorder
	recordErr   error
	recNotice   string
	played      []string
	playErr     error
	playStops   int
	carrying    bool // SetCarryMessages (carry_test.go)
	carried     int  // Carrying

	cm    fakeContactMgmt // contact management (contactmgmt_fake_test.go)
	pair  fakePairing     // short codes (shortcode_test.go)
	grp   fakeGroups      // group conversations (groups_fake_test.go)
	pres  presenceFake    // profile, auto-away, nearby (presence_fake_test.go)
	arch  fakeArchive     // archive_test.go: search hits, retention, compliance
	convo fakeConvo       // replies, edits, receipts, typing, mute (fake_convo_test.go)
}

func newFakeBackend() *fakeBackend {
	return &fakeBackend{
		events:   make(chan event.Event, 64),
		history:  map[string][]contacts.Message{},
		presence: contacts.Online,

		transfers:   map[string][]contacts.Transfer{},
		downloadDir: "/home/ann/Downloads",
	}
}

func (f *fakeBackend) Events() <-chan event.Event { return f.events }
func (f *fakeBackend) MyName() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.myName == "" {
		return "Ann"
	}
	return f.myName
}

func (f *fakeBackend) SetMyName(name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return errors.New("a name must be 1 to 64 characters, without control characters")
	}
	f.mu.Lock()
	f.myName = name
	f.mu.Unlock()
	f.events <- event.ContactsChanged{}
	return nil
}

func (f *fakeBackend) MyPeerID() string { return "12D3KooWAnnAnnAnnAnnAnnAnn" }
func (f *fakeBackend) InviteCode() (string, error) {
	return "hearth1-invite-ann-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop", nil
}

func (f *fakeBackend) AddByInvite(code, note string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invites = append(f.invites, code)
	f.notes = append(f.notes, note)
	return f.addErr
}

func (f *fakeBackend) RequestNearby(peerID, note string) error { return nil }

func (f *fakeBackend) Accept(peerID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accepted = append(f.accepted, peerID)
	return nil
}

func (f *fakeBackend) Decline(peerID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.declined = append(f.declined, peerID)
	return nil
}

func (f *fakeBackend) Contacts() ([]core.ContactView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]core.ContactView(nil), f.contacts...), nil
}

func (f *fakeBackend) Nearby() []core.NearbyPeer {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]core.NearbyPeer(nil), f.nearby...)
}

func (f *fakeBackend) History(peerID string, limit int) ([]contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]contacts.Message(nil), f.history[peerID]...), nil
}

func (f *fakeBackend) Send(peerID, text string) (contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	m := contacts.Message{
		ID: fmt.Sprintf("sent-%d", f.nextID), Conversation: peerID, From: f.MyPeerID(),
		Body: text, SentAt: time.Now(), Status: contacts.Pending, Outgoing: true, Read: true,
	}
	f.sent = append(f.sent, m)
	f.history[peerID] = append(f.history[peerID], m)
	return m, nil
}

func (f *fakeBackend) MarkRead(peerID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = append(f.read, peerID)
	return nil
}

func (f *fakeBackend) Presence() (contacts.Presence, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.presence, f.status
}

func (f *fakeBackend) SetPresence(p contacts.Presence, text string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.presence, f.status = p, text
	return nil
}

func (f *fakeBackend) StartCall(peerID string) (calls.Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := &fakeCall{id: "call-out", peer: peerID}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeBackend) AcceptCall(callID string) (calls.Call, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.accCalls = append(f.accCalls, callID)
	c := &fakeCall{id: callID, peer: "peer-bob"}
	f.calls = append(f.calls, c)
	return c, nil
}

func (f *fakeBackend) DeclineCall(callID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.decCalls = append(f.decCalls, callID)
	return nil
}

func (f *fakeBackend) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

func (f *fakeBackend) Transfers(peerID string) ([]contacts.Transfer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]contacts.Transfer(nil), f.transfers[peerID]...), nil
}

func (f *fakeBackend) SendFile(peerID, path string) (contacts.Transfer, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sentFiles = append(f.sentFiles, peerID+"|"+path)
	if f.sendFileErr != nil {
		return contacts.Transfer{}, f.sendFileErr
	}
	f.nextID++
	t := contacts.Transfer{
		ID: fmt.Sprintf("tr-%d", f.nextID), Conversation: peerID, Outgoing: true,
		Name: filepath.Base(path), Size: 1234, Path: path, State: contacts.Offered,
		CreatedAt: time.Now(), UpdatedAt: time.Now(),
	}
	f.transfers[peerID] = append(f.transfers[peerID], t)
	return t, nil
}

func (f *fakeBackend) action(what, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, what+":"+id)
	return nil
}

func (f *fakeBackend) AcceptTransfer(id string) error  { return f.action("accept", id) }
func (f *fakeBackend) DeclineTransfer(id string) error { return f.action("decline", id) }
func (f *fakeBackend) PauseTransfer(id string) error   { return f.action("pause", id) }
func (f *fakeBackend) ResumeTransfer(id string) error  { return f.action("resume", id) }
func (f *fakeBackend) CancelTransfer(id string) error  { return f.action("cancel", id) }

func (f *fakeBackend) DownloadDir() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.downloadDir
}

func (f *fakeBackend) SetDownloadDir(dir string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.downloadDir = dir
	return nil
}

func (f *fakeBackend) Policy() core.PolicyView {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.policy
}

// SetAutoAcceptBelow records the size in the policy view, as core does.
func (f *fakeBackend) SetAutoAcceptBelow(n int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.policy.AutoAcceptFixed {
		return core.ErrPolicyFixed
	}
	f.policy.AutoAcceptBelow = n
	return nil
}

func (f *fakeBackend) RecordVoiceNote(peerID string) (core.Recorder, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.recordErr != nil {
		return nil, f.recordErr
	}
	r := &fakeRecorder{peer: peerID, notice: f.recNotice, started: time.Now()}
	f.recorders = append(f.recorders, r)
	return r, nil
}

func (f *fakeBackend) PlayVoiceNote(transferID string) (func(), error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.played = append(f.played, transferID)
	if f.playErr != nil {
		return nil, f.playErr
	}
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.playStops++
	}, nil
}

// fakeRecorder is a voice note being "recorded".
type fakeRecorder struct {
	peer, notice string
	started      time.Time

	mu                 sync.Mutex // guards the fields below
	stopped, cancelled int
}

func (r *fakeRecorder) Elapsed() time.Duration { return time.Since(r.started) }
func (r *fakeRecorder) Notice() string         { return r.notice }

func (r *fakeRecorder) Stop() (contacts.Transfer, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopped++
	now := time.Now()
	return contacts.Transfer{
		ID: "voice-1", Conversation: r.peer, Outgoing: true, Name: "voice.ogg", Size: 9000,
		MIME: "audio/ogg", State: contacts.Offered, VoiceNote: true, CreatedAt: now, UpdatedAt: now,
	}, nil
}

func (r *fakeRecorder) Cancel() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cancelled++
}

func (r *fakeRecorder) counts() (stopped, cancelled int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stopped, r.cancelled
}

// locked runs fn with the fake's lock held, for reading what it recorded.
func (f *fakeBackend) locked(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

// fakeCall records what the call window does with it.
type fakeCall struct {
	id, peer string
	notice   string

	mu            sync.Mutex // guards the fields below
	remote, local func(image.Image)
	sinksSet      int
	muted, camOff bool
	hungUp        int
}

func (c *fakeCall) ID() string          { return c.id }
func (c *fakeCall) PeerID() string      { return c.peer }
func (c *fakeCall) MediaNotice() string { return c.notice }

func (c *fakeCall) SetVideoSinks(remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.remote, c.local = remote, local
	c.sinksSet++
}

func (c *fakeCall) SetMuted(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.muted = b
}

func (c *fakeCall) SetCameraOff(b bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.camOff = b
}

func (c *fakeCall) Hangup() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hungUp++
}

func (c *fakeCall) sinks() (remote, local func(image.Image)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.remote, c.local
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

func (l *fakeLauncher) Create(name, pass string) (Backend, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created = append(l.created, name+"/"+pass)
	return newFakeBackend(), nil
}

func (l *fakeLauncher) Unlock(pass string) (Backend, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tries = append(l.tries, pass)
	if pass != l.pass {
		return nil, errWrongPass
	}
	return newFakeBackend(), nil
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
	f.contacts = []core.ContactView{
		{Contact: contacts.Contact{PeerID: "peer-bob", Name: "Bob", State: contacts.Accepted}, Presence: contacts.Online, StatusText: "Baking bread", Unread: 2},
		{Contact: contacts.Contact{PeerID: "peer-cleo", Name: "Cleo", State: contacts.Accepted}, Presence: contacts.Away},
		{Contact: contacts.Contact{PeerID: "peer-dan", Name: "Dan", State: contacts.Incoming, Message: "Hi, it's Dan from the choir"}},
		{Contact: contacts.Contact{PeerID: "peer-eve", Name: "Eve", State: contacts.Outgoing}},
	}
	f.history["peer-bob"] = []contacts.Message{
		{ID: "m1", Conversation: "peer-bob", From: "peer-bob", Body: "Are you coming on Sunday?", SentAt: now.Add(-time.Hour), Status: contacts.Received},
		{ID: "m2", Conversation: "peer-bob", Body: "Yes! I'll bring the cake.", SentAt: now.Add(-50 * time.Minute), Status: contacts.Delivered, Outgoing: true},
	}
	f.nearby = []core.NearbyPeer{{PeerID: "peer-finn", Name: "Finn"}}
	return f
}

// Archive (fields in fakeArchive, guarded by mu).

func (f *fakeBackend) SearchArchive(query string, limit int) ([]archive.SearchHit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.arch.queries = append(f.arch.queries, query)
	var out []archive.SearchHit
	for _, h := range f.arch.hits {
		if strings.Contains(strings.ToLower(h.Message.Body), strings.ToLower(query)) {
			out = append(out, h)
		}
	}
	return out, f.arch.searchErr
}

func (f *fakeBackend) MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ms := f.arch.around[messageID]
	if ms == nil {
		return nil, base.ErrUnknownMessage
	}
	return ms, nil
}

func (f *fakeBackend) Export(peerID string, fm archive.ExportFormat, w io.Writer) error {
	f.mu.Lock()
	msgs := f.history[peerID]
	f.mu.Unlock()
	return archive.WriteExport(w, fm, archive.ExportedConversation{MyName: "Ann", MyID: f.MyPeerID(),
		Contact: contacts.Contact{PeerID: peerID, Name: "Bob"}, Messages: msgs})
}

func (f *fakeBackend) Retention(peerID string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.arch.retention[peerID]
}

func (f *fakeBackend) SetRetention(peerID string, days int) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.arch.retention == nil {
		f.arch.retention = map[string]int{}
	}
	f.arch.retention[peerID] = days
	return nil
}

func (f *fakeBackend) Compliance(peerID string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.arch.compliance[peerID]
}

func (f *fakeBackend) SetCompliance(peerID string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.arch.compliance == nil {
		f.arch.compliance = map[string]bool{}
	}
	f.arch.compliance[peerID] = on
	return nil
}
