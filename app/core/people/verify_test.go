package people

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/crypto"
)

// TestSafetyCodeFrozen pins the derivation: changing it would make two
// versions of Hearth show different codes.
func TestSafetyCodeFrozen(t *testing.T) {
	seed := func(b byte) crypto.PubKey {
		s := make([]byte, 32)
		for i := range s {
			s[i] = b
		}
		priv, _, err := crypto.GenerateEd25519Key(fixedReader(s))
		if err != nil {
			t.Fatal(err)
		}
		return priv.GetPublic()
	}
	a, b := seed(1), seed(2)
	ab, err := safetyCode(a, b)
	if err != nil {
		t.Fatal(err)
	}
	ba, _ := safetyCode(b, a)
	if ab != ba {
		t.Fatalf("order matters: %q vs %q", ab, ba)
	}
	const want = "74157 40029 00775 33640 79692 80508 31761 09134 62674 90559 65104 61031"
	if ab != want {
		t.Errorf("safety code %q, frozen %q", ab, want)
	}
}

type fixedReader []byte

func FuzzParseSafetyCode(f *testing.F) {
	f.Add("12345 67890 12345 67890 12345 67890 12345 67890 12345 67890 12345 67890")
	f.Add(SafetyQRPrefix + strings.Repeat("0", 60))
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		digits, ok := parseSafetyCode(s)
		if ok && (len(digits) != 60 || strings.Trim(digits, "0123456789") != "") {
			t.Fatalf("%q parsed as %q", s, digits)
		}
	})
}

func BenchmarkSafetyCode(b *testing.B) {
	ka, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	kb, _, _ := crypto.GenerateEd25519Key(rand.Reader)
	for b.Loop() {
		if _, err := safetyCode(ka.GetPublic(), kb.GetPublic()); err != nil {
			b.Fatal(err)
		}
	}
}

func (r fixedReader) Read(p []byte) (int, error) { return copy(p, r), nil }
