package wire

import (
	"bufio"
	"bytes"
	"reflect"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"
)

// roundTrip checks the property every decoder must have: whatever decodes
// re-encodes to something that decodes to the same value.
func roundTrip[T any, P interface {
	*T
	Unmarshal([]byte) error
	Marshal() []byte
}](t *testing.T, b []byte) {
	var first T
	if err := P(&first).Unmarshal(b); err != nil {
		return
	}
	again := P(&first).Marshal()
	var second T
	if err := P(&second).Unmarshal(again); err != nil {
		t.Fatalf("re-encoded %#v does not decode: %v", first, err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Fatalf("round trip changed value:\n%#v\n%#v", first, second)
	}
	if !bytes.Equal(P(&second).Marshal(), again) {
		t.Fatal("encoding not stable")
	}
}

func FuzzReadFrame(f *testing.F) {
	seed(f)
	f.Add([]byte("\x05hello\x00\x03abc"))
	f.Add([]byte("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := bufio.NewReader(bytes.NewReader(b))
		for i := 0; i < 1000; i++ {
			p, err := ReadFrame(r, 64)
			if err != nil {
				return
			}
			if len(p) > 64 {
				t.Fatalf("frame of %d bytes above limit", len(p))
			}
			var buf bytes.Buffer
			WriteFrame(&buf, p)
			q, err := ReadFrame(bufio.NewReader(&buf), 64)
			if err != nil || !bytes.Equal(p, q) {
				t.Fatalf("frame round trip: %v", err)
			}
		}
	})
}

func FuzzChatMessage(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[ChatMessage](t, b) })
}

func FuzzChatAck(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[ChatAck](t, b) })
}

func FuzzPresence(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[Presence](t, b) })
}

func FuzzContactRequest(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[ContactRequest](t, b) })
}

func FuzzContactReply(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[ContactReply](t, b) })
}

func FuzzSignal(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[Signal](t, b) })
}

func FuzzInviteUnmarshal(f *testing.F) {
	seed(f)
	f.Fuzz(func(t *testing.T, b []byte) { roundTrip[Invite](t, b) })
}

func FuzzParseInvite(f *testing.F) {
	f.Add(fixtureInvite)
	f.Add("<" + fixtureInvite + ">\n")
	f.Add("hearth:")
	f.Add("hearth:aaaaaaaa")
	f.Add("HEARTH: abc def")
	f.Add("hello")
	if id, err := peer.Decode(fixturePeer); err == nil {
		if pub, err := id.ExtractPublicKey(); err == nil {
			if code, err := EncodeShortInvite(pub, []byte{9, 8, 7, 6}); err == nil {
				f.Add(code)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		inv, err := ParseInvite(s)
		if err != nil {
			return
		}
		code := EncodeInvite(inv)
		again, err := ParseInvite(code)
		if err != nil {
			t.Fatalf("re-encoded invite %q does not parse: %v", code, err)
		}
		if !reflect.DeepEqual(inv, again) {
			t.Fatalf("round trip changed invite:\n%#v\n%#v", inv, again)
		}
	})
}
