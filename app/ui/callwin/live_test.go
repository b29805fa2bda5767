package callwin

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"hearth/app/core/calls"
	"hearth/app/ui/uitest"
)

// View tests drive RefreshLive themselves: the window's own ticker must
// not queue UI work behind their backs.
func init() { LiveEvery = time.Hour }

func TestCallWindowShowsRemoteStateAndQuality(t *testing.T) {
	a := test.NewTempApp(t)
	q := uitest.NewQueue()
	c := &uitest.Call{CallID: "c1", Peer: "peer-bob"}
	cw := NewCallWindowDo(a, c, "Bob", "Connecting…", q.Do)
	defer cw.Close()
	cw.Win.Resize(cw.Win.Canvas().Size().Max(cw.Win.Content().MinSize()))

	cw.RefreshLive()
	if cw.CameraOff.Visible() || cw.MutedBadge.Visible() || cw.Timer.Text != "" || cw.Quality.Text != "" {
		t.Errorf("before media: camera-off %v, muted %v, timer %q, quality %q",
			cw.CameraOff.Visible(), cw.MutedBadge.Visible(), cw.Timer.Text, cw.Quality.Text)
	}

	c.SetLive(calls.Live{
		ConnectedAt: time.Now().Add(-65 * time.Second), RemoteMuted: true, RemoteCameraOff: true,
		Quality: calls.QualityFair, SendKbps: 300, LossPercent: 4, FPS: 15,
	})
	cw.RefreshLive()
	if !cw.CameraOff.Visible() || !uitest.HasText(cw.CameraOff, "Bob turned the camera off") {
		t.Errorf("camera off not shown: %q", uitest.Texts(cw.CameraOff))
	}
	if !cw.MutedBadge.Visible() || !uitest.HasText(cw.MutedBadge, "Bob is muted") {
		t.Errorf("mute not shown: %q", uitest.Texts(cw.MutedBadge))
	}
	if cw.Timer.Text != "1:05" {
		t.Errorf("timer %q", cw.Timer.Text)
	}
	if cw.Quality.Text != "Fair connection · 300 kbit/s · 4% loss · 15 fps" {
		t.Errorf("quality %q", cw.Quality.Text)
	}

	c.SetLive(calls.Live{ConnectedAt: time.Now(), Quality: calls.QualityGood, SendKbps: 1200, FPS: 30})
	cw.RefreshLive()
	if cw.CameraOff.Visible() || cw.MutedBadge.Visible() {
		t.Error("camera-off or muted still shown after the other side turned them back")
	}
}

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0:00", 9 * time.Second: "0:09", 61 * time.Second: "1:01", 3725 * time.Second: "1:02:05",
	} {
		if got := FormatDuration(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
