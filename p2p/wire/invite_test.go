package wire

import (
	"errors"
	"reflect"
	"strings"
	"testing"
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
