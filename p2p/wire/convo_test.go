package wire

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// convoFixtures freeze the encodings added for replies, receipts, typing,
// edits, deletes and reactions.
var convoFixtures = []fixture{
	{"ChatMessageReply", ChatMessage{ID: "m2", Body: "yes", SentAt: 1700000000000, ReplyTo: "m1"},
		"0a026d3212037965731880d095ffbc3122026d31"},
	{"UpdateTyping", ChatUpdate{Kind: UpdateTyping},
		"0801"},
	{"UpdateRead", ChatUpdate{Kind: UpdateRead, Target: "m1"},
		"080212026d31"},
	{"UpdateEdit", ChatUpdate{Kind: UpdateEdit, Target: "m1", Body: "hi ☃", At: 1700000000000},
		"080312026d311a06686920e298832080d095ffbc31"},
	{"UpdateDelete", ChatUpdate{Kind: UpdateDelete, Target: "m1", At: 1700000000000},
		"080412026d312080d095ffbc31"},
	{"UpdateReact", ChatUpdate{Kind: UpdateReact, Target: "m1", Body: "👍", At: 1700000000000},
		"080512026d311a04f09f918d2080d095ffbc31"},
}

func TestConvoFixtures(t *testing.T) { checkFixtures(t, convoFixtures) }

// An old peer's message (no ReplyTo) still decodes, and a reply decodes as
// a plain message for a reader that only knows the first three fields.
func TestChatMessageReplyCompatible(t *testing.T) {
	old, _ := hex.DecodeString("0a026d311206686920e298831880d095ffbc31")
	var m ChatMessage
	if err := m.Unmarshal(old); err != nil || m.ReplyTo != "" || m.Body != "hi ☃" {
		t.Fatalf("old frame: %#v, %v", m, err)
	}
	reply, _ := hex.DecodeString(convoFixtures[0].hex)
	var ack ChatAck // knows field 1 only: stands in for an older reader
	if err := ack.Unmarshal(reply); err != nil || ack.ID != "m2" {
		t.Fatalf("older reader: %#v, %v", ack, err)
	}
}

func TestChatMessageReplyLimit(t *testing.T) {
	m := ChatMessage{ID: "m", ReplyTo: strings.Repeat("r", MaxIDLen)}
	if err := m.Validate(); err != nil {
		t.Fatalf("reply-to at the limit: %v", err)
	}
	m.ReplyTo += "r"
	if err := m.Validate(); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("reply-to above the limit: %v", err)
	}
}

func TestChatUpdateValidate(t *testing.T) {
	long := strings.Repeat("x", MaxIDLen+1)
	cases := []struct {
		name string
		u    ChatUpdate
		want error
	}{
		{"typing", ChatUpdate{Kind: UpdateTyping}, nil},
		{"read", ChatUpdate{Kind: UpdateRead, Target: "m1"}, nil},
		{"edit", ChatUpdate{Kind: UpdateEdit, Target: "m1", Body: "x", At: 1}, nil},
		{"delete", ChatUpdate{Kind: UpdateDelete, Target: "m1", At: 1}, nil},
		{"unknown kind from a newer peer", ChatUpdate{Kind: 99, Target: "m1"}, nil},
		{"no kind", ChatUpdate{Target: "m1"}, ErrInvalid},
		{"read without target", ChatUpdate{Kind: UpdateRead}, ErrInvalid},
		{"edit without text", ChatUpdate{Kind: UpdateEdit, Target: "m1", At: 1}, ErrInvalid},
		{"edit without time", ChatUpdate{Kind: UpdateEdit, Target: "m1", Body: "x"}, ErrInvalid},
		{"delete with negative time", ChatUpdate{Kind: UpdateDelete, Target: "m1", At: -5}, ErrInvalid},
		{"reaction", ChatUpdate{Kind: UpdateReact, Target: "m1", Body: "👍", At: 1}, nil},
		{"reaction taken back", ChatUpdate{Kind: UpdateReact, Target: "m1", At: 1}, nil},
		{"reaction without time", ChatUpdate{Kind: UpdateReact, Target: "m1", Body: "👍"}, ErrInvalid},
		{"reaction without target", ChatUpdate{Kind: UpdateReact, Body: "👍", At: 1}, ErrInvalid},
		{"reaction too long", ChatUpdate{Kind: UpdateReact, Target: "m1", At: 1, Body: strings.Repeat("👍", 17)}, ErrTooLarge},
		{"target too long", ChatUpdate{Kind: UpdateRead, Target: long}, ErrTooLarge},
		{"target too long, unknown kind", ChatUpdate{Kind: 99, Target: long}, ErrTooLarge},
		{"body too long", ChatUpdate{Kind: UpdateEdit, Target: "m1", At: 1, Body: strings.Repeat("b", MaxChatBody+1)}, ErrTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.u.Validate()
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Validate = %v, want %v", err, c.want)
			}
		})
	}
}
