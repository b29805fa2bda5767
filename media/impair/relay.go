package impair

import (
	"container/heap"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"time"
)

// Conditions impair one direction of the relay.
type Conditions struct {
	Delay  time.Duration // added to every packet
	Jitter time.Duration // each packet's delay is Delay ± up to Jitter, drawn independently: later packets overtake earlier ones
	Loss   float64       // share of packets dropped, 0..1
}

func (c Conditions) String() string {
	return fmt.Sprintf("delay %v±%v loss %.0f%%", c.Delay, c.Jitter, 100*c.Loss)
}

// Relay forwards UDP between the two endpoints inside namespace R.
type Relay struct {
	sockA, sockB *net.UDPConn // facing A and facing B
	readers      sync.WaitGroup
	senders      sync.WaitGroup

	mu         sync.Mutex // guards the fields below
	peerA      *net.UDPAddr
	peerB      *net.UDPAddr
	aToB, bToA Conditions
	rng        *rand.Rand
	closed     bool
	dirs       [2]*direction
}

// direction is one way through the relay: a queue ordered by release time.
type direction struct {
	out  *net.UDPConn
	wake chan struct{}

	mu      sync.Mutex // guards the fields below
	queue   pktHeap
	seq     uint64
	Packets int64 // received
	Dropped int64 // dropped as loss
}

type delayed struct {
	at  time.Time
	seq uint64 // ties keep arrival order
	b   []byte
	to  *net.UDPAddr
}

type pktHeap []delayed

func (h pktHeap) Len() int { return len(h) }
func (h pktHeap) Less(i, j int) bool {
	if h[i].at.Equal(h[j].at) {
		return h[i].seq < h[j].seq
	}
	return h[i].at.Before(h[j].at)
}
func (h pktHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pktHeap) Push(x any)   { *h = append(*h, x.(delayed)) }
func (h *pktHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// maxQueued bounds what the relay holds per direction (about 10 s of a
// 2 Mbit/s call): beyond it packets are dropped, so memory cannot grow.
const maxQueued = 2000

// NewRelay opens the relay's two sockets in the lab's namespace R; seed
// makes its loss and jitter repeatable.
func (l *Lab) NewRelay(seed uint64) (*Relay, error) {
	r := &Relay{rng: rand.New(rand.NewPCG(seed, 0x6865617274))}
	err := l.R.Do(func() error {
		var err error
		if r.sockA, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(l.RelayA)}); err != nil {
			return err
		}
		r.sockB, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP(l.RelayB)})
		return err
	})
	if err != nil {
		if r.sockA != nil {
			r.sockA.Close()
		}
		return nil, fmt.Errorf("opening relay: %w", err)
	}
	r.dirs[0] = &direction{out: r.sockB, wake: make(chan struct{}, 1)} // A → B leaves through the B side
	r.dirs[1] = &direction{out: r.sockA, wake: make(chan struct{}, 1)}
	r.readers.Add(2)
	r.senders.Add(2)
	go r.read(r.sockA, 0)
	go r.read(r.sockB, 1)
	go r.dirs[0].send(&r.senders)
	go r.dirs[1].send(&r.senders)
	return r, nil
}

// AddrA is where A must send to reach B (the relay's A-side socket).
func (r *Relay) AddrA() *net.UDPAddr { return r.sockA.LocalAddr().(*net.UDPAddr) }

// AddrB is where B must send to reach A.
func (r *Relay) AddrB() *net.UDPAddr { return r.sockB.LocalAddr().(*net.UDPAddr) }

// SetPeers tells the relay where the endpoints really are.
func (r *Relay) SetPeers(a, b *net.UDPAddr) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if a != nil {
		r.peerA = a
	}
	if b != nil {
		r.peerB = b
	}
}

// Set changes the conditions of both directions, at once.
func (r *Relay) Set(aToB, bToA Conditions) {
	r.mu.Lock()
	r.aToB, r.bToA = aToB, bToA
	r.mu.Unlock()
}

// Counts returns packets received and dropped as loss, per direction (0: A→B).
func (r *Relay) Counts(dir int) (packets, dropped int64) {
	d := r.dirs[dir]
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.Packets, d.Dropped
}

func (r *Relay) read(sock *net.UDPConn, dir int) {
	defer r.readers.Done()
	d := r.dirs[dir]
	buf := make([]byte, 2048)
	for {
		n, _, err := sock.ReadFromUDP(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		r.mu.Lock()
		cond, to := r.aToB, r.peerB
		if dir == 1 {
			cond, to = r.bToA, r.peerA
		}
		drop := cond.Loss > 0 && r.rng.Float64() < cond.Loss
		delay := cond.Delay
		if cond.Jitter > 0 {
			delay += time.Duration((r.rng.Float64()*2 - 1) * float64(cond.Jitter))
		}
		r.mu.Unlock()
		d.mu.Lock()
		d.Packets++
		if drop || to == nil || len(d.queue) >= maxQueued {
			d.Dropped++
			d.mu.Unlock()
			continue
		}
		d.seq++
		heap.Push(&d.queue, delayed{at: time.Now().Add(max(delay, 0)), seq: d.seq, b: append([]byte(nil), buf[:n]...), to: to})
		d.mu.Unlock()
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
}

func (d *direction) send(wg *sync.WaitGroup) {
	defer wg.Done()
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for {
		d.mu.Lock()
		var wait time.Duration = time.Hour
		now := time.Now()
		var due []delayed
		for len(d.queue) > 0 && !d.queue[0].at.After(now) {
			due = append(due, heap.Pop(&d.queue).(delayed))
		}
		if len(d.queue) > 0 {
			wait = d.queue[0].at.Sub(now)
		}
		d.mu.Unlock()
		for _, p := range due {
			if _, err := d.out.WriteToUDP(p.b, p.to); errors.Is(err, net.ErrClosed) {
				return
			}
		}
		t.Reset(wait)
		select {
		case _, ok := <-d.wake:
			if !ok {
				return
			}
		case <-t.C:
		}
	}
}

// Close stops the relay and waits for its goroutines.
func (r *Relay) Close() {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return
	}
	r.closed = true
	r.mu.Unlock()
	r.sockA.Close()
	r.sockB.Close()
	r.readers.Wait() // nobody wakes the senders any more
	close(r.dirs[0].wake)
	close(r.dirs[1].wake)
	r.senders.Wait()
}
