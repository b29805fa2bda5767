package call

import (
	"syscall"
	"testing"
	"time"
)

// BenchmarkCallSetup measures Dial → first remote video frame decoded by
// the caller, both sides in this process on loopback, 640x480@30.
func BenchmarkCallSetup(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		p := newPair(b, 640, 480)
		waitFor(b, "first frame", func() bool { return !p.caller.Stats().FirstFrameAt.IsZero() })
		s := p.caller.Stats()
		total += s.FirstFrameAt.Sub(s.StartedAt)
		p.close()
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-frame")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCallCPU runs a 640x480@30 call for five seconds once media flows
// and reports the CPU of one side as a share of one core: the process holds
// both sides (each capturing, encoding, sending, receiving and decoding), so
// the process's CPU time is halved.
func BenchmarkCallCPU(b *testing.B) {
	for i := 0; i < b.N; i++ {
		p := newPair(b, 640, 480)
		waitFor(b, "media", func() bool { return p.callee.Stats().VideoFramesDecoded > 10 })
		f0 := p.callee.Stats().VideoFramesDecoded
		start, cpu0 := time.Now(), processCPU()
		time.Sleep(5 * time.Second)
		wall, cpu := time.Since(start), processCPU()-cpu0
		fps := float64(p.callee.Stats().VideoFramesDecoded-f0) / wall.Seconds()
		p.close()
		b.ReportMetric(100*cpu.Seconds()/wall.Seconds()/2, "%core/side")
		b.ReportMetric(fps, "fps-received")
	}
}
