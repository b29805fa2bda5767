package node

import (
	"net"
	"strconv"
)

// portBusy reports whether another program (or another Hearth, which
// listens with SO_REUSEPORT) holds the TCP port: the probe binds without
// reuseport, which the kernel refuses on a port in use. Another Hearth
// always holds its TCP port beside the UDP one, so TCP tells.
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
