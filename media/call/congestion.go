package call

import (
	"fmt"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/webrtc/v4"

	"hearth/media/device"
)

// Congestion control. Every packet sent carries a transport-wide sequence
// number (the TWCC header extension, audio and video); the other side
// reports their arrival times; pion's GCC turns those reports into an
// estimate of what the path carries and paces every packet sent to it,
// retransmissions included (they go through the same pacer, so a lossy
// slow link no longer multiplies its own load). The estimate drives the
// encoders through a device.Rate: the VP8 bit rate, the resolution and
// frame-rate ladder, the Opus bit rate.
const (
	initialRate = 800_000   // what a fresh call assumes before any report
	minRate     = 80_000    // below this a call is audio and a still picture anyway
	maxRate     = 1_500_000 // 640x480@30 needs no more
)

// newInterceptors registers, in order from the network up: GCC with its
// pacer, TWCC sequence numbers on every outgoing packet, then pion's
// defaults (NACK generator and responder, RTCP reports, stats, TWCC
// feedback for what we receive). onEstimator gets the call's estimator.
func newInterceptors(me *webrtc.MediaEngine, onEstimator func(cc.BandwidthEstimator)) (*interceptor.Registry, error) {
	ir := &interceptor.Registry{}
	ccf, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		return gcc.NewSendSideBWE(
			gcc.SendSideBWEInitialBitrate(initialRate),
			gcc.SendSideBWEMinBitrate(minRate),
			gcc.SendSideBWEMaxBitrate(maxRate),
		)
	})
	if err != nil {
		return nil, fmt.Errorf("congestion controller: %w", err)
	}
	ccf.OnNewPeerConnection(func(_ string, e cc.BandwidthEstimator) { onEstimator(e) })
	ir.Add(ccf)
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(me, ir); err != nil {
		return nil, fmt.Errorf("twcc header extension: %w", err)
	}
	if err := webrtc.RegisterDefaultInterceptors(me, ir); err != nil {
		return nil, fmt.Errorf("registering interceptors: %w", err)
	}
	return ir, nil
}

// followEstimate makes rate follow the estimator for the rest of the call.
func followEstimate(e cc.BandwidthEstimator, rate *device.Rate) {
	rate.Set(e.GetTargetBitrate())
	e.OnTargetBitrateChange(rate.Set)
}
