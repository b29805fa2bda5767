package group

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"

	"hearth/p2p/wire"
)

// Domain separation: a group state signature can never be mistaken for a
// signature over anything else the identity key signs.
const (
	signContext = "hearth group state v1\x00"
	idContext   = "hearth group id v1\x00"
)

// StateID derives a group's ID from its creator and nonce.
func StateID(creator string, nonce []byte) string {
	h := sha256.New()
	h.Write([]byte(idContext))
	h.Write([]byte(creator))
	h.Write([]byte{0})
	h.Write(nonce)
	return hex.EncodeToString(h.Sum(nil))[:wire.GroupIDLen]
}

// Sign encodes st and signs it with key, which must be st.Creator's. It
// checks st first, so a state it signs is one Verify accepts.
func Sign(key crypto.PrivKey, st wire.GroupState) (state, sig []byte, err error) {
	id, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("signing group state: %w", err)
	}
	if id.String() != st.Creator {
		return nil, nil, fmt.Errorf("signing group state: key is not the creator's: %w", ErrBadState)
	}
	if err := st.Validate(); err != nil {
		return nil, nil, fmt.Errorf("signing group state: %w", err)
	}
	if StateID(st.Creator, st.Nonce) != st.ID {
		return nil, nil, fmt.Errorf("signing group state: ID not derived from creator: %w", ErrBadState)
	}
	state = st.Marshal()
	if len(state) > wire.MaxGroupState {
		return nil, nil, fmt.Errorf("signing group state: %d bytes, limit %d: %w", len(state), wire.MaxGroupState, wire.ErrTooLarge)
	}
	sig, err = key.Sign(append([]byte(signContext), state...))
	if err != nil {
		return nil, nil, fmt.Errorf("signing group state: %w", err)
	}
	return state, sig, nil
}

// Verify decodes a signed state and checks it: limits, an ID derived from
// its creator, and the creator's signature.
func Verify(state, sig []byte) (wire.GroupState, error) {
	var st wire.GroupState
	if len(state) > wire.MaxGroupState || len(sig) > wire.MaxSignature {
		return st, fmt.Errorf("%w: too large", ErrBadState)
	}
	if err := st.Unmarshal(state); err != nil {
		return wire.GroupState{}, fmt.Errorf("%w: %v", ErrBadState, err)
	}
	if err := st.Validate(); err != nil {
		return wire.GroupState{}, fmt.Errorf("%w: %v", ErrBadState, err)
	}
	if StateID(st.Creator, st.Nonce) != st.ID {
		return wire.GroupState{}, fmt.Errorf("%w: ID not derived from its creator", ErrBadState)
	}
	creator, err := peer.Decode(st.Creator)
	if err != nil {
		return wire.GroupState{}, fmt.Errorf("%w: creator: %v", ErrBadState, err)
	}
	pub, err := creator.ExtractPublicKey()
	if err != nil {
		return wire.GroupState{}, fmt.Errorf("%w: creator key: %v", ErrBadState, err)
	}
	ok, err := pub.Verify(append([]byte(signContext), state...), sig)
	if err != nil || !ok {
		return wire.GroupState{}, fmt.Errorf("%w: bad signature", ErrBadState)
	}
	return st, nil
}
