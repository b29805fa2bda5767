package device

import (
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pion/mediadevices"
	"github.com/pion/mediadevices/pkg/driver"
	_ "github.com/pion/mediadevices/pkg/driver/camera" // registers v4l2 cameras
	"github.com/pion/mediadevices/pkg/io/audio"
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
	"github.com/pion/mediadevices/pkg/wave"
)

// User-facing notices.
const (
	noticeNoCamera   = "No camera found: sending a synthetic test picture"
	noticeCameraFail = "The camera could not be opened: sending a synthetic test picture"
	noticeNoMic      = "No microphone found: sending a test tone"
	noticeMicFail    = "The microphone could not be opened: sending a test tone"
	noticeFake       = "Test media: sending a synthetic picture and a test tone"
)

// Labels of mediadevices' own test drivers, which are never real devices.
const (
	videoTestLabel = "VideoTest"
	audioTestLabel = "AudioTest"
)

// driverMu serialises use of mediadevices' global driver registry: the
// drivers' state machines are not safe for concurrent use.
var driverMu sync.Mutex

// Capture is the local camera and microphone of a call, or synthetic
// stand-ins for them. Video and Audio are mediadevices tracks: a
// webrtc.PeerConnection binds them and they encode on demand.
type Capture struct {
	Video, Audio   mediadevices.Track
	VideoSynthetic bool
	AudioSynthetic bool
	// Notice tells the user which stand-ins are in use; empty when none.
	Notice string

	videoOff atomic.Bool
	muted    atomic.Bool
	once     sync.Once
	rate     *Rate      // nil: fixed rates, full picture
	proc     *Processor // nil: the microphone goes out as it is
	fps      int
}

// NewCodecSelector returns the encoders a call uses: VP8 through this
// package's realtime libvpx binding and Opus at 20 ms frames with in-band
// FEC and DTX. With a rate, both follow it (the call's congestion
// controller); without, they run at fixed rates.
func NewCodecSelector(opts Options, rate *Rate) (*mediadevices.CodecSelector, error) {
	opts = opts.withDefaults()
	vp8 := &VP8Params{BitRate: defaultBitRate(opts.Width, opts.Height, opts.FrameRate), Rate: rate}
	return mediadevices.NewCodecSelector(
		mediadevices.WithVideoEncoders(vp8),
		mediadevices.WithAudioEncoders(&OpusParams{Rate: rate}),
	), nil
}

// Open starts capture. Without a usable camera or microphone (or with
// opts.Fake) it falls back to synthetic sources and says so in Notice; it
// fails only when even those cannot be built. codecs may be nil for
// NewCodecSelector(opts, rate). With a rate, the picture follows its ladder
// (scaled and thinned before it is encoded).
func Open(opts Options, codecs *mediadevices.CodecSelector, rate *Rate) (*Capture, error) {
	opts = opts.withDefaults()
	if codecs == nil {
		var err error
		if codecs, err = NewCodecSelector(opts, rate); err != nil {
			return nil, err
		}
	}
	c := &Capture{rate: rate, fps: opts.FrameRate}
	var notices []string

	if !opts.Fake {
		var why string
		if !opts.AudioOnly {
			c.Video, why = openCamera(opts, codecs)
			if why != "" {
				notices = append(notices, why)
			}
		}
		c.Audio, why = openMicrophone(codecs, opts.Microphone)
		if why != "" {
			notices = append(notices, why)
		}
	} else {
		notices = append(notices, noticeFake)
	}
	if c.Video == nil && !opts.AudioOnly {
		c.Video = mediadevices.NewVideoTrack(newSyntheticVideo(opts.Width, opts.Height, opts.FrameRate), codecs)
		c.VideoSynthetic = true
	}
	if c.Audio == nil {
		c.Audio = mediadevices.NewAudioTrack(newSyntheticAudio(), codecs)
		c.AudioSynthetic = true
	}
	c.Notice = strings.Join(notices, "\n")

	if vt, ok := c.Video.(*mediadevices.VideoTrack); ok {
		vt.Transform(c.blankWhenOff, c.followLadder)
	}
	if at, ok := c.Audio.(*mediadevices.AudioTrack); ok {
		if !c.AudioSynthetic && !opts.NoAudioProcessing && !opts.AudioOnly {
			if p, err := NewProcessor(ProcessingOptions{Echo: true, Noise: true, Gain: true}); err == nil {
				c.proc = p
			}
		}
		at.Transform(audio.NewBuffer(ProcessFrame), c.processMic, c.silenceWhenMuted)
	}
	return c, nil
}

// Playback tells the echo canceller what the speaker is given.
func (c *Capture) Playback(pcm []int16) {
	if c.proc != nil {
		c.proc.Playback(pcm)
	}
}

// processMic runs each 10 ms of microphone audio through the processor.
func (c *Capture) processMic(r audio.Reader) audio.Reader {
	if c.proc == nil {
		return r
	}
	return audio.ReaderFunc(func() (wave.Audio, func(), error) {
		chunk, release, err := r.Read()
		if err != nil {
			return chunk, release, err
		}
		info := chunk.ChunkInfo()
		if info.Channels != 1 || info.Len != ProcessFrame {
			return chunk, release, nil
		}
		switch b := chunk.(type) {
		case *wave.Int16Interleaved:
			out := wave.NewInt16Interleaved(info)
			copy(out.Data, b.Data)
			release()
			c.proc.Capture(out.Data)
			return out, func() {}, nil
		case *wave.Float32Interleaved:
			pcm := make([]int16, len(b.Data))
			for i, v := range b.Data {
				pcm[i] = int16(min(max(v*32767, -32768), 32767))
			}
			release()
			c.proc.Capture(pcm)
			out := wave.NewFloat32Interleaved(info)
			for i, v := range pcm {
				out.Data[i] = float32(v) / 32768
			}
			return out, func() {}, nil
		default:
			return chunk, release, nil
		}
	})
}

// SetCameraOff sends black frames instead of the picture while off is true.
func (c *Capture) SetCameraOff(off bool) { c.videoOff.Store(off) }

// SetMuted sends silence instead of the microphone while muted is true.
func (c *Capture) SetMuted(muted bool) { c.muted.Store(muted) }

// Close stops both tracks; it is idempotent. Close the PeerConnection the
// tracks are bound to first: a track closed under a live PeerConnection can
// deadlock mediadevices' unbinding.
func (c *Capture) Close() error {
	var errs []error
	c.once.Do(func() {
		driverMu.Lock()
		defer driverMu.Unlock()
		for _, t := range []mediadevices.Track{c.Video, c.Audio} {
			if t != nil {
				if err := t.Close(); err != nil {
					errs = append(errs, err)
				}
			}
		}
		if c.proc != nil {
			_ = c.proc.Close() // a late frame finds it closed and passes untouched
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("closing capture: %w", err)
	}
	return nil
}

// Preview returns a reader of the local picture (shared frames: copy what
// you keep). It ends with an error once the capture is closed.
func (c *Capture) Preview() video.Reader {
	if vt, ok := c.Video.(*mediadevices.VideoTrack); ok {
		return vt.NewReader(false)
	}
	return nil
}

func (c *Capture) blankWhenOff(r video.Reader) video.Reader {
	var black *image.YCbCr
	return video.ReaderFunc(func() (image.Image, func(), error) {
		img, release, err := r.Read()
		if err != nil || !c.videoOff.Load() {
			return img, release, err
		}
		release()
		b := img.Bounds()
		if black == nil || black.Rect != b {
			black = image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
			for i := range black.Y {
				black.Y[i] = 16
			}
			for i := range black.Cb {
				black.Cb[i], black.Cr[i] = 128, 128
			}
		}
		return black, func() {}, nil
	})
}

// followLadder scales and thins the picture to the rate's rung. Each
// scaled frame is a new image: readers of the track may still hold the
// previous one.
func (c *Capture) followLadder(r video.Reader) video.Reader {
	if c.rate == nil {
		return r
	}
	n := 0
	return video.ReaderFunc(func() (image.Image, func(), error) {
		for {
			img, release, err := r.Read()
			if err != nil {
				return img, release, err
			}
			rung := c.rate.Rung()
			n++
			if every := c.fps / max(rung.FrameRate, 1); every > 1 && n%every != 0 {
				release()
				continue
			}
			yuv, ok := img.(*image.YCbCr)
			b := img.Bounds()
			if !ok || yuv.SubsampleRatio != image.YCbCrSubsampleRatio420 || b.Dx() <= rung.Width {
				return img, release, nil
			}
			w := rung.Width &^ 1
			h := max((b.Dy()*w/b.Dx())&^1, 2)
			out := scaleI420(nil, yuv, w, h)
			release()
			return out, func() {}, nil
		}
	})
}

func (c *Capture) silenceWhenMuted(r audio.Reader) audio.Reader {
	return audio.ReaderFunc(func() (wave.Audio, func(), error) {
		chunk, release, err := r.Read()
		if err != nil || !c.muted.Load() {
			return chunk, release, err
		}
		info := chunk.ChunkInfo()
		release()
		switch chunk.(type) {
		case *wave.Float32Interleaved:
			return wave.NewFloat32Interleaved(info), func() {}, nil
		default:
			return wave.NewInt16Interleaved(info), func() {}, nil
		}
	})
}

// realCameras lists camera drivers that are real devices.
func realCameras() []driver.Driver {
	return driver.GetManager().Query(driver.FilterAnd(
		driver.FilterVideoRecorder(),
		driver.FilterDeviceType(driver.Camera),
		func(d driver.Driver) bool { return d.Info().Label != videoTestLabel },
	))
}

// realMicrophones lists microphone drivers that are real devices. ALSA's
// "null" PCM (which records silence) is listed by malgo on machines with no
// sound card and is not one.
func realMicrophones() []driver.Driver {
	return driver.GetManager().Query(driver.FilterAnd(
		driver.FilterAudioRecorder(),
		driver.FilterDeviceType(driver.Microphone),
		func(d driver.Driver) bool {
			info := d.Info()
			return info.Label != audioTestLabel && !isNullDevice(info.Label, info.Name)
		},
	))
}

// isNullDevice recognises ALSA's null device: malgo labels devices with their
// ID in hex, and the null PCM describes itself as discarding samples.
func isNullDevice(label, name string) bool {
	if b, err := hex.DecodeString(label); err == nil && strings.TrimRight(string(b), "\x00") == "null" {
		return true
	}
	return label == "null" || strings.HasPrefix(name, "Discard all samples")
}

// openCamera opens the best real camera, or returns nil and a notice.
func openCamera(opts Options, codecs *mediadevices.CodecSelector) (mediadevices.Track, string) {
	driverMu.Lock()
	defer driverMu.Unlock()
	cams := realCameras()
	if len(cams) == 0 {
		return nil, noticeNoCamera
	}
	// The chosen camera, then the system default (highest priority), then
	// any other.
	for _, d := range preferNamed(cams, opts.Camera) {
		if d.Status() != driver.StateClosed {
			continue // in use by another call
		}
		id := d.ID()
		stream, err := getUserMedia(mediadevices.MediaStreamConstraints{
			Video: func(c *mediadevices.MediaTrackConstraints) {
				c.DeviceID = prop.StringExact(id)
				c.Width = prop.Int(opts.Width)
				c.Height = prop.Int(opts.Height)
				c.FrameRate = prop.Float(opts.FrameRate)
			},
			Codec: codecs,
		})
		if err == nil {
			if ts := stream.GetVideoTracks(); len(ts) > 0 {
				return ts[0], ""
			}
		}
	}
	return nil, noticeCameraFail
}

// openMicrophone opens the best real microphone, or returns nil and a notice.
func openMicrophone(codecs *mediadevices.CodecSelector, name string) (mediadevices.Track, string) {
	driverMu.Lock()
	defer driverMu.Unlock()
	mics := realMicrophones()
	if len(mics) == 0 {
		return nil, noticeNoMic
	}
	for _, d := range preferNamed(mics, name) {
		if d.Status() != driver.StateClosed {
			continue
		}
		id := d.ID()
		stream, err := getUserMedia(mediadevices.MediaStreamConstraints{
			Audio: func(c *mediadevices.MediaTrackConstraints) {
				c.DeviceID = prop.StringExact(id)
				c.SampleRate = prop.Int(SampleRate)
				c.ChannelCount = prop.Int(1)
			},
			Codec: codecs,
		})
		if err == nil {
			if ts := stream.GetAudioTracks(); len(ts) > 0 {
				return ts[0], ""
			}
		}
	}
	return nil, noticeMicFail
}

// getUserMedia turns a driver panic (seen with odd hardware) into an error.
func getUserMedia(c mediadevices.MediaStreamConstraints) (s mediadevices.MediaStream, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("opening device: %v", r)
		}
	}()
	return mediadevices.GetUserMedia(c)
}
