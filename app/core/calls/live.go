package calls

import (
	"fmt"
	"time"

	"hearth/media/call"
)

// Quality is a one-word verdict on the connection, from live stats.
type Quality int

const (
	QualityUnknown Quality = iota // no media yet
	QualityGood
	QualityFair
	QualityPoor
)

func (q Quality) String() string {
	switch q {
	case QualityGood:
		return "Good connection"
	case QualityFair:
		return "Fair connection"
	case QualityPoor:
		return "Poor connection"
	default:
		return ""
	}
}

// Live is what the call window shows beside the picture; it reads it
// about once a second.
type Live struct {
	ConnectedAt     time.Time // zero until media flows
	RemoteMuted     bool
	RemoteCameraOff bool
	Quality         Quality
	SendKbps        int     // what congestion control lets me send
	LossPercent     int     // of my packets, as the other side reports
	FPS             float64 // remote frames decoded per second since the last read
}

// Detail is the line under the verdict: the figures it rests on.
func (l Live) Detail() string {
	if l.Quality == QualityUnknown {
		return ""
	}
	return fmt.Sprintf("%d kbit/s · %d%% loss · %.0f fps", l.SendKbps, l.LossPercent, l.FPS)
}

// judge turns live figures into a verdict. Thresholds: loss above 10%, a
// link under 200 kbit/s or fewer than 10 fps is poor (speech still
// works, the picture stutters); above 3%, under 500 kbit/s or under 20
// fps is fair.
func judge(lossPercent, sendKbps int, fps float64) Quality {
	switch {
	case lossPercent > 10 || sendKbps < 200 || fps < 10:
		return QualityPoor
	case lossPercent > 3 || sendKbps < 500 || fps < 20:
		return QualityFair
	default:
		return QualityGood
	}
}

// liveFrom computes Live from two snapshots of a call's stats taken dt
// apart (prev may be zero: then there is no frame rate yet).
func liveFrom(prev, cur call.Stats, dt time.Duration) Live {
	l := Live{
		ConnectedAt:     cur.ConnectedAt,
		RemoteMuted:     cur.Remote.Muted,
		RemoteCameraOff: cur.Remote.CameraOff,
		SendKbps:        cur.SendEstimate / 1000,
		LossPercent:     cur.RemoteLoss,
	}
	if cur.ConnectedAt.IsZero() || prev.ConnectedAt.IsZero() || dt <= 0 {
		return l
	}
	l.FPS = float64(cur.VideoFramesDecoded-prev.VideoFramesDecoded) / dt.Seconds()
	fps := l.FPS
	if cur.Remote.CameraOff {
		fps = 30 // a black picture says nothing about the link
	}
	l.Quality = judge(l.LossPercent, l.SendKbps, fps)
	return l
}
