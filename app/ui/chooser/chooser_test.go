package chooser

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// privateBus starts a D-Bus daemon of the test's own and connects to it.
func privateBus(t *testing.T) (client, server *dbus.Conn) {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("dbus-daemon is missing")
		}
		t.Skip("dbus-daemon is missing")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the bus address: %v", err)
	}
	connect := func() *dbus.Conn {
		c, err := dbus.Connect(strings.TrimSpace(addr))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	return connect(), connect()
}

// fakePortal answers OpenFile like a desktop portal: a request object,
// then its Response signal.
type fakePortal struct {
	conn *dbus.Conn
	code uint32
	uris []string

	mu    sync.Mutex // guards what it was asked
	title string
	opts  map[string]dbus.Variant
}

func (f *fakePortal) asked() (string, map[string]dbus.Variant) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.title, f.opts
}

func (f *fakePortal) OpenFile(sender dbus.Sender, parent, title string, opts map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	f.mu.Lock()
	f.title, f.opts = title, opts
	f.mu.Unlock()
	token, _ := opts["handle_token"].Value().(string)
	name := strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_")
	handle := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + name + "/" + token)
	go func() {
		time.Sleep(20 * time.Millisecond) // the person choosing
		f.conn.Emit(handle, request+".Response", f.code, map[string]dbus.Variant{"uris": dbus.MakeVariant(f.uris)})
	}()
	return handle, nil
}

const testDest = "org.hearth.TestPortal"

func servePortal(t *testing.T, server *dbus.Conn, f *fakePortal) {
	t.Helper()
	f.conn = server
	if err := server.Export(f, portalPath, fileChooser); err != nil {
		t.Fatal(err)
	}
	if reply, err := server.RequestName(testDest, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("taking the portal's name: %v %v", reply, err)
	}
}

func TestPortalOpen(t *testing.T) {
	client, server := privateBus(t)
	f := &fakePortal{uris: []string{"file:///home/ann/Pictures/cake%20photo.jpg", "https://example.org/not-local", "file:///tmp/notes.txt"}}
	servePortal(t, server, f)
	c := Chooser{Bus: client, Dest: testDest, NoCommands: true}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	paths, err := c.Open(ctx, Options{Title: "Send a file to Bob", Multiple: true, Folder: "/home/ann/Pictures"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(paths, "|") != "/home/ann/Pictures/cake photo.jpg|/tmp/notes.txt" {
		t.Errorf("paths %q", paths)
	}
	title, opts := f.asked()
	if title != "Send a file to Bob" || opts["multiple"].Value() != true {
		t.Errorf("asked with title %q, options %v", title, opts)
	}
	if folder, _ := opts["current_folder"].Value().([]byte); string(folder) != "/home/ann/Pictures\x00" {
		t.Errorf("current_folder %q", folder)
	}
}

func TestPortalCancel(t *testing.T) {
	client, server := privateBus(t)
	servePortal(t, server, &fakePortal{code: 1})
	paths, err := Chooser{Bus: client, Dest: testDest, NoCommands: true}.Open(context.Background(), Options{Title: "x"})
	if err != nil || paths != nil {
		t.Errorf("cancel gave %q, %v", paths, err)
	}
}

func TestNoPortalIsUnavailable(t *testing.T) {
	client, _ := privateBus(t)
	_, err := Chooser{Bus: client, Dest: testDest, NoCommands: true}.Open(context.Background(), Options{Title: "x"})
	if err != ErrUnavailable {
		t.Errorf("without a portal: %v", err)
	}
}

func TestResponseOfUnknownShape(t *testing.T) {
	if _, err := responsePaths([]any{"nonsense"}); err == nil {
		t.Error("a response with the wrong shape was taken")
	}
	if _, err := responsePaths([]any{uint32(2), map[string]dbus.Variant{}}); err == nil {
		t.Error("a failed response gave no error")
	}
	if p, err := responsePaths([]any{uint32(0), map[string]dbus.Variant{}}); err != nil || len(p) != 0 {
		t.Errorf("a response without uris: %q %v", p, err)
	}
}
