package device

import (
	"math"
	"math/rand/v2"
	"testing"
)

// farEnd is a speech-like far-end signal: noise shaped by a slow syllable
// envelope, so the canceller sees a broad, changing spectrum.
func farEnd(n int, rng *rand.Rand) []int16 {
	out := make([]int16, n)
	for i := range out {
		env := 0.55 + 0.45*math.Sin(2*math.Pi*3*float64(i)/SampleRate)
		out[i] = int16(env * 6000 * rng.NormFloat64() / 2)
	}
	return out
}

func energy(s []int16) float64 {
	e := 0.0
	for _, v := range s {
		e += float64(v) * float64(v)
	}
	return e
}

// TestEchoCancellation: a known far-end signal goes to the speaker path
// and its copy, 30 ms later and 6 dB down, into the microphone path; once
// converged the echo in what would be sent is at least 20 dB down (echo
// return loss enhancement).
func TestEchoCancellation(t *testing.T) {
	for _, opts := range []ProcessingOptions{{Echo: true}, {Echo: true, Noise: true, Gain: true}} {
		p, err := NewProcessor(opts)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		const seconds = 8
		far := farEnd(seconds*SampleRate, rng)
		const delay = 30 * SampleRate / 1000
		var micE, outE float64
		for f := 0; f+ProcessFrame <= len(far); f += ProcessFrame {
			p.Playback(far[f : f+ProcessFrame])
			mic := make([]int16, ProcessFrame)
			for i := range mic {
				if j := f + i - delay; j >= 0 {
					mic[i] = far[j] / 2
				}
			}
			m := energy(mic)
			p.Capture(mic)
			if f >= (seconds-3)*SampleRate { // the last 3 s: converged
				micE += m
				outE += energy(mic)
			}
		}
		p.Close()
		erle := 10 * math.Log10(micE/max(outE, 1))
		t.Logf("%+v: ERLE %.1f dB", opts, erle)
		if erle < 20 {
			t.Errorf("%+v: echo down by %.1f dB, want ≥ 20", opts, erle)
		}
	}
}

// Near-end speech passes: with nothing played, the processor leaves a
// talker's level roughly alone (noise suppression and gain on).
func TestNearEndPasses(t *testing.T) {
	p, err := NewProcessor(ProcessingOptions{Echo: true, Noise: true, Gain: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	rng := rand.New(rand.NewPCG(3, 4))
	talk := farEnd(4*SampleRate, rng)
	var in, out float64
	for f := 0; f+ProcessFrame <= len(talk); f += ProcessFrame {
		fr := append([]int16(nil), talk[f:f+ProcessFrame]...)
		in += energy(fr)
		p.Capture(fr)
		out += energy(fr)
	}
	if db := 10 * math.Log10(out/in); db < -10 {
		t.Errorf("near-end speech lost %.1f dB", -db)
	}
}
