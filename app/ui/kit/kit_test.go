package kit

import (
	"testing"
	"time"
)

func TestInitials(t *testing.T) {
	for name, want := range map[string]string{
		"Ann Lee": "AL", "bob": "B", "Jean-Luc Picard": "JP", "  ": "?", "Élodie": "É", "Unknown …x9": "UX",
	} {
		if got := Initials(name); got != want {
			t.Errorf("initials(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestHumanUnits(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 999: "999 B", 1000: "1.0 kB", 2_400_000: "2.4 MB", 45_000_000: "45 MB", 3_100_000_000: "3.1 GB"} {
		if got := HumanSize(n); got != want {
			t.Errorf("humanSize(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{3 * time.Second: "a few seconds left", 47 * time.Second: "45 s left",
		150 * time.Second: "3 min left", 65 * time.Minute: "1 h 5 min left"} {
		if got := TimeLeft(d); got != want {
			t.Errorf("timeLeft(%v) = %q, want %q", d, got, want)
		}
	}
}
