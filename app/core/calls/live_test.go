package calls

import (
	"testing"
	"time"

	"hearth/media/call"
)

func TestJudge(t *testing.T) {
	for _, c := range []struct {
		loss, kbps int
		fps        float64
		want       Quality
	}{
		{0, 1200, 30, QualityGood},
		{5, 1200, 30, QualityFair},
		{0, 300, 30, QualityFair},
		{0, 1200, 15, QualityFair},
		{12, 1200, 30, QualityPoor},
		{0, 150, 30, QualityPoor},
		{0, 1200, 4, QualityPoor},
	} {
		if got := judge(c.loss, c.kbps, c.fps); got != c.want {
			t.Errorf("judge(%d%%, %d kbit/s, %v fps) = %v, want %v", c.loss, c.kbps, c.fps, got, c.want)
		}
	}
}

func TestLiveFrom(t *testing.T) {
	t0 := time.Unix(100, 0)
	prev := call.Stats{ConnectedAt: t0, VideoFramesDecoded: 100}
	cur := call.Stats{ConnectedAt: t0, VideoFramesDecoded: 130, SendEstimate: 900_000, RemoteLoss: 1,
		Remote: call.RemoteState{Muted: true}}
	l := liveFrom(prev, cur, time.Second)
	if l.FPS != 30 || l.Quality != QualityGood || !l.RemoteMuted || l.RemoteCameraOff || l.SendKbps != 900 {
		t.Errorf("live %+v", l)
	}
	if l.Detail() != "900 kbit/s · 1% loss · 30 fps" {
		t.Errorf("detail %q", l.Detail())
	}
	// Camera off: no frames is no verdict on the link.
	cur.Remote.CameraOff, cur.VideoFramesDecoded = true, 100
	if l := liveFrom(prev, cur, time.Second); l.Quality != QualityGood {
		t.Errorf("camera off judged %v", l.Quality)
	}
	if l := liveFrom(call.Stats{}, call.Stats{}, 0); l.Quality != QualityUnknown || l.Detail() != "" {
		t.Errorf("before media: %+v", l)
	}
}

func TestRingerStartsOnceAndHalts(t *testing.T) {
	var r ringer
	plays, stops := 0, 0
	play := func() func() { plays++; return func() { stops++ } }
	r.start(play)
	r.start(play) // a second offer does not ring twice
	r.halt()
	r.halt()
	if plays != 1 || stops != 1 {
		t.Errorf("played %d, stopped %d", plays, stops)
	}
}
