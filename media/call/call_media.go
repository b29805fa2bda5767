package call

import (
	"fmt"
	"image"
	"strings"

	"github.com/pion/rtcp"
	"github.com/pion/webrtc/v4"
)

// addTracks adds the capture's tracks and reads the audio sender's RTCP:
// the loss the other side reports sizes Opus's in-band FEC. (The video
// sender's RTCP is read by mediadevices for key-frame requests.)
func (c *Call) addTracks() error {
	if _, err := c.pc.AddTrack(c.capture.Video); err != nil {
		return fmt.Errorf("adding video track: %w", err)
	}
	audio, err := c.pc.AddTrack(c.capture.Audio)
	if err != nil {
		return fmt.Errorf("adding audio track: %w", err)
	}
	c.media.Add(1)
	go func() {
		defer c.media.Done()
		for {
			pkts, _, err := audio.ReadRTCP()
			if err != nil {
				return
			}
			for _, p := range pkts {
				var reports []rtcp.ReceptionReport
				switch r := p.(type) {
				case *rtcp.ReceiverReport:
					reports = r.Reports
				case *rtcp.SenderReport: // a side that sends reports reception in its SR
					reports = r.Reports
				}
				for _, r := range reports {
					c.rate.SetLoss(int(r.FractionLost) * 100 / 256)
				}
			}
		}
	}()
	return nil
}

func (c *Call) onTrack(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	c.mu.Lock()
	if c.ended {
		c.mu.Unlock()
		return
	}
	c.media.Add(1)
	c.mu.Unlock()
	defer c.media.Done()
	switch {
	case strings.EqualFold(tr.Codec().MimeType, webrtc.MimeTypeVP8):
		c.receiveVideo(tr)
	case strings.EqualFold(tr.Codec().MimeType, webrtc.MimeTypeOpus):
		c.receiveAudio(tr)
	default:
		for { // not ours to decode: drain until the call ends
			if _, _, err := tr.ReadRTP(); err != nil {
				return
			}
		}
	}
}

func (c *Call) runPreview(r interface {
	Read() (image.Image, func(), error)
}) {
	defer c.preview.Done()
	for {
		img, release, err := r.Read()
		if err != nil {
			return
		}
		select {
		case <-c.done:
			release()
			return
		default:
		}
		c.mu.Lock()
		ended := c.ended
		c.mu.Unlock()
		if ended {
			release()
			// Keep reading until the capture closes: returning now could
			// leave the preview's reader holding mediadevices' ring.
			continue
		}
		out := cloneImage(img)
		release()
		c.cfg.OnLocalVideo(out)
	}
}

// cloneImage copies a frame the source may reuse.
func cloneImage(img image.Image) image.Image {
	y, ok := img.(*image.YCbCr)
	if !ok {
		return img
	}
	out := &image.YCbCr{
		Y:              append([]byte(nil), y.Y...),
		Cb:             append([]byte(nil), y.Cb...),
		Cr:             append([]byte(nil), y.Cr...),
		YStride:        y.YStride,
		CStride:        y.CStride,
		SubsampleRatio: y.SubsampleRatio,
		Rect:           y.Rect,
	}
	return out
}
