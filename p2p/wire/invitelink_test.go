package wire

import "testing"

// TestInviteAsLink: the code is itself a hearth: link; the forms a
// browser or desktop may hand over (hearth://…, upper-case scheme, angle
// brackets from a mail) read the same.
func TestInviteAsLink(t *testing.T) {
	want, err := ParseInvite(fixtureInvite)
	if err != nil {
		t.Fatal(err)
	}
	body := fixtureInvite[len(InvitePrefix):]
	for _, s := range []string{"hearth://" + body, "HEARTH:" + body, "<hearth:" + body + ">", "hearth:" + body + "/"} {
		got, err := ParseInvite(s)
		if err != nil || got.PeerID != want.PeerID || got.Secret != want.Secret {
			t.Errorf("%.20q…: %v", s, err)
		}
	}
}
