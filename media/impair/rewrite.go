package impair

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Rewrite returns sdp with its candidates replaced by one host candidate
// at via, and the endpoint's own UDP candidate at ip (where the relay must
// send to reach it). An SDP with no UDP candidate at ip is an error.
func Rewrite(sdp, ip string, via *net.UDPAddr) (string, *net.UDPAddr, error) {
	lines := strings.Split(sdp, "\r\n")
	out := make([]string, 0, len(lines))
	var real *net.UDPAddr
	for _, ln := range lines {
		rest, ok := strings.CutPrefix(ln, "a=candidate:")
		if !ok {
			out = append(out, ln)
			continue
		}
		f := strings.Fields(rest)
		// foundation component transport priority address port typ type ...
		if len(f) < 8 || !strings.EqualFold(f[2], "udp") || f[4] != ip || f[1] != "1" {
			continue
		}
		port, err := strconv.Atoi(f[5])
		if err != nil {
			return "", nil, fmt.Errorf("candidate port %q: %w", f[5], err)
		}
		if real == nil {
			real = &net.UDPAddr{IP: net.ParseIP(ip), Port: port}
		}
		f[4], f[5] = via.IP.String(), strconv.Itoa(via.Port)
		out = append(out, "a=candidate:"+strings.Join(f, " "))
	}
	if real == nil {
		return "", nil, fmt.Errorf("no udp candidate at %s in the sdp", ip)
	}
	return strings.Join(out, "\r\n"), real, nil
}
