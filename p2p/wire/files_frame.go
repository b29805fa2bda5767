package wire

import (
	"encoding/binary"

	"google.golang.org/protobuf/encoding/protowire"
)

// A sender of a file reads each chunk from disk straight into its frame
// buffer, between a head written before the data and a tail after it, so
// the data is not copied once more into an encoded message. The frame is
// the length-prefixed encoding of FileChunk{off, data, crc} in field order,
// with the CRC field always present (a zero CRC too, which FileChunk's own
// encoding leaves out; decoders read both the same).

// MaxFileChunkHead is the longest head AppendFileChunkHead writes.
const MaxFileChunkHead = binary.MaxVarintLen32 + 1 + binary.MaxVarintLen64 + 1 + binary.MaxVarintLen32

// AppendFileChunkHead appends what comes before the data in the frame of a
// chunk of n bytes at offset off: the frame length, the offset field and
// the data field's tag and length.
func AppendFileChunkHead(b []byte, off int64, n int) []byte {
	size := 1 + 4 // the CRC field
	if off != 0 {
		size += 1 + protowire.SizeVarint(uint64(off))
	}
	if n > 0 {
		size += 1 + protowire.SizeBytes(n)
	}
	b = binary.AppendUvarint(b, uint64(size))
	b = appendUvarint(b, 1, uint64(off))
	if n > 0 {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendVarint(b, uint64(n))
	}
	return b
}

// AppendFileChunkTail appends what comes after the data: the CRC field.
func AppendFileChunkTail(b []byte, crc uint32) []byte {
	b = protowire.AppendTag(b, 3, protowire.Fixed32Type)
	return protowire.AppendFixed32(b, crc)
}
