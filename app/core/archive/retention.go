package archive

import (
	"fmt"
	"strconv"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/app/core/book"
	"hearth/app/core/event"
)

const (
	settingRetentionPrefix = "retention.days."
	// MaxRetentionDays bounds a retention period (about 100 years).
	MaxRetentionDays = 36500
)

// retentionInterval is how often retention is enforced while running.
var retentionInterval = time.Hour

// Retention returns how many days a conversation's messages are kept; 0
// means forever.
func (a *Archive) Retention(peerID string) int {
	b, err := a.d.Store.Setting(settingRetentionPrefix + peerID)
	if err != nil {
		return 0
	}
	d, err := strconv.Atoi(string(b))
	if err != nil || d < 0 || d > MaxRetentionDays {
		return 0
	}
	return d
}

// SetRetention keeps a conversation's messages for days days (0: forever)
// and enforces it at once.
func (a *Archive) SetRetention(peerID string, days int) error {
	if days < 0 || days > MaxRetentionDays {
		return fmt.Errorf("%w (0 to %d days)", ErrRetention, MaxRetentionDays)
	}
	if _, err := peer.Decode(peerID); err != nil {
		return book.ErrUnknownPeer
	}
	if err := a.d.Store.SetSetting(settingRetentionPrefix+peerID, []byte(strconv.Itoa(days))); err != nil {
		return fmt.Errorf("saving retention: %w", err)
	}
	_, err := a.EnforceRetention()
	return err
}

// EnforceRetention deletes every expired message of every conversation
// with a retention period, then compacts the database so they are gone
// from the file too. It reports how many messages went.
func (a *Archive) EnforceRetention() (int, error) {
	var ids []string
	for id := range a.d.Book.Snapshot() {
		ids = append(ids, id.String())
	}
	total := 0
	now := time.Now()
	for _, id := range ids {
		days := a.Retention(id)
		if days == 0 {
			continue
		}
		n, err := a.d.Store.DeleteMessagesBefore(id, now.Add(-time.Duration(days)*24*time.Hour))
		if err != nil {
			return total, fmt.Errorf("enforcing retention: %w", err)
		}
		total += n
		if n > 0 {
			a.d.Publish(event.ConversationPruned{PeerID: id, Deleted: n})
		}
	}
	if total > 0 {
		if err := a.d.Store.Vacuum(); err != nil {
			return total, fmt.Errorf("enforcing retention: %w", err)
		}
	}
	return total, nil
}

// retentionLoop enforces retention at start and every retentionInterval.
func (a *Archive) retentionLoop() {
	t := time.NewTicker(retentionInterval)
	defer t.Stop()
	for {
		if _, err := a.EnforceRetention(); err != nil && a.d.Ctx().Err() == nil {
			a.d.Publish(event.Notice{Text: err.Error(), At: time.Now()})
		}
		select {
		case <-a.d.Ctx().Done():
			return
		case <-t.C:
		}
	}
}
