package call

import (
	"sync"
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

// receiveAudio puts each Opus packet into the jitter buffer, and a 20 ms
// clock plays out of it: decoded, rebuilt from FEC, or concealed.
func (c *Call) receiveAudio(tr *webrtc.TrackRemote) {
	dec, err := device.NewOpusDecoder(1)
	if err != nil {
		c.drain(tr)
		return
	}
	defer dec.Close()
	var mu sync.Mutex // guards jb
	jb := newJitterBuffer()
	stop := make(chan struct{})
	played := make(chan struct{})
	go func() {
		defer close(played)
		c.playAudio(dec, jb, &mu, stop)
	}()
	defer func() {
		close(stop)
		<-played
	}()
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		if len(pkt.Payload) == 0 || len(pkt.Payload) > device.MaxOpusPacketSize {
			continue
		}
		mu.Lock()
		ok := jb.push(pkt.SequenceNumber, pkt.Timestamp, pkt.Payload, time.Now())
		mu.Unlock()
		c.smu.Lock()
		c.stats.AudioPackets++
		if !ok {
			c.stats.AudioLate++
		}
		c.smu.Unlock()
	}
}

// playAudio pops the jitter buffer every 20 ms until stop closes.
func (c *Call) playAudio(dec *device.OpusDecoder, jb *jitterBuffer, mu *sync.Mutex, stop <-chan struct{}) {
	tick := time.NewTicker(frameDur)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		mu.Lock()
		act, payload := jb.pop()
		target, underruns := jb.target, jb.underruns
		mu.Unlock()
		var pcm []int16
		var err error
		switch act {
		case jbWait:
			continue
		case jbPlay:
			pcm, err = dec.Decode(payload)
		case jbFEC:
			pcm, err = dec.DecodeFEC(payload)
		case jbConceal:
			pcm, err = dec.Decode(nil)
		}
		c.smu.Lock()
		switch {
		case err != nil:
			c.stats.AudioDecodeErrors++
		case act == jbFEC:
			c.stats.AudioRecovered++
		case act == jbConceal:
			c.stats.AudioConcealed++
		}
		c.stats.AudioJitterTarget, c.stats.AudioUnderruns = target, underruns
		c.smu.Unlock()
		if err == nil {
			c.deliverAudio(pcm)
		}
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
		c.capture.Playback(pcm) // what the echo canceller must take out of the microphone
	}
}

func (c *Call) drain(tr *webrtc.TrackRemote) {
	for {
		if _, _, err := tr.ReadRTP(); err != nil {
			return
		}
	}
}
