// Package netlab builds small networks out of Linux network namespaces for
// tests (root only): homes behind NAT routers, an "internet" segment
// between them, and public hosts on it. Everything it makes carries the
// lab's prefix and is removed by Close, even after a failed test; nothing
// it builds has a route out of the namespaces it made.
//
// The internet segment uses Internet, a range go-multiaddr counts as
// public (the documentation ranges are neither public nor private, and
// libp2p's AutoNAT, identify and hole punching act only on public
// addresses). It exists only inside the lab.
package netlab

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// Internet is the prefix (a /24) of the lab's internet segment: hosts on
// it get Internet+".N".
const Internet = "7.7.7"

// Supported reports why the lab cannot run here ("" when it can): it
// needs root and the ip and iptables commands.
func Supported() string {
	if os.Geteuid() != 0 {
		return "the network lab needs root (ip netns)"
	}
	for _, c := range []string{"ip", "iptables"} {
		if _, err := exec.LookPath(c); err != nil {
			return "the network lab needs " + c
		}
	}
	return ""
}

// Lab is one network of namespaces. Its methods are not safe for
// concurrent use except Close and Exec.
type Lab struct {
	prefix string
	inet   string // the internet namespace (a bridge)
	nextIf int

	mu    sync.Mutex // guards nss and procs
	nss   []string
	procs []*exec.Cmd // daemons started in the lab (miniupnpd)
}

// New creates a lab whose namespaces start with prefix and its internet
// segment. The prefix must be unique on the machine while the lab runs
// (tests add their process ID): a namespace of the same name is taken to
// be a leftover of a crashed run and deleted.
func New(prefix string) (*Lab, error) {
	l := &Lab{prefix: prefix}
	inet, err := l.NS("inet")
	if err != nil {
		return nil, err
	}
	l.inet = inet
	if err := l.run(inet, "ip", "link", "add", "br0", "type", "bridge"); err != nil {
		l.Close()
		return nil, err
	}
	if err := l.run(inet, "ip", "link", "set", "br0", "up"); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// NS creates a namespace named prefix-name with loopback up and returns
// its full name.
func (l *Lab) NS(name string) (string, error) {
	ns := l.prefix + "-" + name
	// A namespace left by a crashed earlier run goes first.
	exec.Command("ip", "netns", "del", ns).Run()
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		return "", fmt.Errorf("ip netns add %s: %v: %s", ns, err, out)
	}
	l.mu.Lock()
	l.nss = append(l.nss, ns)
	l.mu.Unlock()
	if err := l.run(ns, "ip", "link", "set", "lo", "up"); err != nil {
		return "", err
	}
	return ns, nil
}

// run runs a command inside ns.
func (l *Lab) run(ns string, args ...string) error {
	cmd := exec.Command("ip", append([]string{"netns", "exec", ns}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %s: %v: %s", ns, strings.Join(args, " "), err, bytes.TrimSpace(out))
	}
	return nil
}

// Run runs a command inside ns and returns an error with its output when
// it fails.
func (l *Lab) Run(ns string, args ...string) error { return l.run(ns, args...) }

// runAll runs commands in ns in order, stopping at the first failure.
func (l *Lab) runAll(ns string, cmds [][]string) error {
	for _, c := range cmds {
		if err := l.run(ns, c...); err != nil {
			return err
		}
	}
	return nil
}

// veth links ns a (interface ai, address aAddr in CIDR form, "" for none)
// to ns b (bi, bAddr).
func (l *Lab) veth(a, ai, aAddr, b, bi, bAddr string) error {
	l.nextIf++
	tmpA, tmpB := fmt.Sprintf("v%da", l.nextIf), fmt.Sprintf("v%db", l.nextIf)
	if out, err := exec.Command("ip", "link", "add", tmpA, "netns", a, "type", "veth", "peer", "name", tmpB, "netns", b).CombinedOutput(); err != nil {
		return fmt.Errorf("veth %s-%s: %v: %s", a, b, err, out)
	}
	for _, e := range []struct{ ns, tmp, name, addr string }{{a, tmpA, ai, aAddr}, {b, tmpB, bi, bAddr}} {
		cmds := [][]string{{"ip", "link", "set", e.tmp, "name", e.name}}
		if e.addr != "" {
			cmds = append(cmds, []string{"ip", "addr", "add", e.addr, "dev", e.name})
		}
		cmds = append(cmds, []string{"ip", "link", "set", e.name, "up"})
		if err := l.runAll(e.ns, cmds); err != nil {
			return err
		}
	}
	return nil
}

// Public adds a host on the internet segment at Internet+"."+n and
// returns its namespace.
func (l *Lab) Public(name string, n int) (string, error) {
	ns, err := l.NS(name)
	if err != nil {
		return "", err
	}
	port := fmt.Sprintf("p%d", n)
	if err := l.veth(ns, "eth0", fmt.Sprintf("%s.%d/24", Internet, n), l.inet, port, ""); err != nil {
		return "", err
	}
	return ns, l.run(l.inet, "ip", "link", "set", port, "master", "br0")
}

// NAT is how a router maps its home's connections.
type NAT int

const (
	// EndpointIndependent keeps a connection's source port when it can,
	// for every destination (Linux MASQUERADE): what most home routers do.
	EndpointIndependent NAT = iota
	// Symmetric gives each connection a random source port
	// (MASQUERADE --random-fully): hole punching cannot guess it.
	Symmetric
)

// Home is a home network behind a router.
type Home struct {
	Router string // the router's namespace
	Subnet string // e.g. "192.168.1" (a /24; the router is .1)
	WAN    string // the router's current internet address
	lab    *Lab
	hosts  int
	// renumbered counts renumbers (a fresh hardware address each time).
	renumbered int
}

// Home adds a router at Internet+"."+n doing nat for subnet (a /24 such
// as "192.168.1"), with an ordinary home router's firewall: nothing new
// comes in from the internet unless mapped.
func (l *Lab) Home(name string, n int, subnet string, nat NAT) (*Home, error) {
	rtr, err := l.NS(name + "r")
	if err != nil {
		return nil, err
	}
	wan := fmt.Sprintf("%s.%d", Internet, n)
	port := fmt.Sprintf("r%d", n)
	if err := l.veth(rtr, "wan", wan+"/24", l.inet, port, ""); err != nil {
		return nil, err
	}
	if err := l.run(l.inet, "ip", "link", "set", port, "master", "br0"); err != nil {
		return nil, err
	}
	masq := []string{"iptables", "-t", "nat", "-A", "POSTROUTING", "-o", "wan", "-j", "MASQUERADE"}
	if nat == Symmetric {
		masq = append(masq, "--random-fully")
	}
	err = l.runAll(rtr, [][]string{
		{"sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"},
		masq,
		{"iptables", "-A", "INPUT", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"},
		{"iptables", "-A", "INPUT", "-i", "wan", "-j", "DROP"},
		{"iptables", "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"},
		{"iptables", "-A", "FORWARD", "-i", "wan", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT"},
		{"iptables", "-A", "FORWARD", "-i", "wan", "-j", "DROP"},
	})
	if err != nil {
		return nil, err
	}
	return &Home{Router: rtr, Subnet: subnet, WAN: wan, lab: l}, nil
}

// Host adds a machine to the home and returns its namespace and address.
func (h *Home) Host(name string) (ns, addr string, err error) {
	ns, err = h.lab.NS(name)
	if err != nil {
		return "", "", err
	}
	if h.hosts == 0 {
		// The first host gets the router's LAN port directly; later ones
		// share a bridge on the router.
		if err := h.lab.run(h.Router, "ip", "link", "add", "lan", "type", "bridge"); err != nil {
			return "", "", err
		}
		if err := h.lab.runAll(h.Router, [][]string{
			{"ip", "addr", "add", h.Subnet + ".1/24", "dev", "lan"},
			{"ip", "link", "set", "lan", "up"},
		}); err != nil {
			return "", "", err
		}
	}
	h.hosts++
	addr = fmt.Sprintf("%s.%d", h.Subnet, h.hosts+1)
	port := fmt.Sprintf("l%d", h.hosts)
	if err := h.lab.veth(ns, "eth0", addr+"/24", h.Router, port, ""); err != nil {
		return "", "", err
	}
	if err := h.lab.run(h.Router, "ip", "link", "set", port, "master", "lan"); err != nil {
		return "", "", err
	}
	return ns, addr, h.lab.run(ns, "ip", "route", "add", "default", "via", h.Subnet+".1")
}

// Renumber gives the router a new internet address (an ISP's DHCP lease
// changed): the old one goes, and with it every NAT mapping.
func (h *Home) Renumber(n int) error {
	wan := fmt.Sprintf("%s.%d", Internet, n)
	// As a new lease from the ISP would: the link goes down (which makes
	// MASQUERADE forget every mapping), comes back with another hardware
	// address (so the neighbours' caches point nowhere) and the new IP
	// address. The old address goes first: deleting a primary address
	// takes the secondaries in its subnet with it.
	h.renumbered++
	mac := fmt.Sprintf("02:4e:%02x:%02x:00:%02x", n, h.renumbered, len(h.Subnet))
	err := h.lab.runAll(h.Router, [][]string{
		{"ip", "link", "set", "wan", "down"},
		{"ip", "addr", "del", h.WAN + "/24", "dev", "wan"},
		{"ip", "link", "set", "wan", "address", mac},
		{"ip", "addr", "add", wan + "/24", "dev", "wan"},
		{"ip", "link", "set", "wan", "up"},
	})
	if err == nil {
		h.WAN = wan
	}
	return err
}

// Close removes every namespace of the lab (and with them their
// interfaces, NAT rules and the processes' network).
func (l *Lab) Close() error {
	l.mu.Lock()
	nss, procs := l.nss, l.procs
	l.nss, l.procs = nil, nil
	l.mu.Unlock()
	for _, p := range procs {
		p.Process.Kill()
		p.Wait()
	}
	var errs []error
	for i := len(nss) - 1; i >= 0; i-- {
		if out, err := exec.Command("ip", "netns", "del", nss[i]).CombinedOutput(); err != nil {
			errs = append(errs, fmt.Errorf("ip netns del %s: %v: %s", nss[i], err, out))
		}
	}
	return errors.Join(errs...)
}

// Command returns a command that runs inside ns.
func Command(ns string, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}

// UPnP runs miniupnpd (UPnP-IGD and NAT-PMP) on the router for its home,
// with nftables chains of its own for the port mappings it makes. Lab.Close
// stops it. The lab's internet addresses count as public, so miniupnpd
// hands out mappings.
func (h *Home) UPnP() error {
	bin, err := exec.LookPath("miniupnpd")
	if err != nil {
		return fmt.Errorf("the UPnP cell needs miniupnpd: %w", err)
	}
	dir, err := os.MkdirTemp("", h.Router+"-upnp-")
	if err != nil {
		return err
	}
	nftRules := `table inet miniupnpd {
	chain forward { type filter hook forward priority -10; policy accept; jump forwardUPnP; }
	chain forwardUPnP { }
	chain prerouting { type nat hook prerouting priority -110; policy accept; jump UPnP; }
	chain UPnP { }
	chain postrouting { type nat hook postrouting priority 90; policy accept; jump UPnP-Postrouting; }
	chain UPnP-Postrouting { }
}
`
	conf := fmt.Sprintf(`ext_ifname=wan
listening_ip=lan
port=0
enable_natpmp=yes
enable_upnp=yes
secure_mode=yes
system_uptime=yes
uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b
upnp_table_name=miniupnpd
upnp_nat_table_name=miniupnpd
upnp_forward_chain=forwardUPnP
upnp_nat_chain=UPnP
upnp_nat_postrouting_chain=UPnP-Postrouting
allow 1024-65535 %s.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
`, h.Subnet)
	nftFile, confFile := dir+"/rules.nft", dir+"/miniupnpd.conf"
	if err := os.WriteFile(nftFile, []byte(nftRules), 0o600); err != nil {
		return err
	}
	if err := os.WriteFile(confFile, []byte(conf), 0o600); err != nil {
		return err
	}
	if err := h.lab.run(h.Router, "nft", "-f", nftFile); err != nil {
		return err
	}
	cmd := Command(h.Router, bin, "-d", "-f", confFile, "-P", dir+"/pid")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return err
	}
	h.lab.mu.Lock()
	h.lab.procs = append(h.lab.procs, cmd)
	h.lab.mu.Unlock()
	return nil
}
