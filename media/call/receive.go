package call

import (
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"

	"hearth/media/device"
)

// receiveVideo reassembles VP8 frames, decodes them and hands them on. It
// waits for a key frame at the start and after any loss, asking for one
// with a PLI, so that it never shows a picture built on a missing reference.
func (c *Call) receiveVideo(tr *webrtc.TrackRemote) {
	dec, err := device.NewVP8Decoder()
	if err != nil {
		c.drain(tr)
		return
	}
	defer dec.Close()
	sb := samplebuilder.New(256, &codecs.VP8Packet{}, tr.Codec().ClockRate,
		samplebuilder.WithMaxTimeDelay(time.Second))
	var lastPLI time.Time
	requestKeyFrame := func() {
		if time.Since(lastPLI) < keyFrameRequestGap {
			return
		}
		lastPLI = time.Now()
		if err := c.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(tr.SSRC())}}); err == nil {
			c.smu.Lock()
			c.stats.KeyFrameRequests++
			c.smu.Unlock()
		}
	}
	needKey := true
	requestKeyFrame()
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		sb.Push(pkt)
		for s := sb.Pop(); s != nil; s = sb.Pop() {
			if s.PrevDroppedPackets > 0 {
				needKey = true
			}
			if needKey && !device.IsVP8KeyFrame(s.Data) {
				requestKeyFrame()
				continue
			}
			img, err := dec.Decode(s.Data)
			if err != nil {
				c.smu.Lock()
				c.stats.VideoDecodeErrors++
				c.smu.Unlock()
				needKey = true
				requestKeyFrame()
				continue
			}
			needKey = false
			if img == nil {
				continue
			}
			c.smu.Lock()
			if c.stats.FirstFrameAt.IsZero() {
				c.stats.FirstFrameAt = time.Now()
			}
			c.stats.VideoFramesDecoded++
			c.stats.VideoWidth, c.stats.VideoHeight = img.Rect.Dx(), img.Rect.Dy()
			c.smu.Unlock()
			if c.cfg.OnRemoteVideo != nil {
				c.cfg.OnRemoteVideo(img)
			}
		}
	}
}

// receiveAudio decodes each Opus packet to 48 kHz mono, conceals short
// losses, and feeds the callback and the speaker.
func (c *Call) receiveAudio(tr *webrtc.TrackRemote) {
	dec, err := device.NewOpusDecoder(1)
	if err != nil {
		c.drain(tr)
		return
	}
	defer dec.Close()
	var last uint16
	started := false
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		if len(pkt.Payload) == 0 {
			continue
		}
		c.smu.Lock()
		c.stats.AudioPackets++
		c.smu.Unlock()
		if started {
			gap := pkt.SequenceNumber - last
			if gap == 0 || gap > 0x8000 {
				c.smu.Lock()
				c.stats.AudioLate++
				c.smu.Unlock()
				continue // duplicate or late: already concealed
			}
			for lost := min(int(gap)-1, 5); lost > 0; lost-- {
				if pcm, err := dec.Decode(nil); err == nil {
					c.smu.Lock()
					c.stats.AudioConcealed++
					c.smu.Unlock()
					c.deliverAudio(pcm)
				}
			}
		}
		started, last = true, pkt.SequenceNumber
		pcm, err := dec.Decode(pkt.Payload)
		if err != nil {
			c.smu.Lock()
			c.stats.AudioDecodeErrors++
			c.smu.Unlock()
			continue
		}
		c.deliverAudio(pcm)
	}
}

func (c *Call) deliverAudio(pcm []int16) {
	c.smu.Lock()
	if c.stats.FirstAudioAt.IsZero() {
		c.stats.FirstAudioAt = time.Now()
	}
	c.stats.AudioSamplesDecoded += int64(len(pcm))
	c.smu.Unlock()
	if c.cfg.OnRemoteAudio != nil {
		c.cfg.OnRemoteAudio(pcm)
	}
	if c.speaker != nil {
		c.speaker.Write(pcm)
	}
}

func (c *Call) drain(tr *webrtc.TrackRemote) {
	for {
		if _, _, err := tr.ReadRTP(); err != nil {
			return
		}
	}
}
