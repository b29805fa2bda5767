package ui

import (
	"io"
	"strings"

	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/contacts"
)

// fakeArchive is the fake ArchiveBackend; fields guarded by mu.
type fakeArchive struct {
	*fakeHub
	chat       *fakeChat // Export writes its history
	hits       []archive.SearchHit
	around     map[string][]contacts.Message // message ID → its context
	queries    []string
	retention  map[string]int
	compliance map[string]bool
}

func (f *fakeArchive) SearchArchive(query string, limit int) ([]archive.SearchHit, error) {
	defer f.lock()()
	f.queries = append(f.queries, query)
	var out []archive.SearchHit
	for _, h := range f.hits {
		if strings.Contains(strings.ToLower(h.Message.Body), strings.ToLower(query)) {
			out = append(out, h)
		}
	}
	return out, nil
}

func (f *fakeArchive) MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error) {
	defer f.lock()()
	ms := f.around[messageID]
	if ms == nil {
		return nil, base.ErrUnknownMessage
	}
	return ms, nil
}

func (f *fakeArchive) Export(peerID string, fm archive.ExportFormat, w io.Writer) error {
	f.mu.Lock()
	msgs := f.chat.history[peerID]
	f.mu.Unlock()
	return archive.WriteExport(w, fm, archive.ExportedConversation{MyName: "Ann", MyID: fakeMyID,
		Contact: contacts.Contact{PeerID: peerID, Name: "Bob"}, Messages: msgs})
}

func (f *fakeArchive) Retention(peerID string) int {
	defer f.lock()()
	return f.retention[peerID]
}

func (f *fakeArchive) SetRetention(peerID string, days int) error {
	defer f.lock()()
	if f.retention == nil {
		f.retention = map[string]int{}
	}
	f.retention[peerID] = days
	return nil
}

func (f *fakeArchive) Compliance(peerID string) bool {
	defer f.lock()()
	return f.compliance[peerID]
}

func (f *fakeArchive) SetCompliance(peerID string, on bool) error {
	defer f.lock()()
	if f.compliance == nil {
		f.compliance = map[string]bool{}
	}
	f.compliance[peerID] = on
	return nil
}
