package device

import (
	"image"
	"testing"
	"time"
)

func TestRateLadder(t *testing.T) {
	now := time.Unix(0, 0)
	r := NewRate(1_000_000)
	r.now = func() time.Time { return now }
	if g := r.Rung(); g.Width != 640 || g.FrameRate != 30 {
		t.Fatalf("at 1 Mbit/s: %+v", g)
	}
	// Down at once, as far as needed.
	r.Set(150_000)
	if g := r.Rung(); g.Width != 320 || g.FrameRate != 15 {
		t.Errorf("at 150 kbit/s: %+v", g)
	}
	if a, _ := r.Audio(); a != 24_000 {
		t.Errorf("audio at 150 kbit/s: %d", a)
	}
	// Up one rung at a time, only after the rate has held for stepUpAfter.
	r.Set(2_000_000)
	if g := r.Rung(); g.FrameRate != 15 {
		t.Errorf("climbed at once: %+v", g)
	}
	for i := 0; i < 35; i++ { // the estimate arrives every 200 ms
		now = now.Add(200 * time.Millisecond)
		r.Set(2_000_000)
	}
	if g := r.Rung(); g.Width != 480 {
		t.Errorf("after 7 s: %+v, want two rungs up", g)
	}
	for i := 0; i < 20; i++ {
		now = now.Add(200 * time.Millisecond)
		r.Set(2_000_000)
	}
	if g := r.Rung(); g.Width != 640 {
		t.Errorf("after 11 s: %+v", g)
	}
	if v := r.Video(); v > maxVideoRate || v < 1_000_000 {
		t.Errorf("video rate %d at 2 Mbit/s", v)
	}
	r.Set(1)
	if v := r.Video(); v != minVideoRate {
		t.Errorf("video rate %d at 1 bit/s, want the floor", v)
	}
	r.SetLoss(250)
	if _, l := r.Audio(); l != 100 {
		t.Errorf("loss %d, want clamped to 100", l)
	}
}

func TestScaleI420(t *testing.T) {
	src := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			src.Y[y*src.YStride+x] = byte(x * 255 / 639) // a left-to-right ramp
		}
	}
	for i := range src.Cb {
		src.Cb[i], src.Cr[i] = 90, 200
	}
	for _, sz := range [][2]int{{480, 360}, {320, 240}} {
		dst := scaleI420(nil, src, sz[0], sz[1])
		if dst.Rect.Dx() != sz[0] || dst.Rect.Dy() != sz[1] {
			t.Fatalf("size %v", dst.Rect)
		}
		row := dst.Y[(sz[1]/2)*dst.YStride : (sz[1]/2)*dst.YStride+sz[0]]
		for x := 1; x < len(row); x++ {
			if row[x] < row[x-1] {
				t.Fatalf("%v: the ramp is not monotonic at %d: %d < %d", sz, x, row[x], row[x-1])
			}
		}
		if row[0] > 3 || row[len(row)-1] < 252 {
			t.Errorf("%v: ramp ends %d..%d", sz, row[0], row[len(row)-1])
		}
		if dst.Cb[0] != 90 || dst.Cr[len(dst.Cr)-1] != 200 {
			t.Errorf("%v: chroma changed", sz)
		}
	}
}
