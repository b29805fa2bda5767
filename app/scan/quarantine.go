package scan

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Suffix ends the name of every quarantined file, so that no program
// opens it by its extension.
const Suffix = ".quarantine"

// Quarantine moves the file at path into dir (created with mode 0700 if
// needed, and set to 0700 if it exists), renamed to its base name plus
// Suffix ("-2", "-3" … before the suffix when the name is taken), and makes
// it read-only for its owner (0400). It returns the new path. Nothing is
// ever overwritten.
func Quarantine(path, dir string) (string, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return "", fmt.Errorf("quarantining: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("quarantining %s: not a regular file", path)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("quarantining: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("quarantining: %w", err)
	}
	// Take away every permission first: even for the moment the file
	// sits in its new place, nobody may run or open it.
	if err := os.Chmod(path, 0o400); err != nil {
		return "", fmt.Errorf("quarantining: %w", err)
	}
	base := strings.TrimSuffix(filepath.Base(path), Suffix)
	if base == "" || base == "." || base == string(filepath.Separator) {
		base = "file"
	}
	for i := 1; i < 10000; i++ {
		name := base
		if i > 1 {
			name += "-" + strconv.Itoa(i)
		}
		dest := filepath.Join(dir, name+Suffix)
		// Reserve the name, so that no concurrent Quarantine (or anything
		// else) can take it, then move the file over the reservation.
		f, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o400)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("quarantining: %w", err)
		}
		f.Close()
		if err := move(path, dest); err != nil {
			os.Remove(dest)
			return "", fmt.Errorf("quarantining: %w", err)
		}
		if err := os.Chmod(dest, 0o400); err != nil {
			return dest, fmt.Errorf("quarantining: %w", err)
		}
		return dest, nil
	}
	return "", fmt.Errorf("quarantining %s: too many quarantined files with this name", base)
}

// move renames src to dest, copying across file systems.
func move(src, dest string) error {
	err := os.Rename(src, dest)
	if err == nil {
		return nil
	}
	if !errors.Is(err, syscall.EXDEV) {
		return err
	}
	// Another file system: copy, then remove.
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		// dest is 0400: make it writable for the copy.
		if err := os.Chmod(dest, 0o600); err != nil {
			return err
		}
		if out, err = os.OpenFile(dest, os.O_WRONLY|os.O_TRUNC, 0); err != nil {
			return err
		}
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(src)
}
