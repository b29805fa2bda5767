package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"hearth/app/core"
	"hearth/app/core/event"
	"hearth/app/profile"
)

// Stdio is where a command reads and writes.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// options are the flags every subcommand accepts.
type options struct {
	dir, passFile, name, note, format, outFile string
	port, limit                                int
	loopback, noMDNS, json, lines, force       bool
}

// Main runs a subcommand (args[0]) and returns the process exit code.
func Main(args []string, io Stdio) int {
	if len(args) == 0 || args[0] == "help" {
		return help(args, io)
	}
	err := dispatch(args[0], args[1:], io)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		commandUsage(io.Out, lookup(args[0]))
		return 0
	case isUsage(err):
		fmt.Fprintln(io.Err, escapeTerminal("hearth: "+err.Error()))
		if c := lookup(args[0]); c != nil {
			commandUsage(io.Err, c)
		} else {
			usage(io.Err)
		}
		return 2
	default:
		fmt.Fprintln(io.Err, escapeTerminal("hearth: "+err.Error()))
		return 1
	}
}

// help prints the usage of every command ("hearth help") or of one
// ("hearth help send").
func help(args []string, io Stdio) int {
	if len(args) < 2 {
		usage(io.Out)
		return 0
	}
	c := lookup(args[1])
	if c == nil {
		fmt.Fprintf(io.Err, "hearth: %v: unknown command %q\n", ErrUsage, args[1])
		usage(io.Err)
		return 2
	}
	commandUsage(io.Out, c)
	return 0
}

func parse(cmd string, args []string) (options, []string, error) {
	var o options
	fs := flag.NewFlagSet("hearth "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.dir, "profile", "", "profile folder")
	fs.StringVar(&o.passFile, "passphrase-file", "", "file holding the passphrase")
	fs.IntVar(&o.port, "port", 0, "preferred network port")
	fs.BoolVar(&o.loopback, "loopback", false, "listen on 127.0.0.1 only (tests)")
	fs.BoolVar(&o.noMDNS, "no-mdns", false, "do not look for people on the local network")
	fs.StringVar(&o.name, "name", "", "display name (create-profile)")
	fs.StringVar(&o.note, "note", "", "note sent with a contact request")
	fs.StringVar(&o.format, "format", "", "export format: html or text")
	fs.StringVar(&o.outFile, "o", "", "write the export to this file")
	fs.IntVar(&o.limit, "limit", 0, "at most this many messages (0: all)")
	fs.BoolVar(&o.json, "json", false, "one JSON object per line")
	fs.BoolVar(&o.lines, "lines", false, "send: one message per line")
	fs.BoolVar(&o.force, "force", false, "create-profile: delete a database left without its profile.json")
	// Flags may come after positional arguments ("send bob hi --profile X").
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return o, nil, err
		} else if err != nil {
			return o, nil, fmt.Errorf("%w: %v", ErrUsage, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			pos = append(pos, rest...) // everything after -- is positional
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if o.dir == "" {
		d, err := profile.DefaultDir()
		if err != nil {
			return o, nil, err
		}
		o.dir = d
	}
	return o, pos, nil
}

// dispatch runs the subcommand cmd as its entry in the table says: on its
// own, or as a Request to the profile's daemon, or, when none runs, to the
// profile opened in this process.
func dispatch(cmd string, args []string, stdio Stdio) error {
	c := lookup(cmd)
	if c == nil {
		return fmt.Errorf("%w: unknown command %q", ErrUsage, cmd)
	}
	o, pos, err := parse(cmd, args)
	if err != nil {
		return err
	}
	switch {
	case c.local != nil:
		return c.local(o, stdio)
	case len(pos) < c.minArgs:
		return fmt.Errorf("%w: %s needs %s", ErrUsage, cmd, c.needs)
	}
	req := Request{Cmd: cmd, Limit: o.limit, JSON: o.json, Note: o.note, Format: o.format, Days: -1}
	if c.request != nil {
		if err := c.request(&req, pos, o, stdio); err != nil {
			return err
		}
	}
	rep, err := call(o.dir, req)
	if errors.Is(err, errNoDaemon) {
		rep, err = runOffline(o, req, stdio)
	}
	if err != nil {
		return err
	}
	if c.toFile && o.outFile != "" && rep.Error == "" {
		if err := os.WriteFile(o.outFile, []byte(rep.Output), 0o600); err != nil {
			return fmt.Errorf("writing export: %w", err)
		}
		fmt.Fprintf(stdio.Err, "Exported to %s\n", o.outFile)
	} else {
		io.WriteString(stdio.Out, escapeTerminal(rep.Output))
	}
	if rep.Error != "" {
		return errors.New(rep.Error)
	}
	return nil
}

// runOffline opens the profile in this process for one command.
func runOffline(o options, req Request, stdio Stdio) (Reply, error) {
	o.noMDNS = true // one command is no reason to announce ourselves on the LAN
	m, err := open(o, stdio)
	if err != nil {
		return Reply{}, err
	}
	rep := execute(newCoreMessenger(m), req, false)
	if err := m.Close(); err != nil && rep.Error == "" {
		rep.Error = "closing the profile: " + err.Error()
	}
	return rep, nil
}

// open unlocks the profile and starts it on the network.
func open(o options, stdio Stdio) (*core.Messenger, error) {
	exists, needsPass, err := profile.Exists(o.dir)
	if err != nil {
		return nil, fmt.Errorf("reading the profile in %s: %w", o.dir, err)
	}
	if !exists {
		if profile.HasLeftDatabase(o.dir) {
			return nil, fmt.Errorf("%s: %w", o.dir, ErrMissingMeta)
		}
		return nil, fmt.Errorf("%s: %w", o.dir, ErrNoProfile)
	}
	pass := ""
	if needsPass {
		if pass, err = passphrase(o, stdio, false); err != nil {
			return nil, err
		}
	}
	opts := core.Options{Port: o.port, Loopback: o.loopback, NoMDNS: o.noMDNS || o.loopback}
	m, err := core.Opener{Dir: o.dir, Opts: opts}.Unlock(pass)
	switch {
	case err == nil:
		return m, nil
	case errors.Is(err, profile.ErrLocked):
		return nil, ErrInUse
	case core.IsWrongPassphrase(err):
		return nil, errors.New("wrong passphrase for this profile")
	}
	return nil, fmt.Errorf("opening the profile: %w", err)
}

// passphrase comes from HEARTH_PASSPHRASE, --passphrase-file or a prompt
// on the terminal; with none of these, a new profile gets none and an
// existing one cannot be opened.
func passphrase(o options, stdio Stdio, creating bool) (string, error) {
	if p, ok := os.LookupEnv("HEARTH_PASSPHRASE"); ok {
		return p, nil
	}
	if o.passFile != "" {
		b, err := os.ReadFile(o.passFile)
		if err != nil {
			return "", fmt.Errorf("reading passphrase file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	p, tty, err := promptPassphrase("Passphrase: ", stdio.Err)
	if err != nil || !tty {
		if !tty && creating {
			return "", nil
		}
		if err == nil {
			err = ErrNeedPassphrase
		}
		return "", err
	}
	if creating {
		again, _, err := promptPassphrase("Again: ", stdio.Err)
		if err != nil {
			return "", err
		}
		if again != p {
			return "", errors.New("the two passphrases differ")
		}
	}
	return p, nil
}

func createProfile(o options, stdio Stdio) error {
	if strings.TrimSpace(o.name) == "" {
		return fmt.Errorf("%w: create-profile needs --name NAME", ErrUsage)
	}
	pass, err := passphrase(o, stdio, true)
	if err != nil {
		return err
	}
	create := profile.Create
	if o.force {
		create = profile.CreateReplacing
	}
	p, err := create(o.dir, o.name, pass)
	if err != nil {
		switch {
		case errors.Is(err, profile.ErrLocked):
			return ErrInUse
		case errors.Is(err, profile.ErrLeftDatabase):
			return fmt.Errorf("%s: %w", o.dir, ErrMissingMeta)
		}
		return fmt.Errorf("creating profile: %w", err)
	}
	id := p.ID.String()
	if err := p.Close(); err != nil {
		return err
	}
	fmt.Fprintf(stdio.Out, "Created profile %q in %s\npeer ID %s\n", o.name, o.dir, id)
	return nil
}

// daemon keeps the profile online and answers the control socket until
// SIGINT or SIGTERM.
func daemon(o options, stdio Stdio) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	m, err := openWaiting(o, stdio, lockWait)
	if err != nil {
		return err
	}
	srv, err := listen(o.dir, func(req Request) Reply { return execute(newCoreMessenger(m), req, true) })
	if err != nil {
		m.Close()
		return err
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		logEvents(m, stdio.Err)
	}()
	fmt.Fprintf(stdio.Out, "Hearth daemon: %s (%s)\n", escapeField(m.MyName()), m.MyPeerID())
	for _, a := range m.Addrs() {
		fmt.Fprintf(stdio.Out, "listening on %s\n", a)
	}
	fmt.Fprintf(stdio.Out, "control socket %s/%s; stop with Ctrl+C or SIGTERM\n", o.dir, SocketName)
	<-sig
	fmt.Fprintln(stdio.Out, "stopping")
	srv.Close()
	err = m.Close()
	<-done
	return err
}

// lockWait is how long the daemon waits for a one-shot command (or a
// window closing) to let go of the profile before it gives up.
const lockWait = 15 * time.Second

// openWaiting opens the profile like open, but while another Hearth holds
// it and no daemon answers on its socket (a one-shot command that is about
// to finish, say) it tries again for up to wait.
func openWaiting(o options, stdio Stdio, wait time.Duration) (*core.Messenger, error) {
	deadline := time.Now().Add(wait)
	for {
		m, err := open(o, stdio)
		if !errors.Is(err, ErrInUse) {
			return m, err
		}
		if _, cerr := call(o.dir, Request{Cmd: "contacts"}); cerr == nil {
			return nil, ErrDaemonRunning
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("waited %v: %w", wait, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// logEvents drains the messenger's events (it must be read) and logs the
// ones an operator cares about, until the messenger closes.
func logEvents(m *core.Messenger, w io.Writer) {
	for e := range m.Events() {
		switch e := e.(type) {
		case event.Notice:
			fmt.Fprintln(w, "notice:", escapeField(e.Text))
		case event.RequestReceived:
			fmt.Fprintf(w, "contact request from %s (%s): `hearth accept %s` accepts it\n",
				escapeField(e.Contact.Name), e.Contact.PeerID, e.Contact.PeerID)
		case event.ConversationPruned:
			fmt.Fprintf(w, "retention: %d old message(s) deleted with %s\n", e.Deleted, e.PeerID)
		}
	}
}
