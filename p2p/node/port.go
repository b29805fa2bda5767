package node

import (
	"net"
	"strconv"
)

// portBusy reports whether another program (or another Hearth, which
// listens with SO_REUSEPORT) holds the TCP or UDP port: the probe binds
// without reuseport, which the kernel refuses on a port in use.
func portBusy(loopback bool, port int) bool {
	ip := "0.0.0.0"
	if loopback {
		ip = "127.0.0.1"
	}
	addr := net.JoinHostPort(ip, strconv.Itoa(port))
	l, err := net.Listen("tcp4", addr)
	if err != nil {
		return true
	}
	l.Close()
	u, err := net.ListenPacket("udp4", addr)
	if err != nil {
		return true
	}
	u.Close()
	return false
}
