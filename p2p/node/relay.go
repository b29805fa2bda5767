package node

import (
	"time"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	ma "github.com/multiformats/go-multiaddr"
)

// Hearth's relay limits. libp2p's defaults (two minutes and 128 KiB per
// relayed connection) suit a public relay that carries only signalling
// until a hole punch; a Hearth relays for its own contacts only, so a
// relayed connection may carry chat, files and a call for a while. The
// totals stay bounded: RelayMaxReservations slots of RelayMaxCircuits
// circuits, each buffering 2×RelayBufferSize bytes at most.
var (
	// RelayLimit bounds one relayed connection: its life and the bytes
	// it carries in each direction.
	RelayLimit = relayv2.RelayLimit{Duration: 30 * time.Minute, Data: 256 << 20}
	// RelayMaxReservations is how many peers may hold a slot at once.
	RelayMaxReservations = 32
	// RelayMaxCircuits is how many relayed connections one peer may have.
	RelayMaxCircuits = 8
	// RelayBufferSize is each direction's buffer of a relayed connection.
	RelayBufferSize = 16 << 10
)

// relayService is a circuit relay v2 that keeps slots only for peers the
// caller allows (contacts, group members). Anyone may be connected to one
// of them through it: the contact's own gating decides what that peer may
// do (a stranger reaches only the contact-request protocol).
type relayService struct{ r *relayv2.Relay }

func newRelayService(h host.Host, allow func(peer.ID) bool) (*relayService, error) {
	limit := RelayLimit
	r, err := relayv2.New(h,
		relayv2.WithResources(relayv2.Resources{
			Limit:                 &limit,
			ReservationTTL:        time.Hour,
			MaxReservations:       RelayMaxReservations,
			MaxCircuits:           RelayMaxCircuits,
			BufferSize:            RelayBufferSize,
			MaxReservationsPerIP:  8,
			MaxReservationsPerASN: 32,
		}),
		relayv2.WithACL(relayACL{allow: allow}),
	)
	if err != nil {
		return nil, err
	}
	return &relayService{r: r}, nil
}

func (s *relayService) close() { s.r.Close() }

// relayACL admits reservations from allowed peers only, and connections
// only to them.
type relayACL struct{ allow func(peer.ID) bool }

func (a relayACL) AllowReserve(p peer.ID, _ ma.Multiaddr) bool { return a.allow(p) }

func (a relayACL) AllowConnect(_ peer.ID, _ ma.Multiaddr, dest peer.ID) bool { return a.allow(dest) }
