package carry

import (
	"time"

	"hearth/p2p/wire"
)

// Options configure store-and-forward; zero fields take defaults.
type Options struct {
	// Quotas a carrier enforces: per depositor, and in total.
	MaxPerSender      int   // envelopes (default 1000)
	MaxBytesPerSender int64 // bytes (default 16 MiB)
	MaxTotal          int   // envelopes (default 10000)
	MaxTotalBytes     int64 // bytes (default 128 MiB)
	// MaxAge is how long an envelope is kept (default 14 days).
	MaxAge time.Duration
	// Carriers is how many carriers each message is deposited with
	// (default 3).
	Carriers int
	// Now is the clock for expiry (tests); nil means the core's clock.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.MaxPerSender <= 0 {
		o.MaxPerSender = 1000
	}
	if o.MaxBytesPerSender <= 0 {
		o.MaxBytesPerSender = 16 << 20
	}
	if o.MaxTotal <= 0 {
		o.MaxTotal = 10000
	}
	if o.MaxTotalBytes <= 0 {
		o.MaxTotalBytes = 128 << 20
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 14 * 24 * time.Hour
	}
	if o.Carriers <= 0 {
		o.Carriers = 3
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

const (
	// smallEnvelope is more than a message's envelope ever takes (a chat
	// body is at most 16 KiB, a sealed ack 100 IDs); bigger ones carry
	// files.
	smallEnvelope = 40 << 10
	// acksPerEnvelope is how many IDs one sealed ack holds.
	acksPerEnvelope = wire.MaxSealedAcks
)
