package wire

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
)

var fixtureEnv = Envelope{Version: 1, Recipient: fixturePeer, ID: "e1", Expires: 1700000000000,
	Ephemeral: []byte(strings.Repeat("k", SealKeySize)), Box: []byte("sealed")}

var fixtureCarriedFile = CarriedFile{
	Offer: FileOffer{TransferID: "t1", Name: "a.txt", Size: 2, MIME: "text/plain", SHA256: sha256.Sum256([]byte("hi"))},
	Data:  []byte("hi"),
}

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
	{"CarriedFile", fixtureCarriedFile, "0a3b0a0274311205612e7478741802220a746578742f706c61696e2a208f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa412026869"},
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
		"ack with too many ids":      SealedAck{IDs: make([]string, MaxSealedAcks+1)},
		"request with nothing":       CarryRequest{},
		"request with both":          CarryRequest{Deposit: &fixtureEnv, Handover: &fixtureEnv},
		"request with bad envelope":  CarryRequest{Deposit: &Envelope{}},
		"reply without id":           CarryReply{Status: CarryOK},
		"reply with long reason":     CarryReply{ID: "e", Reason: strings.Repeat("x", MaxReasonLen+1)},
		"file with bad offer":        CarriedFile{Offer: FileOffer{Name: "a"}},
		"file in a bad group":        withOffer(func(o *FileOffer) { o.Group = "ab" }),
		"file of other data":         CarriedFile{Offer: fixtureCarriedFile.Offer, Data: []byte("ho")},
		"file cut short":             CarriedFile{Offer: fixtureCarriedFile.Offer, Data: []byte("h")},
		"file too large":             bigCarriedFile(MaxCarriedFile + 1),
	}
	for name, m := range bad {
		if err := m.Validate(); !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Validate = %v", name, err)
		}
	}
	good := []interface{ Validate() error }{fixtureEnv, CarryRequest{Handover: &fixtureEnv}, SealedAck{IDs: []string{"m"}},
		fixtureCarriedFile, bigCarriedFile(MaxCarriedFile), bigCarriedFile(0),
		withOffer(func(o *FileOffer) { o.Group = strings.Repeat("ab", GroupIDLen/2) })}
	for _, m := range good {
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
	// The largest carried file, with the longest name, ID and media type,
	// fits a sealed payload.
	file := bigCarriedFile(MaxCarriedFile)
	file.Offer.TransferID = strings.Repeat("i", MaxIDLen)
	file.Offer.Name = strings.Repeat("n", MaxFileNameLen)
	file.Offer.MIME = strings.Repeat("m", MaxMIMELen)
	if err := file.Validate(); err != nil {
		t.Fatal(err)
	}
	if n := len(file.Marshal()); n > MaxSealedPayload {
		t.Fatalf("largest carried file is %d bytes, sealed payload limit %d", n, MaxSealedPayload)
	}
}

// bigCarriedFile is a valid carried file of n bytes (n over the limit
// makes an invalid one).
func bigCarriedFile(n int) CarriedFile {
	data := make([]byte, n)
	return CarriedFile{Offer: FileOffer{TransferID: "t", Name: "big.bin", Size: int64(n), SHA256: sha256.Sum256(data)}, Data: data}
}

func withOffer(change func(*FileOffer)) CarriedFile {
	c := fixtureCarriedFile
	change(&c.Offer)
	return c
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

func FuzzCarriedFile(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[CarriedFile](t, b)
		var c CarriedFile
		if c.Unmarshal(b) == nil && c.Validate() == nil &&
			(int64(len(c.Data)) != c.Offer.Size || len(c.Data) > MaxCarriedFile || sha256.Sum256(c.Data) != c.Offer.SHA256) {
			t.Fatalf("Validate passed %d bytes for an offer of %d", len(c.Data), c.Offer.Size)
		}
	})
}

func FuzzCarryReply(f *testing.F) {
	seedWith(f, carryFixtures)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[CarryReply](t, b) })
}
