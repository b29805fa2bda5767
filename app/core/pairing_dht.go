package core

import (
	"context"
	"errors"

	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"

	paircode "hearth/p2p/pair"
)

// dhtRendezvous meets over the DHT (not built yet).
type dhtRendezvous struct{ bootstrap []peer.AddrInfo }

func newDHTRendezvous(bootstrap []peer.AddrInfo) dhtRendezvous { return dhtRendezvous{bootstrap} }

func (dhtRendezvous) Announce(host.Host, paircode.Code) (func(), error) {
	return nil, errors.New("not yet")
}

func (dhtRendezvous) Find(context.Context, paircode.Code) (<-chan peer.AddrInfo, error) {
	return nil, errors.New("not yet")
}
