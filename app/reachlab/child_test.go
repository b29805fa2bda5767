package reachlab

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"

	"hearth/app/core"
	"hearth/contacts"
)

// The children: the test binary started again inside a namespace, with
// envRole saying what to be. A child answers one line per command on
// stdout ("OK ..." or "ERR ...").
const (
	envRole = "HEARTH_LAB_ROLE" // "public" or "node"
	envDir  = "HEARTH_LAB_DIR"  // node: profile folder (created if missing)
	envName = "HEARTH_LAB_NAME" // node: display name
	envBoot = "HEARTH_LAB_BOOT" // node: the public node's address, if any
)

// publicChild stands for the public libp2p network: a DHT server and a
// circuit relay with libp2p's default limits (what a public relay gives),
// answering AutoNAT. It prints its address and runs until stdin closes.
func publicChild() error {
	h, err := libp2p.New(
		libp2p.ListenAddrStrings("/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"),
		libp2p.ForceReachabilityPublic(),
		libp2p.EnableNATService(),
		libp2p.EnableAutoNATv2(),
	)
	if err != nil {
		return err
	}
	defer h.Close()
	if _, err := relayv2.New(h); err != nil {
		return err
	}
	d, err := dht.New(h, dht.Mode(dht.ModeServer))
	if err != nil {
		return err
	}
	defer d.Close()
	fmt.Printf("OK %s\n", h.ID())
	bufio.NewReader(os.Stdin).ReadString('\n') // until the parent closes stdin
	return nil
}

// nodeChild runs one Hearth profile and obeys commands on stdin.
func nodeChild() error {
	dir, name := os.Getenv(envDir), os.Getenv(envName)
	opts := core.Options{NoMDNS: true, FakeMedia: true, RetryInterval: 2 * time.Second,
		DownloadDir: filepath.Join(dir, "downloads"), ClamdAddr: "unix:" + filepath.Join(dir, "no-clamd")}
	if b := os.Getenv(envBoot); b != "" {
		ai, err := peer.AddrInfoFromString(b)
		if err != nil {
			return err
		}
		opts.Bootstrap = []peer.AddrInfo{*ai}
	}
	open := func() (*core.Messenger, error) {
		if _, err := os.Stat(filepath.Join(dir, "hearth.db")); err == nil {
			return core.Opener{Dir: dir, Opts: opts}.Unlock("")
		}
		return core.Opener{Dir: dir, Opts: opts}.Create(name, "")
	}
	m, err := open()
	if err != nil {
		return err
	}
	go drain(m)
	defer func() {
		if m != nil {
			m.Close()
		}
	}()
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "quit" {
			fmt.Println("OK")
			return nil
		}
		var out string
		var err error
		switch f[0] {
		case "stop":
			err = m.Close()
			m = nil
		case "start":
			m, err = open()
			if err == nil {
				go drain(m)
			}
		default:
			if m == nil {
				err = fmt.Errorf("stopped")
				break
			}
			out, err = command(m, f)
		}
		if err != nil {
			fmt.Printf("ERR %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
		} else {
			fmt.Printf("OK %s\n", out)
		}
	}
	return sc.Err()
}

// drain reads the events nobody shows.
func drain(m *core.Messenger) {
	for range m.Events() {
	}
}

// arg returns f[i] as seconds.
func secs(f []string, i int) time.Duration {
	if len(f) <= i {
		return 30 * time.Second
	}
	n, _ := strconv.Atoi(f[i])
	return time.Duration(n) * time.Second
}

// waitUntil polls cond until it holds or d passes; it returns the time
// taken in milliseconds.
func waitUntil(d time.Duration, what string, cond func() bool) (string, error) {
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			return "", fmt.Errorf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(25 * time.Millisecond)
	}
	return strconv.FormatInt(time.Since(start).Milliseconds(), 10), nil
}

func contact(m *core.Messenger, id string) (state contacts.State, online bool) {
	cs, _ := m.People.Contacts()
	for _, c := range cs {
		if c.PeerID == id {
			return c.State, c.Presence == contacts.Online
		}
	}
	return -1, false
}

func command(m *core.Messenger, f []string) (string, error) {
	need := func(n int) error {
		if len(f) < n {
			return fmt.Errorf("%s needs %d arguments", f[0], n-1)
		}
		return nil
	}
	switch f[0] {
	case "id":
		return m.MyPeerID(), nil
	case "invite":
		return m.People.InviteCode()
	case "shortinvite":
		return m.People.ShortInviteCode()
	case "addrs":
		return strings.Join(m.Reachability().Addrs, " "), nil
	case "add":
		if err := need(2); err != nil {
			return "", err
		}
		return "", m.People.AddByInvite(f[1], "")
	case "online": // online PEER [secs]: an accepted contact, online
		if err := need(2); err != nil {
			return "", err
		}
		return waitUntil(secs(f, 2), "contact online", func() bool {
			st, on := contact(m, f[1])
			return st == contacts.Accepted && on
		})
	case "link": // link PEER: direct | relayed <via> | none
		if err := need(2); err != nil {
			return "", err
		}
		l := m.LinkTo(f[1])
		switch {
		case !l.Connected:
			return "none", nil
		case l.Relayed:
			return "relayed " + strings.ReplaceAll(l.Via, " ", "_"), nil
		}
		return "direct", nil
	case "direct": // direct PEER [secs]: wait for a direct connection
		if err := need(2); err != nil {
			return "", err
		}
		return waitUntil(secs(f, 2), "a direct connection", func() bool {
			l := m.LinkTo(f[1])
			return l.Connected && !l.Relayed
		})
	case "send": // send PEER TEXT
		if err := need(3); err != nil {
			return "", err
		}
		_, err := m.Chat.Send(f[1], f[2])
		return "", err
	case "got": // got PEER TEXT [secs]
		if err := need(3); err != nil {
			return "", err
		}
		return waitUntil(secs(f, 3), "message "+f[2], func() bool {
			h, _ := m.Chat.History(f[1], 200)
			for _, msg := range h {
				if msg.Body == f[2] && !msg.Outgoing {
					return true
				}
			}
			return false
		})
	case "delivered": // delivered PEER TEXT [secs]
		if err := need(3); err != nil {
			return "", err
		}
		return waitUntil(secs(f, 3), "delivery of "+f[2], func() bool {
			h, _ := m.Chat.History(f[1], 200)
			for _, msg := range h {
				if msg.Body == f[2] && msg.Outgoing && msg.Status >= contacts.Delivered {
					return true
				}
			}
			return false
		})
	case "sendfile": // sendfile PEER SIZE → sha256 of what was sent
		if err := need(3); err != nil {
			return "", err
		}
		size, _ := strconv.Atoi(f[2])
		b := make([]byte, size)
		rand.Read(b)
		p := filepath.Join(os.TempDir(), "hearth-lab-"+hex.EncodeToString(b[:6])+".bin")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			return "", err
		}
		if _, err := m.Transfers.SendFile(f[1], p); err != nil {
			return "", err
		}
		sum := sha256.Sum256(b)
		return hex.EncodeToString(sum[:]), nil
	case "gotfile": // gotfile PEER SHA256 [secs]
		if err := need(3); err != nil {
			return "", err
		}
		return waitUntil(secs(f, 3), "the file", func() bool {
			ts, _ := m.Transfers.Transfers(f[1])
			for _, tr := range ts {
				if tr.State != contacts.Done || tr.Path == "" {
					continue
				}
				b, err := os.ReadFile(tr.Path)
				if err != nil {
					continue
				}
				sum := sha256.Sum256(b)
				if hex.EncodeToString(sum[:]) == f[2] {
					return true
				}
			}
			return false
		})
	case "dial":
		if err := need(2); err != nil {
			return "", err
		}
		return "", m.Reconnect(f[1])
	case "reach":
		r := m.Reachability()
		return fmt.Sprintf("public=%v mapped=%v relays=%d addrs=%s", r.Public, r.Mapped, len(r.Relays), strings.Join(r.Addrs, ",")), nil
	}
	return "", fmt.Errorf("unknown command %q", f[0])
}
