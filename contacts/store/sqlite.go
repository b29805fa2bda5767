package store

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/ext/fts5"
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum" // registers the "adiantum" VFS
	"lukechampine.com/adiantum"
)

// KeySize is the length of the key OpenSQLite needs.
const KeySize = 32

// busyTimeout bounds how long a statement waits for a lock held by another
// connection (a backup tool, say) before failing.
const busyTimeout = 5 * time.Second

// SQLite is the Store kept in an SQLite file encrypted at rest with the
// Adiantum cipher (through the go-sqlite3 "adiantum" VFS), with message
// bodies indexed by FTS5.
//
// It uses a single connection guarded by a mutex: Hearth is one process with
// one writer, and a single connection keeps every method trivially atomic.
type SQLite struct {
	path string

	// The background indexer: kick wakes it (never blocks), done stops it.
	kick      chan struct{}
	done      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once

	mu    sync.Mutex // guards everything below
	conn  *sqlite3.Conn
	stmts map[string]*sqlite3.Stmt
}

// Deferred full-text indexing: the indexer waits indexDelay after a write
// (so that a burst is indexed in one transaction) and indexes at most
// indexChunk messages per transaction, so that writers are not held up for
// long.
var (
	indexDelay = 100 * time.Millisecond
	indexChunk = 1000
)

var _ Store = (*SQLite)(nil)

// OpenSQLite opens (or creates) the database at path, encrypted with key,
// which must be KeySize bytes (the caller derives it from the passphrase).
//
// An existing file that key does not decrypt gives ErrWrongKey and is never
// written to: the key is checked against the file's first block before
// SQLite touches it. A damaged file gives ErrCorrupt.
func OpenSQLite(path string, key []byte) (*SQLite, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("opening database: key is %d bytes, want %d: %w", len(key), KeySize, ErrInvalid)
	}
	if err := checkKey(path, key); err != nil {
		return nil, err
	}

	// The key goes in through a PRAGMA rather than the URI, so that it is not
	// kept among the file name's parameters.
	uri := "file:" + escapePath(path) + "?vfs=adiantum"
	conn, err := sqlite3.OpenFlags(uri, sqlite3.OPEN_READWRITE|sqlite3.OPEN_CREATE|sqlite3.OPEN_URI|sqlite3.OPEN_NOFOLLOW)
	if err != nil {
		return nil, fmt.Errorf("opening database: %w", mapErr(err))
	}
	s := &SQLite{
		path:  path,
		conn:  conn,
		stmts: make(map[string]*sqlite3.Stmt),
		kick:  make(chan struct{}, 1),
		done:  make(chan struct{}),
	}
	if err := s.setup(key); err != nil {
		conn.Close()
		return nil, err
	}
	s.wg.Add(1)
	go s.indexer()
	s.kickIndexer() // a crash may have left messages unindexed
	return s, nil
}

func (s *SQLite) kickIndexer() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// indexer adds newly stored messages to the full-text index until Close.
// Errors are not reported here: Search indexes synchronously and reports
// them.
func (s *SQLite) indexer() {
	defer s.wg.Done()
	delay := time.NewTimer(0)
	<-delay.C
	for {
		select {
		case <-s.done:
			return
		case <-s.kick:
		}
		delay.Reset(indexDelay)
		select {
		case <-s.done:
			delay.Stop()
			return
		case <-delay.C:
		}
		for {
			s.mu.Lock()
			more, err := s.indexSome()
			s.mu.Unlock()
			if err != nil || !more {
				break
			}
		}
	}
}

// indexSome indexes up to indexChunk unindexed messages in one transaction
// and reports whether any remain. Callers hold s.mu.
func (s *SQLite) indexSome() (more bool, err error) {
	if s.conn == nil {
		return false, ErrClosed
	}
	tx, err := s.conn.BeginImmediate()
	if err != nil {
		return false, mapErr(err)
	}
	defer tx.End(&err)

	st, err := s.stmt(`SELECT (SELECT indexed FROM fts_state), max(seq), count(*) FROM (
		SELECT seq FROM messages WHERE seq > (SELECT indexed FROM fts_state) ORDER BY seq LIMIT ?)`)
	if err != nil {
		return false, err
	}
	defer release(st)
	if err := st.BindInt(1, indexChunk); err != nil {
		return false, err
	}
	if !st.Step() {
		return false, mapErr(st.Err())
	}
	from, to, n := st.ColumnInt64(0), st.ColumnInt64(1), st.ColumnInt(2)
	release(st)
	if n == 0 {
		return false, nil
	}
	if err := s.exec("INSERT INTO messages_fts (rowid, body) SELECT seq, body FROM messages WHERE seq > ? AND seq <= ?", from, to); err != nil {
		return false, err
	}
	if err := s.exec("UPDATE fts_state SET indexed = ?", to); err != nil {
		return false, err
	}
	return n == indexChunk, nil
}

// indexAll brings the full-text index up to date. Callers hold s.mu.
func (s *SQLite) indexAll() error {
	for {
		more, err := s.indexSome()
		if err != nil {
			return fmt.Errorf("updating search index: %w", err)
		}
		if !more {
			return nil
		}
	}
}

func (s *SQLite) setup(key []byte) error {
	if err := s.conn.Exec("PRAGMA hexkey='" + hex.EncodeToString(key) + "'"); err != nil {
		return fmt.Errorf("setting database key: %w", mapErr(err))
	}
	if err := fts5.Register(s.conn); err != nil {
		return fmt.Errorf("loading full-text search: %w", mapErr(err))
	}
	if err := s.conn.BusyTimeout(busyTimeout); err != nil {
		return fmt.Errorf("setting busy timeout: %w", err)
	}
	// Reading the schema is the first real read of the file: a damaged file
	// fails here, before anything is written.
	if err := s.conn.Exec("SELECT count(*) FROM sqlite_schema"); err != nil {
		return fmt.Errorf("reading database: %w", mapErr(err))
	}
	// WAL with synchronous=NORMAL: a commit survives the process being
	// killed (the WAL is in the OS's hands once written); only a power cut
	// may lose the last few commits, never corrupt the file.
	for _, p := range []string{
		"PRAGMA journal_mode=WAL",
		"PRAGMA synchronous=NORMAL",
		"PRAGMA temp_store=MEMORY",
		"PRAGMA foreign_keys=ON",
	} {
		if err := s.conn.Exec(p); err != nil {
			return fmt.Errorf("configuring database (%s): %w", p, mapErr(err))
		}
	}
	if err := s.migrate(); err != nil {
		return err
	}
	return nil
}

// checkKey verifies that key decrypts the first block of an existing
// database into an SQLite header. It reads the file itself, so that a wrong
// key never lets SQLite near the file (SQLite could otherwise reset a WAL
// it cannot read on close).
func checkKey(path string, key []byte) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // a new database
	}
	if err != nil {
		return fmt.Errorf("opening database: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("opening database: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("opening database: %s is not a regular file: %w", path, ErrCorrupt)
	}
	size := fi.Size()
	if size == 0 {
		return nil // created but never written: SQLite treats it as new
	}
	if size%adiantumBlock != 0 {
		return fmt.Errorf("opening database: size %d is not a whole number of pages: %w", size, ErrCorrupt)
	}
	block := make([]byte, adiantumBlock)
	if _, err := io.ReadFull(f, block); err != nil {
		return fmt.Errorf("opening database: %w", err)
	}
	// The VFS encrypts each 4 KiB block with its byte offset as the tweak
	// (little-endian uint64); block 0 has an all-zero tweak.
	var tweak [8]byte
	plain := adiantum.New(key).Decrypt(block, tweak[:])
	if !bytes.HasPrefix(plain, []byte("SQLite format 3\x00")) {
		return ErrWrongKey
	}
	return nil
}

// adiantumBlock is the block size of the adiantum VFS, which is also
// SQLite's default page size.
const adiantumBlock = 4096

// escapePath makes a file path safe inside a "file:" URI.
func escapePath(p string) string {
	var b bytes.Buffer
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '?', '#', '%':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// mapErr turns SQLite's errors about unreadable files into this package's
// sentinels and leaves the rest alone.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sqlite3.NOTADB), errors.Is(err, sqlite3.CORRUPT):
		return fmt.Errorf("%w (%v)", ErrCorrupt, err)
	case errors.Is(err, sqlite3.IOERR_BADKEY):
		return fmt.Errorf("%w (%v)", ErrWrongKey, err)
	case errors.Is(err, sqlite3.FULL):
		return fmt.Errorf("%w (%v)", ErrFull, err)
	}
	return err
}

// LimitGrowth makes the database refuse to grow (on) as a full disk
// would, with ErrFull, or lifts that (off). Hearth never calls it: it is
// for tests of what a full disk does (SQLite's max_page_count).
func (s *SQLite) LimitGrowth(on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return ErrClosed
	}
	n := 1 // SQLite raises a limit below the current size to that size
	if !on {
		n = 1<<32 - 2 // SQLite's maximum
	}
	return mapErr(s.conn.Exec(fmt.Sprintf("PRAGMA max_page_count=%d", n)))
}

// stmt returns a cached prepared statement, reset and ready for binding.
// Callers hold s.mu.
func (s *SQLite) stmt(sql string) (*sqlite3.Stmt, error) {
	if s.conn == nil {
		return nil, ErrClosed
	}
	if st, ok := s.stmts[sql]; ok {
		return st, nil
	}
	st, _, err := s.conn.Prepare(sql)
	if err != nil {
		return nil, mapErr(err)
	}
	s.stmts[sql] = st
	return st, nil
}

// release readies a cached statement for its next use.
func release(st *sqlite3.Stmt) {
	st.Reset()
	st.ClearBindings()
}

// exec runs a statement that returns no rows; args are bound in order.
// Callers hold s.mu.
func (s *SQLite) exec(sql string, args ...any) error {
	st, err := s.stmt(sql)
	if err != nil {
		return err
	}
	defer release(st)
	if err := bind(st, args); err != nil {
		return err
	}
	return mapErr(st.Exec())
}

func bind(st *sqlite3.Stmt, args []any) error {
	for i, a := range args {
		var err error
		switch v := a.(type) {
		case string:
			err = st.BindText(i+1, v)
		case []byte:
			if v == nil {
				v = []byte{}
			}
			err = st.BindBlob(i+1, v)
		case int:
			err = st.BindInt(i+1, v)
		case int64:
			err = st.BindInt64(i+1, v)
		case bool:
			err = st.BindBool(i+1, v)
		default:
			return fmt.Errorf("binding %T: unsupported type", a)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// Close stops the indexer, brings the search index up to date and closes
// the database. Further calls return ErrClosed.
func (s *SQLite) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conn == nil {
		return nil
	}
	// Best effort: whatever is left is indexed at the next open.
	s.indexAll()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.conn.Exec("PRAGMA optimize")
	err := s.conn.Close()
	s.conn = nil
	if err != nil {
		return fmt.Errorf("closing database: %w", err)
	}
	return nil
}
