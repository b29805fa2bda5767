package wire

import (
	"errors"
	"strings"
	"testing"
)

var fixtureEnv = Envelope{Version: 1, Recipient: fixturePeer, ID: "e1", Expires: 1700000000000,
	Ephemeral: []byte(strings.Repeat("k", SealKeySize)), Box: []byte("sealed")}

// Frozen encodings of the store-and-forward messages.
var carryFixtures = []fixture{
	{"Envelope", fixtureEnv,
		"08011234313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a356948596442666553421a0265312080d095ffbc312a206b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b32067365616c6564"},
	{"SealedContent", SealedContent{Sender: fixturePeer, Kind: SealedChat, Payload: []byte{1, 2}, Signature: []byte(strings.Repeat("s", SignatureSize))},
		"0a34313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a3569485964426665534210011a020102224073737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373737373"},
	{"SealedAck", SealedAck{IDs: []string{"m1", "m2"}},
		"0a026d310a026d32"},
	{"CarryDeposit", CarryRequest{Deposit: &fixtureEnv},
		"0a6d08011234313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a356948596442666553421a0265312080d095ffbc312a206b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b32067365616c6564"},
	{"CarryHandover", CarryRequest{Handover: &fixtureEnv},
		"126d08011234313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a356948596442666553421a0265312080d095ffbc312a206b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b6b32067365616c6564"},
	{"CarryReply", CarryReply{ID: "e1", Status: CarryFull, Reason: "quota"},
		"0a02653110041a0571756f7461"},
}

func TestCarryFixtures(t *testing.T) { checkFixtures(t, carryFixtures) }

func TestCarryValidate(t *testing.T) {
	bad := map[string]interface{ Validate() error }{
		"envelope without recipient": Envelope{ID: "e", Expires: 1, Ephemeral: make([]byte, 32), Box: []byte{1}},
		"envelope without id":        Envelope{Recipient: "r", Expires: 1, Ephemeral: make([]byte, 32), Box: []byte{1}},
		"envelope without expiry":    Envelope{Recipient: "r", ID: "e", Ephemeral: make([]byte, 32), Box: []byte{1}},
		"envelope with short key":    Envelope{Recipient: "r", ID: "e", Expires: 1, Ephemeral: make([]byte, 31), Box: []byte{1}},
		"envelope without box":       Envelope{Recipient: "r", ID: "e", Expires: 1, Ephemeral: make([]byte, 32)},
		"envelope with huge box":     Envelope{Recipient: "r", ID: "e", Expires: 1, Ephemeral: make([]byte, 32), Box: make([]byte, MaxEnvelopeBox+1)},
		"content without sender":     SealedContent{Signature: make([]byte, 64)},
		"content with short sig":     SealedContent{Sender: "s", Signature: make([]byte, 63)},
		"content with huge payload":  SealedContent{Sender: "s", Payload: make([]byte, MaxSealedPayload+1), Signature: make([]byte, 64)},
		"empty ack":                  SealedAck{},
		"ack with empty id":          SealedAck{IDs: []string{"a", ""}},
		"request with nothing":       CarryRequest{},
		"request with both":          CarryRequest{Deposit: &fixtureEnv, Handover: &fixtureEnv},
		"request with bad envelope":  CarryRequest{Deposit: &Envelope{}},
		"reply without id":           CarryReply{Status: CarryOK},
		"reply with long reason":     CarryReply{ID: "e", Reason: strings.Repeat("x", MaxReasonLen+1)},
	}
	for name, m := range bad {
		if err := m.Validate(); !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	for _, m := range []interface{ Validate() error }{fixtureEnv, CarryRequest{Handover: &fixtureEnv}, SealedAck{IDs: []string{"m"}}} {
		if err := m.Validate(); err != nil {
			t.Errorf("%#v: %v", m, err)
		}
	}
	// The largest envelope fits a carry frame.
	big := fixtureEnv
	big.Recipient = strings.Repeat("r", MaxPeerIDLen)
	big.ID = strings.Repeat("i", MaxIDLen)
	big.Box = make([]byte, MaxEnvelopeBox)
	if n := len(CarryRequest{Deposit: &big}.Marshal()); n > MaxCarryFrame {
		t.Fatalf("largest deposit is %d bytes, frame limit %d", n, MaxCarryFrame)
	}
}

func FuzzEnvelope(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[Envelope](t, b)
		var e Envelope
		if e.Unmarshal(b) == nil && e.Validate() == nil && len(e.Box) > MaxEnvelopeBox {
			t.Fatalf("Validate passed a box of %d bytes", len(e.Box))
		}
	})
}

func FuzzSealedContent(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[SealedContent](t, b) })
}

func FuzzSealedAck(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[SealedAck](t, b) })
}

func FuzzCarryRequest(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[CarryRequest](t, b)
		var r CarryRequest
		if r.Unmarshal(b) == nil && r.Validate() == nil && (r.Deposit == nil) == (r.Handover == nil) {
			t.Fatalf("Validate passed %#v", r)
		}
	})
}

func FuzzCarryReply(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[CarryReply](t, b) })
}
