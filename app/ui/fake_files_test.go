package ui

import (
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"hearth/app/core/transfers"
	"hearth/contacts"
)

// fakeFiles is the fake FilesBackend: transfers, voice notes and the file
// settings; fields guarded by mu.
type fakeFiles struct {
	*fakeHub
	transfers   map[string][]contacts.Transfer
	sentFiles   []string // "peer|path" given to SendFile
	sendFileErr error
	actions     []string // "accept:ID", "decline:ID", "pause:ID", "resume:ID", "cancel:ID"
	downloadDir string
	policy      transfers.PolicyView
	recorders   []*fakeRecorder
	recordErr   error
	recNotice   string
	played      []string
	playErr     error
	playStops   int
}

func (f *fakeFiles) Transfers(peerID string) ([]contacts.Transfer, error) {
	defer f.lock()()
	return append([]contacts.Transfer(nil), f.transfers[peerID]...), nil
}

func (f *fakeFiles) SendFile(peerID, path string) (contacts.Transfer, error) {
	defer f.lock()()
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

func (f *fakeFiles) action(what, id string) error {
	defer f.lock()()
	f.actions = append(f.actions, what+":"+id)
	return nil
}

func (f *fakeFiles) AcceptTransfer(id string) error  { return f.action("accept", id) }
func (f *fakeFiles) DeclineTransfer(id string) error { return f.action("decline", id) }
func (f *fakeFiles) PauseTransfer(id string) error   { return f.action("pause", id) }
func (f *fakeFiles) ResumeTransfer(id string) error  { return f.action("resume", id) }
func (f *fakeFiles) CancelTransfer(id string) error  { return f.action("cancel", id) }

func (f *fakeFiles) DownloadDir() string {
	defer f.lock()()
	return f.downloadDir
}

func (f *fakeFiles) SetDownloadDir(dir string) error {
	defer f.lock()()
	f.downloadDir = dir
	return nil
}

func (f *fakeFiles) Policy() transfers.PolicyView {
	defer f.lock()()
	return f.policy
}

// SetAutoAcceptBelow records the size in the policy view, as core does.
func (f *fakeFiles) SetAutoAcceptBelow(n int64) error {
	defer f.lock()()
	if f.policy.AutoAcceptFixed {
		return transfers.ErrPolicyFixed
	}
	f.policy.AutoAcceptBelow = n
	return nil
}

func (f *fakeFiles) RecordVoiceNote(peerID string) (transfers.Recorder, error) {
	defer f.lock()()
	if f.recordErr != nil {
		return nil, f.recordErr
	}
	r := &fakeRecorder{peer: peerID, notice: f.recNotice, started: time.Now()}
	f.recorders = append(f.recorders, r)
	return r, nil
}

func (f *fakeFiles) PlayVoiceNote(transferID string) (func(), error) {
	defer f.lock()()
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
