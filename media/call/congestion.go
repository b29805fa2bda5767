package call

import (
	"fmt"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/interceptor/pkg/nack"
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
	minRate     = 150_000   // below this VP8 at 320x240@15 starves: frames are skipped, not sent
	maxRate     = 1_500_000 // 640x480@30 needs no more

	nackInterval = 20 * time.Millisecond
)

// newInterceptors registers, in order from the network up: GCC with its
// pacer, TWCC sequence numbers on every outgoing packet, then pion's
// defaults (NACK generator and responder, RTCP reports, stats, TWCC
// feedback for what we receive). onEstimator gets the call's estimator
// and the pacer whose rate the call sets.
func newInterceptors(me *webrtc.MediaEngine, onEstimator func(cc.BandwidthEstimator, *ownPacer)) (*interceptor.Registry, error) {
	ir := &interceptor.Registry{}
	var pacer *ownPacer // one PeerConnection per registry
	ccf, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		pacer = &ownPacer{LeakyBucketPacer: gcc.NewLeakyBucketPacer(initialRate)}
		return gcc.NewSendSideBWE(
			gcc.SendSideBWEInitialBitrate(initialRate),
			gcc.SendSideBWEMinBitrate(minRate),
			gcc.SendSideBWEMaxBitrate(maxRate),
			gcc.SendSideBWEPacer(pacer),
		)
	})
	if err != nil {
		return nil, fmt.Errorf("congestion controller: %w", err)
	}
	ccf.OnNewPeerConnection(func(_ string, e cc.BandwidthEstimator) { onEstimator(e, pacer) })
	ir.Add(ccf)
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(me, ir); err != nil {
		return nil, fmt.Errorf("twcc header extension: %w", err)
	}
	// NACKs every 20 ms rather than pion's 100: a lost packet stalls the
	// picture until its retransmission arrives, and that wait is detection
	// plus a round trip plus the pacer's queue.
	if err := webrtc.RegisterDefaultInterceptorsWithOptions(me, ir,
		webrtc.WithNackGeneratorOptions(nack.GeneratorInterval(nackInterval))); err != nil {
		return nil, fmt.Errorf("registering interceptors: %w", err)
	}
	return ir, nil
}

// ownPacer is pion's leaky-bucket pacer with its rate set by the call
// (lossTolerant), not by pion's combined estimate.
type ownPacer struct {
	*gcc.LeakyBucketPacer
}

// SetTargetBitrate ignores pion's own target; setRate sets ours.
func (p *ownPacer) SetTargetBitrate(int) {}

func (p *ownPacer) setRate(bps int) { p.LeakyBucketPacer.SetTargetBitrate(bps) }

// Pion's loss-based controller clamps itself to the delay-based estimate
// whenever it is asked and climbs again only below 2% loss: on a link with
// steady random loss of 2-10% (Wi-Fi) every dip of the delay estimate is
// kept for good, and a call at 5% loss ends at the minimum. lossTolerant
// keeps its own loss-based limit instead, with the same rules (climb 5%
// per 200 ms below 2% loss, hold up to 10%, above that cut by half the
// loss) but never ratcheted by the delay estimate, and takes the smaller
// of the two.
const (
	ccTick           = 200 * time.Millisecond
	lossClimbBelow   = 0.02
	lossCutAbove     = 0.10
	lossClimbFactor  = 1.05
	lossHeadroomOver = 1.5 // the loss limit climbs no further above the delay estimate
)

type lossTolerant struct {
	lossLimit int
}

// next returns the target for a delay-based estimate and an average loss.
func (l *lossTolerant) next(delay int, loss float64) int {
	if l.lossLimit == 0 {
		l.lossLimit = initialRate
	}
	switch {
	case loss < lossClimbBelow:
		l.lossLimit = min(int(float64(l.lossLimit)*lossClimbFactor), int(lossHeadroomOver*float64(max(delay, minRate))), maxRate)
	case loss > lossCutAbove:
		l.lossLimit = int(float64(l.lossLimit) * (1 - 0.5*loss))
	}
	l.lossLimit = max(l.lossLimit, minRate)
	return min(max(delay, minRate), l.lossLimit, maxRate)
}

// followEstimate makes rate and the pacer follow the estimator until stop
// closes.
func followEstimate(e cc.BandwidthEstimator, pacer *ownPacer, rate *device.Rate, stop <-chan struct{}) {
	var lt lossTolerant
	t := time.NewTicker(ccTick)
	defer t.Stop()
	for {
		st := e.GetStats()
		delay, _ := st["delayTargetBitrate"].(int)
		loss, _ := st["averageLoss"].(float64)
		if delay <= 0 {
			delay = e.GetTargetBitrate()
		}
		target := lt.next(delay, loss)
		rate.Set(target)
		if pacer != nil {
			pacer.setRate(target)
		}
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}
