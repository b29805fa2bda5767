package archive

import "errors"

var (
	// ErrExportFormat: not html or text.
	ErrExportFormat = errors.New("unknown export format")
	// ErrRetention: a retention period out of range.
	ErrRetention = errors.New("retention must be a whole number of days")
)
