package voice

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/mediadevices"
	"github.com/pion/mediadevices/pkg/codec/opus"

	"hearth/media/device"
)

// MaxDuration is the longest voice note: recording stops by itself there.
const MaxDuration = 5 * time.Minute

// maxDuration is MaxDuration, shortened by tests.
var maxDuration = MaxDuration

const (
	// bitRate suits speech in mono; calls use 32 kbit/s for lower latency
	// needs, a note can spend fewer bits.
	bitRate = 24000
	// pagePackets puts a second of 20 ms packets on each page: little
	// framing overhead, and little lost if the app dies mid-recording.
	pagePackets = 50

	noticeFake  = "Test media: recording a test tone"
	noticeNoMic = "No microphone found: recording a test tone"
)

// silentPacket is a TOC-only Opus packet (CELT, fullband, 20 ms, one empty
// frame): decoders treat it as a lost frame and fade to silence. It makes a
// note stopped before the first packet still a valid file.
var silentPacket = []byte{31 << 3}

// Recording is a voice note being recorded. Its methods are safe for
// concurrent use.
type Recording struct {
	path    string
	file    *os.File
	capture *device.Capture
	enc     mediadevices.EncodedReadCloser
	notice  string

	granule  atomic.Int64 // samples encoded so far, pre-skip included
	stop     chan struct{}
	stopOnce sync.Once
	done     chan struct{}

	// fields below are set by run before done is closed
	dur time.Duration
	err error
}

// Record starts recording from the microphone into an Ogg Opus file at path,
// created or truncated. With fake, or without a usable microphone, it records
// a synthetic test tone and says so in Notice. The recording runs until Stop
// or Cancel, MaxDuration, or a failing microphone (see Done).
func Record(path string, fake bool) (*Recording, error) {
	op, err := opus.NewParams()
	if err != nil {
		return nil, fmt.Errorf("opus params: %w", err)
	}
	op.BitRate = bitRate
	op.Latency = opus.Latency20ms
	codecs := mediadevices.NewCodecSelector(mediadevices.WithAudioEncoders(&op))

	c, err := device.Open(device.Options{Fake: fake, AudioOnly: true}, codecs, nil)
	if err != nil {
		return nil, fmt.Errorf("opening microphone: %w", err)
	}
	r := &Recording{path: path, capture: c, stop: make(chan struct{}), done: make(chan struct{})}
	if c.AudioSynthetic {
		r.notice = noticeNoMic
		if fake {
			r.notice = noticeFake
		}
	}
	if r.enc, err = c.Audio.NewEncodedReader("opus"); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("starting opus encoder: %w", err)
	}
	if r.file, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
		r.closeCapture()
		return nil, fmt.Errorf("creating voice note: %w", err)
	}
	w, err := newNoteWriter(r.file)
	if err != nil {
		r.closeCapture()
		_ = r.file.Close()
		_ = os.Remove(path)
		return nil, err
	}
	go r.run(w)
	return r, nil
}

// run owns the encoder and the file: it writes packets until asked to stop,
// MaxDuration or a capture failure, then finalises the file.
func (r *Recording) run(w *noteWriter) {
	defer close(r.done)
	limit := preSkip + int64(maxDuration)*sampleRate/int64(time.Second)
	failed := r.record(w, limit)
	r.closeCapture()
	samples, err := w.finish(limit)
	if err == nil {
		err = r.file.Sync()
	}
	if cerr := r.file.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing voice note: %w", cerr)
	}
	r.dur = time.Duration(samples) * time.Second / sampleRate
	r.err = errors.Join(failed, err)
}

// record writes packets until Stop, limit or a failure.
func (r *Recording) record(w *noteWriter, limit int64) error {
	for w.granule < limit {
		buf, release, err := r.enc.Read()
		select {
		case <-r.stop: // a read failing now is Stop closing the capture
			if err == nil && release != nil {
				release()
			}
			return nil
		default:
		}
		if err != nil {
			return fmt.Errorf("recording: %w", err)
		}
		err = w.write(buf.Data)
		release()
		r.granule.Store(w.granule)
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *Recording) closeCapture() {
	_ = r.capture.Close() // unblocks the encoder's read
	_ = r.enc.Close()
}

// Elapsed is how much has been recorded so far.
func (r *Recording) Elapsed() time.Duration {
	n := max(r.granule.Load()-preSkip, 0)
	return min(time.Duration(n)*time.Second/sampleRate, maxDuration)
}

// Notice tells the user what is recorded when it is not the microphone;
// empty when it is.
func (r *Recording) Notice() string { return r.notice }

// Done is closed when the recording has ended and the file is final: after
// Stop or Cancel, at MaxDuration, or when the microphone failed.
func (r *Recording) Done() <-chan struct{} { return r.done }

// Stop ends the recording, finalises the file and returns its duration.
// Calling it again returns the same. After a capture failure the file still
// holds what was recorded until then, and the error says what went wrong.
func (r *Recording) Stop() (time.Duration, error) {
	r.stopOnce.Do(func() {
		close(r.stop)
		// Capture.Close makes a pending read return; the encoder itself is
		// closed by run once it no longer reads.
		_ = r.capture.Close()
	})
	<-r.done
	return r.dur, r.err
}

// Cancel stops the recording and deletes the file.
func (r *Recording) Cancel() {
	_, _ = r.Stop()
	_ = os.Remove(r.path)
}

// noteWriter muxes Opus packets into an Ogg Opus file.
type noteWriter struct {
	ogg     *oggWriter
	granule int64 // samples in the packets written, pre-skip included
}

// newNoteWriter writes the two header pages.
func newNoteWriter(w io.Writer) (*noteWriter, error) {
	n := &noteWriter{ogg: newOggWriter(w, rand.Uint32())}
	for _, h := range [][]byte{opusHead(), opusTags()} {
		if err := n.ogg.add(h, 0); err != nil {
			return nil, err
		}
		if err := n.ogg.flush(0); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// write adds one packet; a full page goes out first.
func (n *noteWriter) write(packet []byte) error {
	samples := packetSamples(packet)
	if samples == 0 {
		return fmt.Errorf("recording: the encoder made a %d-byte packet with a bad TOC", len(packet))
	}
	if n.ogg.packets >= pagePackets {
		if err := n.ogg.flush(0); err != nil {
			return err
		}
	}
	if err := n.ogg.add(packet, n.granule+samples); err != nil {
		return err
	}
	n.granule += samples
	return nil
}

// finish writes the last page, trimmed to at most limit samples (pre-skip
// included) through its granule position, and returns the playable samples.
// The last page always carries a packet: a stream with none gets a silent one.
func (n *noteWriter) finish(limit int64) (int64, error) {
	if n.granule == 0 {
		if err := n.write(silentPacket); err != nil {
			return 0, err
		}
	}
	end := min(n.granule, max(limit, preSkip))
	n.ogg.granule = end
	if err := n.ogg.flush(flagEOS); err != nil {
		return 0, err
	}
	return end - preSkip, nil
}
