package wire

import (
	"encoding/hex"
	"reflect"
	"testing"
)

// fixture is a frozen encoding: if msg no longer marshals to hex, or hex
// no longer unmarshals to msg, the wire format changed and old peers can
// no longer talk to new ones. Add a new field instead.
type fixture struct {
	name string
	msg  message // a value of a message type whose pointer is an unmarshaler
	hex  string
}

// checkFixtures runs a subtest per fixture that encodes its message and
// decodes its bytes.
func checkFixtures(t *testing.T, fs []fixture) {
	t.Helper()
	for _, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			if got := hex.EncodeToString(f.msg.Marshal()); got != f.hex {
				t.Fatalf("encoding changed:\n got %s\nwant %s", got, f.hex)
			}
			b, err := hex.DecodeString(f.hex)
			if err != nil {
				t.Fatalf("fixture is not hex: %v", err)
			}
			dst, ok := reflect.New(reflect.TypeOf(f.msg)).Interface().(unmarshaler)
			if !ok {
				t.Fatalf("*%T has no Unmarshal", f.msg)
			}
			if err := dst.Unmarshal(b); err != nil {
				t.Fatalf("decoding fixture: %v", err)
			}
			// dst is a pointer; compare with the value.
			if v := reflect.ValueOf(dst).Elem().Interface(); !reflect.DeepEqual(v, f.msg) {
				t.Fatalf("decoded %#v, want %#v", v, f.msg)
			}
		})
	}
}

// seed adds every fixture's bytes to a fuzz corpus.
func seed(f *testing.F) { seedWith(f, nil) }

// seedWith adds to a fuzz corpus the bytes of the package's first
// fixtures and of more, a few malformed inputs, and extra.
func seedWith(f *testing.F, more []fixture, extra ...[]byte) {
	for _, fs := range [][]fixture{fixtures, more} {
		for _, fx := range fs {
			b, _ := hex.DecodeString(fx.hex)
			f.Add(b)
		}
	}
	f.Add([]byte("\x0a\x02\xff\xfe"))
	f.Add([]byte("\x6b\x08\x01\x6c\x0a\x01a"))
	for _, b := range extra {
		f.Add(b)
	}
}
