package wire

import "testing"

// seedConvo seeds a corpus with the conversation updates' fixtures and an edit
// with empty fields.
func seedConvo(f *testing.F) { seedWith(f, convoFixtures, []byte("\x08\x03\x12\x00\x20\x01")) }

func FuzzChatUpdate(f *testing.F) {
	seedConvo(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[ChatUpdate](t, b)
		var u ChatUpdate
		if u.Unmarshal(b) == nil && u.Validate() == nil {
			if len(u.Target) > MaxIDLen || len(u.Body) > MaxChatBody || u.Kind == 0 {
				t.Fatalf("Validate passed %#v", u)
			}
			if u.Kind == UpdateReact && len(u.Body) > MaxReaction {
				t.Fatalf("Validate passed a reaction of %d bytes", len(u.Body))
			}
			if (u.Kind == UpdateEdit || u.Kind == UpdateDelete || u.Kind == UpdateReact) && (u.At <= 0 || u.Target == "") {
				t.Fatalf("Validate passed a change without target or time: %#v", u)
			}
		}
	})
}

func FuzzChatMessageReply(f *testing.F) {
	seedConvo(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[ChatMessage](t, b)
		var m ChatMessage
		if m.Unmarshal(b) == nil && m.Validate() == nil && len(m.ReplyTo) > MaxIDLen {
			t.Fatalf("Validate passed %#v", m)
		}
	})
}
