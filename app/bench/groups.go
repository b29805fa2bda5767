package main

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// benchGroups: durable messages per second to a 10- and a 50-member group,
// each beside one-to-one messages measured the same way in the same run,
// and the time for a message to reach every member of a group (send → the
// last member's ack, each member having stored it first).
//
// Two throughputs: "online", a burst sent while every member is connected
// (each Send commits before it returns, the fan-out runs behind it); and
// "catchup", the figure comparable to msg_durable_throughput: the burst
// waits in the outbox while the members are offline, and is timed from
// their restart until every member has stored and acknowledged all of it.
//
// Every member is a full Hearth node (profile, encrypted SQLite store,
// libp2p host and all protocols) in this one process; the creator is
// paired with each, the members are not each other's contacts.
func benchGroups() ([]result, error) {
	var out []result
	add := func(n int, f groupFigures) {
		p := fmt.Sprintf("group%d_", n)
		out = append(out,
			result{name: p + "durable_throughput_catchup", value: f.catchup, unit: "msg/s", ref: "one_to_one_catchup", refVal: f.refCatchup, refU: "msg/s"},
			result{name: p + "durable_throughput_online", value: f.online, unit: "msg/s", ref: "one_to_one_online", refVal: f.refOnline, refU: "msg/s"},
			result{name: p + "deliveries_per_s_catchup", value: f.catchup * float64(n-1), unit: "deliveries/s"},
			result{name: p + "reach_all_p50", value: ms(percentile(f.reach, 0.5)), unit: "ms", ref: "one_to_one_rtt_p50", refVal: ms(percentile(f.rtt, 0.5)), refU: "ms"},
			result{name: p + "reach_all_p99", value: ms(percentile(f.reach, 0.99)), unit: "ms", ref: "one_to_one_rtt_p99", refVal: ms(percentile(f.rtt, 0.99)), refU: "ms"},
		)
	}
	ten, err := runGroupBench(10, 5000, 500)
	if err != nil {
		return out, err
	}
	add(10, ten)
	fifty, err := runGroupBench(50, 1000, 200)
	if err != nil {
		return out, err
	}
	add(50, fifty)
	return out, nil
}

type groupFigures struct {
	online, refOnline   float64 // messages per second, group and one-to-one
	catchup, refCatchup float64
	reach, rtt          []time.Duration // send → every member acked; 1:1 send → ack
}

// sendGroup sends to a group and returns a channel closed when every
// member has acknowledged the message.
func (p *benchPeer) sendGroup(groupID, body string) (<-chan struct{}, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	msg, err := p.m.Groups.SendGroup(groupID, body)
	if err != nil {
		return nil, err
	}
	w := make(chan struct{})
	p.waiters[msg.ID] = w
	return w, nil
}

func waitAll(ws []<-chan struct{}, d time.Duration) error {
	deadline := time.After(d)
	for i, w := range ws {
		select {
		case <-w:
		case <-deadline:
			return fmt.Errorf("message %d of %d not delivered to everyone", i, len(ws))
		}
	}
	return nil
}

// inParallel runs f for each peer, four at a time (opening a profile
// derives its key with Argon2id, 64 MiB).
func inParallel(ps []*benchPeer, f func(i int) error) error {
	sem := make(chan struct{}, 4)
	errs := make([]error, len(ps))
	var wg sync.WaitGroup
	for i := range ps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// burst sends n messages with send and returns their delivery channels.
func burst(n int, send func(i int) (<-chan struct{}, error)) ([]<-chan struct{}, error) {
	ws := make([]<-chan struct{}, 0, n)
	for i := range n {
		w, err := send(i)
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// runGroupBench starts n nodes, makes a group of them, and measures.
func runGroupBench(n, count, rounds int) (groupFigures, error) {
	var f groupFigures
	root, err := os.MkdirTemp("", "hearth-bench-groups-")
	if err != nil {
		return f, err
	}
	defer os.RemoveAll(root)
	opts := loopbackOpts()
	opts.RetryInterval = time.Second
	peers := make([]*benchPeer, n)
	defer closePeers(peers...)
	err = inParallel(peers, func(i int) (err error) {
		peers[i], err = newPeer(root, fmt.Sprintf("m%02d", i), opts)
		return err
	})
	if err != nil {
		return f, err
	}
	creator, members := peers[0], peers[1:]
	var ids []string
	for _, p := range members {
		// The creator takes contact requests from strangers at 5 a second
		// (p2p/contactreq's global limit): pace the pairings below it.
		time.Sleep(400 * time.Millisecond)
		if err := pair(creator, p); err != nil {
			return f, fmt.Errorf("member %s: %w", p.m.MyName(), err)
		}
		ids = append(ids, p.m.MyPeerID())
	}
	g, err := creator.m.Groups.CreateGroup(fmt.Sprintf("Bench %d", n), ids)
	if err != nil {
		return f, err
	}
	if err := waitFor("every member holds the group", 60*time.Second, func() bool {
		for _, p := range members {
			if _, err := p.m.Groups.Group(g.ID); err != nil {
				return false
			}
		}
		return true
	}); err != nil {
		return f, err
	}
	toGroup := func(what string) func(i int) (<-chan struct{}, error) {
		return func(i int) (<-chan struct{}, error) { return creator.sendGroup(g.ID, fmt.Sprintf("%s %d", what, i)) }
	}
	to := members[0].m.MyPeerID()
	toOne := func(what string) func(i int) (<-chan struct{}, error) {
		return func(i int) (<-chan struct{}, error) { return creator.send(to, fmt.Sprintf("%s %d", what, i)) }
	}
	// Warm up streams, statements and connections to every member.
	ws, err := burst(20, toGroup("warm-up"))
	if err == nil {
		err = waitAll(ws, 60*time.Second)
	}
	if err != nil {
		return f, err
	}

	// Reach-all latency, one message at a time; then 1:1 the same way.
	for _, c := range []struct {
		send func(i int) (<-chan struct{}, error)
		into *[]time.Duration
	}{{toGroup("round"), &f.reach}, {toOne("rtt"), &f.rtt}} {
		for i := range rounds {
			t0 := time.Now()
			w, err := c.send(i)
			if err != nil {
				return f, err
			}
			if err := waitAll([]<-chan struct{}{w}, 30*time.Second); err != nil {
				return f, err
			}
			*c.into = append(*c.into, time.Since(t0))
		}
	}

	// Online: a burst sent as fast as Send returns, timed until every
	// member has stored and acknowledged every message.
	for _, c := range []struct {
		send func(i int) (<-chan struct{}, error)
		into *float64
	}{{toGroup("online"), &f.online}, {toOne("online 1:1"), &f.refOnline}} {
		t0 := time.Now()
		ws, err := burst(count, c.send)
		if err == nil {
			err = waitAll(ws, 600*time.Second)
		}
		if err != nil {
			return f, err
		}
		*c.into = float64(count) / time.Since(t0).Seconds()
	}

	// Catch-up: the members are offline while the burst is written; they
	// come back and the clock runs until every member has it all. Then the
	// same for one contact.
	for _, c := range []struct {
		who  []*benchPeer
		send func(i int) (<-chan struct{}, error)
		into *float64
	}{{members, toGroup("catch-up"), &f.catchup}, {members[:1], toOne("catch-up 1:1"), &f.refCatchup}} {
		inParallel(c.who, func(i int) error { return c.who[i].m.Close() })
		for _, p := range c.who {
			p.m = nil
		}
		ws, err := burst(count, c.send)
		if err != nil {
			return f, err
		}
		t0 := time.Now()
		if err := inParallel(c.who, func(i int) error { return c.who[i].restart(opts) }); err != nil {
			return f, err
		}
		if err := waitAll(ws, 600*time.Second); err != nil {
			return f, err
		}
		*c.into = float64(count) / time.Since(t0).Seconds()
	}
	return f, nil
}
