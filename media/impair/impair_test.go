package impair

import (
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

// newLab builds a lab or, without root, skips; in CI (CI=true) a missing
// privilege fails instead: nothing may be skipped silently there.
func newLab(t *testing.T) *Lab {
	t.Helper()
	l, err := NewLab()
	if errors.Is(err, ErrNotPermitted) {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI must run this as root: %v", err)
		}
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return l
}

func startSession(t *testing.T, seed uint64, c Condition) *Session {
	t.Helper()
	newLab(t).Close() // the skip and CI rules, once
	s, err := Start(seed, c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	if err := s.WaitMedia(30 * time.Second); err != nil {
		t.Fatal(err)
	}
	return s
}

const offer = "v=0\r\no=- 1 2 IN IP4 0.0.0.0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n" +
	"a=candidate:1 1 udp 2130706431 10.9.1.1 40000 typ host\r\n" +
	"a=candidate:2 1 udp 2130706431 127.0.0.1 40001 typ host\r\n" +
	"a=candidate:3 1 tcp 1671430143 10.9.1.1 9 typ host tcptype active\r\n" +
	"a=end-of-candidates\r\n"

func TestRewrite(t *testing.T) {
	via := &net.UDPAddr{IP: net.ParseIP("10.9.2.2"), Port: 5000}
	sdp, real, err := Rewrite(offer, "10.9.1.1", via)
	if err != nil {
		t.Fatal(err)
	}
	if real.String() != "10.9.1.1:40000" {
		t.Errorf("real address %v", real)
	}
	if strings.Count(sdp, "a=candidate:") != 1 || !strings.Contains(sdp, "a=candidate:1 1 udp 2130706431 10.9.2.2 5000 typ host") {
		t.Errorf("rewritten sdp:\n%s", sdp)
	}
	if _, _, err := Rewrite(offer, "10.9.9.9", via); err == nil {
		t.Error("an sdp without the endpoint's candidate was accepted")
	}
	if _, _, err := Rewrite("a=candidate:1 1 udp 1 10.9.1.1 notaport typ host", "10.9.1.1", via); err == nil {
		t.Error("a bad port was accepted")
	}
}

// udpIn opens a UDP socket at ip inside ns.
func udpIn(t *testing.T, ns Namespace, ip string) *net.UDPConn {
	t.Helper()
	var c *net.UDPConn
	if err := ns.Do(func() error {
		var err error
		c, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(ip)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestRelay sends numbered packets from A to B through the relay: loss
// drops about the share asked for (the relay's random draws are seeded),
// jitter reorders, and a plain delay keeps the order.
func TestRelay(t *testing.T) {
	l := newLab(t)
	r, err := l.NewRelay(7)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	a, b := udpIn(t, l.A, l.AddrA), udpIn(t, l.B, l.AddrB)
	r.SetPeers(a.LocalAddr().(*net.UDPAddr), b.LocalAddr().(*net.UDPAddr))

	send := func(cond Conditions, n int) (got []int) {
		r.Set(cond, cond)
		done := make(chan []int)
		go func() { // read while sending: the socket's buffer is small
			var got []int
			buf := make([]byte, 16)
			b.SetReadDeadline(time.Now().Add(10 * time.Second))
			for {
				k, _, err := b.ReadFromUDP(buf)
				if err != nil || k != 2 {
					done <- got
					return
				}
				if v := int(buf[0])<<8 | int(buf[1]); v == 0xffff {
					done <- got
					return
				} else {
					got = append(got, v)
				}
			}
		}()
		for i := 0; i < n; i++ {
			if _, err := a.WriteToUDP([]byte{byte(i >> 8), byte(i)}, r.AddrA()); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Microsecond)
		}
		// The end marker goes after everything is delivered, lossless.
		time.Sleep(cond.Delay + cond.Jitter + 200*time.Millisecond)
		r.Set(Conditions{}, Conditions{})
		a.WriteToUDP([]byte{0xff, 0xff}, r.AddrA())
		return <-done
	}
	inversions := func(got []int) int {
		n := 0
		for i := 1; i < len(got); i++ {
			if got[i] < got[i-1] {
				n++
			}
		}
		return n
	}

	got := send(Conditions{Delay: 20 * time.Millisecond}, 500)
	if len(got) != 500 || inversions(got) != 0 {
		t.Errorf("plain delay: %d of 500 arrived, %d out of order", len(got), inversions(got))
	}
	got = send(Conditions{Loss: 0.1}, 1000)
	if len(got) < 850 || len(got) > 950 {
		t.Errorf("10%% loss: %d of 1000 arrived", len(got))
	}
	got = send(Conditions{Delay: 30 * time.Millisecond, Jitter: 10 * time.Millisecond}, 500)
	if len(got) != 500 || inversions(got) == 0 {
		t.Errorf("jitter: %d of 500 arrived, %d out of order (want some)", len(got), inversions(got))
	}
	if p, _ := r.Counts(0); p != 2003 {
		t.Errorf("relay counted %d packets from A, sent 2003", p)
	}
}

// TestCapSettles: under a 300 kbit/s uplink cap, what a side sends
// settles under the cap (with room: the assertion is about a call that
// listens to the link, not about how fast it does).
func TestCapSettles(t *testing.T) {
	s := startSession(t, 1, Cap300k)
	r, err := s.Run(Cap300k, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("cap 300 kbit/s: %v", r)
	if r.LastKbps > 1.5*300 {
		t.Errorf("sending %.0f kbit/s over the last 3 s into a 300 kbit/s uplink", r.LastKbps)
	}
	if r.FPS == 0 {
		t.Error("no frame decoded under the cap")
	}
}

// TestStepKeepsDecoding: a clean call whose link drops to 300 kbit/s
// keeps showing pictures.
func TestStepKeepsDecoding(t *testing.T) {
	c := Step300k
	c.StepAfter = 3 * time.Second
	s := startSession(t, 2, c)
	r, err := s.Run(c, 15*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("step to 300 kbit/s: %v", r)
	if r.LastKbps > 1.5*300 {
		t.Errorf("sending %.0f kbit/s over the last 3 s into a 300 kbit/s uplink", r.LastKbps)
	}
	// At least one a second: the figure itself (≥ 15 fps) is make bench's
	// to report; under -race on a busy machine the encoders are slow.
	now := time.Now()
	if n := s.AtB.Frames(now.Add(-5*time.Second), now); n < 5 {
		t.Errorf("%d frames decoded in the last 5 s after the step", n)
	}
}
