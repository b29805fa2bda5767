// Package impair is a test bench for calls on a bad home link: two call
// endpoints in two network namespaces of their own, joined through a third
// namespace where a userspace UDP relay adds delay, jitter (and with it
// reordering) and loss, and where the kernel's tbf caps each endpoint's
// uplink. This kernel has no netem, so everything but the bandwidth cap
// happens in the relay.
//
//	ns A (10.X.1.1) ── veth ── ns R: relay (10.X.1.2 | 10.X.2.2) ── veth ── ns B (10.X.2.1)
//	   tbf on A's egress                                                 tbf on B's egress
//
// Each endpoint believes the other lives at the relay's address on its
// own side: the offer and the answer are rewritten on their way (Rewrite),
// so ICE pairs exactly one path, through the relay.
//
// Creating namespaces needs root (CAP_SYS_ADMIN); Lab reports
// ErrNotPermitted otherwise. Sockets are opened inside a namespace by
// switching one locked OS thread into it for the open only (Namespace.Do),
// so one process runs both endpoints and the relay.
//
// Only tests and app/bench use this package.
package impair
