package wire

import (
	"errors"
	"testing"
)

var complianceFixtures = []fixture{
	{"ComplianceNotice", ComplianceNotice{Archived: 1, SetAt: 1700000000000}, "08011080d095ffbc31"},
}

// TestComplianceFixture freezes the encoding.
func TestComplianceFixture(t *testing.T) { checkFixtures(t, complianceFixtures) }

func TestComplianceValidate(t *testing.T) {
	for _, c := range []struct {
		n    ComplianceNotice
		want error
	}{
		{ComplianceNotice{Archived: 0, SetAt: 5}, nil},
		{ComplianceNotice{Archived: 1}, nil},
		{ComplianceNotice{Archived: 2}, ErrInvalid},
		{ComplianceNotice{Archived: 1, SetAt: -1}, ErrInvalid},
	} {
		if err := c.n.Validate(); !errors.Is(err, c.want) {
			t.Errorf("%+v: Validate = %v, want %v", c.n, err, c.want)
		}
	}
	var n ComplianceNotice
	if err := n.Unmarshal([]byte{0x0a, 0x01, 'x'}); err == nil {
		t.Error("field 1 as bytes decoded")
	}
}

func FuzzComplianceNotice(f *testing.F) {
	seedWith(f, complianceFixtures, []byte{0x08, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		roundTrip[ComplianceNotice](t, b)
		var n ComplianceNotice
		if n.Unmarshal(b) == nil && n.Validate() == nil && (n.Archived > 1 || n.SetAt < 0) {
			t.Fatalf("Validate accepted %+v", n)
		}
	})
}
