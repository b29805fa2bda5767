// Package profile opens and creates Hearth profiles. A profile is a folder
// holding:
//
//   - hearth.db: the encrypted message database (contacts/store), which also
//     keeps the libp2p Ed25519 identity key and the display name;
//   - profile.json: no secrets, only what is needed to derive the database
//     key from the passphrase (Argon2id salt and parameters) and a key check
//     value, so a wrong passphrase is caught before the database is touched;
//   - lock: flock-ed while the profile is open, so two Hearth windows never
//     share a profile.
//
// The database is always encrypted; a profile without a passphrase derives
// its key from the empty passphrase and simply does not ask for one.
package profile

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	"golang.org/x/crypto/argon2"

	"hearth/contacts/store"
)

// File names inside a profile folder.
const (
	dbFile      = "hearth.db"
	metaFile    = "profile.json"
	lockName    = "lock"
	metaTmpFile = "profile.json.tmp"
)

// Settings kept in the store.
const (
	settingIdentity = "identity.key"
	settingName     = "profile.name"
)

// formatVersion is the version of profile.json this code writes.
const formatVersion = 1

// maxNameRunes bounds display names.
const maxNameRunes = 64

// Profile is an open profile. Close it to release the folder and forget
// the keys.
type Profile struct {
	Dir   string
	Store store.Store
	Key   crypto.PrivKey // the libp2p identity, Ed25519
	ID    peer.ID
	// Name is the display name. SetName changes it; callers that read Name
	// from several goroutines must not call SetName concurrently.
	Name string

	lock *os.File
}

// meta is profile.json.
type meta struct {
	Version    int       `json:"version"`
	Passphrase bool      `json:"passphrase"` // whether a non-empty passphrase is set
	KDF        kdfParams `json:"kdf"`
	// KeyCheck is HMAC-SHA256(key, "hearth key check"): it tells a wrong
	// passphrase from a right one without revealing the key.
	KeyCheck []byte `json:"key_check"`
}

// kdfParams are the Argon2id parameters a profile was created with.
type kdfParams struct {
	Algorithm string `json:"algorithm"` // "argon2id"
	Salt      []byte `json:"salt"`
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// defaultKDF is used for new profiles: about 100-300 ms on a 2-core
// desktop. Tests lower it. The parameters are recorded in each profile, so
// changing them never breaks existing profiles.
var defaultKDF = kdfParams{
	Algorithm: "argon2id",
	Time:      3,
	MemoryKiB: 64 * 1024,
	Threads:   4,
}

const saltSize = 16

var keyCheckLabel = []byte("hearth key check")

// valid rejects parameters that no Hearth wrote, so a tampered
// profile.json cannot make unlocking allocate gigabytes or spin for hours.
func (k kdfParams) valid() bool {
	return k.Algorithm == "argon2id" &&
		len(k.Salt) >= saltSize && len(k.Salt) <= 64 &&
		k.Time >= 1 && k.Time <= 64 &&
		k.Threads >= 1 && k.Threads <= 64 &&
		k.MemoryKiB >= 8*uint32(k.Threads) && k.MemoryKiB <= 1<<20
}

func (k kdfParams) derive(passphrase string) []byte {
	key := argon2.IDKey([]byte(passphrase), k.Salt, k.Time, k.MemoryKiB, k.Threads, store.KeySize)
	// Argon2 just used MemoryKiB of scratch memory; hand it back to the OS
	// rather than carry it in the idle app's footprint.
	debug.FreeOSMemory()
	return key
}

func keyCheck(key []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(keyCheckLabel)
	return m.Sum(nil)
}

// DefaultDir is the profile folder used when none is given:
// os.UserConfigDir()/hearth.
func DefaultDir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the configuration folder: %w", err)
	}
	return filepath.Join(base, "hearth"), nil
}

// Exists reports whether dir holds a profile, and whether opening it needs
// a passphrase. A folder left by a Create that did not finish holds no
// profile. A profile.json that cannot be read gives exists with an error.
func Exists(dir string) (exists, needsPassphrase bool, err error) {
	m, err := readMeta(dir)
	if errors.Is(err, ErrNoProfile) {
		return false, false, nil
	}
	if err != nil {
		return true, false, err
	}
	return true, m.Passphrase, nil
}

func readMeta(dir string) (meta, error) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if errors.Is(err, os.ErrNotExist) {
		return m, ErrNoProfile
	}
	if err != nil {
		return m, fmt.Errorf("reading profile: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("reading %s: %v: %w", metaFile, err, ErrDamaged)
	}
	if m.Version > formatVersion {
		return m, ErrTooNew
	}
	if m.Version < 1 || !m.KDF.valid() || len(m.KeyCheck) != sha256.Size {
		return m, fmt.Errorf("reading %s: invalid contents: %w", metaFile, ErrDamaged)
	}
	return m, nil
}

// checkName trims name and validates it.
func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", ErrBadName
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > maxNameRunes {
		return "", ErrBadName
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", ErrBadName
		}
	}
	return name, nil
}

// Create makes a new profile in dir (creating the folder), with a new
// Ed25519 identity and the given display name. An empty passphrase is
// allowed: the database is still encrypted, and Open will not ask for one.
//
// profile.json is written last, atomically, so a crash during Create
// leaves a folder that Exists reports empty. A database left there (such
// a crash, or a profile whose profile.json was lost) is never deleted:
// Create returns ErrLeftDatabase, and only CreateReplacing, which a user
// asks for explicitly, deletes it.
func Create(dir, name, passphrase string) (*Profile, error) {
	return create(dir, name, passphrase, false)
}

// CreateReplacing is Create that first deletes a database left in dir
// without its profile.json (`hearth create-profile --force`).
func CreateReplacing(dir, name, passphrase string) (*Profile, error) {
	return create(dir, name, passphrase, true)
}

// HasLeftDatabase reports whether dir holds a non-empty database without
// a profile.json beside it.
func HasLeftDatabase(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, metaFile)); err == nil {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, dbFile))
	return err == nil && st.Size() > 0
}

func create(dir, name, passphrase string, replace bool) (_ *Profile, err error) {
	name, err = checkName(name)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating profile folder: %w", err)
	}
	lock, err := lockFile(filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	p := &Profile{Dir: dir, Name: name, lock: lock}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()

	if _, err := os.Stat(filepath.Join(dir, metaFile)); err == nil {
		return nil, ErrExists
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("checking for a profile: %w", err)
	}
	// Without profile.json a database here cannot be decrypted (its salt
	// is gone), but it may be someone's history whose profile.json can be
	// restored from a backup: it goes only when the user said so, or when
	// profile.json.tmp shows a Create that stopped while writing it.
	_, tmpErr := os.Stat(filepath.Join(dir, metaTmpFile))
	if !replace && tmpErr != nil && HasLeftDatabase(dir) {
		return nil, ErrLeftDatabase
	}
	for _, f := range []string{dbFile, dbFile + "-wal", dbFile + "-shm", metaTmpFile} {
		if err := os.Remove(filepath.Join(dir, f)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("removing an unfinished profile: %w", err)
		}
	}

	m := meta{Version: formatVersion, Passphrase: passphrase != "", KDF: defaultKDF}
	m.KDF.Salt = make([]byte, saltSize)
	if _, err := rand.Read(m.KDF.Salt); err != nil {
		return nil, fmt.Errorf("generating salt: %w", err)
	}
	key := m.KDF.derive(passphrase)
	m.KeyCheck = keyCheck(key)
	p.Store, err = store.OpenSQLite(filepath.Join(dir, dbFile), key)
	clear(key)
	if err != nil {
		return nil, fmt.Errorf("creating message database: %w", err)
	}

	priv, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generating identity: %w", err)
	}
	raw, err := crypto.MarshalPrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encoding identity: %w", err)
	}
	err = p.Store.SetSetting(settingIdentity, raw)
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("saving identity: %w", err)
	}
	if err := p.Store.SetSetting(settingName, []byte(name)); err != nil {
		return nil, fmt.Errorf("saving name: %w", err)
	}
	if p.ID, err = peer.IDFromPrivateKey(priv); err != nil {
		return nil, fmt.Errorf("deriving peer ID: %w", err)
	}
	p.Key = priv

	if err := writeMeta(dir, m); err != nil {
		return nil, err
	}
	return p, nil
}

// writeMeta writes profile.json through a temporary file and a rename, both
// synced, so it is either absent or complete.
func writeMeta(dir string, m meta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, metaTmpFile)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("writing profile: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(dir, metaFile))
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing profile: %w", err)
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable; not every OS can sync a folder,
// so failure is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Open unlocks the profile in dir. A wrong passphrase gives
// ErrWrongPassphrase and changes no file; a profile open elsewhere gives
// ErrLocked; a folder without a profile gives ErrNoProfile.
func Open(dir, passphrase string) (_ *Profile, err error) {
	// Look before locking, so that opening a folder without a profile
	// creates nothing in it.
	if _, err := readMeta(dir); err != nil {
		return nil, err
	}
	lock, err := lockFile(filepath.Join(dir, lockName))
	if err != nil {
		return nil, err
	}
	p := &Profile{Dir: dir, lock: lock}
	defer func() {
		if err != nil {
			p.Close()
		}
	}()
	m, err := readMeta(dir) // again, now that no Create can be writing it
	if err != nil {
		return nil, err
	}

	key := m.KDF.derive(passphrase)
	defer clear(key)
	if !hmac.Equal(keyCheck(key), m.KeyCheck) {
		return nil, ErrWrongPassphrase
	}

	dbPath := filepath.Join(dir, dbFile)
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("message database: %v: %w", err, ErrDamaged)
	}
	s, err := store.OpenSQLite(dbPath, key)
	if errors.Is(err, store.ErrWrongKey) {
		// The key check passed, so the key is right and the file is not.
		return nil, fmt.Errorf("message database cannot be decrypted: %w", ErrDamaged)
	}
	if errors.Is(err, store.ErrTooNew) {
		return nil, ErrTooNew
	}
	if err != nil {
		return nil, fmt.Errorf("opening message database: %w", err)
	}
	p.Store = s

	raw, err := s.Setting(settingIdentity)
	if err != nil {
		return nil, fmt.Errorf("reading identity: %v: %w", err, ErrDamaged)
	}
	priv, err := crypto.UnmarshalPrivateKey(raw)
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("reading identity: %v: %w", err, ErrDamaged)
	}
	if priv.Type() != crypto.Ed25519 {
		return nil, fmt.Errorf("identity is a %v key, want Ed25519: %w", priv.Type(), ErrDamaged)
	}
	if p.ID, err = peer.IDFromPrivateKey(priv); err != nil {
		return nil, fmt.Errorf("deriving peer ID: %v: %w", err, ErrDamaged)
	}
	p.Key = priv

	name, err := s.Setting(settingName)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("reading name: %w", err)
	}
	p.Name = string(name)
	return p, nil
}

// SetName validates, stores and sets the display name (trimmed).
func (p *Profile) SetName(name string) error {
	name, err := checkName(name)
	if err != nil {
		return err
	}
	if p.Store == nil {
		return store.ErrClosed
	}
	if err := p.Store.SetSetting(settingName, []byte(name)); err != nil {
		return fmt.Errorf("saving name: %w", err)
	}
	p.Name = name
	return nil
}

// Close closes the store, releases the folder and drops the profile's key
// references (the database key itself never outlives Open or Create). It
// is safe to call more than once.
func (p *Profile) Close() error {
	var err error
	if p.Store != nil {
		err = p.Store.Close()
		p.Store = nil
	}
	p.Key = nil
	if p.lock != nil {
		if uerr := unlockFile(p.lock); err == nil {
			err = uerr
		}
		p.lock = nil
	}
	return err
}
