package pake

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/gtank/ristretto255"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func scalar(t testing.TB, s string) *ristretto255.Scalar {
	t.Helper()
	y := ristretto255.NewScalar()
	if err := y.Decode(unhex(t, s)); err != nil {
		t.Fatal(err)
	}
	return y
}

// The ristretto255/SHA-512 test vectors of draft-irtf-cfrg-cpace
// (testvectors.md, "Test vector for CPace using group ristretto255 and
// hash SHA-512"), checked step by step.
var draft = struct {
	prs, ci, sid, ada, adb       string
	genString, g, ya, Ya, yb, Yb string
	K, isk                       string
}{
	prs: "50617373776f7264", // "Password"
	ci:  "6f630b425f726573706f6e6465720b415f696e69746961746f72",
	sid: "7e4b4791d6a8ef019b936c79fb7f2c57",
	ada: "414461", adb: "414462",
	genString: `11435061636552697374726574746f3235350850617373776f726464
		00000000000000000000000000000000000000000000000000000000
		00000000000000000000000000000000000000000000000000000000
		00000000000000000000000000000000000000000000000000000000
		000000000000000000000000000000001a6f630b425f726573706f6e
		6465720b415f696e69746961746f72107e4b4791d6a8ef019b936c79
		fb7f2c57`,
	g:  "a6fc82c3b8968fbb2e06fee81ca858586dea50d248f0c7ca6a18b0902a30b36b",
	ya: "da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08",
	Ya: "d40fb265a7abeaee7939d91a585fe59f7053f982c296ec413c624c669308f87a",
	yb: "d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d",
	Yb: "08bcf6e9777a9c313a3db6daa510f2d398403319c2341bd506a92e672eb7e307",
	K:  "e22b1ef7788f661478f3cddd4c600774fc0f41e6b711569190ff88fa0e607e09",
	isk: `4c5469a16b2364c4b944ebc1a79e51d1674ad47db26e8718154f59fa
		ebfaa52d8346f30aa58377117eb20d527f2cbc5c76381f7fd372e89d
		f8239f87f2e02ed1`,
}

func TestDraftVectors(t *testing.T) {
	prs, ci, sid := unhex(t, draft.prs), unhex(t, draft.ci), unhex(t, draft.sid)
	if got := generatorString(prs, ci, sid); !bytes.Equal(got, unhex(t, draft.genString)) {
		t.Fatalf("generator string\n got %x\nwant %s", got, draft.genString)
	}
	if got := generator(prs, ci, sid).Encode(nil); !bytes.Equal(got, unhex(t, draft.g)) {
		t.Fatalf("generator %x, want %s", got, draft.g)
	}
	a, err := start(Initiator, prs, ci, sid, unhex(t, draft.ada), scalar(t, draft.ya))
	if err != nil {
		t.Fatal(err)
	}
	b, err := start(Responder, prs, ci, sid, unhex(t, draft.adb), scalar(t, draft.yb))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Message(), unhex(t, draft.Ya)) || !bytes.Equal(b.Message(), unhex(t, draft.Yb)) {
		t.Fatalf("Ya %x Yb %x", a.Message(), b.Message())
	}
	ka, err := a.Finish(b.Message(), unhex(t, draft.adb))
	if err != nil {
		t.Fatal(err)
	}
	kb, err := b.Finish(a.Message(), unhex(t, draft.ada))
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, draft.isk)
	if !bytes.Equal(ka.isk[:], want) || !bytes.Equal(kb.isk[:], want) {
		t.Fatalf("ISK\n  a %x\n  b %x\nwant %x", ka.isk, kb.isk, want)
	}
}

// Hearth's own additions on the draft's run, frozen: if these change, old
// and new Hearth versions can no longer pair.
func TestFrozenConfirmation(t *testing.T) {
	prs, ci, sid := unhex(t, draft.prs), unhex(t, draft.ci), unhex(t, draft.sid)
	a, _ := start(Initiator, prs, ci, sid, unhex(t, draft.ada), scalar(t, draft.ya))
	b, _ := start(Responder, prs, ci, sid, unhex(t, draft.adb), scalar(t, draft.yb))
	ka, _ := a.Finish(b.Message(), unhex(t, draft.adb))
	kb, _ := b.Finish(a.Message(), unhex(t, draft.ada))
	cases := []struct{ name, got, want string }{
		{"initiator tag", hex.EncodeToString(ka.Confirm([]byte("Ann"))), frozenTagA},
		{"responder tag", hex.EncodeToString(kb.Confirm([]byte("Bob"))), frozenTagB},
		{"session key", hex.EncodeToString(ka.Key()), frozenKey},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s changed:\n got %s\nwant %s", c.name, c.got, c.want)
		}
	}
	if err := kb.Verify(ka.Confirm([]byte("Ann")), []byte("Ann")); err != nil {
		t.Fatal(err)
	}
	if err := ka.Verify(kb.Confirm([]byte("Bob")), []byte("Bob")); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ka.Key(), kb.Key()) {
		t.Fatal("keys differ")
	}
}

const (
	frozenTagA = "f13f4b2bb13073607962d8ca305651c48db39e464abc8beebd9e2a5008d9bf47"
	frozenTagB = "cf57c286525cb603049e9660bed3b1a51d8c616d8715b9a077801385f60b37e0"
	frozenKey  = "674579bbbadbee8179d8f0481256e24dc9231c6a61d6b23138f4fffc0c44447c"
)

// run does a whole exchange with random scalars.
func run(t *testing.T, codeA, codeB string) (ka, kb *Session) {
	t.Helper()
	ci, sid := []byte("ci"), []byte("0123456789abcdef")
	a, err := Start(Initiator, []byte(codeA), ci, sid, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Start(Responder, []byte(codeB), ci, sid, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ka, err = a.Finish(b.Message(), nil); err != nil {
		t.Fatal(err)
	}
	if kb, err = b.Finish(a.Message(), nil); err != nil {
		t.Fatal(err)
	}
	return ka, kb
}

func TestSameCodeSameKey(t *testing.T) {
	ka, kb := run(t, "7-orbit-maple-sugar", "7-orbit-maple-sugar")
	if !bytes.Equal(ka.Key(), kb.Key()) || len(ka.Key()) != KeyLen {
		t.Fatal("same code, different keys")
	}
	if err := ka.Verify(kb.Confirm([]byte("Bob")), []byte("Bob")); err != nil {
		t.Fatal(err)
	}
	if err := kb.Verify(ka.Confirm(nil), nil); err != nil {
		t.Fatal(err)
	}
	// A tag proves one side's role and extra bytes, nothing else.
	if err := kb.Verify(kb.Confirm(nil), nil); !errors.Is(err, ErrMismatch) {
		t.Fatal("a reflected tag was accepted")
	}
	if err := ka.Verify(kb.Confirm([]byte("Bob")), []byte("Eve")); !errors.Is(err, ErrMismatch) {
		t.Fatal("a tag over another name was accepted")
	}
	// Two runs with the same code give fresh keys.
	kc, _ := run(t, "7-orbit-maple-sugar", "7-orbit-maple-sugar")
	if bytes.Equal(ka.Key(), kc.Key()) {
		t.Fatal("two runs gave the same key")
	}
}

func TestDifferentCodeFailsBothWays(t *testing.T) {
	ka, kb := run(t, "7-orbit-maple-sugar", "7-orbit-maple-salad")
	if bytes.Equal(ka.Key(), kb.Key()) {
		t.Fatal("different codes, same key")
	}
	if err := ka.Verify(kb.Confirm(nil), nil); !errors.Is(err, ErrMismatch) {
		t.Fatalf("initiator: %v, want ErrMismatch", err)
	}
	if err := kb.Verify(ka.Confirm(nil), nil); !errors.Is(err, ErrMismatch) {
		t.Fatalf("responder: %v, want ErrMismatch", err)
	}
}

func TestChannelAndSessionBound(t *testing.T) {
	a, _ := Start(Initiator, []byte("code"), []byte("A|B"), []byte("sid"), nil)
	b, _ := Start(Responder, []byte("code"), []byte("M|B"), []byte("sid"), nil)
	ka, _ := a.Finish(b.Message(), nil)
	kb, _ := b.Finish(a.Message(), nil)
	if kb.Verify(ka.Confirm(nil), nil) == nil {
		t.Fatal("runs on different channels confirmed each other")
	}
}

func TestBadPoints(t *testing.T) {
	s, _ := Start(Responder, []byte("code"), nil, []byte("sid"), nil)
	nonCanonical := unhex(t, "2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c") // from the draft
	allFF := bytes.Repeat([]byte{0xff}, 32)
	negative := append([]byte{1}, make([]byte, 31)...) // s = 1 is negative
	for name, msg := range map[string][]byte{
		"identity":      make([]byte, 32),
		"non-canonical": nonCanonical,
		"above p":       allFF,
		"negative":      negative,
		"short":         make([]byte, 31),
		"long":          make([]byte, 33),
		"empty":         nil,
	} {
		if _, err := s.Finish(msg, nil); !errors.Is(err, ErrBadPoint) {
			t.Errorf("%s: %v, want ErrBadPoint", name, err)
		}
	}
	if _, err := Start(Role(9), nil, nil, nil, nil); !errors.Is(err, ErrRole) {
		t.Fatalf("bad role: %v", err)
	}
}

func TestPrependLen(t *testing.T) {
	r127, r128 := make([]byte, 127), make([]byte, 128)
	for i := range r128 {
		r128[i] = byte(i)
		if i < 127 {
			r127[i] = byte(i)
		}
	}
	if got := prependLen(nil); !bytes.Equal(got, []byte{0}) {
		t.Fatalf("%x", got)
	}
	if got := prependLen(r127); got[0] != 0x7f || len(got) != 128 {
		t.Fatalf("%x", got[:2])
	}
	if got := prependLen(r128); got[0] != 0x80 || got[1] != 0x01 || len(got) != 130 {
		t.Fatalf("%x", got[:2])
	}
	if got := lvCat([]byte("1234"), []byte("5"), nil, []byte("6789")); hex.EncodeToString(got) != "04313233340135000436373839" {
		t.Fatalf("%x", got)
	}
}

// FuzzFinish: any bytes as the peer's message give a session or
// ErrBadPoint, never a panic.
func FuzzFinish(f *testing.F) {
	f.Add(make([]byte, 32))
	f.Add(bytes.Repeat([]byte{0xff}, 32))
	f.Add([]byte{1, 2, 3})
	s, err := Start(Responder, []byte("code"), []byte("ci"), []byte("sid"), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.Message())
	f.Fuzz(func(t *testing.T, msg []byte) {
		k, err := s.Finish(msg, nil)
		if err != nil {
			if !errors.Is(err, ErrBadPoint) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(k.Key()) != KeyLen || k.Verify(make([]byte, TagLen), nil) == nil {
			t.Fatal("a zero tag verified")
		}
	})
}
