package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Invocation is what a command line asks of hearth: a subcommand, the
// window, the version or the usage.
type Invocation struct {
	// Command is the subcommand ("" for the window); Args are its
	// arguments, the global flags given before it included.
	Command string
	Args    []string
	// Window holds the window's flags when Command is "".
	Window WindowFlags
	// Version: print the version and exit. Help: print the usage and exit.
	Version, Help bool
}

// WindowFlags are the flags of the windowed app.
type WindowFlags struct {
	Profile    string
	FakeMedia  bool
	Port       int
	NoMDNS     bool
	NoDHT      bool
	Clamd      string
	Link       string // a hearth: invite link to open in the add-contact dialog
	Background bool   // start hidden in the tray (autostart at login)
	passFile   string // subcommand flags also accepted before the subcommand
	loopback   bool
}

// ParseCommandLine reads hearth's arguments (without the program name).
// Global flags come first; the first other word must be a subcommand or a
// hearth: link. An unknown word is an error, never the window: a typo in
// a script must not open a window (or panic where there is no display).
func ParseCommandLine(args []string) (Invocation, error) {
	var inv Invocation
	w := &inv.Window
	fs := flag.NewFlagSet("hearth", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&w.Profile, "profile", "", "")
	fs.BoolVar(&w.FakeMedia, "fake-media", false, "")
	fs.IntVar(&w.Port, "port", 0, "")
	fs.BoolVar(&w.NoMDNS, "no-mdns", false, "")
	fs.BoolVar(&w.NoDHT, "no-dht", false, "")
	fs.StringVar(&w.Clamd, "clamd", "", "")
	fs.BoolVar(&w.Background, "background", false, "")
	// Flags of the subcommands that may as well come before one.
	fs.StringVar(&w.passFile, "passphrase-file", "", "")
	fs.BoolVar(&w.loopback, "loopback", false, "")
	fs.BoolVar(&inv.Version, "version", false, "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		inv.Help = true
		return inv, nil
	case err != nil:
		return inv, fmt.Errorf("%w: %v", ErrUsage, err)
	case inv.Version:
		return inv, nil
	}
	rest := fs.Args()
	leading := args[:len(args)-len(rest)]
	if n := len(leading); n > 0 && leading[n-1] == "--" {
		leading = leading[:n-1]
	}
	if len(rest) == 0 {
		return inv, nil
	}
	word := rest[0]
	switch {
	case word == "help":
		inv.Command = "help"
		inv.Args = rest[1:]
		return inv, nil
	case lookup(word) != nil:
		inv.Command = word
		// The subcommand parses flags anywhere: the leading ones go first
		// so that a "--" among its own arguments still ends its flags.
		inv.Args = append(append([]string{}, leading...), rest[1:]...)
		for _, f := range windowOnlyFlags {
			if fs.Lookup(f) != nil && isSet(fs, f) {
				return inv, fmt.Errorf("%w: --%s is a flag of the window, not of %s", ErrUsage, f, word)
			}
		}
		return inv, nil
	case isLink(word):
		if len(rest) > 1 {
			return inv, fmt.Errorf("%w: unexpected %q after the link", ErrUsage, rest[1])
		}
		w.Link = strings.TrimSpace(word)
		return inv, nil
	}
	return inv, fmt.Errorf("%w: unknown command %q", ErrUsage, word)
}

// windowOnlyFlags are the global flags no subcommand takes.
var windowOnlyFlags = []string{"fake-media", "no-dht", "clamd", "background"}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// isLink reports whether arg is a hearth: link (the desktop file passes
// a clicked one as %u).
func isLink(arg string) bool {
	arg = strings.TrimSpace(arg)
	return len(arg) > len("hearth:") && strings.EqualFold(arg[:len("hearth:")], "hearth:")
}

// Usage writes the usage of every command to w.
func Usage(w io.Writer) { usage(w) }

// commandUsage writes one subcommand's usage: how to call it, what it
// does and the flags every command takes.
func commandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "usage: hearth [--profile DIR] %s %s\n\n%s.\n\n", c.name, c.args, upperFirst(c.help))
	fmt.Fprintln(w, commonFlags)
}

const commonFlags = `Flags every command takes (before or after the command):
  --profile DIR            the profile folder (default: the per-user profile)
  --passphrase-file FILE   read the passphrase from FILE (or set HEARTH_PASSPHRASE)
  --port N                 preferred network port (another is used when it is busy)
  --no-mdns                do not look for people on the local network
  -h, --help               this help`

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
