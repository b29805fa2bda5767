package node

import (
	"net"
	"strconv"
)

// portBusy reports whether another program (or another Hearth, which
// listens with SO_REUSEPORT) holds the TCP port: the probe binds without
// reuseport, which the kernel refuses on a port in use. UDP is not
// probed: libp2p's QUIC socket manager keeps a closed host's UDP socket
// open in the same process (quicreuse stops its garbage collection on
// close), so a Messenger restarted in-process would never get its port
// back; another instance always holds the TCP port too.
func portBusy(loopback bool, port int) bool {
	ip := "0.0.0.0"
	if loopback {
		ip = "127.0.0.1"
	}
	l, err := net.Listen("tcp4", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return true
	}
	l.Close()
	return false
}
