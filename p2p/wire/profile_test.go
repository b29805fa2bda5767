package wire

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// The profile encoding is frozen like the others in fixtures.
var profileFixtures = []fixture{
	{"Profile", Profile{Name: "Ann", AvatarType: "image/png", Avatar: []byte("\x89PNG")}, "0a03416e6e1209696d6167652f706e671a0489504e47"},
}

func TestProfileFixture(t *testing.T) {
	checkFixtures(t, profileFixtures)
	b, _ := hex.DecodeString(profileFixtures[0].hex)
	var q Profile
	if err := q.Unmarshal(b); err != nil {
		t.Fatal(err)
	}
	// The decoded avatar owns its bytes.
	b[len(b)-1] = 'X'
	if q.Avatar[3] != 'G' {
		t.Fatal("Avatar aliases the input")
	}
}

func TestProfileValidate(t *testing.T) {
	img := bytes.Repeat([]byte{1}, MaxAvatar)
	ok := []Profile{
		{Name: "Ann"},
		{Name: strings.Repeat("n", MaxNameLen), AvatarType: "image/jpeg", Avatar: img},
	}
	for _, p := range ok {
		if err := p.Validate(); err != nil {
			t.Errorf("%.40q: %v", p.Name, err)
		}
	}
	bad := map[string]struct {
		p    Profile
		want error
	}{
		"no name":         {Profile{}, ErrInvalid},
		"long name":       {Profile{Name: strings.Repeat("n", MaxNameLen+1)}, ErrTooLarge},
		"big avatar":      {Profile{Name: "a", AvatarType: "image/png", Avatar: append(img, 1)}, ErrTooLarge},
		"type, no avatar": {Profile{Name: "a", AvatarType: "image/png"}, ErrInvalid},
		"svg":             {Profile{Name: "a", AvatarType: "image/svg+xml", Avatar: []byte("<svg/>")}, ErrInvalid},
		"no type":         {Profile{Name: "a", Avatar: []byte{1}}, ErrInvalid},
	}
	for name, c := range bad {
		if err := c.p.Validate(); !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want %v", name, err, c.want)
		}
	}
}

func FuzzProfile(f *testing.F) {
	seedWith(f, profileFixtures)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[Profile](t, b)
		var p Profile
		if p.Unmarshal(b) == nil && p.Validate() == nil && len(p.Avatar) > MaxAvatar {
			t.Fatal("Validate passed an oversized avatar")
		}
	})
}
