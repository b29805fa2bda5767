package device

import (
	"image"
	"io"
	"math"
	"math/rand"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/pion/mediadevices/pkg/wave"
)

// syntheticVideo is a test picture: colour bars, a grey ramp and a bouncing
// square, so that both the encoder and a viewer see motion.
//
// mediadevices' videotest driver is a single instance in a global registry,
// which camera's init may even delete; two calls in one process (tests, a
// busy tone during a call) need sources of their own, hence this one.
type syntheticVideo struct {
	id    string
	w, h  int
	base  *image.YCbCr
	noise [][]int8 // a few planes of sensor-like noise, cycled
	tick  *time.Ticker
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex // guards frame
	frame int
}

func newSyntheticVideo(w, h, fps int) *syntheticVideo {
	s := &syntheticVideo{
		id:   "synthetic-video-" + uuid.NewString(),
		w:    w,
		h:    h,
		base: image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420),
		tick: time.NewTicker(time.Second / time.Duration(fps)),
		done: make(chan struct{}),
	}
	// Webcams never send a clean picture: light noise on every pixel keeps
	// the encoder's work (and so the CPU figures) close to a real camera's.
	rng := rand.New(rand.NewSource(1))
	for range 7 {
		n := make([]int8, w*h)
		for i := range n {
			n[i] = int8(rng.Intn(7) - 3)
		}
		s.noise = append(s.noise, n)
	}
	// 75% colour bars (BT.601 Y, Cb, Cr): white, yellow, cyan, green, magenta, red, blue.
	bars := [][3]byte{{180, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58}, {84, 184, 198}, {65, 100, 212}, {35, 212, 114}}
	barsEnd := h * 3 / 4
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var c [3]byte
			if y < barsEnd {
				c = bars[x*len(bars)/w]
			} else {
				v := byte(16 + x*219/w)
				c = [3]byte{v, 128, 128}
			}
			s.base.Y[y*s.base.YStride+x] = c[0]
			ci := s.base.COffset(x, y)
			s.base.Cb[ci], s.base.Cr[ci] = c[1], c[2]
		}
	}
	return s
}

func (s *syntheticVideo) ID() string { return s.id }

func (s *syntheticVideo) Close() error {
	s.once.Do(func() {
		close(s.done)
		s.tick.Stop()
	})
	return nil
}

// Read paces frames at the frame rate and returns a new picture each time,
// so readers may keep what they got.
func (s *syntheticVideo) Read() (image.Image, func(), error) {
	select {
	case <-s.done:
		return nil, func() {}, io.EOF
	case <-s.tick.C:
	}
	s.mu.Lock()
	n := s.frame
	s.frame++
	s.mu.Unlock()

	img := image.NewYCbCr(s.base.Rect, image.YCbCrSubsampleRatio420)
	noise := s.noise[n%len(s.noise)]
	for i, v := range s.base.Y {
		img.Y[i] = byte(min(max(int(v)+int(noise[i]), 16), 235))
	}
	copy(img.Cb, s.base.Cb)
	copy(img.Cr, s.base.Cr)
	// A square of a tenth of the height bouncing around the frame.
	side := max(s.h/10, 2) &^ 1
	x := bounce(n*4, s.w-side)
	y := bounce(n*3, s.h-side)
	for row := y; row < y+side; row++ {
		for col := x; col < x+side; col++ {
			img.Y[row*img.YStride+col] = 235
			ci := img.COffset(col, row)
			img.Cb[ci], img.Cr[ci] = 128, 128
		}
	}
	return img, func() {}, nil
}

// bounce maps a growing position onto 0..span and back.
func bounce(pos, span int) int {
	if span <= 0 {
		return 0
	}
	p := pos % (2 * span)
	if p > span {
		p = 2*span - p
	}
	return p
}

// syntheticAudio is a test tone: 440 Hz, one beep a second, mono 48 kHz in
// 20 ms chunks, paced by the clock.
type syntheticAudio struct {
	id    string
	done  chan struct{}
	once  sync.Once
	mu    sync.Mutex // guards next and phase
	next  time.Time
	phase int
}

const audioChunk = 20 * time.Millisecond

func newSyntheticAudio() *syntheticAudio {
	return &syntheticAudio{id: "synthetic-audio-" + uuid.NewString(), done: make(chan struct{})}
}

func (s *syntheticAudio) ID() string { return s.id }

func (s *syntheticAudio) Close() error {
	s.once.Do(func() { close(s.done) })
	return nil
}

func (s *syntheticAudio) Read() (wave.Audio, func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if s.next.IsZero() || s.next.Before(now.Add(-time.Second)) {
		s.next = now // start, or resync after a long stall
	}
	if wait := s.next.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-s.done:
			t.Stop()
			return nil, func() {}, io.EOF
		case <-t.C:
		}
	} else {
		select {
		case <-s.done:
			return nil, func() {}, io.EOF
		default:
		}
	}
	s.next = s.next.Add(audioChunk)

	n := SampleRate * int(audioChunk/time.Millisecond) / 1000
	a := wave.NewInt16Interleaved(wave.ChunkInfo{Channels: 1, Len: n, SamplingRate: SampleRate})
	for i := 0; i < n; i++ {
		var v float64
		if s.phase%SampleRate < SampleRate/4 { // 250 ms beep each second
			v = 0.2 * math.Sin(2*math.Pi*440*float64(s.phase)/SampleRate)
		}
		a.Data[i] = int16(v * math.MaxInt16)
		s.phase++
	}
	return a, func() {}, nil
}
