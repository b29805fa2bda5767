package cli

import (
	"fmt"
	"io"
	"strings"
)

// command is one subcommand of hearth, the one place that names it, says
// how to use it and how it runs. It either opens the profile itself and
// never talks to a daemon (local: create-profile, daemon), or it is a
// Request run against an open profile (exec): by the daemon over the
// control socket when one runs for the profile, otherwise in this process.
type command struct {
	name string
	args string // what follows the name in the usage, e.g. "CONTACT [DAYS]"
	help string // one line: what the command does

	// local runs a command that opens the profile itself.
	local func(o options, stdio Stdio) error

	// minArgs is how many positional arguments a request needs; needs
	// says what they are ("a contact") when there are too few.
	minArgs int
	needs   string
	// request fills in req from the positional arguments (and stdin); nil
	// when the flags, which every request carries, are all it takes.
	request func(req *Request, pos []string, o options, stdio Stdio) error
	// exec runs the request against an open profile; daemon says whether
	// the profile stays online after it. It returns how many messages it
	// stored (send).
	exec execFunc
	// toFile: with -o FILE the output goes to that file, not stdout.
	toFile bool
}

// execFunc runs one request against an open profile, writing what it
// prints to out, and returns how many messages it stored.
type execFunc func(m messenger, req Request, daemon bool, out *strings.Builder) (stored int, err error)

// storesNone adapts a command that stores no messages to an execFunc.
func storesNone(f func(m messenger, req Request, daemon bool, out *strings.Builder) error) execFunc {
	return func(m messenger, req Request, daemon bool, out *strings.Builder) (int, error) {
		return 0, f(m, req, daemon, out)
	}
}

// commands lists the subcommands, in the order the usage shows them. It
// is filled in by init: daemon runs requests, which look commands up here,
// and Go refuses such an initialization cycle in a variable's initializer.
var commands []command

func init() {
	commands = []command{
		{name: "create-profile", args: "--name NAME [--force]", help: "create a profile (passphrase from HEARTH_PASSPHRASE, --passphrase-file or a prompt; none when neither); --force deletes a database left without its profile.json",
			local: createProfile},
		{name: "daemon", help: "keep the profile online without a window until SIGINT/SIGTERM",
			local: daemon},
		{name: "id", help: "print my invite code",
			exec: storesNone(runID)},
		{name: "add", args: "CODE [--note TEXT]", help: "send a contact request to the person whose invite code this is",
			minArgs: 1, needs: "an invite code", request: addRequest, exec: storesNone(runAdd)},
		{name: "accept", args: "CONTACT", help: "accept a contact request",
			minArgs: 1, needs: "a contact", request: contactRequest, exec: storesNone(runAccept)},
		{name: "contacts", args: "[--json]", help: "list contacts with state, presence and unread count",
			exec: storesNone(runContacts)},
		{name: "send", args: "CONTACT TEXT... | CONTACT - [--lines]", help: "send a message (TEXT, or stdin with -; --lines: one message per line)",
			minArgs: 2, needs: "a contact and a text (or - for stdin)", request: sendRequest, exec: send},
		{name: "history", args: "CONTACT [--limit N] [--json]", help: "print a conversation, oldest first",
			minArgs: 1, needs: "a contact", request: contactRequest, exec: storesNone(runHistory)},
		{name: "search", args: "TEXT [--limit N] [--json]", help: "search every conversation, newest first",
			minArgs: 1, needs: "a text to look for", request: searchRequest, exec: storesNone(runSearch)},
		{name: "export", args: "CONTACT --format html|text [-o FILE]", help: "export a conversation",
			minArgs: 1, needs: "a contact", request: exportRequest, exec: storesNone(runExport), toFile: true},
		{name: "retention", args: "CONTACT [DAYS]", help: "show or set how many days messages are kept (0: forever)",
			minArgs: 1, needs: "a contact", request: retentionRequest, exec: storesNone(runRetention)},
		{name: "compliance", args: "CONTACT on|off", help: "mark a conversation archived for compliance (both people see a banner)",
			minArgs: 2, needs: "a contact and on or off", request: complianceRequest, exec: storesNone(runCompliance)},
		{name: "carry", args: "on|off|status", help: "carry sealed messages for contacts while they are offline (a home node), or show it",
			request: parseCarry, exec: storesNone(carryCommand)}, // carry.go
	}
}

// lookup finds a subcommand by name; nil when there is none.
func lookup(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// IsCommand reports whether name is a subcommand, so main.go can tell the
// command line from the GUI's flags.
func IsCommand(name string) bool {
	return lookup(name) != nil || name == "help"
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: hearth [--profile DIR] [window flags] [hearth:LINK]   start the app (window)")
	for _, c := range commands {
		fmt.Fprintf(w, "       hearth [--profile DIR] %s %s\n           %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "       hearth help COMMAND | hearth COMMAND --help   one command's usage")
	fmt.Fprintln(w, "       hearth --version")
	fmt.Fprintln(w, "Window flags: --fake-media, --no-dht, --clamd ADDR, --background (start in the tray).")
	fmt.Fprintln(w, commonFlags)
	fmt.Fprintln(w, "When `hearth daemon` or the Hearth window runs with the profile, the other commands go through it.")
}
