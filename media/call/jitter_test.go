package call

import (
	"testing"
	"time"
)

// feed pushes packets seqs (sent 20 ms apart from t0) arriving after the
// given delays, then pops n times; it returns the actions.
func playOut(j *jitterBuffer, n int) []jbAction {
	var out []jbAction
	for i := 0; i < n; i++ {
		a, _ := j.pop()
		out = append(out, a)
	}
	return out
}

func count(acts []jbAction, a jbAction) int {
	n := 0
	for _, x := range acts {
		if x == a {
			n++
		}
	}
	return n
}

type arrival struct {
	seq uint16
	at  time.Duration // after the first packet was sent
}

// simulate runs a 20 ms playout clock for ticks, pushing each packet
// (sent at seq×20 ms) when its arrival time has come.
func simulate(j *jitterBuffer, arrivals []arrival, ticks int) (acts []jbAction, played []byte) {
	t0 := time.Unix(1000, 0)
	k := 0
	for tick := 0; tick < ticks; tick++ {
		now := time.Duration(tick) * frameDur
		for k < len(arrivals) && arrivals[k].at <= now {
			a := arrivals[k]
			j.push(a.seq, uint32(a.seq)*frameTS, []byte{byte(a.seq)}, t0.Add(a.at))
			k++
		}
		a, p := j.pop()
		acts = append(acts, a)
		if a == jbPlay {
			played = append(played, p[0])
		}
	}
	return acts, played
}

func TestJitterBufferReorders(t *testing.T) {
	j := newJitterBuffer()
	// 0..9, 5 ms after sending; 3 overtakes 2.
	var arr []arrival
	for _, s := range []uint16{0, 1, 3, 2, 4, 5, 6, 7, 8, 9} {
		arr = append(arr, arrival{s, time.Duration(s)*frameDur + 5*time.Millisecond})
	}
	arr[2].at = arr[3].at - time.Millisecond
	_, played := simulate(j, arr, 20)
	if string(played) != "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09" {
		t.Errorf("played %v", played)
	}
	t0 := time.Unix(1000, 0)
	if j.push(3, 3*frameTS, []byte{3}, t0) {
		t.Error("a packet already played was not refused as late")
	}
	if j.late != 1 {
		t.Errorf("late = %d", j.late)
	}
}

func TestJitterBufferFECAndConceal(t *testing.T) {
	j := newJitterBuffer()
	// 2 is lost (3 is here: FEC); 5 and 6 are lost (7 is here: 5
	// concealed, 6 from FEC). The rest arrive 5 ms after sending, 7
	// early enough to be held when 6 is due.
	var arr []arrival
	for _, s := range []uint16{0, 1, 3, 4, 7, 8, 9} {
		arr = append(arr, arrival{s, time.Duration(s)*frameDur + 5*time.Millisecond})
	}
	acts, _ := simulate(j, arr, 20)
	want := []jbAction{jbPlay, jbPlay, jbFEC, jbPlay, jbPlay, jbConceal, jbFEC, jbPlay, jbPlay, jbPlay}
	var got []jbAction
	for _, a := range acts {
		if a != jbWait {
			got = append(got, a)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("actions %v, want %v (waits aside)", acts, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("actions %v, want %v (waits aside)", acts, want)
		}
	}
	if j.recovered != 2 || j.concealed != 1 {
		t.Errorf("recovered %d, concealed %d", j.recovered, j.concealed)
	}
}

// The target delay follows the jitter: steady arrivals keep it small,
// ±30 ms arrivals raise it to about the spread.
func TestJitterBufferTarget(t *testing.T) {
	steady, jittery := newJitterBuffer(), newJitterBuffer()
	t0 := time.Unix(1000, 0)
	offsets := []time.Duration{0, 25, -30, 10, 30, -5, -25, 15, 5, -15} // ms, repeating
	for s := uint16(0); s < 200; s++ {
		at := t0.Add(time.Duration(s) * frameDur)
		steady.push(s, uint32(s)*frameTS, []byte{1}, at)
		jittery.push(s, uint32(s)*frameTS, []byte{1}, at.Add(offsets[int(s)%len(offsets)]*time.Millisecond))
		steady.pop()
		jittery.pop()
	}
	if steady.target > 2*minTarget {
		t.Errorf("steady link: target %v", steady.target)
	}
	if jittery.target < 50*time.Millisecond || jittery.target > 100*time.Millisecond {
		t.Errorf("±30 ms jitter: target %v, want about 60-70 ms", jittery.target)
	}
}

// Underruns (DTX silence, a stall) wait for the target again; a sender
// whose clock runs fast makes the buffer skip rather than grow.
func TestJitterBufferUnderrunAndDrift(t *testing.T) {
	j := newJitterBuffer()
	t0 := time.Unix(1000, 0)
	for s := uint16(0); s < 5; s++ {
		j.push(s, uint32(s)*frameTS, []byte{1}, t0)
	}
	playOut(j, 10)
	if j.underruns != 1 {
		t.Errorf("underruns = %d", j.underruns)
	}
	// 40 frames arrive at once: far more than the target.
	for s := uint16(5); s < 45; s++ {
		j.push(s, uint32(s)*frameTS, []byte{1}, t0.Add(time.Second))
	}
	j.pop()
	if j.held() > j.target+driftSlack {
		t.Errorf("held %v with target %v after a pop", j.held(), j.target)
	}
	if j.skipped == 0 {
		t.Error("nothing skipped")
	}
}

func TestJitterBufferWrapsAndResyncs(t *testing.T) {
	j := newJitterBuffer()
	t0 := time.Unix(1000, 0)
	for i := 0; i < 10; i++ {
		s := uint16(65530 + i) // wraps past 0
		j.push(s, uint32(i)*frameTS, []byte{byte(i)}, t0)
	}
	if n := count(playOut(j, 20), jbPlay); n != 10 {
		t.Errorf("played %d of 10 across the wrap", n)
	}
	// A jump far ahead (a new stream) restarts instead of concealing for ever.
	j.push(30000, 0, []byte{1}, t0)
	if j.next != 30000 {
		t.Errorf("next = %d after a jump", j.next)
	}
}
