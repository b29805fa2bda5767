package device

import (
	"errors"
	"image"
	"math/rand"
	"syscall"
	"testing"
	"time"

	"github.com/pion/mediadevices/pkg/codec"
	"github.com/pion/mediadevices/pkg/codec/opus"
	mdvpx "github.com/pion/mediadevices/pkg/codec/vpx"
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

func TestOpenFake(t *testing.T) {
	c, err := Open(Options{Fake: true, Width: 320, Height: 240}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if !c.VideoSynthetic || !c.AudioSynthetic || c.Notice == "" {
		t.Fatalf("fake capture: %+v", c)
	}
	img, _, err := c.Preview().Read()
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 320 || b.Dy() != 240 {
		t.Fatalf("preview is %v", b)
	}
}

// On a machine without devices (CI, this build box) Open must fall back, not fail.
func TestOpenFallsBack(t *testing.T) {
	c, err := Open(Options{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(realCameras()) == 0 && (!c.VideoSynthetic || c.Notice == "") {
		t.Fatalf("no camera, but capture says %+v", c)
	}
	if len(realMicrophones()) == 0 && !c.AudioSynthetic {
		t.Fatalf("no microphone, but capture says %+v", c)
	}
	t.Logf("notice: %q", c.Notice)
}

func TestCaptureCloseIdempotent(t *testing.T) {
	c, err := Open(Options{Fake: true}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCameraOffSendsBlack(t *testing.T) {
	c, err := Open(Options{Fake: true, Width: 160, Height: 120}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetCameraOff(true)
	r := c.Preview()
	// The preview reader shares the transformed source; skip a frame read before the switch.
	for i := 0; i < 2; i++ {
		img, _, err := r.Read()
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			y := img.(*image.YCbCr)
			for _, v := range y.Y {
				if v != 16 {
					t.Fatalf("camera off but luma %d", v)
				}
			}
		}
	}
}

func TestSpeakerWithoutDevice(t *testing.T) {
	s, err := OpenSpeaker()
	if err == nil {
		// A machine with sound: the speaker must take writes and close.
		s.Write(make([]int16, 960))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		t.Skip("this machine has an audio output")
	}
	if !errors.Is(err, ErrNoDevice) {
		t.Fatalf("got %v, want ErrNoDevice", err)
	}
}

func TestIsNullDevice(t *testing.T) {
	if !isNullDevice("6e756c6c", "") || !isNullDevice("x", "Discard all samples (playback) or generate zero samples (capture)") {
		t.Fatal("null device not recognised")
	}
	if isNullDevice("64656661756c74", "Default ALSA Output") {
		t.Fatal("default device taken for null")
	}
}

// encodeFrames encodes n synthetic frames with the given builder.
func encodeFrames(t testing.TB, b codec.VideoEncoderBuilder, w, h, n int) [][]byte {
	src := newSyntheticVideo(w, h, 1000)
	defer src.Close()
	enc, err := b.BuildVideoEncoder(src, prop.Media{Video: prop.Video{Width: w, Height: h, FrameRate: 30}})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	var out [][]byte
	for i := 0; i < n; i++ {
		f, _, err := enc.Read()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func TestVP8RoundTrip(t *testing.T) {
	mdParams, err := mdvpx.NewVP8Params()
	if err != nil {
		t.Fatal(err)
	}
	mdParams.BitRate = 500_000
	for name, b := range map[string]codec.VideoEncoderBuilder{
		"hearth":       &VP8Params{},
		"mediadevices": &mdParams,
	} {
		t.Run(name, func(t *testing.T) {
			frames := encodeFrames(t, b, 320, 240, 10)
			if !IsVP8KeyFrame(frames[0]) {
				t.Fatal("first frame is not a key frame")
			}
			d, err := NewVP8Decoder()
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			for i, f := range frames {
				img, err := d.Decode(f)
				if err != nil {
					t.Fatalf("frame %d: %v", i, err)
				}
				if img == nil || img.Rect.Dx() != 320 || img.Rect.Dy() != 240 {
					t.Fatalf("frame %d: got %v", i, img)
				}
				// The left of the test picture is a white bar (Y 180); the square is above y 60 here.
				if y := img.Y[img.YOffset(10, 100)]; y < 150 || y > 210 {
					t.Fatalf("frame %d: luma %d where the picture has 180", i, y)
				}
			}
		})
	}
}

func TestVP8DecoderRejectsGarbage(t *testing.T) {
	d, err := NewVP8Decoder()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		b := make([]byte, rng.Intn(2000))
		rng.Read(b)
		_, _ = d.Decode(b) // must not crash
	}
	if _, err := d.Decode(nil); !errors.Is(err, ErrBadFrame) {
		t.Fatalf("empty frame: %v", err)
	}
	if _, err := d.Decode(make([]byte, MaxVP8FrameSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge frame: %v", err)
	}
	d.Close()
	if _, err := d.Decode([]byte{1, 2, 3}); !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
}

func FuzzVP8Decoder(f *testing.F) {
	for _, fr := range encodeFrames(f, &VP8Params{}, 64, 48, 2) {
		f.Add(fr)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := NewVP8Decoder()
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		_, _ = d.Decode(b)
	})
}

func opusPackets(t testing.TB, n int) [][]byte {
	p, err := opus.NewParams()
	if err != nil {
		t.Fatal(err)
	}
	src := newSyntheticAudio()
	defer src.Close()
	enc, err := p.BuildAudioEncoder(src, prop.Media{Audio: prop.Audio{SampleRate: SampleRate, ChannelCount: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	var out [][]byte
	for i := 0; i < n; i++ {
		pkt, _, err := enc.Read()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pkt)
	}
	return out
}

func TestOpusRoundTrip(t *testing.T) {
	pkts := opusPackets(t, 25) // half a second
	for _, ch := range []int{1, 2} {
		d, err := NewOpusDecoder(ch)
		if err != nil {
			t.Fatal(err)
		}
		total, loud := 0, 0
		for i, p := range pkts {
			pcm, err := d.Decode(p)
			if err != nil {
				t.Fatalf("packet %d: %v", i, err)
			}
			if len(pcm) != 960*ch {
				t.Fatalf("packet %d: %d samples, want %d", i, len(pcm), 960*ch)
			}
			total += len(pcm) / ch
			for _, s := range pcm {
				if s > 2000 || s < -2000 {
					loud++
				}
			}
		}
		if total != 25*960 {
			t.Fatalf("%d samples", total)
		}
		if loud == 0 {
			t.Fatal("the test tone decoded to silence")
		}
		// Concealment of a lost packet gives 20 ms.
		if pcm, err := d.Decode(nil); err != nil || len(pcm) != 960*ch {
			t.Fatalf("plc: %d samples, %v", len(pcm), err)
		}
		d.Close()
	}
}

func TestOpusDecoderRejectsGarbage(t *testing.T) {
	d, err := NewOpusDecoder(1)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 500; i++ {
		b := make([]byte, 1+rng.Intn(1500))
		rng.Read(b)
		_, _ = d.Decode(b)
	}
	if _, err := d.Decode(make([]byte, MaxOpusPacketSize+1)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge packet: %v", err)
	}
	if _, err := NewOpusDecoder(3); err == nil {
		t.Fatal("3 channels accepted")
	}
}

func FuzzOpusDecoder(f *testing.F) {
	for _, p := range opusPackets(f, 2) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := NewOpusDecoder(2)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		if pcm, err := d.Decode(b); err == nil && len(pcm) > maxOpusFrame*2 {
			t.Fatalf("%d samples", len(pcm))
		}
	})
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkVP8EncodeCPU encodes the live test picture at 640x480@30 for about
// five seconds and reports the share of one core used, for this package's
// encoder and for mediadevices' wrapper.
func BenchmarkVP8EncodeCPU(b *testing.B) {
	mdParams, err := mdvpx.NewVP8Params()
	if err != nil {
		b.Fatal(err)
	}
	mdParams.BitRate = defaultBitRate(640, 480, 30)
	for _, bc := range []struct {
		name string
		b    codec.VideoEncoderBuilder
	}{{"hearth", &VP8Params{}}, {"mediadevices", &mdParams}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				src := newSyntheticVideo(640, 480, 30)
				enc, err := bc.b.BuildVideoEncoder(video.Reader(src), prop.Media{Video: prop.Video{Width: 640, Height: 480, FrameRate: 30}})
				if err != nil {
					b.Fatal(err)
				}
				start, cpu0 := time.Now(), cpuTime()
				bytes := 0
				frames := 0
				for time.Since(start) < 5*time.Second {
					f, _, err := enc.Read()
					if err != nil {
						b.Fatal(err)
					}
					bytes += len(f)
					frames++
				}
				wall, cpu := time.Since(start), cpuTime()-cpu0
				enc.Close()
				src.Close()
				b.ReportMetric(100*cpu.Seconds()/wall.Seconds(), "%core")
				b.ReportMetric(float64(bytes)*8/wall.Seconds()/1000, "kbit/s")
				b.ReportMetric(float64(frames)/wall.Seconds(), "fps")
			}
		})
	}
}
