package device

import (
	"sync"
	"testing"
	"time"
)

func TestRingPattern(t *testing.T) {
	pcm := make([]int16, ringPeriod)
	ringSamples(pcm, 0)
	peak := func(s []int16) int {
		m := 0
		for _, v := range s {
			m = max(m, int(v), -int(v))
		}
		return m
	}
	if p := peak(pcm[:ringBurst]); p < 5000 || p > 32767/4 {
		t.Errorf("tone peak %d", p)
	}
	if p := peak(pcm[ringBurst:]); p != 0 {
		t.Errorf("pause peak %d", p)
	}
	if pcm[0] != 0 || abs(int(pcm[ringBurst-1])) > 200 {
		t.Errorf("burst ends are not faded: %d … %d", pcm[0], pcm[ringBurst-1])
	}
}

func abs(x int) int { return max(x, -x) }

type fakeSpeaker struct {
	mu     sync.Mutex
	n      int
	closed bool
}

func (f *fakeSpeaker) Write(p []int16) {
	f.mu.Lock()
	f.n += len(p)
	f.mu.Unlock()
}

func (f *fakeSpeaker) Close() error {
	f.mu.Lock()
	f.closed = true
	f.mu.Unlock()
	return nil
}

// Ringing writes in real time and stops (closing the output) when told.
func TestRingStops(t *testing.T) {
	spk := &fakeSpeaker{}
	stop := ringWith(spk)
	time.Sleep(100 * time.Millisecond)
	stop()
	stop() // idempotent
	spk.mu.Lock()
	defer spk.mu.Unlock()
	if spk.n == 0 || !spk.closed {
		t.Errorf("wrote %d samples, closed %v", spk.n, spk.closed)
	}
}
