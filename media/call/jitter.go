package call

import (
	"slices"
	"time"
)

// The audio jitter buffer. Packets are pushed as they arrive, in any
// order; a 20 ms clock pops what to play. Its target delay follows the
// measured jitter (the spread of packet transit times over the last two
// seconds), so a steady link plays with little delay and a jittery one
// waits long enough not to drop late packets. A missing frame is rebuilt
// from the next packet's Opus FEC when that packet is already here, and
// concealed otherwise. When the buffer runs dry (DTX silence or a stall)
// it waits until it holds its target again; when it holds far more than
// its target (the sender's clock runs faster than ours) it skips a frame.
const (
	frameDur       = 20 * time.Millisecond
	frameTS        = 960 // RTP timestamp units (48 kHz) per frame
	minTarget      = 20 * time.Millisecond
	maxTarget      = 400 * time.Millisecond
	driftSlack     = 60 * time.Millisecond // held beyond target before a frame is skipped
	transitWindow  = 100                   // packets (two seconds)
	maxAhead       = 250                   // packets: further ahead is a new stream
	jitterMargin   = 10 * time.Millisecond
	jitterQuantile = 0.95
)

type jbAction int

const (
	jbWait    jbAction = iota // nothing to play now (priming, or ran dry)
	jbPlay                    // decode the payload
	jbFEC                     // rebuild the missing frame from the payload's FEC
	jbConceal                 // conceal a lost frame
)

type jbPacket struct {
	payload []byte
}

// jitterBuffer is used by one goroutine at a time (receiveAudio holds a
// lock around it).
type jitterBuffer struct {
	pkts     map[uint16]jbPacket
	next     uint16 // sequence number to play next
	highest  uint16
	started  bool
	playing  bool
	transits []float64 // ms, ring of the last transitWindow
	tpos     int
	target   time.Duration

	late, concealed, recovered, underruns, skipped int64
}

func newJitterBuffer() *jitterBuffer {
	return &jitterBuffer{pkts: map[uint16]jbPacket{}, target: 3 * frameDur}
}

// seqBefore reports whether a comes before b, modulo 2^16.
func seqBefore(a, b uint16) bool { return a != b && b-a < 0x8000 }

// push stores a packet that arrived at `at`; it reports false when the
// packet came too late (its time to play has passed) or twice.
func (j *jitterBuffer) push(seq uint16, ts uint32, payload []byte, at time.Time) bool {
	// Transit time up to a constant (the clocks' offset): only its spread matters.
	transit := float64(at.UnixNano())/1e6 - float64(ts)/48
	if len(j.transits) < transitWindow {
		j.transits = append(j.transits, transit)
	} else {
		j.transits[j.tpos] = transit
		j.tpos = (j.tpos + 1) % transitWindow
	}
	j.updateTarget()
	if !j.started || seq-j.next > maxAhead && !seqBefore(seq, j.next) {
		clear(j.pkts)
		j.started, j.playing, j.next, j.highest = true, false, seq, seq
	}
	if seqBefore(seq, j.next) {
		j.late++
		return false
	}
	if _, dup := j.pkts[seq]; dup {
		return false
	}
	j.pkts[seq] = jbPacket{payload: payload}
	if seqBefore(j.highest, seq) {
		j.highest = seq
	}
	return true
}

func (j *jitterBuffer) updateTarget() {
	if len(j.transits) < 10 {
		return
	}
	s := slices.Clone(j.transits)
	slices.Sort(s)
	spread := s[int(jitterQuantile*float64(len(s)-1))] - s[0]
	t := time.Duration(spread*float64(time.Millisecond)) + jitterMargin
	j.target = min(max(t, minTarget), maxTarget)
}

// held is how much audio the buffer spans, from the next frame to play
// through the newest one received.
func (j *jitterBuffer) held() time.Duration {
	if len(j.pkts) == 0 {
		return 0
	}
	return time.Duration(j.highest-j.next+1) * frameDur
}

// pop says what to play for the next 20 ms.
func (j *jitterBuffer) pop() (jbAction, []byte) {
	if !j.started {
		return jbWait, nil
	}
	if len(j.pkts) == 0 {
		if j.playing {
			j.playing = false
			j.underruns++
		}
		return jbWait, nil
	}
	if !j.playing {
		if j.held() < j.target {
			return jbWait, nil
		}
		j.playing = true
	}
	// Far more held than wanted: skip, first over holes, then a frame.
	for j.held() > j.target+driftSlack {
		if _, ok := j.pkts[j.next]; ok {
			delete(j.pkts, j.next)
			j.skipped++
		}
		j.next++
		if len(j.pkts) == 0 {
			return jbWait, nil
		}
	}
	if p, ok := j.pkts[j.next]; ok {
		delete(j.pkts, j.next)
		j.next++
		return jbPlay, p.payload
	}
	j.next++
	if p, ok := j.pkts[j.next]; ok {
		j.recovered++
		return jbFEC, p.payload
	}
	j.concealed++
	return jbConceal, nil
}
