package area

import (
	"io"

	"hearth/app/core/archive"
	"hearth/contacts"
)

// ArchiveBackend is archive.go's: search across conversations, a message
// in its context, export, retention and the "archived for compliance" flag.
type ArchiveBackend interface {
	SearchArchive(query string, limit int) ([]archive.SearchHit, error)
	MessagesAround(peerID, messageID string, n int) ([]contacts.Message, error)
	Export(peerID string, f archive.ExportFormat, w io.Writer) error
	Retention(peerID string) int
	SetRetention(peerID string, days int) error
	Compliance(peerID string) bool
	SetCompliance(peerID string, on bool) error
}
