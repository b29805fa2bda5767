package transfers

import (
	"os"
	"path/filepath"
	"time"

	"hearth/contacts"
	"hearth/media/voice"
)

// recorder is a voice note being recorded for a conversation.
type recorder struct {
	t    *Transfers
	peer string
	path string
	r    *voice.Recording
}

func (r *recorder) Elapsed() time.Duration { return r.r.Elapsed() }
func (r *recorder) Notice() string         { return r.r.Notice() }
func (r *recorder) Cancel()                { r.r.Cancel() }

func (r *recorder) Stop() (contacts.Transfer, error) {
	if _, err := r.r.Stop(); err != nil {
		return contacts.Transfer{}, err
	}
	return r.t.sendFile(r.peer, r.path, true)
}

// RecordVoiceNote starts recording a voice note for a contact or a group.
func (x *Transfers) RecordVoiceNote(peerID string) (Recorder, error) {
	if err := x.canSendFiles(peerID); err != nil { // groupfiles.go
		return nil, err
	}
	dir := filepath.Join(x.d.Dir, "voice")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "Voice note "+time.Now().Format("2006-01-02 15.04.05")+".ogg")
	r, err := voice.Record(path, x.cfg.FakeMedia)
	if err != nil {
		return nil, err
	}
	return &recorder{t: x, peer: peerID, path: path, r: r}, nil
}

// PlayVoiceNote plays a voice note, sent or received.
func (x *Transfers) PlayVoiceNote(transferID string) (func(), error) {
	t, err := x.d.Store.Transfer(transferID)
	if err != nil || !t.VoiceNote || t.Path == "" {
		return nil, ErrUnknownTransfer
	}
	if !t.Outgoing && t.State != contacts.Done {
		return nil, ErrTransferState
	}
	stop, _, err := voice.Play(t.Path)
	if err != nil {
		return nil, err
	}
	return stop, nil
}
