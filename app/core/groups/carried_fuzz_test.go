package groups

import (
	"bytes"
	"testing"

	"hearth/p2p/wire"
)

// FuzzOpenedGroupFrame: whatever a sealed group payload holds, decoding it
// never panics, and only a valid message frame is taken, one that encodes
// back to an equivalent frame.
func FuzzOpenedGroupFrame(f *testing.F) {
	f.Add(wire.GroupFrame{Kind: wire.GroupKindMessage, ID: "m1", GroupID: string(bytes.Repeat([]byte("g"), wire.GroupIDLen)), Body: "hi", SentAt: 5}.Marshal())
	f.Add(wire.GroupFrame{Kind: wire.GroupKindState, ID: "s", State: []byte{1}, Signature: []byte{2}}.Marshal())
	f.Add([]byte{0x08, 0x02, 0x12})
	f.Fuzz(func(t *testing.T, b []byte) {
		fr, ok := openedGroupFrame(b)
		if !ok {
			return
		}
		if fr.Kind != wire.GroupKindMessage || fr.Validate() != nil {
			t.Fatalf("took %+v", fr)
		}
		again, ok := openedGroupFrame(fr.Marshal())
		if !ok || again.ID != fr.ID || again.GroupID != fr.GroupID || again.Body != fr.Body || again.SentAt != fr.SentAt {
			t.Fatalf("round trip: %+v -> %+v", fr, again)
		}
	})
}
