package base

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"hearth/p2p/wire"
)

var (
	// ErrEmptyMessage: nothing to send.
	ErrEmptyMessage = errors.New("the message is empty")
	// ErrMessageTooLong: over the chat protocol's limit.
	ErrMessageTooLong = errors.New("the message is too long")
)

// CheckText applies the rules of every message body I send (1:1, group,
// an edit): trailing space trimmed, not blank, valid UTF-8, within the
// wire's limit. It returns the text trimmed.
func CheckText(text string) (string, error) {
	text = strings.TrimRight(text, " \t\r\n")
	if strings.TrimSpace(text) == "" || !utf8.ValidString(text) {
		return "", ErrEmptyMessage
	}
	if len(text) > wire.MaxChatBody {
		return "", fmt.Errorf("%w (%d KB at most)", ErrMessageTooLong, wire.MaxChatBody/1024)
	}
	return text, nil
}

// TruncateUTF8 cuts s to at most n bytes without splitting a character.
func TruncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ErrUnknownMessage: no such message in that conversation (deleted by
// retention, say).
var ErrUnknownMessage = errors.New("that message is no longer in the conversation")
