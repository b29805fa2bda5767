package voice

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"hearth/media/device"
)

// playLead is how far ahead of the clock Play feeds the speaker: enough to
// ride out scheduling hiccups, well inside the speaker's half-second queue
// (which drops the oldest samples beyond it).
const playLead = 200 * time.Millisecond

// errStopped ends a decode that Play was asked to stop.
var errStopped = errors.New("stopped")

// Info checks a voice note and returns its duration. It reads the whole file,
// a page at a time.
func Info(path string) (time.Duration, error) {
	s, err := scan(path, nil)
	if err != nil {
		return 0, err
	}
	return s.duration(), nil
}

// Decode checks a voice note, then decodes it and passes the PCM (48 kHz
// mono int16, stereo notes downmixed, pre-skip and end trimming applied) to
// fn in order, one packet's worth at a time. fn may keep the slices.
func Decode(path string, fn func(pcm []int16)) error {
	return decode(path, func(pcm []int16) error {
		fn(pcm)
		return nil
	})
}

func decode(path string, fn func(pcm []int16) error) error {
	// A first pass checks the whole file, so that nothing is played from a
	// file that turns out broken, and finds the end trim.
	s, err := scan(path, nil)
	if err != nil {
		return err
	}
	dec, err := device.NewOpusDecoder(1) // libopus downmixes stereo packets
	if err != nil {
		return err
	}
	defer dec.Close()
	gain := 1.0
	if s.gain != 0 {
		gain = math.Pow(10, float64(s.gain)/(20*256))
	}
	skip, left := s.preSkip, s.samples
	_, err = scan(path, func(_ head, packet []byte) error {
		if left == 0 {
			return nil
		}
		pcm, err := dec.Decode(packet)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		drop := min(skip, int64(len(pcm)))
		pcm, skip = pcm[drop:], skip-drop
		pcm = pcm[:min(int64(len(pcm)), left)]
		left -= int64(len(pcm))
		if len(pcm) == 0 {
			return nil
		}
		if gain != 1 {
			for i, v := range pcm {
				pcm[i] = int16(max(min(float64(v)*gain, math.MaxInt16), math.MinInt16))
			}
		}
		return fn(pcm)
	})
	if errors.Is(err, errStopped) {
		return errStopped
	}
	return err
}

// Play checks a voice note and plays it on the default speaker. Without an
// output device it returns device.ErrNoDevice. stop ends playback early (it
// may be called any number of times, also after the end); done then yields
// nil, or the error that ended playback, and is closed.
func Play(path string) (stop func(), done <-chan error, err error) {
	if _, err := Info(path); err != nil {
		return nil, nil, err
	}
	spk, err := device.OpenSpeaker()
	if err != nil {
		return nil, nil, err
	}
	stop, done = play(path, spk)
	return stop, done, nil
}

// play feeds the decoded note to spk in real time and closes spk at the end.
func play(path string, spk device.Speaker) (stop func(), done <-chan error) {
	stopCh := make(chan struct{})
	var once sync.Once
	result := make(chan error, 1)
	go func() {
		defer close(result)
		start := time.Now()
		var queued int64
		// wait sleeps until at most lead is queued ahead of the clock.
		wait := func(lead time.Duration) error {
			ahead := time.Duration(queued)*time.Second/sampleRate - time.Since(start)
			if ahead <= lead {
				select {
				case <-stopCh:
					return errStopped
				default:
					return nil
				}
			}
			t := time.NewTimer(ahead - lead)
			defer t.Stop()
			select {
			case <-stopCh:
				return errStopped
			case <-t.C:
				return nil
			}
		}
		err := decode(path, func(pcm []int16) error {
			if err := wait(playLead); err != nil {
				return err
			}
			spk.Write(pcm)
			queued += int64(len(pcm))
			return nil
		})
		if err == nil {
			err = wait(0) // let the queue play out
		}
		_ = spk.Close()
		if errors.Is(err, errStopped) {
			err = nil
		}
		result <- err
	}()
	return func() { once.Do(func() { close(stopCh) }) }, result
}
