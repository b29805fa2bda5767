package chooser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
	"sync/atomic"

	"github.com/godbus/dbus/v5"
)

var (
	// ErrUnavailable: no native chooser here; use another.
	ErrUnavailable = errors.New("no native file chooser")
)

const (
	portalName  = "org.freedesktop.portal.Desktop"
	portalPath  = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	fileChooser = "org.freedesktop.portal.FileChooser"
	request     = "org.freedesktop.portal.Request"
)

// Options say what to ask for.
type Options struct {
	Title    string
	Multiple bool
	// Folder is where the chooser starts (the last folder used), if the
	// chooser lets itself be told.
	Folder string
}

// Chooser opens native choosers. The zero value uses the session bus's
// portal, then zenity, then kdialog.
type Chooser struct {
	// Bus and Dest override the session bus and the portal's name (tests).
	Bus  *dbus.Conn
	Dest string
	// NoCommands skips zenity and kdialog (tests).
	NoCommands bool
}

// Open asks for files to open and returns their paths; none (and no
// error) when the person cancelled. ErrUnavailable when no native chooser
// answered.
func (c Chooser) Open(ctx context.Context, o Options) ([]string, error) {
	paths, err := c.portal(ctx, o)
	if !errors.Is(err, ErrUnavailable) || c.NoCommands {
		return paths, err
	}
	return command(ctx, o)
}

var tokens atomic.Uint64

// portal asks the desktop portal: OpenFile returns a request object whose
// Response signal carries the choice.
func (c Chooser) portal(ctx context.Context, o Options) ([]string, error) {
	conn := c.Bus
	if conn == nil {
		var err error
		if conn, err = dbus.SessionBus(); err != nil {
			return nil, ErrUnavailable
		}
	}
	dest := c.Dest
	if dest == "" {
		dest = portalName
	}
	var has bool
	if err := conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, dest).Store(&has); err != nil || !has {
		return nil, ErrUnavailable
	}
	token := fmt.Sprintf("hearth%d", tokens.Add(1))
	// The request's path is known before the call (portal API ≥ 0.9), so
	// the signal cannot be missed between the call and the match.
	sender := strings.ReplaceAll(strings.TrimPrefix(conn.Names()[0], ":"), ".", "_")
	want := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + sender + "/" + token)
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)
	defer conn.RemoveSignal(signals)
	match := []dbus.MatchOption{dbus.WithMatchInterface(request), dbus.WithMatchMember("Response")}
	if err := conn.AddMatchSignalContext(ctx, match...); err != nil {
		return nil, ErrUnavailable
	}
	defer conn.RemoveMatchSignal(match...)

	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"multiple":     dbus.MakeVariant(o.Multiple),
		"modal":        dbus.MakeVariant(true),
	}
	if o.Folder != "" {
		opts["current_folder"] = dbus.MakeVariant(append([]byte(o.Folder), 0))
	}
	var handle dbus.ObjectPath
	call := conn.Object(dest, portalPath).CallWithContext(ctx, fileChooser+".OpenFile", 0, "", o.Title, opts)
	if err := call.Store(&handle); err != nil {
		return nil, ErrUnavailable
	}
	for {
		select {
		case <-ctx.Done():
			conn.Object(dest, handle).Call(request+".Close", 0)
			return nil, ctx.Err()
		case s := <-signals:
			if s == nil || (s.Path != handle && s.Path != want) || s.Name != request+".Response" {
				continue
			}
			return responsePaths(s.Body)
		}
	}
}

// responsePaths reads a Response signal: a code (0 chosen, 1 cancelled,
// 2 failed) and results whose "uris" are file:// URIs.
func responsePaths(body []any) ([]string, error) {
	if len(body) != 2 {
		return nil, errors.New("the file chooser answered in an unknown way")
	}
	code, _ := body[0].(uint32)
	switch code {
	case 0:
	case 1:
		return nil, nil
	default:
		return nil, errors.New("the file chooser failed")
	}
	results, _ := body[1].(map[string]dbus.Variant)
	uris, _ := results["uris"].Value().([]string)
	var paths []string
	for _, u := range uris {
		p, err := url.Parse(u)
		if err != nil || p.Scheme != "file" {
			continue // only local files can be sent
		}
		paths = append(paths, p.Path)
	}
	return paths, nil
}

// command runs zenity or kdialog: exit status 1 is a cancel.
func command(ctx context.Context, o Options) ([]string, error) {
	var cmd *exec.Cmd
	switch {
	case has("zenity"):
		args := []string{"--file-selection", "--title=" + o.Title, "--separator=\n"}
		if o.Multiple {
			args = append(args, "--multiple")
		}
		if o.Folder != "" {
			args = append(args, "--filename="+strings.TrimSuffix(o.Folder, "/")+"/")
		}
		cmd = exec.CommandContext(ctx, "zenity", args...)
	case has("kdialog"):
		start := o.Folder
		if start == "" {
			start = "."
		}
		args := []string{"--title", o.Title, "--getopenfilename", start}
		if o.Multiple {
			args = append(args, "--multiple", "--separate-output")
		}
		cmd = exec.CommandContext(ctx, "kdialog", args...)
	default:
		return nil, ErrUnavailable
	}
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 1 {
		return nil, nil // cancelled
	}
	if err != nil {
		return nil, ErrUnavailable
	}
	var paths []string
	for _, l := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if l != "" {
			paths = append(paths, l)
		}
	}
	return paths, nil
}

func has(name string) bool {
	_, err := exec.LookPath(name)
	return err == nil
}
