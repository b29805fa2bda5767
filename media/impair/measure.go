package impair

import (
	"fmt"
	"time"
)

// Condition is one link the bench and the tests put a call through.
type Condition struct {
	Name string
	Link Conditions // both directions
	Cap  int        // uplink cap in bit/s each way; 0: none
	// StepAfter, when positive, starts the call clean and applies the cap
	// (and Link) only after this long.
	StepAfter time.Duration
}

// Conditions from issue 12.
var (
	Clean         = Condition{Name: "clean"}
	Delay50       = Condition{Name: "50 ms each way", Link: Conditions{Delay: 50 * time.Millisecond}}
	Loss2         = Condition{Name: "2% loss", Link: Conditions{Loss: 0.02}}
	Loss5         = Condition{Name: "5% loss", Link: Conditions{Loss: 0.05}}
	Loss5Delay    = Condition{Name: "5% loss, 50 ms each way", Link: Conditions{Delay: 50 * time.Millisecond, Loss: 0.05}}
	Jitter        = Condition{Name: "100±30 ms jitter, reordering", Link: Conditions{Delay: 100 * time.Millisecond, Jitter: 30 * time.Millisecond}}
	Cap1M         = Condition{Name: "cap 1 Mbit/s", Cap: 1_000_000}
	Cap300k       = Condition{Name: "cap 300 kbit/s", Cap: 300_000}
	Step300k      = Condition{Name: "step clean → 300 kbit/s", Cap: 300_000, StepAfter: 5 * time.Second}
	AllConditions = []Condition{Clean, Delay50, Loss2, Loss5, Loss5Delay, Jitter, Cap1M, Cap300k, Step300k}
)

// Result is what one run measured, for the A → B direction (B decodes
// what A sends), over the run after the step when there is one.
type Result struct {
	FPS         float64 // frames decoded per second at B
	FrozenShare float64 // share of the time B's picture stood still > FreezeGap
	Freezes     int
	SendKbps    float64 // what A offered its uplink (media, retransmissions, RTCP)
	LastKbps    float64 // the same over the last 3 s
	Width       int     // width of B's last decoded frame
	// SettledAfter is, for a capped run, how long after the cap A's send
	// rate over one second first stayed ≤ 1.1× the cap for the rest of
	// the run; -1 when it never did.
	SettledAfter time.Duration
	AudioShare   float64 // audio decoded at B / audio time elapsed (DTX sends nothing in silence)
	AudioLate    float64 // share of B's audio packets dropped as too late
	AudioLost    float64 // share of 20 ms frames B had to conceal or recover
	AudioFEC     float64 // share of those it recovered from FEC
}

func (r Result) String() string {
	s := fmt.Sprintf("%.1f fps, frozen %.0f%% (%d), sent %.0f kbit/s (last 3 s %.0f), %d px wide, audio %.0f%% (late %.0f%%, lost %.1f%%, FEC %.0f%% of lost)",
		r.FPS, 100*r.FrozenShare, r.Freezes, r.SendKbps, r.LastKbps, r.Width, 100*r.AudioShare, 100*r.AudioLate, 100*r.AudioLost, 100*r.AudioFEC)
	switch {
	case r.SettledAfter > 0:
		s += fmt.Sprintf(", settled after %v", r.SettledAfter.Round(100*time.Millisecond))
	case r.SettledAfter < 0:
		s += ", never settled"
	}
	return s
}

// Run applies c to a session whose media already flows (Start applied
// it already unless c is a step), keeps it for d (after the step, if any)
// and measures.
func (s *Session) Run(c Condition, d time.Duration) (Result, error) {
	apply := func() error {
		s.Relay.Set(c.Link, c.Link)
		return s.Lab.SetCap(c.Cap)
	}
	if c.StepAfter > 0 {
		s.Relay.Set(Conditions{}, Conditions{})
		if err := s.Lab.SetCap(0); err != nil {
			return Result{}, err
		}
		time.Sleep(c.StepAfter)
	}
	if err := apply(); err != nil {
		return Result{}, err
	}
	start := time.Now()
	audio0 := s.AtB.AudioSamples()
	st0 := s.Callee.Stats()
	type sample struct {
		t     time.Time
		bytes int64
	}
	samples := []sample{{start, s.NetA.SentBytes()}}
	for time.Since(start) < d {
		time.Sleep(250 * time.Millisecond)
		samples = append(samples, sample{time.Now(), s.NetA.SentBytes()})
	}
	end := samples[len(samples)-1].t
	rate := func(a, b sample) float64 {
		return float64(b.bytes-a.bytes) * 8 / 1000 / b.t.Sub(a.t).Seconds()
	}
	r := Result{
		FPS:        float64(s.AtB.Frames(start, end)) / end.Sub(start).Seconds(),
		SendKbps:   rate(samples[0], samples[len(samples)-1]),
		Width:      s.AtB.LastWidth(),
		AudioShare: float64(s.AtB.AudioSamples()-audio0) / 48000 / end.Sub(start).Seconds(),
	}
	st := s.Callee.Stats()
	if pk := st.AudioPackets - st0.AudioPackets; pk > 0 {
		r.AudioLate = float64(st.AudioLate-st0.AudioLate) / float64(pk)
		lost := st.AudioConcealed - st0.AudioConcealed + st.AudioRecovered - st0.AudioRecovered
		r.AudioLost = float64(lost) / float64(pk+lost)
		if lost > 0 {
			r.AudioFEC = float64(st.AudioRecovered-st0.AudioRecovered) / float64(lost)
		}
	}
	frozen, n := s.AtB.Frozen(start, end)
	r.FrozenShare, r.Freezes = frozen.Seconds()/end.Sub(start).Seconds(), n
	for i := len(samples) - 1; i >= 0; i-- {
		if end.Sub(samples[i].t) >= 3*time.Second {
			r.LastKbps = rate(samples[i], samples[len(samples)-1])
			break
		}
	}
	if c.Cap > 0 {
		r.SettledAfter = -1
		limit := 1.1 * float64(c.Cap) / 1000
		// One-second windows, 250 ms apart; the last one above the limit
		// decides.
		for i := len(samples) - 1; i >= 4; i-- {
			if rate(samples[i-4], samples[i]) > limit {
				if i < len(samples)-1 {
					r.SettledAfter = samples[i].t.Sub(start)
				}
				break
			}
			if i == 4 {
				r.SettledAfter = samples[4].t.Sub(start)
			}
		}
	}
	return r, nil
}
