package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackages builds the .debs and the tarball as `make deb tarball`
// does (lintian runs inside mkdeb.sh and fails the build on a warning),
// then checks their control fields and contents, validates the desktop
// entry and metainfo they ship, and runs the packaged binary.
func TestPackages(t *testing.T) {
	t.Parallel() // no display needed by these builds: run beside each other
	if _, err := exec.LookPath("dpkg-deb"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dpkg-deb missing in CI")
		}
		t.Skip("not a Debian system")
	}
	out := t.TempDir()
	make := exec.Command("make", "-s", "deb", "tarball", "OUT="+out)
	b, err := make.CombinedOutput()
	if err != nil {
		t.Fatalf("make deb tarball: %v\n%s", err, b)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "E: ") || strings.HasPrefix(l, "W: ") {
			t.Errorf("lintian: %s", l)
		}
	}
	version, err := exec.Command("./packaging/version.sh").Output()
	if err != nil {
		t.Fatal(err)
	}
	v := strings.TrimSpace(string(version))
	field := func(deb, name string) string {
		b, err := exec.Command("dpkg-deb", "-f", deb, name).Output()
		if err != nil {
			t.Fatalf("dpkg-deb -f %s %s: %v", deb, name, err)
		}
		return strings.TrimSpace(string(b))
	}
	debs, _ := filepath.Glob(filepath.Join(out, "dist", "*.deb"))
	if len(debs) != 2 {
		t.Fatalf("want two .debs, got %v", debs)
	}
	for _, deb := range debs {
		pkg := field(deb, "Package")
		t.Logf("%s: %s", filepath.Base(deb), size(deb))
		if got := field(deb, "Version"); got != v {
			t.Errorf("%s: version %q, want %q", pkg, got, v)
		}
		deps := field(deb, "Depends")
		for _, want := range []string{"libc6", "libvpx", "libopus0", "libasound2"} {
			if !strings.Contains(deps, want) {
				t.Errorf("%s does not depend on %s: %s", pkg, want, deps)
			}
		}
		listing, err := exec.Command("dpkg-deb", "-c", deb).Output()
		if err != nil {
			t.Fatal(err)
		}
		files := []string{"./usr/bin/hearth", "./usr/share/man/man1/hearth.1.gz", "./usr/lib/systemd/user/hearth-daemon.service",
			"./usr/share/doc/" + pkg + "/copyright", "./usr/share/doc/" + pkg + "/changelog.gz"}
		window := []string{"libgl1", "libx11-6", "libxcursor1"}
		switch pkg {
		case "hearth":
			files = append(files, "./usr/share/applications/org.hearth.Hearth.desktop", "./usr/share/metainfo/org.hearth.Hearth.metainfo.xml",
				"./usr/share/icons/hicolor/256x256/apps/org.hearth.Hearth.png")
			for _, want := range window {
				if !strings.Contains(deps, want) {
					t.Errorf("hearth does not depend on %s: %s", want, deps)
				}
			}
			if field(deb, "Conflicts") != "hearth-headless" {
				t.Error("hearth does not conflict with hearth-headless (both ship /usr/bin/hearth)")
			}
		case "hearth-headless":
			for _, lib := range window {
				if strings.Contains(deps, lib) {
					t.Errorf("hearth-headless depends on %s: %s", lib, deps)
				}
			}
		default:
			t.Errorf("unexpected package %q", pkg)
		}
		for _, f := range files {
			if !strings.Contains(string(listing), " "+f+"\n") {
				t.Errorf("%s lacks %s", pkg, f)
			}
		}
		// Unpacked, the program knows its version and the files validate.
		root := t.TempDir()
		if b, err := exec.Command("dpkg-deb", "-x", deb, root).CombinedOutput(); err != nil {
			t.Fatalf("dpkg-deb -x: %v %s", err, b)
		}
		if b, err := exec.Command(filepath.Join(root, "usr/bin/hearth"), "--version").Output(); err != nil || strings.TrimSpace(string(b)) != "hearth "+v {
			t.Errorf("%s: hearth --version: %q %v", pkg, b, err)
		}
		if b, err := exec.Command("file", "-L", filepath.Join(root, "usr/bin/hearth")).Output(); err == nil && !strings.Contains(string(b), "stripped") {
			t.Errorf("%s: binary: %s", pkg, b)
		} else if strings.Contains(string(b), "not stripped") {
			t.Errorf("%s: binary not stripped: %s", pkg, b)
		}
		if pkg == "hearth" {
			validate(t, filepath.Join(root, "usr/share/applications/org.hearth.Hearth.desktop"), filepath.Join(root, "usr/share/metainfo/org.hearth.Hearth.metainfo.xml"))
		}
	}

	// The tarball installs under a prefix of one's own, and its desktop
	// entry names a program that runs.
	tars, _ := filepath.Glob(filepath.Join(out, "dist", "hearth-*.tar.xz"))
	if len(tars) != 1 {
		t.Fatalf("want one tarball, got %v", tars)
	}
	t.Logf("%s: %s", filepath.Base(tars[0]), size(tars[0]))
	x := t.TempDir()
	if b, err := exec.Command("tar", "-C", x, "-xJf", tars[0]).CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, b)
	}
	top, _ := filepath.Glob(filepath.Join(x, "hearth-*"))
	prefix := filepath.Join(t.TempDir(), "local")
	if b, err := exec.Command("make", "-C", top[0], "install", "PREFIX="+prefix).CombinedOutput(); err != nil {
		t.Fatalf("make install from the tarball: %v %s", err, b)
	}
	desk := filepath.Join(prefix, "share/applications/org.hearth.Hearth.desktop")
	validate(t, desk, filepath.Join(prefix, "share/metainfo/org.hearth.Hearth.metainfo.xml"))
	entry, _ := os.ReadFile(desk)
	exe := filepath.Join(prefix, "bin/hearth")
	if !strings.Contains(string(entry), "\nExec="+exe+" %u\n") {
		t.Errorf("the desktop entry does not start %s:\n%s", exe, entry)
	}
	if b, err := exec.Command(exe, "--version").Output(); err != nil || strings.TrimSpace(string(b)) != "hearth "+v {
		t.Errorf("installed hearth --version: %q %v", b, err)
	}
	if b, err := exec.Command("make", "-C", top[0], "uninstall", "PREFIX="+prefix).CombinedOutput(); err != nil {
		t.Fatalf("make uninstall: %v %s", err, b)
	}
	filepath.Walk(prefix, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			t.Errorf("left after uninstall: %s", p)
		}
		return nil
	})
}

// validate runs desktop-file-validate and appstreamcli on a desktop entry
// and a metainfo file.
func validate(t *testing.T, desktop, metainfo string) {
	t.Helper()
	if b, err := exec.Command("desktop-file-validate", desktop).CombinedOutput(); err != nil || len(b) > 0 {
		t.Errorf("desktop-file-validate %s: %v\n%s", desktop, err, b)
	}
	if b, err := exec.Command("appstreamcli", "validate", "--no-net", metainfo).CombinedOutput(); err != nil {
		t.Errorf("appstreamcli validate %s: %v\n%s", metainfo, err, b)
	}
}

func size(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MiB", float64(fi.Size())/(1<<20))
}
