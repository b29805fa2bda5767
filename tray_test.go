package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// watcher is a fake StatusNotifierWatcher (the desktop's tray host): it
// records the items that register with it.
type watcher struct{ items chan dbus.Sender }

func (w *watcher) RegisterStatusNotifierItem(sender dbus.Sender, path string) *dbus.Error {
	w.items <- sender
	return nil
}

// menuLayout is a dbusmenu layout node: id, properties, children.
type menuLayout struct {
	ID       int32
	Props    map[string]dbus.Variant
	Children []dbus.Variant
}

// TestTrayIcon runs Hearth hidden (as at login) on a private session bus
// with a fake tray host: Hearth registers its tray icon, the icon's menu
// has Open, my presence and Quit, and "Open Hearth" shows the window.
func TestTrayIcon(t *testing.T) {
	needDisplay(t)
	bin := buildBinary(t)
	dir := aliceProfile(t)

	// A private session bus.
	sock := filepath.Join(t.TempDir(), "bus")
	daemon := exec.Command("dbus-daemon", "--session", "--nofork", "--address=unix:path="+sock, "--print-address=1")
	stdout, _ := daemon.StdoutPipe()
	if err := daemon.Start(); err != nil {
		t.Fatalf("dbus-daemon: %v", err)
	}
	t.Cleanup(func() { daemon.Process.Kill(); daemon.Wait() })
	addr, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon's address: %v", err)
	}
	addr = strings.TrimSpace(addr)
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	w := &watcher{items: make(chan dbus.Sender, 4)}
	if err := conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning the watcher's name: %v %v", r, err)
	}

	out, exited := startWith(t, bin, []string{"DBUS_SESSION_BUS_ADDRESS=" + addr},
		"--profile", dir, "--no-mdns", "--port", "-1", "--background")
	var item dbus.Sender
	select {
	case item = <-w.items:
	case err := <-exited:
		t.Fatalf("hearth exited: %v\n%s", err, out)
	case <-time.After(60 * time.Second):
		t.Fatalf("no tray icon registered\n%s", out)
	}
	obj := conn.Object(string(item), "/StatusNotifierItem")
	title, err := obj.GetProperty("org.kde.StatusNotifierItem.Title")
	if err != nil || title.Value() != "Hearth" {
		t.Errorf("tray icon title %v, %v", title, err)
	}
	// The menu: labels by id.
	menu := conn.Object(string(item), "/StatusNotifierMenu")
	labels := map[string]int32{}
	deadline := time.Now().Add(20 * time.Second)
	for labels["Quit Hearth"] == 0 && time.Now().Before(deadline) {
		var rev uint32
		var root menuLayout
		if err := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{}).Store(&rev, &root); err != nil {
			t.Fatalf("GetLayout: %v", err)
		}
		for _, c := range root.Children {
			vals, ok := c.Value().([]any)
			if !ok || len(vals) < 2 {
				continue
			}
			id, _ := vals[0].(int32)
			props, _ := vals[1].(map[string]dbus.Variant)
			if l, ok := props["label"]; ok {
				labels[l.Value().(string)] = id
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	for _, want := range []string{"Open Hearth", "Online", "Quit Hearth"} {
		if _, ok := labels[want]; !ok {
			t.Errorf("the tray menu lacks %q: %v", want, labels)
		}
	}
	const title2 = "Hearth — Alice"
	if s := mapState(title2); s == "IsViewable" {
		t.Fatalf("--background showed the window")
	}
	if err := menu.Call("com.canonical.dbusmenu.Event", 0, labels["Open Hearth"], "clicked", dbus.MakeVariant(""), uint32(0)).Err; err != nil {
		t.Fatalf("clicking Open Hearth: %v", err)
	}
	deadline = time.Now().Add(20 * time.Second)
	for mapState(title2) != "IsViewable" {
		if time.Now().After(deadline) {
			t.Fatalf("Open Hearth did not show the window\n%s", out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Quit from the tray ends the process cleanly.
	if err := menu.Call("com.canonical.dbusmenu.Event", 0, labels["Quit Hearth"], "clicked", dbus.MakeVariant(""), uint32(0)).Err; err != nil {
		t.Fatalf("clicking Quit Hearth: %v", err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("hearth after Quit: %v\n%s", err, out)
		}
	case <-time.After(20 * time.Second):
		t.Errorf("Quit Hearth did not quit\n%s", out)
	}
}
