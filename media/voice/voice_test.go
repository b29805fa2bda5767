package voice

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"hearth/media/device"
)

func within(got, want, tol time.Duration) bool {
	return got >= want-tol && got <= want+tol
}

// checkGoroutines fails when goroutines started during the test outlive it.
func checkGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				t.Errorf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

func TestRecordStopInfoDecode(t *testing.T) {
	checkGoroutines(t)
	path := filepath.Join(t.TempDir(), "note.ogg")
	r, err := Record(path, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.Notice() == "" {
		t.Error("fake recording without a notice")
	}
	t.Logf("notice: %q", r.Notice())
	time.Sleep(time.Second)
	if e := r.Elapsed(); !within(e, time.Second, 300*time.Millisecond) {
		t.Errorf("Elapsed after 1 s = %v", e)
	}
	time.Sleep(time.Second)
	dur, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Done():
	default:
		t.Error("Done still open after Stop")
	}
	if again, err := r.Stop(); again != dur || err != nil {
		t.Errorf("second Stop = %v, %v; first said %v", again, err, dur)
	}
	if e := r.Elapsed(); !within(e, dur, 25*time.Millisecond) {
		t.Errorf("Elapsed %v after Stop returned %v", e, dur)
	}

	info, err := Info(path)
	if err != nil {
		t.Fatal(err)
	}
	if info != dur {
		t.Errorf("Info = %v, Stop = %v", info, dur)
	}
	if !within(info, 2*time.Second, 300*time.Millisecond) {
		t.Errorf("2 s recording lasts %v", info)
	}

	var n int
	var peak int16
	var energy float64
	if err := Decode(path, func(pcm []int16) {
		n += len(pcm)
		for _, v := range pcm {
			peak = max(peak, v, -v)
			energy += float64(v) * float64(v)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if got := time.Duration(n) * time.Second / sampleRate; got != info {
		t.Errorf("decoded %d samples (%v), Info says %v", n, got, info)
	}
	if n < 96000-14400 || n > 96000+14400 {
		t.Errorf("decoded %d samples, want about 96000", n)
	}
	rms := math.Sqrt(energy / float64(max(n, 1)))
	// The tone is 0.2 full scale for a quarter of each second.
	if peak < 3000 || rms < 500 {
		t.Errorf("decoded audio is near silence: peak %d, rms %.0f", peak, rms)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	kbps := float64(fi.Size()) * 8 / info.Seconds() / 1000
	t.Logf("%v, %d bytes, %.1f kbit/s, peak %d, rms %.0f", info, fi.Size(), kbps, peak, rms)
	if kbps > 40 {
		t.Errorf("%.1f kbit/s, want at most about 32", kbps)
	}
}

func TestCancelDeletes(t *testing.T) {
	checkGoroutines(t)
	path := filepath.Join(t.TempDir(), "note.ogg")
	r, err := Record(path, true)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	r.Cancel()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("file after Cancel: %v", err)
	}
	r.Cancel() // idempotent
}

func TestStopAtOnce(t *testing.T) {
	checkGoroutines(t)
	path := filepath.Join(t.TempDir(), "note.ogg")
	r, err := Record(path, true)
	if err != nil {
		t.Fatal(err)
	}
	dur, err := r.Stop()
	if err != nil {
		t.Fatal(err)
	}
	info, err := Info(path)
	if err != nil || info != dur {
		t.Fatalf("Info = %v, %v; Stop said %v", info, err, dur)
	}
}

func TestStopsAtMaxDuration(t *testing.T) {
	checkGoroutines(t)
	maxDuration = 300 * time.Millisecond
	defer func() { maxDuration = MaxDuration }()
	path := filepath.Join(t.TempDir(), "note.ogg")
	r, err := Record(path, true)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Done():
	case <-time.After(5 * time.Second):
		r.Cancel()
		t.Fatal("recording did not stop by itself")
	}
	dur, err := r.Stop()
	if err != nil || dur != 300*time.Millisecond {
		t.Fatalf("Stop = %v, %v", dur, err)
	}
	if info, err := Info(path); err != nil || info != dur {
		t.Fatalf("Info = %v, %v", info, err)
	}
	n := 0
	if err := Decode(path, func(pcm []int16) { n += len(pcm) }); err != nil || n != 300*sampleRate/1000 {
		t.Fatalf("Decode: %d samples, %v", n, err)
	}
}

func TestRecordBadPath(t *testing.T) {
	checkGoroutines(t)
	_, err := Record(filepath.Join(t.TempDir(), "missing", "note.ogg"), true)
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Record into a missing folder: %v", err)
	}
}

func TestPlayWithoutSpeaker(t *testing.T) {
	path := writeTemp(t, noteBytes(t, tonePackets(t, 200*time.Millisecond)))
	stop, done, err := Play(path)
	if err == nil {
		stop()
		<-done
		t.Skip("this machine has an audio output")
	}
	if !errors.Is(err, device.ErrNoDevice) {
		t.Fatalf("Play without a speaker: %v", err)
	}
	if _, _, err := Play(writeTemp(t, []byte("not a voice note"))); !errors.Is(err, ErrMalformed) {
		t.Fatalf("Play of garbage: %v", err)
	}
}

// fakeSpeaker records what it is given.
type fakeSpeaker struct {
	samples chan int
	closed  chan struct{}
}

func newFakeSpeaker() *fakeSpeaker {
	return &fakeSpeaker{samples: make(chan int, 1000), closed: make(chan struct{})}
}

func (s *fakeSpeaker) Write(pcm []int16) { s.samples <- len(pcm) }
func (s *fakeSpeaker) Close() error      { close(s.closed); return nil }

func (s *fakeSpeaker) total() int {
	n := 0
	for {
		select {
		case k := <-s.samples:
			n += k
		default:
			return n
		}
	}
}

func TestPlayPacesAndEnds(t *testing.T) {
	checkGoroutines(t)
	path := writeTemp(t, noteBytes(t, tonePackets(t, 600*time.Millisecond)))
	want, err := Info(path)
	if err != nil {
		t.Fatal(err)
	}
	spk := newFakeSpeaker()
	start := time.Now()
	stop, done := play(path, spk)
	defer stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	<-spk.closed
	if n := spk.total(); n != int(want*sampleRate/time.Second) {
		t.Errorf("speaker got %d samples for %v", n, want)
	}
	if !within(took, want, 150*time.Millisecond) {
		t.Errorf("playing %v took %v", want, took)
	}
}

func TestPlayStop(t *testing.T) {
	checkGoroutines(t)
	path := writeTemp(t, noteBytes(t, tonePackets(t, 3*time.Second)))
	spk := newFakeSpeaker()
	stop, done := play(path, spk)
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Fatal("stop did not end playback")
	}
	if took := time.Since(start); took > 200*time.Millisecond {
		t.Errorf("stop took %v", took)
	}
	<-spk.closed
	if n := spk.total(); n > sampleRate/2 {
		t.Errorf("speaker got %d samples in 100 ms", n)
	}
	stop() // idempotent
	if _, ok := <-done; ok {
		t.Error("done not closed")
	}
}
