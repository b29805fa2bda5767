package profile

import "testing"

func TestInUse(t *testing.T) {
	dir := t.TempDir()
	if InUse(dir) {
		t.Fatal("an empty folder is in use")
	}
	p, err := Create(dir, "Ann", "")
	if err != nil {
		t.Fatal(err)
	}
	if !InUse(dir) {
		t.Fatal("an open profile is not in use")
	}
	p.Close()
	if InUse(dir) {
		t.Fatal("a closed profile is in use")
	}
	// InUse let go of the lock: the profile opens.
	p, err = Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
}
