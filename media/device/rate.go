package device

import (
	"sync"
	"time"
)

// Rung is one step of the video ladder: what the camera's picture is
// scaled and thinned to before it is encoded.
type Rung struct {
	Width, Height, FrameRate int
	// MinBitRate is the video bit rate below which this rung is left for
	// the next one down.
	MinBitRate int
}

// Ladder goes from the full picture down; a lower resolution looks better
// than a starved full one, and fewer frames only when even 320x240 is
// starved. (Sizes are for a 4:3 camera; other shapes keep their width.)
var Ladder = []Rung{
	{640, 480, 30, 450_000},
	{480, 360, 30, 230_000},
	{320, 240, 30, 130_000},
	{320, 240, 15, 0},
}

const (
	// stepUpAfter is how long the estimate must allow the rung above
	// (with headroom) before the ladder climbs: climbing costs a key frame.
	stepUpAfter  = 3 * time.Second
	stepUpMargin = 1.3
	// overheadShare of the estimate goes to RTP/SRTP headers, RTCP and
	// retransmissions.
	overheadShare = 0.1
	minVideoRate  = 100_000
	maxVideoRate  = 2_000_000
)

// Rate is what a call's congestion controller lets it send, shared by the
// encoders (they read it for each frame) and the ladder. Safe for
// concurrent use.
type Rate struct {
	mu      sync.Mutex // guards the fields below
	total   int
	video   int
	audio   int
	rung    int
	upSince time.Time // since when the rung above has been affordable
	loss    int       // percent of our packets the other side lost
	now     func() time.Time
}

// NewRate starts at total bits per second.
func NewRate(total int) *Rate {
	r := &Rate{now: time.Now}
	r.Set(total)
	return r
}

// audioFor is the Opus bit rate for a total: speech stays clear down to
// 16 kbit/s; in-band FEC needs some of it.
func audioFor(total int) int {
	switch {
	case total >= 300_000:
		return 32_000
	case total >= 150_000:
		return 24_000
	default:
		return 16_000
	}
}

// Set takes a new estimate (bits per second) and moves the ladder: down at
// once when the video rate no longer affords the rung, up only after the
// rung above has been affordable for stepUpAfter.
func (r *Rate) Set(total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total = total
	r.audio = audioFor(total)
	r.video = min(max(int(float64(total)*(1-overheadShare))-r.audio, minVideoRate), maxVideoRate)
	for r.rung < len(Ladder)-1 && r.video < Ladder[r.rung].MinBitRate {
		r.rung++
		r.upSince = time.Time{}
	}
	if r.rung > 0 && float64(r.video) >= stepUpMargin*float64(Ladder[r.rung-1].MinBitRate) {
		now := r.now()
		if r.upSince.IsZero() {
			r.upSince = now
		} else if now.Sub(r.upSince) >= stepUpAfter {
			r.rung--
			r.upSince = time.Time{}
		}
	} else {
		r.upSince = time.Time{}
	}
}

// SetLoss records the share of our packets the other side reports lost
// (percent); the Opus encoder spends that much on in-band FEC.
func (r *Rate) SetLoss(percent int) {
	r.mu.Lock()
	r.loss = min(max(percent, 0), 100)
	r.mu.Unlock()
}

// Video is the VP8 encoder's target in bits per second.
func (r *Rate) Video() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.video
}

// Audio is the Opus encoder's target in bits per second and the loss it
// should protect against (percent).
func (r *Rate) Audio() (bps, lossPercent int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.audio, r.loss
}

// Rung is the ladder's current step.
func (r *Rate) Rung() Rung {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Ladder[r.rung]
}

// Total is the last estimate.
func (r *Rate) Total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}
