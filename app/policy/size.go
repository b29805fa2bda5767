package policy

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Size units, case-insensitive. Single letters ("25M") are refused: half
// of the world reads them as powers of 1000, the other half as powers of
// 1024.
var sizeUnits = map[string]int64{
	"":    1,
	"b":   1,
	"kb":  1e3,
	"mb":  1e6,
	"gb":  1e9,
	"tb":  1e12,
	"kib": 1 << 10,
	"mib": 1 << 20,
	"gib": 1 << 30,
	"tib": 1 << 40,
}

// ParseSize reads a size such as "25MB", "1.5 GiB", "512 kb" or "1048576".
// Decimal units (KB, MB, GB, TB) are powers of 1000, binary ones (KiB, MiB,
// GiB, TiB) powers of 1024. Sizes are whole bytes, never negative.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, given := t[:i], strings.TrimSpace(t[i:])
	unit := strings.ToLower(given)
	if num == "" {
		return 0, fmt.Errorf("%q is not a size (write a number of bytes, or a string like \"25MB\" or \"1GiB\")", s)
	}
	mult, ok := sizeUnits[unit]
	if !ok {
		return 0, fmt.Errorf("%q: unknown unit %q (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)", s, given)
	}
	if n, err := strconv.ParseInt(num, 10, 64); err == nil {
		if n > math.MaxInt64/mult {
			return 0, fmt.Errorf("%q is too large", s)
		}
		return n * mult, nil
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || strings.Count(num, ".") != 1 || strings.HasPrefix(num, ".") || strings.HasSuffix(num, ".") {
		return 0, fmt.Errorf("%q is not a size (write a number of bytes, or a string like \"25MB\" or \"1GiB\")", s)
	}
	v := math.Round(f * float64(mult))
	if v >= math.MaxInt64 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	return int64(v), nil
}

// FormatSize writes a size for people: "25 MB", "1 GiB", "1.5 MB", "300
// bytes". A size that is a whole number of binary units is written in them,
// so a limit set as "1GiB" reads back as "1 GiB".
func FormatSize(n int64) string {
	if n < 1000 {
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	}
	for _, u := range []struct {
		size int64
		name string
	}{{1 << 40, "TiB"}, {1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}} {
		if n < u.size {
			continue
		}
		// Binary units only for round figures ("1 GiB", "1.5 GiB").
		if n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.name)
		}
		if n%(u.size/2) == 0 {
			return fmt.Sprintf("%d.5 %s", n/u.size, u.name)
		}
		break
	}
	for _, u := range []struct {
		size int64
		name string
	}{{1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"}} {
		// 999,999 bytes reads as "1 MB", not "1000 KB".
		if float64(n) >= float64(u.size)*0.9995 {
			s := strconv.FormatFloat(float64(n)/float64(u.size), 'f', 1, 64)
			return strings.TrimSuffix(s, ".0") + " " + u.name
		}
	}
	return fmt.Sprintf("%d bytes", n) // not reached
}
