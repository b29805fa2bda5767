//go:build !linux

package files

import (
	"errors"
	"os"
)

// uring: io_uring is Linux's; elsewhere there are no direct writes at all.
type uring struct{}

var errURing = errors.New("io_uring failed")

func newURing() *uring { return nil }

func (u *uring) close() {}

func (u *uring) pwrite(*os.File, []byte, int64) (int, error) { return 0, errURing }

func (u *uring) fsync(*os.File) error { return errURing }
