package policy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// SystemPath is where an administrator installs the policy for every user
// of the machine. It wins over a profile's own policy.json. A variable so
// that tests can point it elsewhere.
var SystemPath = "/etc/hearth/policy.json"

// FileName is the policy's name inside a profile folder.
const FileName = "policy.json"

// maxFileSize bounds a policy file; a real one is a few hundred bytes.
const maxFileSize = 1 << 20

// Load returns the policy in force for a profile: SystemPath if it exists,
// else policy.json in profileDir, else Default(). A file that exists but
// cannot be read or used is an error (wrapping ErrMalformed for bad
// content) that names the file, and the line and field at fault; it is
// never ignored. With an error, the Policy returned refuses every transfer,
// so that a caller that drops the error still fails safe.
func Load(profileDir string) (Policy, error) {
	paths := []string{SystemPath}
	if profileDir != "" {
		paths = append(paths, filepath.Join(profileDir, FileName))
	}
	for _, path := range paths {
		if path == "" {
			continue
		}
		p, err := loadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return Policy{TransfersOff: true, Source: path}, err
		}
		return p, nil
	}
	return Default(), nil
}

func loadFile(path string) (Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Policy{}, err
		}
		return Policy{}, fmt.Errorf("reading the team's file policy: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return Policy{}, fmt.Errorf("reading the team's file policy: %w", err)
	} else if !fi.Mode().IsRegular() {
		return Policy{}, &FileError{Path: path, Msg: "is not a regular file"}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return Policy{}, fmt.Errorf("reading the team's file policy %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return Policy{}, &FileError{Path: path, Msg: fmt.Sprintf("is larger than %s", FormatSize(maxFileSize))}
	}
	p, err := Parse(b)
	if err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.Path = path
		}
		return Policy{}, err
	}
	p.Source = path
	return p, nil
}

// FileError says what is wrong in a policy file, and where. It wraps
// ErrMalformed.
type FileError struct {
	Path  string // the file; "" when parsing bytes
	Line  int    // 1-based; 0 when unknown
	Col   int
	Field string // the JSON field at fault, if any
	Msg   string
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString("team file policy ")
	if e.Path != "" {
		b.WriteString(e.Path)
	} else {
		b.WriteString("file")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d column %d", e.Line, e.Col)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", field %q", e.Field)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *FileError) Unwrap() error { return ErrMalformed }

// Parse reads a policy file's content. Unknown fields, a field given
// twice, and values of the wrong type or out of range are errors: a typo in
// a policy must not quietly weaken it.
func Parse(b []byte) (Policy, error) {
	p := Default()
	fail := func(off int64, field, format string, args ...any) error {
		line, col := position(b, off)
		return &FileError{Line: line, Col: col, Field: field, Msg: fmt.Sprintf(format, args...)}
	}
	syntax := func(err error, at int64) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = se.Offset
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return fail(int64(len(b)), "", "the file ends too early (incomplete JSON)")
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		return fail(at, "", "not valid JSON: %s", msg)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return p, &FileError{Msg: `is empty (an empty policy is written {})`}
	}

	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return p, syntax(err, 0)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return p, fail(0, "", "the policy must be a JSON object ({ … })")
	}
	seen := map[string]bool{}
	for dec.More() {
		keyAt := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return p, syntax(err, keyAt)
		}
		key, _ := tok.(string)
		// The offset after the key is at its end; point at the key itself.
		keyAt = skipSpace(b, keyAt)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return p, syntax(err, dec.InputOffset())
		}
		if seen[key] {
			return p, fail(keyAt, key, "given twice")
		}
		seen[key] = true
		if err := p.set(key, raw); err != nil {
			return p, fail(keyAt, key, "%s", err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return p, syntax(err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		return p, fail(dec.InputOffset(), "", "unexpected text after the policy's closing brace")
	}
	return p, nil
}

// set applies one field of the file.
func (p *Policy) set(key string, raw json.RawMessage) error {
	if string(raw) == "null" {
		return nil // same as leaving the field out
	}
	switch key {
	case "transfers_off":
		if err := json.Unmarshal(raw, &p.TransfersOff); err != nil {
			return fmt.Errorf("must be true or false, not %s", raw)
		}
	case "max_size":
		n, err := sizeValue(raw)
		if err != nil {
			return err
		}
		if n == 0 {
			return errors.New("must be more than 0 (leave it out for no limit; use transfers_off to refuse all files)")
		}
		p.MaxSize = n
	case "auto_accept_below":
		n, err := sizeValue(raw)
		if err != nil {
			return err
		}
		p.AutoAcceptBelow, p.AutoAcceptFixed = n, true
	case "allowed_kinds", "blocked_kinds":
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf(`must be a list of strings such as [".pdf", "image/*"], not %s`, raw)
		}
		var kinds []string
		for _, s := range list {
			k, ok := parseKind(s)
			if !ok {
				return fmt.Errorf(`%q is neither an extension (like ".pdf") nor a MIME type (like "application/pdf" or "image/*")`, s)
			}
			kinds = append(kinds, k.String())
		}
		if key == "allowed_kinds" {
			p.Allowed = kinds
		} else {
			p.Blocked = kinds
		}
	case "virus_scanner":
		var addr string
		if err := json.Unmarshal(raw, &addr); err != nil || !scannerAddr(addr) {
			return fmt.Errorf(`must be clamd's address, "unix:/path/to/clamd.sock" or "tcp:host:port", not %s`, raw)
		}
		p.Scanner = addr
	default:
		return errors.New("unknown field (known: transfers_off, max_size, allowed_kinds, blocked_kinds, auto_accept_below, virus_scanner)")
	}
	return nil
}

// scannerAddr reports whether addr is "unix:" and an absolute path, or
// "tcp:" and a host and port.
func scannerAddr(addr string) bool {
	if path, ok := strings.CutPrefix(addr, "unix:"); ok {
		return strings.HasPrefix(path, "/")
	}
	if hostport, ok := strings.CutPrefix(addr, "tcp:"); ok {
		host, port, err := net.SplitHostPort(hostport)
		return err == nil && host != "" && port != ""
	}
	return false
}

// sizeValue reads a size given as a JSON number of bytes or a string.
func sizeValue(raw json.RawMessage) (int64, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return ParseSize(s)
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return 0, fmt.Errorf(`must be a number of bytes or a string like "25MB", not %s`, raw)
	}
	if i, err := n.Int64(); err == nil {
		if i < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return i, nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f >= math.MaxInt64 || f != math.Trunc(f) {
		return 0, fmt.Errorf("%s is not a whole, non-negative number of bytes", n)
	}
	return int64(f), nil
}

// skipSpace moves off past the whitespace and the comma before a key.
func skipSpace(b []byte, off int64) int64 {
	for off < int64(len(b)) && strings.IndexByte(" \t\r\n,", b[off]) >= 0 {
		off++
	}
	return off
}

// position turns a byte offset into a 1-based line and column (in bytes).
func position(b []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(b)))
	before := b[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
