package kit

import (
	"slices"
	"sort"
	"strings"
)

// ContainsFold reports whether list holds s, ignoring case.
func ContainsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

// SortFold sorts s ignoring case, keeping the order of equal names.
func SortFold(s []string) {
	sort.SliceStable(s, func(i, j int) bool { return strings.ToLower(s[i]) < strings.ToLower(s[j]) })
}
