package profile

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/contacts"
	"hearth/contacts/store"
)

// productionKDF keeps the real defaults, which TestMain replaces.
var productionKDF kdfParams

func TestMain(m *testing.M) {
	// Fast parameters for everything but TestKDFCost.
	productionKDF = defaultKDF
	defaultKDF.Time, defaultKDF.MemoryKiB, defaultKDF.Threads = 1, 64, 1
	os.Exit(m.Run())
}

func TestCreateOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hearth")
	if ok, _, err := Exists(dir); ok || err != nil {
		t.Fatalf("Exists before Create = %v, %v", ok, err)
	}
	p, err := Create(dir, "  Ada Lovelace ", "correct horse")
	must(t, err)
	if p.Name != "Ada Lovelace" {
		t.Errorf("name = %q", p.Name)
	}
	id := p.ID
	if id == "" || p.Key == nil {
		t.Fatal("no identity")
	}
	if !p.Key.Equals(p.Key) {
		t.Fatal("key")
	}
	_, err = p.Store.AddMessage(contacts.Message{ID: "m1", Conversation: "peer", Body: "hello"})
	must(t, err)
	must(t, p.Close())
	if p.Store != nil || p.Key != nil {
		t.Error("Close kept references")
	}
	must(t, p.Close()) // twice is fine

	ok, needs, err := Exists(dir)
	if !ok || !needs || err != nil {
		t.Fatalf("Exists after Create = %v, %v, %v", ok, needs, err)
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v, want 0700", fi.Mode().Perm())
	}

	p, err = Open(dir, "correct horse")
	must(t, err)
	defer p.Close()
	if p.ID != id {
		t.Errorf("peer ID changed: %s then %s", id, p.ID)
	}
	if p.Name != "Ada Lovelace" {
		t.Errorf("name after reopen = %q", p.Name)
	}
	if pid, _ := p.Key.GetPublic().Raw(); len(pid) != 32 {
		t.Errorf("not an Ed25519 key")
	}
	ms, err := p.Store.Messages("peer", 0)
	must(t, err)
	if len(ms) != 1 {
		t.Errorf("messages after reopen: %d", len(ms))
	}

	// profile.json holds no secrets and records the KDF.
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	must(t, err)
	if strings.Contains(string(b), "correct horse") {
		t.Error("passphrase in profile.json")
	}
	var m meta
	must(t, json.Unmarshal(b, &m))
	if m.KDF.Algorithm != "argon2id" || len(m.KDF.Salt) != saltSize || m.KDF.Time != defaultKDF.Time {
		t.Errorf("recorded KDF = %+v", m.KDF)
	}
}

func TestWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "right")
	must(t, err)
	id := p.ID
	must(t, p.Close())

	before := hashDir(t, dir)
	for _, pass := range []string{"wrong", "", "right ", "Right"} {
		_, err := Open(dir, pass)
		if !errors.Is(err, ErrWrongPassphrase) {
			t.Fatalf("Open(%q) = %v, want ErrWrongPassphrase", pass, err)
		}
		if err.Error() != "wrong passphrase" {
			t.Errorf("message %q", err)
		}
	}
	if after := hashDir(t, dir); after != before {
		t.Fatal("a wrong passphrase changed the folder")
	}
	// The failed attempts released the lock.
	p, err = Open(dir, "right")
	must(t, err)
	defer p.Close()
	if p.ID != id {
		t.Error("different identity")
	}
}

func TestEmptyPassphrase(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Grandma", "")
	must(t, err)
	id := p.ID
	must(t, p.Close())
	ok, needs, err := Exists(dir)
	if !ok || needs || err != nil {
		t.Fatalf("Exists = %v, %v, %v; want true, false, nil", ok, needs, err)
	}
	if _, err := Open(dir, "something"); !errors.Is(err, ErrWrongPassphrase) {
		t.Errorf("Open with a passphrase = %v", err)
	}
	p, err = Open(dir, "")
	must(t, err)
	defer p.Close()
	if p.ID != id || p.Name != "Grandma" {
		t.Errorf("reopened %s %q", p.ID, p.Name)
	}
	// Still encrypted on disk.
	b, err := os.ReadFile(filepath.Join(dir, dbFile))
	must(t, err)
	if strings.Contains(string(b), "SQLite format 3") || strings.Contains(string(b), "Grandma") {
		t.Error("database readable without a passphrase")
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "pw")
	must(t, err)
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open = %v, want ErrLocked", err)
	}
	if !strings.Contains(ErrLocked.Error(), "already open in another Hearth window") {
		t.Errorf("ErrLocked says %q", ErrLocked)
	}
	if _, err := Create(dir, "Eve", "pw"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Create on an open profile = %v, want ErrLocked", err)
	}
	must(t, p.Close())

	p, err = Open(dir, "pw")
	must(t, err)
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrLocked) {
		t.Fatalf("Open while open = %v, want ErrLocked", err)
	}
	// The lock is checked before the passphrase.
	if _, err := Open(dir, "wrong"); !errors.Is(err, ErrLocked) {
		t.Fatalf("wrong passphrase while open = %v, want ErrLocked", err)
	}
	must(t, p.Close())
	p, err = Open(dir, "pw")
	must(t, err)
	must(t, p.Close())
}

func TestCreateErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, "x"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Open(empty folder) = %v, want ErrNoProfile", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Open of an empty folder created %d files", len(entries))
	}
	if _, err := Open(filepath.Join(dir, "missing"), "x"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Open(missing folder) = %v, want ErrNoProfile", err)
	}
	for _, name := range []string{"", "   ", strings.Repeat("é", 65), "a\x00b", "tab\there", "\xff"} {
		if _, err := Create(dir, name, ""); !errors.Is(err, ErrBadName) {
			t.Errorf("Create(name %q) = %v, want ErrBadName", name, err)
		}
	}
	p, err := Create(dir, strings.Repeat("é", 64), "")
	must(t, err)
	if err := p.SetName(" "); !errors.Is(err, ErrBadName) {
		t.Errorf("SetName(blank) = %v", err)
	}
	must(t, p.SetName(" Bea "))
	must(t, p.Close())
	if _, err := Create(dir, "Ada", ""); !errors.Is(err, ErrExists) {
		t.Errorf("Create twice = %v, want ErrExists", err)
	}
	p, err = Open(dir, "")
	must(t, err)
	defer p.Close()
	if p.Name != "Bea" {
		t.Errorf("name after SetName and reopen = %q", p.Name)
	}
}

// TestUnfinishedCreate simulates a crash before profile.json was written.
func TestUnfinishedCreate(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "pw")
	must(t, err)
	must(t, p.Close())
	must(t, os.Remove(filepath.Join(dir, metaFile)))
	must(t, os.WriteFile(filepath.Join(dir, metaTmpFile), []byte("{half"), 0o600))

	if ok, _, err := Exists(dir); ok || err != nil {
		t.Fatalf("Exists after unfinished Create = %v, %v", ok, err)
	}
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrNoProfile) {
		t.Fatalf("Open = %v, want ErrNoProfile", err)
	}
	p, err = Create(dir, "Ada", "new")
	must(t, err)
	must(t, p.Close())
	p, err = Open(dir, "new")
	must(t, err)
	must(t, p.Close())
}

func TestDamagedProfile(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "pw")
	must(t, err)
	must(t, p.Close())

	// Right passphrase, damaged database: not reported as a wrong passphrase.
	db := filepath.Join(dir, dbFile)
	orig, err := os.ReadFile(db)
	must(t, err)
	bad := append([]byte{}, orig...)
	for i := range 4096 {
		bad[i] ^= 0x5a
	}
	must(t, os.WriteFile(db, bad, 0o600))
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrDamaged) {
		t.Errorf("damaged database: %v, want ErrDamaged", err)
	}
	must(t, os.WriteFile(db, orig, 0o600))

	// Tampered KDF parameters are refused before any work is done.
	mpath := filepath.Join(dir, metaFile)
	mb, err := os.ReadFile(mpath)
	must(t, err)
	var m meta
	must(t, json.Unmarshal(mb, &m))
	m.KDF.MemoryKiB = 1 << 30
	tampered, _ := json.Marshal(m)
	must(t, os.WriteFile(mpath, tampered, 0o600))
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrDamaged) {
		t.Errorf("absurd KDF memory: %v, want ErrDamaged", err)
	}
	if _, _, err := Exists(dir); !errors.Is(err, ErrDamaged) {
		t.Errorf("Exists on damaged profile.json: %v", err)
	}
	must(t, os.WriteFile(mpath, []byte("not json"), 0o600))
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrDamaged) {
		t.Errorf("garbage profile.json: %v, want ErrDamaged", err)
	}
	m.Version = formatVersion + 1
	m.KDF.MemoryKiB = defaultKDF.MemoryKiB
	newer, _ := json.Marshal(m)
	must(t, os.WriteFile(mpath, newer, 0o600))
	if _, err := Open(dir, "pw"); !errors.Is(err, ErrTooNew) {
		t.Errorf("newer profile.json: %v, want ErrTooNew", err)
	}
	must(t, os.WriteFile(mpath, mb, 0o600))
	p, err = Open(dir, "pw")
	must(t, err)
	must(t, p.Close())
}

func TestStoreIsSQLite(t *testing.T) {
	p, err := Create(t.TempDir(), "Ada", "")
	must(t, err)
	defer p.Close()
	if _, ok := p.Store.(*store.SQLite); !ok {
		t.Errorf("Store is %T", p.Store)
	}
}

// TestKDFCost reports the default parameters' cost on this machine.
func TestKDFCost(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	k := productionKDF
	k.Salt = make([]byte, saltSize)
	start := time.Now()
	k.derive("passphrase")
	d := time.Since(start)
	t.Logf("Argon2id t=%d m=%d KiB p=%d: %v", k.Time, k.MemoryKiB, k.Threads, d)
	if d > 2*time.Second {
		t.Errorf("unlocking takes %v", d)
	}
}

func hashDir(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	entries, err := os.ReadDir(dir)
	must(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		must(t, err)
		fi, err := e.Info()
		must(t, err)
		fmt.Fprintf(h, "%s %d %v %x\n", e.Name(), len(b), fi.ModTime(), sha256.Sum256(b))
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestLockOtherProcess holds the profile open and checks that another
// process is refused.
func TestLockOtherProcess(t *testing.T) {
	if dir := os.Getenv("HEARTH_TEST_LOCK_DIR"); dir != "" {
		// The child: report what Open says.
		_, err := Open(dir, "pw")
		if errors.Is(err, ErrLocked) {
			os.Exit(3)
		}
		os.Exit(1)
	}
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "pw")
	must(t, err)
	defer p.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockOtherProcess$")
	cmd.Env = append(os.Environ(), "HEARTH_TEST_LOCK_DIR="+dir)
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 {
		t.Fatalf("other process: %v, want exit code 3 (ErrLocked)", err)
	}
}

// A database whose profile.json is gone (lost, not a Create cut short) is
// never deleted by Create: only CreateReplacing, which the user asks for
// with --force, deletes it. Guards finding 4 of issue 14.
func TestCreateKeepsLeftDatabase(t *testing.T) {
	dir := t.TempDir()
	p, err := Create(dir, "Ada", "pw")
	must(t, err)
	must(t, p.Close())
	must(t, os.Remove(filepath.Join(dir, metaFile)))
	db := filepath.Join(dir, dbFile)
	before, err := os.ReadFile(db)
	must(t, err)
	if !HasLeftDatabase(dir) {
		t.Fatal("HasLeftDatabase = false")
	}
	if _, err := Create(dir, "Ada", "new"); !errors.Is(err, ErrLeftDatabase) {
		t.Fatalf("Create over a left database = %v, want ErrLeftDatabase", err)
	}
	after, err := os.ReadFile(db)
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("the database changed or went: %v", err)
	}
	p, err = CreateReplacing(dir, "Ada", "new")
	must(t, err)
	must(t, p.Close())
	if HasLeftDatabase(dir) {
		t.Fatal("HasLeftDatabase after CreateReplacing")
	}
}
