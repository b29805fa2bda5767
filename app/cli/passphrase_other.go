//go:build !linux

package cli

import "io"

// promptPassphrase is only implemented on Linux; elsewhere the passphrase
// comes from HEARTH_PASSPHRASE or --passphrase-file.
func promptPassphrase(string, io.Writer) (string, bool, error) { return "", false, nil }
