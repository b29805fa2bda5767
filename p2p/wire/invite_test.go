package wire

import (
	"crypto/rand"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

func TestInviteFixture(t *testing.T) {
	inv := Invite{PeerID: fixturePeer, Addrs: []string{"/ip4/127.0.0.1/tcp/4001"}, Secret: "abcdef", Name: "Ann"}
	if got := EncodeInvite(inv); got != fixtureInvite {
		t.Fatalf("invite encoding changed:\n got %s\nwant %s", got, fixtureInvite)
	}
	got, err := ParseInvite(fixtureInvite)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, inv) {
		t.Fatalf("got %#v", got)
	}
	if strings.ContainsAny(fixtureInvite, " \n=+/") {
		t.Fatal("code has characters that break in chat or mail")
	}
}

func TestParseInviteForgiving(t *testing.T) {
	body := fixtureInvite[len(InvitePrefix):]
	inputs := []string{
		"  " + fixtureInvite + "\n",
		"<" + fixtureInvite + ">",
		"\t<" + fixtureInvite + ">\r\n",
		strings.ToUpper(fixtureInvite),
		InvitePrefix + body[:40] + "\n" + body[40:80] + " " + body[80:], // wrapped by a mail client
	}
	for _, in := range inputs {
		if _, err := ParseInvite(in); err != nil {
			t.Errorf("ParseInvite(%q): %v", in, err)
		}
	}
}

func TestParseInviteErrors(t *testing.T) {
	body := fixtureInvite[len(InvitePrefix):]
	flip := []byte(body)
	if flip[20] == 'a' {
		flip[20] = 'b'
	} else {
		flip[20] = 'a'
	}
	badPeer := EncodeInvite(Invite{PeerID: "not-a-peer", Secret: "x"})
	cases := []struct {
		name, in string
		want     error
	}{
		{"empty", "", ErrNotInvite},
		{"other text", "hello there", ErrNotInvite},
		{"url", "https://example.com/hearth:abc", ErrNotInvite},
		{"changed character", InvitePrefix + string(flip), ErrBadInvite},
		{"cut short", fixtureInvite[:len(fixtureInvite)-10], ErrBadInvite},
		{"cut to prefix", InvitePrefix, ErrBadInvite},
		{"bad character", InvitePrefix + "abc!defg", ErrBadInvite},
		{"digit 1 is not base32", InvitePrefix + "aaaaaaa1", ErrBadInvite},
		{"too long", InvitePrefix + strings.Repeat("a", MaxInviteLen), ErrBadInvite},
		{"bad peer id", badPeer, ErrBadInvite},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseInvite(c.in)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestParseInviteDropsBadAddrs(t *testing.T) {
	code := EncodeInvite(Invite{PeerID: fixturePeer, Addrs: []string{"nonsense", "/ip4/127.0.0.1/tcp/1", "/ip4/999.1.1.1/tcp/1"}})
	inv, err := ParseInvite(code)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/ip4/127.0.0.1/tcp/1"}; !reflect.DeepEqual(inv.Addrs, want) {
		t.Fatalf("Addrs = %q, want %q", inv.Addrs, want)
	}
}

func TestShortInvite(t *testing.T) {
	_, pub, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte{1, 2, 3, 4}
	code, err := EncodeShortInvite(pub, secret)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) >= 60 {
		t.Fatalf("short code %q is %d characters, want < 60", code, len(code))
	}
	id, _ := peer.IDFromPublicKey(pub)
	for _, in := range []string{code, "  " + code + "\n", "hearth://" + code[len(InvitePrefix):], "<" + code + ">"} {
		inv, err := ParseInvite(in)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if inv.PeerID != id.String() || inv.Secret != ShortSecret(secret) || len(inv.Addrs) != 0 {
			t.Fatalf("%q parsed as %+v", in, inv)
		}
	}
	// One character changed: the checksum catches it (or the text is no
	// code at all).
	b := []byte(code)
	i := len(InvitePrefix) + 10
	if b[i] == 'x' {
		b[i] = 'y'
	} else {
		b[i] = 'x'
	}
	if _, err := ParseInvite(string(b)); !errors.Is(err, ErrBadInvite) {
		t.Fatalf("changed character: err = %v, want ErrBadInvite", err)
	}
	if _, err := EncodeShortInvite(pub, []byte{1}); !errors.Is(err, ErrBadInvite) {
		t.Fatalf("short secret: err = %v", err)
	}
	// Long codes still parse.
	if _, err := ParseInvite(fixtureInvite); err != nil {
		t.Fatalf("old long code: %v", err)
	}
}
