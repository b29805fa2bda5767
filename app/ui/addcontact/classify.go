package addcontact

import (
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
)

// Kind is what the "I have a code" field holds.
type Kind int

const (
	KindNone    Kind = iota // nothing yet
	KindLink                // an invite link or code (hearth:…)
	KindSpoken              // a short spoken code: a number and words
	KindPicture             // a path to a picture, to read a QR code from
)

var errNotExist = fs.ErrNotExist

// spoken is a number and words, separated the ways people type them (the
// core's parser decides whether the words are right).
var spoken = regexp.MustCompile(`^\d{1,4}([\s\-.,_–—]+\pL+)+$`)

var pictureExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".bmp": true}

// Classify says what text is, and returns it cleaned up for that kind: a
// link without blanks (a pasted link often breaks over lines), a spoken
// code trimmed, a picture as a local path.
func Classify(text string) (Kind, string) {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return KindNone, ""
	case strings.HasPrefix(strings.ToLower(t), "file://"):
		if u, err := url.Parse(t); err == nil && u.Path != "" {
			return KindPicture, u.Path
		}
	case filepath.IsAbs(t) && pictureExts[strings.ToLower(filepath.Ext(t))]:
		return KindPicture, t
	case spoken.MatchString(t):
		return KindSpoken, t
	}
	return KindLink, strings.Join(strings.Fields(t), "")
}
