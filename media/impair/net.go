package impair

import (
	"context"
	"net"
	"sync/atomic"

	"github.com/pion/transport/v5"
	"github.com/pion/transport/v5/stdnet"
)

// Net is a pion transport.Net whose sockets live in a namespace; it counts
// the bytes its UDP sockets send (what a sender offers to its uplink,
// before any cap drops it). Give it to media/call's Config.Net.
type Net struct {
	*stdnet.Net // interfaces as seen inside the namespace
	ns          Namespace
	sent        atomic.Int64
}

// NewNet returns the Net of ns.
func NewNet(ns Namespace) (*Net, error) {
	n := &Net{ns: ns}
	err := ns.Do(func() error {
		var err error
		n.Net, err = stdnet.NewNet() // lists the namespace's interfaces
		return err
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// SentBytes is the total UDP payload sent so far.
func (n *Net) SentBytes() int64 { return n.sent.Load() }

func (n *Net) ListenPacket(network, address string) (net.PacketConn, error) {
	var c net.PacketConn
	err := n.ns.Do(func() error {
		var err error
		c, err = net.ListenPacket(network, address)
		return err
	})
	if err != nil {
		return nil, err
	}
	if u, ok := c.(*net.UDPConn); ok {
		return &countingUDP{UDPConn: u, sent: &n.sent}, nil
	}
	return c, nil
}

func (n *Net) ListenUDP(network string, laddr *net.UDPAddr) (transport.UDPConn, error) {
	var c *net.UDPConn
	err := n.ns.Do(func() error {
		var err error
		c, err = net.ListenUDP(network, laddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &countingUDP{UDPConn: c, sent: &n.sent}, nil
}

func (n *Net) DialUDP(network string, laddr, raddr *net.UDPAddr) (transport.UDPConn, error) {
	var c *net.UDPConn
	err := n.ns.Do(func() error {
		var err error
		c, err = net.DialUDP(network, laddr, raddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &countingUDP{UDPConn: c, sent: &n.sent}, nil
}

func (n *Net) Dial(network, address string) (net.Conn, error) {
	var c net.Conn
	err := n.ns.Do(func() error {
		var err error
		c, err = net.Dial(network, address)
		return err
	})
	return c, err
}

func (n *Net) DialTCP(network string, laddr, raddr *net.TCPAddr) (transport.TCPConn, error) {
	var c *net.TCPConn
	err := n.ns.Do(func() error {
		var err error
		c, err = net.DialTCP(network, laddr, raddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (n *Net) ListenTCP(network string, laddr *net.TCPAddr) (transport.TCPListener, error) {
	var l *net.TCPListener
	err := n.ns.Do(func() error {
		var err error
		l, err = net.ListenTCP(network, laddr)
		return err
	})
	if err != nil {
		return nil, err
	}
	return tcpListener{l}, nil
}

type tcpListener struct{ *net.TCPListener }

func (l tcpListener) AcceptTCP() (transport.TCPConn, error) { return l.TCPListener.AcceptTCP() }

func (n *Net) CreateDialer(d *net.Dialer) transport.Dialer { return nsDialer{n: n, d: d} }

type nsDialer struct {
	n *Net
	d *net.Dialer
}

func (d nsDialer) Dial(network, address string) (net.Conn, error) {
	var c net.Conn
	err := d.n.ns.Do(func() error {
		var err error
		c, err = d.d.Dial(network, address)
		return err
	})
	return c, err
}

func (n *Net) CreateListenConfig(lc *net.ListenConfig) transport.ListenConfig {
	return nsListenConfig{n: n, lc: lc}
}

type nsListenConfig struct {
	n  *Net
	lc *net.ListenConfig
}

func (l nsListenConfig) Listen(ctx context.Context, network, address string) (net.Listener, error) {
	var ln net.Listener
	err := l.n.ns.Do(func() error {
		var err error
		ln, err = l.lc.Listen(ctx, network, address)
		return err
	})
	return ln, err
}

func (l nsListenConfig) ListenPacket(ctx context.Context, network, address string) (net.PacketConn, error) {
	var c net.PacketConn
	err := l.n.ns.Do(func() error {
		var err error
		c, err = l.lc.ListenPacket(ctx, network, address)
		return err
	})
	return c, err
}

// countingUDP counts what is written.
type countingUDP struct {
	*net.UDPConn
	sent *atomic.Int64
}

// Every attempt counts, even one a full queue refused: it is what the
// sender tried to push into its uplink.
func (c *countingUDP) Write(b []byte) (int, error) {
	c.sent.Add(int64(len(b)))
	return c.UDPConn.Write(b)
}

func (c *countingUDP) WriteTo(b []byte, a net.Addr) (int, error) {
	c.sent.Add(int64(len(b)))
	return c.UDPConn.WriteTo(b, a)
}

func (c *countingUDP) WriteToUDP(b []byte, a *net.UDPAddr) (int, error) {
	c.sent.Add(int64(len(b)))
	return c.UDPConn.WriteToUDP(b, a)
}

func (c *countingUDP) WriteMsgUDP(b, oob []byte, a *net.UDPAddr) (int, int, error) {
	c.sent.Add(int64(len(b)))
	return c.UDPConn.WriteMsgUDP(b, oob, a)
}
