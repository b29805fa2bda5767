package wire

import (
	"encoding/hex"
	"fmt"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

// File-transfer messages (/hearth/files/1.0.0). Field numbers, frozen by
// the fixtures in files_test.go:
//
//	FileOffer    1 transfer_id  2 name  4 mime (strings)  3 size (int64)
//	             5 sha256 (32 bytes)  6 voice_note (bool)  7 group (string)
//	FileFetch    1 transfer_id (string)  2 offset (int64)
//	FileControl  1 transfer_id (string)  2 kind (uint32)  3 reason (string)
//	FileRequest  1 offer (FileOffer)  2 fetch (FileFetch)  3 control (FileControl); exactly one
//	FileReply    1 status (uint32)  2 reason (string)  3 size (int64)
//	FileChunk    1 offset (int64)  2 data (bytes)  3 crc32c (fixed32)

// Limits of the file protocol.
const (
	// MaxFileNameLen bounds an offered file's name, in bytes.
	MaxFileNameLen = 255
	// MaxFileSize is the largest file that can be offered: 64 GiB.
	MaxFileSize = 64 << 30
	// MaxMIMELen bounds an offered file's media type.
	MaxMIMELen = 255
	// MaxReasonLen bounds the reason of a refusal or a control message.
	MaxReasonLen = 1024
	// MaxFileChunk is the most data one FileChunk may carry.
	MaxFileChunk = 1 << 20
	// MaxFileChunkFrame bounds a frame holding a FileChunk of MaxFileChunk
	// bytes: the data plus its tag and length, the offset and the checksum.
	MaxFileChunkFrame = MaxFileChunk + 32
	// MaxFileRequestFrame bounds a FileRequest or FileReply frame.
	MaxFileRequestFrame = 4 << 10
)

// FileControl kinds.
const (
	FilePause    uint32 = 1 // stop sending or fetching for now
	FileResume   uint32 = 2 // go on
	FileCancel   uint32 = 3 // give up; the transfer is over
	FileDecline  uint32 = 4 // the recipient does not want it
	FileReceived uint32 = 5 // the recipient has it, checked
	// FileQuarantined: the recipient's virus scanner found something; the
	// reason is the signature's name.
	FileQuarantined uint32 = 6
)

// FileReply statuses.
const (
	FileOK      uint32 = 1 // stored (offer), delivered (control), streaming (fetch)
	FileRefused uint32 = 2 // Reason says why
)

// FileOffer announces a file the sender is ready to serve.
type FileOffer struct {
	TransferID string
	Name       string // base name only
	Size       int64
	MIME       string
	SHA256     [32]byte
	VoiceNote  bool
	// Group is the ID of the group conversation the file was sent into,
	// empty for a one-to-one transfer (then the field is not written, so
	// one-to-one offers encode as before).
	Group string
}

// Marshal encodes o. The hash is always written, zero or not.
func (o FileOffer) Marshal() []byte {
	b := make([]byte, 0, len(o.TransferID)+len(o.Name)+len(o.MIME)+64)
	b = appendString(b, 1, o.TransferID)
	b = appendString(b, 2, o.Name)
	b = appendUvarint(b, 3, uint64(o.Size))
	b = appendString(b, 4, o.MIME)
	b = protowire.AppendTag(b, 5, protowire.BytesType)
	b = protowire.AppendBytes(b, o.SHA256[:])
	if o.VoiceNote {
		b = appendUvarint(b, 6, 1)
	}
	if o.Group != "" {
		b = appendString(b, 7, o.Group)
	}
	return b
}

// Unmarshal decodes b into o, replacing its contents. A hash that is not
// 32 bytes long is malformed.
func (o *FileOffer) Unmarshal(b []byte) error {
	*o = FileOffer{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&o.TransferID)
		case 2:
			return f.str(&o.Name)
		case 3:
			return f.int64(&o.Size)
		case 4:
			return f.str(&o.MIME)
		case 5:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			if len(v) != len(o.SHA256) {
				return fmt.Errorf("%w: sha256 is %d bytes, want 32", ErrMalformed, len(v))
			}
			copy(o.SHA256[:], v)
		case 6:
			v, err := f.varint()
			o.VoiceNote = v != 0
			return err
		case 7:
			return f.str(&o.Group)
		}
		return nil
	})
}

// Validate checks what a receiver requires: a transfer ID, a plain base
// name, a size within [0, MaxFileSize], a short media type and, for a
// group's file, a well-formed group ID.
func (o FileOffer) Validate() error {
	if err := CheckTransferID(o.TransferID); err != nil {
		return err
	}
	if err := CheckFileName(o.Name); err != nil {
		return err
	}
	if o.Size < 0 || o.Size > MaxFileSize {
		return fmt.Errorf("%w: size %d outside [0, %d]", ErrInvalid, o.Size, int64(MaxFileSize))
	}
	if len(o.MIME) > MaxMIMELen {
		return fmt.Errorf("%w: media type is %d bytes, limit %d", ErrTooLarge, len(o.MIME), MaxMIMELen)
	}
	if o.Group != "" {
		if len(o.Group) != GroupIDLen {
			return fmt.Errorf("%w: group ID is %d bytes, want %d", ErrInvalid, len(o.Group), GroupIDLen)
		}
		if _, err := hex.DecodeString(o.Group); err != nil {
			return fmt.Errorf("%w: group ID is not hex", ErrInvalid)
		}
	}
	return nil
}

// CheckTransferID accepts 1 to MaxIDLen bytes of letters, digits, '-', '_'
// and '.', not starting with a dot. Peers use transfer IDs in file names
// (the partial download), so nothing else is allowed.
func CheckTransferID(id string) error {
	if err := checkID(id); err != nil {
		return err
	}
	if id[0] == '.' {
		return fmt.Errorf("%w: transfer id starts with a dot", ErrInvalid)
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Errorf("%w: transfer id has byte %#x", ErrInvalid, c)
		}
	}
	return nil
}

// CheckFileName accepts a base name: not empty, not "." or "..", at most
// MaxFileNameLen bytes, without path separators ('/' or '\\'), NUL or other
// control characters.
func CheckFileName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return fmt.Errorf("%w: file name %q", ErrInvalid, name)
	case len(name) > MaxFileNameLen:
		return fmt.Errorf("%w: file name is %d bytes, limit %d", ErrTooLarge, len(name), MaxFileNameLen)
	case strings.ContainsAny(name, "/\\"):
		return fmt.Errorf("%w: file name %q has a path separator", ErrInvalid, name)
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] == 0x7f {
			return fmt.Errorf("%w: file name has control byte %#x", ErrInvalid, name[i])
		}
	}
	return nil
}

// FileFetch asks the sender to stream a transfer from Offset to its end.
type FileFetch struct {
	TransferID string
	Offset     int64
}

// Marshal encodes f.
func (f FileFetch) Marshal() []byte {
	b := make([]byte, 0, len(f.TransferID)+16)
	b = appendString(b, 1, f.TransferID)
	b = appendUvarint(b, 2, uint64(f.Offset))
	return b
}

// Unmarshal decodes b into f, replacing its contents.
func (f *FileFetch) Unmarshal(b []byte) error {
	*f = FileFetch{}
	return walk(b, func(fl field) error {
		switch fl.num {
		case 1:
			return fl.str(&f.TransferID)
		case 2:
			return fl.int64(&f.Offset)
		}
		return nil
	})
}

// Validate checks the transfer ID and that the offset is within
// [0, MaxFileSize]; the sender checks it against the file.
func (f FileFetch) Validate() error {
	if err := CheckTransferID(f.TransferID); err != nil {
		return err
	}
	if f.Offset < 0 || f.Offset > MaxFileSize {
		return fmt.Errorf("%w: offset %d", ErrInvalid, f.Offset)
	}
	return nil
}

// FileControl pauses, resumes, cancels, declines or confirms a transfer.
type FileControl struct {
	TransferID string
	Kind       uint32
	Reason     string
}

// Marshal encodes c.
func (c FileControl) Marshal() []byte {
	b := make([]byte, 0, len(c.TransferID)+len(c.Reason)+16)
	b = appendString(b, 1, c.TransferID)
	b = appendUvarint(b, 2, uint64(c.Kind))
	b = appendString(b, 3, c.Reason)
	return b
}

// Unmarshal decodes b into c, replacing its contents.
func (c *FileControl) Unmarshal(b []byte) error {
	*c = FileControl{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.str(&c.TransferID)
		case 2:
			return f.uint32(&c.Kind)
		case 3:
			return f.str(&c.Reason)
		}
		return nil
	})
}

// Validate checks the transfer ID, the kind and the reason's length.
func (c FileControl) Validate() error {
	if err := CheckTransferID(c.TransferID); err != nil {
		return err
	}
	if c.Kind < FilePause || c.Kind > FileQuarantined {
		return fmt.Errorf("%w: unknown control kind %d", ErrInvalid, c.Kind)
	}
	if len(c.Reason) > MaxReasonLen {
		return fmt.Errorf("%w: reason is %d bytes, limit %d", ErrTooLarge, len(c.Reason), MaxReasonLen)
	}
	return nil
}

// FileRequest is the first frame of every file stream: exactly one of its
// fields is set.
type FileRequest struct {
	Offer   *FileOffer
	Fetch   *FileFetch
	Control *FileControl
}

// Marshal encodes r.
func (r FileRequest) Marshal() []byte {
	var b []byte
	if r.Offer != nil {
		b = appendMessage(b, 1, r.Offer.Marshal())
	}
	if r.Fetch != nil {
		b = appendMessage(b, 2, r.Fetch.Marshal())
	}
	if r.Control != nil {
		b = appendMessage(b, 3, r.Control.Marshal())
	}
	return b
}

// Unmarshal decodes b into r, replacing its contents. When a field appears
// more than once the last one wins.
func (r *FileRequest) Unmarshal(b []byte) error {
	*r = FileRequest{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			r.Offer = new(FileOffer)
			return r.Offer.Unmarshal(v)
		case 2:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			r.Fetch = new(FileFetch)
			return r.Fetch.Unmarshal(v)
		case 3:
			v, err := f.bytes()
			if err != nil {
				return err
			}
			r.Control = new(FileControl)
			return r.Control.Unmarshal(v)
		}
		return nil
	})
}

// Validate checks that exactly one request is set and validates it.
func (r FileRequest) Validate() error {
	n := 0
	var err error
	if r.Offer != nil {
		n++
		err = r.Offer.Validate()
	}
	if r.Fetch != nil {
		n++
		err = r.Fetch.Validate()
	}
	if r.Control != nil {
		n++
		err = r.Control.Validate()
	}
	if n != 1 {
		return fmt.Errorf("%w: %d requests in one, want 1", ErrInvalid, n)
	}
	return err
}

// FileReply answers a FileRequest. For a fetch, Size is how many bytes the
// whole file has; FileChunk frames follow an OK.
type FileReply struct {
	Status uint32
	Reason string
	Size   int64
}

// Marshal encodes r.
func (r FileReply) Marshal() []byte {
	b := make([]byte, 0, len(r.Reason)+24)
	b = appendUvarint(b, 1, uint64(r.Status))
	b = appendString(b, 2, r.Reason)
	b = appendUvarint(b, 3, uint64(r.Size))
	return b
}

// Unmarshal decodes b into r, replacing its contents.
func (r *FileReply) Unmarshal(b []byte) error {
	*r = FileReply{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&r.Status)
		case 2:
			return f.str(&r.Reason)
		case 3:
			return f.int64(&r.Size)
		}
		return nil
	})
}

// Validate checks the status, the reason's length and the size.
func (r FileReply) Validate() error {
	if r.Status != FileOK && r.Status != FileRefused {
		return fmt.Errorf("%w: unknown status %d", ErrInvalid, r.Status)
	}
	if len(r.Reason) > MaxReasonLen {
		return fmt.Errorf("%w: reason is %d bytes, limit %d", ErrTooLarge, len(r.Reason), MaxReasonLen)
	}
	if r.Size < 0 || r.Size > MaxFileSize {
		return fmt.Errorf("%w: size %d", ErrInvalid, r.Size)
	}
	return nil
}

// FileChunk is one piece of a file, at Offset, with the CRC-32C
// (Castagnoli) of Data so a damaged chunk is caught before it is written.
type FileChunk struct {
	Offset int64
	Data   []byte
	CRC    uint32
}

// Size is the length of c's encoding.
func (c FileChunk) Size() int {
	n := 0
	if c.Offset != 0 {
		n += 1 + protowire.SizeVarint(uint64(c.Offset))
	}
	if len(c.Data) > 0 {
		n += 1 + protowire.SizeBytes(len(c.Data))
	}
	if c.CRC != 0 {
		n += 1 + 4
	}
	return n
}

// Append appends c's encoding to b, so a sender can reuse one buffer.
func (c FileChunk) Append(b []byte) []byte {
	b = appendUvarint(b, 1, uint64(c.Offset))
	if len(c.Data) > 0 {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, c.Data)
	}
	if c.CRC != 0 {
		b = protowire.AppendTag(b, 3, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, c.CRC)
	}
	return b
}

// Marshal encodes c.
func (c FileChunk) Marshal() []byte {
	return c.Append(make([]byte, 0, c.Size()))
}

// Unmarshal decodes b into c, replacing its contents. Data aliases b (a
// chunk is large and read into a reused buffer); empty data is nil.
func (c *FileChunk) Unmarshal(b []byte) error {
	*c = FileChunk{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.int64(&c.Offset)
		case 2:
			v, err := f.bytes()
			if len(v) > 0 {
				c.Data = v
			} else {
				c.Data = nil
			}
			return err
		case 3:
			return f.fixed32(&c.CRC)
		}
		return nil
	})
}

// Validate checks the offset and the data's size. The checksum is the
// receiver's to verify.
func (c FileChunk) Validate() error {
	if c.Offset < 0 || c.Offset > MaxFileSize {
		return fmt.Errorf("%w: offset %d", ErrInvalid, c.Offset)
	}
	if len(c.Data) == 0 {
		return fmt.Errorf("%w: empty chunk", ErrInvalid)
	}
	if len(c.Data) > MaxFileChunk {
		return fmt.Errorf("%w: chunk is %d bytes, limit %d", ErrTooLarge, len(c.Data), MaxFileChunk)
	}
	return nil
}

// bytes decodes a length-delimited field; the result aliases the input.
func (f field) bytes() ([]byte, error) {
	if f.typ != protowire.BytesType {
		return nil, f.wrongType(protowire.BytesType)
	}
	v, n := protowire.ConsumeBytes(f.raw)
	if n < 0 {
		return nil, fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
	}
	return v, nil
}

func (f field) fixed32(dst *uint32) error {
	if f.typ != protowire.Fixed32Type {
		return f.wrongType(protowire.Fixed32Type)
	}
	v, n := protowire.ConsumeFixed32(f.raw)
	if n < 0 {
		return fmt.Errorf("%w: field %d: %v", ErrMalformed, f.num, protowire.ParseError(n))
	}
	*dst = v
	return nil
}

// appendMessage writes an embedded message, even an empty one: its
// presence is what a oneof means.
func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}
