package wire

import (
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
)

// message is what every wire message implements.
type message interface {
	Marshal() []byte
}

// Frozen encodings: if one of these fails, the wire format changed and old
// peers can no longer talk to new ones. Add a new field instead.
var fixtures = []fixture{
	{"ChatMessage", ChatMessage{ID: "m1", Body: "hi ☃", SentAt: 1700000000000},
		"0a026d311206686920e298831880d095ffbc31"},
	{"ChatAck", ChatAck{ID: "m1"},
		"0a026d31"},
	{"Presence", Presence{State: PresenceAway, Text: "at lunch"},
		"080212086174206c756e6368"},
	{"ContactRequest", ContactRequest{Kind: KindRequest, Name: "Ann", Note: "from the club", Secret: "s3cret",
		Addrs: []string{"/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/udp/4001/quic-v1"}},
		"08011203416e6e1a0d66726f6d2074686520636c756222067333637265742a172f6970342f3132372e302e302e312f7463702f343030312a1f2f6970342f3132372e302e302e312f7564702f343030312f717569632d7631"},
	{"ContactReply", ContactReply{Status: StatusAccepted, Name: "Bob"},
		"08011203426f62"},
	{"SignalOffer", Signal{Kind: SignalOffer, CallID: "c1", SDP: "v=0\r\n"},
		"0801120263311a05763d300d0a"},
	{"SignalCandidate", Signal{Kind: SignalCandidate, CallID: "c1", Candidate: `{"candidate":"x"}`},
		"08031202633122117b2263616e646964617465223a2278227d"},
	{"Invite", Invite{PeerID: fixturePeer, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}, Secret: "abcdef", Name: "Ann"},
		"0a34313244334b6f6f574134586f70314a6154334d487877594d6b436570597376346950566f704d5877437a3569485964426665534212172f6970342f3132372e302e302e312f7463702f343030311a066162636465662203416e6e"},
	{"EmptyChatMessage", ChatMessage{}, ""},
}

// fixturePeer is the peer ID of the Ed25519 key with seed 00 01 02 … 1f.
const fixturePeer = "12D3KooWA4Xop1JaT3MHxwYMkCepYsv4iPVopMXwCz5iHYdBfeSB"

const fixtureInvite = "hearth:bi2dcmsegnfw632xie2fq33qgffgcvbtjvehq52zjvvugzlqlfzxmndjkblg64cnlb3ug6rvnfefszccmzsvgqqsc4xws4buf4ytenzogaxdalrrf52gg4bpgqydami2azqwey3emvtcea2bnzxhsyox74"

type unmarshaler interface {
	message
	Unmarshal([]byte) error
}

func TestFixtures(t *testing.T) { checkFixtures(t, fixtures) }

func TestUnmarshalSkipsUnknownFields(t *testing.T) {
	// ChatAck{ID:"m1"} with, before and after it, unknown fields of every
	// wire type: varint 9, fixed64 10, bytes 11, fixed32 12, group 13.
	b, _ := hex.DecodeString("" +
		"4896" + "01" + // field 9 varint 150
		"51" + "0102030405060708" + // field 10 fixed64
		"0a026d31" + // field 1 "m1"
		"5a03616263" + // field 11 bytes "abc"
		"65" + "01020304" + // field 12 fixed32
		"6b" + "0801" + "6c") // field 13 group {1: 1}
	var a ChatAck
	if err := a.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	if a.ID != "m1" {
		t.Fatalf("ID = %q", a.ID)
	}
}

func TestUnmarshalErrors(t *testing.T) {
	cases := []struct {
		name string
		hex  string
	}{
		{"truncated tag", "80"},
		{"truncated length", "0a"},
		{"length beyond end", "0a05616263"},
		{"wrong wire type for string", "0801"},
		{"wrong wire type for varint", "1a0161"}, // field 3 sent_at as bytes
		{"invalid utf8", "1202ff00"},             // body
		{"field number zero", "0001"},            // tag 0
		{"truncated varint", "18ffffff"},         // sent_at
		{"unterminated group", "6b0801"},         // group 13 never ends
		{"fixed64 short", "51010203"},            // field 10
		{"varint overflow", "18ffffffffffffffffff7f"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := hex.DecodeString(c.hex)
			if err != nil {
				t.Fatal(err)
			}
			var m ChatMessage
			err = m.Unmarshal(b)
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
		})
	}
}

func TestUnmarshalReplaces(t *testing.T) {
	r := ContactRequest{Kind: KindAccept, Name: "old", Addrs: []string{"/ip4/1.2.3.4/tcp/1"}}
	if err := r.Unmarshal(ContactRequest{Kind: KindRequest, Addrs: []string{"a"}}.Marshal()); err != nil {
		t.Fatal(err)
	}
	want := ContactRequest{Kind: KindRequest, Addrs: []string{"a"}}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("got %#v, want %#v", r, want)
	}
}

func TestNegativeSentAt(t *testing.T) {
	m := ChatMessage{ID: "x", SentAt: -5}
	var got ChatMessage
	if err := got.Unmarshal(m.Marshal()); err != nil || got != m {
		t.Fatalf("got %#v, %v", got, err)
	}
}

func TestValidate(t *testing.T) {
	big := string(make([]byte, MaxChatBody+1))
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"chat ok", ChatMessage{ID: "a", Body: string(make([]byte, MaxChatBody))}.Validate(), nil},
		{"chat big", ChatMessage{ID: "a", Body: big}.Validate(), ErrTooLarge},
		{"chat no id", ChatMessage{Body: "x"}.Validate(), ErrInvalid},
		{"presence ok", Presence{State: PresenceBusy, Text: string(make([]byte, MaxPresenceText))}.Validate(), nil},
		{"presence big", Presence{Text: string(make([]byte, MaxPresenceText+1))}.Validate(), ErrTooLarge},
		{"request ok", ContactRequest{Kind: KindRemove}.Validate(), nil},
		{"request kind 0", ContactRequest{}.Validate(), ErrInvalid},
		{"request kind 5", ContactRequest{Kind: 5}.Validate(), ErrInvalid},
		{"request note", ContactRequest{Kind: KindRequest, Note: string(make([]byte, MaxNoteLen+1))}.Validate(), ErrTooLarge},
		{"reply big", ContactReply{Name: string(make([]byte, MaxNameLen+1))}.Validate(), ErrTooLarge},
		{"signal ok", Signal{Kind: SignalRinging, CallID: "c"}.Validate(), nil},
		{"signal kind", Signal{Kind: 8, CallID: "c"}.Validate(), ErrInvalid},
		{"signal no call", Signal{Kind: SignalHangup}.Validate(), ErrInvalid},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) || (c.want == nil && c.err != nil) {
			t.Errorf("%s: err = %v, want %v", c.name, c.err, c.want)
		}
	}
}
