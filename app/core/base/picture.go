package base

import "errors"

// Limits and errors for pictures a user picks (an avatar, a QR code to
// read): the same words wherever a picture is chosen.

// MaxPicturePixels bounds the decoded size of a chosen picture, so a small
// file that claims a huge image cannot take all memory.
const MaxPicturePixels = 50_000_000

var (
	// ErrNotAnImage: the chosen file (or a contact's avatar) is not a PNG,
	// JPEG or GIF picture that decodes.
	ErrNotAnImage = errors.New("this file is not a picture Hearth can read (PNG, JPEG or GIF)")
	// ErrImageTooLarge: the chosen picture is above the file or pixel limit.
	ErrImageTooLarge = errors.New("this picture is too large; choose one under 20 MB and 50 megapixels")
)
