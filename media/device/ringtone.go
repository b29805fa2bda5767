package device

import (
	"math"
	"sync"
	"time"
)

// Ringtone: two tones (440 and 480 Hz, the North American ring) for one
// second in every three, at a moderate level, played on the default
// output until stopped.
const (
	ringBurst  = SampleRate       // samples of tone
	ringPeriod = 3 * SampleRate   // samples per cycle
	ringLevel  = 0.18 * 32767 / 2 // each of the two tones
)

// ringSamples fills pcm with the ringtone from sample position pos on.
func ringSamples(pcm []int16, pos int) {
	for i := range pcm {
		p := (pos + i) % ringPeriod
		if p >= ringBurst {
			pcm[i] = 0
			continue
		}
		t := float64(p) / SampleRate
		// A 10 ms fade at each end of the burst avoids clicks.
		env := min(1, float64(p)/480, float64(ringBurst-p)/480)
		v := ringLevel * env * (math.Sin(2*math.Pi*440*t) + math.Sin(2*math.Pi*480*t))
		pcm[i] = int16(v)
	}
}

// Ring plays the ringtone on the default output until stop is called
// (idempotent; it waits until the output is closed). Without an output it
// does nothing: a ringing call still shows its dialog.
func Ring() (stop func()) {
	spk, err := OpenSpeaker()
	if err != nil {
		return func() {}
	}
	return ringWith(spk)
}

func ringWith(spk Speaker) (stop func()) {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer spk.Close()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		pos := 0
		const chunk = SampleRate / 50
		for {
			pcm := make([]int16, chunk)
			ringSamples(pcm, pos)
			pos = (pos + chunk) % ringPeriod
			spk.Write(pcm)
			select {
			case <-quit:
				return
			case <-tick.C:
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() { close(quit) })
		<-done
	}
}
