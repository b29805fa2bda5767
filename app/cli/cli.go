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

	"hearth/app/core/event"

	"hearth/app/core"
	"hearth/app/core/archive"
	"hearth/app/profile"
)

// Stdio is where a command reads and writes.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
}

// commands lists the subcommands, in the order the usage shows them.
var commands = []struct{ name, args, help string }{
	{"create-profile", "--name NAME", "create a profile (passphrase from HEARTH_PASSPHRASE, --passphrase-file or a prompt; none when neither)"},
	{"daemon", "", "keep the profile online without a window until SIGINT/SIGTERM"},
	{"id", "", "print my invite code"},
	{"add", "CODE [--note TEXT]", "send a contact request to the person whose invite code this is"},
	{"accept", "CONTACT", "accept a contact request"},
	{"contacts", "[--json]", "list contacts with state, presence and unread count"},
	{"send", "CONTACT TEXT... | CONTACT - [--lines]", "send a message (TEXT, or stdin with -; --lines: one message per line)"},
	{"history", "CONTACT [--limit N] [--json]", "print a conversation, oldest first"},
	{"search", "TEXT [--limit N] [--json]", "search every conversation, newest first"},
	{"export", "CONTACT --format html|text [-o FILE]", "export a conversation"},
	{"retention", "CONTACT [DAYS]", "show or set how many days messages are kept (0: forever)"},
	{"compliance", "CONTACT on|off", "mark a conversation archived for compliance (both people see a banner)"},
	{"carry", "on|off|status", "carry sealed messages for contacts while they are offline (a home node), or show it"},
}

// IsCommand reports whether name is a subcommand, so main.go can tell the
// command line from the GUI's flags.
func IsCommand(name string) bool {
	for _, c := range commands {
		if c.name == name {
			return true
		}
	}
	return name == "help"
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: hearth [--profile DIR] [flags]         start the app (GUI)")
	for _, c := range commands {
		fmt.Fprintf(w, "       hearth %s %s\n           %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "Common flags: --profile DIR, --passphrase-file FILE (or HEARTH_PASSPHRASE), --port N, --no-mdns.")
	fmt.Fprintln(w, "When `hearth daemon` runs for the profile, the other commands go through it.")
}

// options are the flags every subcommand accepts.
type options struct {
	dir, passFile, name, note, format, outFile string
	port, limit                                int
	loopback, noMDNS, json, lines              bool
}

// Main runs a subcommand (args[0]) and returns the process exit code.
func Main(args []string, io Stdio) int {
	if len(args) == 0 || args[0] == "help" {
		usage(io.Out)
		return 0
	}
	err := dispatch(args[0], args[1:], io)
	switch {
	case err == nil:
		return 0
	case isUsage(err):
		fmt.Fprintln(io.Err, "hearth:", err)
		usage(io.Err)
		return 2
	default:
		fmt.Fprintln(io.Err, "hearth:", err)
		return 1
	}
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
	// Flags may come after positional arguments ("send bob hi --profile X").
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
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

func dispatch(cmd string, args []string, stdio Stdio) error {
	o, pos, err := parse(cmd, args)
	if err != nil {
		return err
	}
	need := func(n int, what string) error {
		if len(pos) < n {
			return fmt.Errorf("%w: %s needs %s", ErrUsage, cmd, what)
		}
		return nil
	}
	req := Request{Cmd: cmd, Limit: o.limit, JSON: o.json, Note: o.note, Format: o.format, Days: -1}
	switch cmd {
	case "create-profile":
		return createProfile(o, stdio)
	case "daemon":
		return daemon(o, stdio)
	case "id", "contacts":
	case "add":
		if err := need(1, "an invite code"); err != nil {
			return err
		}
		req.Code = strings.Join(pos, "")
	case "send":
		if err := need(2, "a contact and a text (or - for stdin)"); err != nil {
			return err
		}
		req.Contact = pos[0]
		text := strings.Join(pos[1:], " ")
		if len(pos) == 2 && pos[1] == "-" {
			b, err := io.ReadAll(io.LimitReader(stdio.In, maxRequest+1))
			if err != nil {
				return fmt.Errorf("reading stdin: %w", err)
			}
			if len(b) > maxRequest {
				return fmt.Errorf("stdin: %w", ErrRequestTooLarge)
			}
			text = string(b)
		}
		if o.lines {
			req.Texts = strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
		} else {
			req.Texts = []string{text}
		}
	case "history", "accept":
		if err := need(1, "a contact"); err != nil {
			return err
		}
		req.Contact = pos[0]
	case "search":
		if err := need(1, "a text to look for"); err != nil {
			return err
		}
		req.Query = strings.Join(pos, " ")
	case "export":
		if err := need(1, "a contact"); err != nil {
			return err
		}
		if o.format == "" {
			return fmt.Errorf("%w: export needs --format html or --format text", ErrUsage)
		}
		if _, err := archive.ParseExportFormat(o.format); err != nil {
			return err
		}
		req.Contact = pos[0]
	case "retention":
		if err := need(1, "a contact"); err != nil {
			return err
		}
		req.Contact = pos[0]
		if len(pos) > 1 {
			if _, err := fmt.Sscan(pos[1], &req.Days); err != nil || req.Days < 0 {
				return fmt.Errorf("%w: DAYS must be a whole number, 0 for forever", ErrUsage)
			}
		}
	case "compliance":
		if err := need(2, "a contact and on or off"); err != nil {
			return err
		}
		req.Contact = pos[0]
		switch strings.ToLower(pos[1]) {
		case "on", "yes", "true":
			req.On = true
		case "off", "no", "false":
		default:
			return fmt.Errorf("%w: compliance takes on or off", ErrUsage)
		}
	case "carry": // carry.go
		if err := parseCarry(pos, &req); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%w: unknown command %q", ErrUsage, cmd)
	}
	rep, err := call(o.dir, req)
	if errors.Is(err, errNoDaemon) {
		rep, err = runOffline(o, req, stdio)
	}
	if err != nil {
		return err
	}
	if cmd == "export" && o.outFile != "" && rep.Error == "" {
		if err := os.WriteFile(o.outFile, []byte(rep.Output), 0o600); err != nil {
			return fmt.Errorf("writing export: %w", err)
		}
		fmt.Fprintf(stdio.Err, "Exported to %s\n", o.outFile)
	} else {
		io.WriteString(stdio.Out, rep.Output)
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
	p, err := profile.Create(o.dir, o.name, pass)
	if err != nil {
		if errors.Is(err, profile.ErrLocked) {
			return ErrInUse
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
	m, err := open(o, stdio)
	if errors.Is(err, ErrInUse) {
		if _, cerr := call(o.dir, Request{Cmd: "contacts"}); cerr == nil {
			return ErrDaemonRunning
		}
	}
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
	fmt.Fprintf(stdio.Out, "Hearth daemon: %s (%s)\n", m.MyName(), m.MyPeerID())
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

// logEvents drains the messenger's events (it must be read) and logs the
// ones an operator cares about, until the messenger closes.
func logEvents(m *core.Messenger, w io.Writer) {
	for e := range m.Events() {
		switch e := e.(type) {
		case event.Notice:
			fmt.Fprintln(w, "notice:", e.Text)
		case event.RequestReceived:
			fmt.Fprintf(w, "contact request from %s (%s): `hearth accept %s` accepts it\n", e.Contact.Name, e.Contact.PeerID, e.Contact.PeerID)
		case event.ConversationPruned:
			fmt.Fprintf(w, "retention: %d old message(s) deleted with %s\n", e.Deleted, e.PeerID)
		}
	}
}
