package wire

import "fmt"

// MaxComplianceFrame bounds a ComplianceNotice frame.
const MaxComplianceFrame = 64

// ComplianceNotice tells a contact that our conversation is (Archived 1)
// or is no longer (0) archived for compliance, and when that was decided
// (the sender's clock, Unix milliseconds), so the newest decision wins.
//
//	ComplianceNotice  1 archived (uint32, 0 or 1)  2 set_at (int64, unix ms)
type ComplianceNotice struct {
	Archived uint32
	SetAt    int64
}

// Marshal encodes n.
func (n ComplianceNotice) Marshal() []byte {
	b := make([]byte, 0, 16)
	b = appendUvarint(b, 1, uint64(n.Archived))
	b = appendUvarint(b, 2, uint64(n.SetAt))
	return b
}

// Unmarshal decodes b into n, replacing its contents.
func (n *ComplianceNotice) Unmarshal(b []byte) error {
	*n = ComplianceNotice{}
	return walk(b, func(f field) error {
		switch f.num {
		case 1:
			return f.uint32(&n.Archived)
		case 2:
			return f.int64(&n.SetAt)
		}
		return nil
	})
}

// Validate checks that Archived is 0 or 1 and SetAt is not negative.
func (n ComplianceNotice) Validate() error {
	if n.Archived > 1 {
		return fmt.Errorf("%w: archived is %d", ErrInvalid, n.Archived)
	}
	if n.SetAt < 0 {
		return fmt.Errorf("%w: negative time", ErrInvalid)
	}
	return nil
}
