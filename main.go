// Command hearth is a serverless desktop messenger with webcam video and
// voice. This file wires the packages together; it is the only place that
// knows all of them.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"github.com/libp2p/go-libp2p/gologshim"

	"hearth/app/cli"
	"hearth/app/core"
	"hearth/app/core/carry"
	"hearth/app/core/chat"
	"hearth/app/core/groups"
	"hearth/app/core/nearby"
	"hearth/app/core/pairing"
	"hearth/app/core/people"
	"hearth/app/core/presence"
	"hearth/app/profile"
	"hearth/app/ui"
	"hearth/app/ui/area"
	"hearth/contacts"
	"hearth/p2p/discovery"
)

func main() {
	// Headless Hearth: a subcommand (daemon, send, …) runs without a window.
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		quietNetworkLogs()
		os.Exit(cli.Main(os.Args[1:], cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr}))
	}
	dir := flag.String("profile", "", "profile folder (default: the per-user config folder)")
	fake := flag.Bool("fake-media", false, "send a synthetic test picture and tone in calls instead of the camera and microphone")
	port := flag.Int("port", 0, "preferred network port (another is used when it is busy)")
	noMDNS := flag.Bool("no-mdns", false, "do not look for contacts on the local network")
	noDHT := flag.Bool("no-dht", false, "when pairing by a short code, do not look over the internet (public DHT)")
	clamd := flag.String("clamd", "", `ClamAV daemon to scan received files with, "unix:/path" or "tcp:host:port" (default: its usual sockets)`)
	flag.Parse()
	if *dir == "" {
		d, err := profile.DefaultDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "hearth: cannot find a folder for the profile:", err)
			os.Exit(1)
		}
		*dir = d
	}
	quietNetworkLogs()
	opener := core.Opener{Dir: *dir, Opts: core.Options{FakeMedia: *fake, Port: *port, NoMDNS: *noMDNS, ClamdAddr: *clamd}}
	if !*noDHT {
		// Joined only while a short pairing code is open or being typed.
		opener.Opts.PairDHTBootstrap = discovery.PublicDHTPeers()
	}
	a := fyneapp.NewWithID("org.hearth.Hearth")
	// A hearth: link (the desktop file passes a clicked link as %u) opens
	// the add-contact dialog filled in. When Hearth already runs with this
	// profile the link cannot reach it yet: say so, and hand over the code.
	if link := inviteArg(flag.Args()); link != "" {
		if profile.InUse(*dir) {
			fmt.Fprintln(os.Stderr, "hearth: Hearth is already running with this profile; paste this invite code in its Add contact dialog:\n"+link)
			ui.RunProfileInUse(a, link)
			return
		}
		ui.OpenInviteOnStart(link)
	}
	// Ctrl+C or a logout quits like closing the window: calls hang up and
	// the profile closes cleanly.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		signal.Stop(sig) // a second Ctrl+C ends the process the hard way
		fyne.Do(a.Quit)
	}()
	ui.Run(a, launcher{opener}, "Hearth")
}

// inviteArg is the first hearth: link among the arguments, if any.
func inviteArg(args []string) string {
	for _, a := range args {
		if ui.IsInviteLink(a) {
			return a
		}
	}
	return ""
}

// quietNetworkLogs keeps libp2p's internal log lines (a busy port that was
// then avoided, a peer that went away) off the terminal unless asked for
// with GOLOG_LOG_LEVEL; what matters to the user is shown in the window.
func quietNetworkLogs() {
	if os.Getenv("GOLOG_LOG_LEVEL") != "" {
		return
	}
	gologshim.SetDefaultHandler(slog.NewTextHandler(io.Discard, nil))
}

// launcher adapts core.Opener to area.Launcher.
type launcher struct{ o core.Opener }

func (l launcher) Exists() (bool, bool, error) { return l.o.Exists() }

func (l launcher) Create(name, pass string) (*area.Backend, error) {
	m, err := l.o.Create(name, pass)
	if err != nil {
		return nil, err
	}
	return backendOf(m), nil
}

func (l launcher) CheckPassphrase(pass string) error { return l.o.CheckPassphrase(pass) }

func (l launcher) Unlock(pass string) (*area.Backend, error) {
	m, err := l.o.Unlock(pass)
	if err != nil {
		return nil, err
	}
	return backendOf(m), nil
}

// backendOf hands the UI each area of an open messenger: each field takes
// the mechanism that serves it.
func backendOf(m *core.Messenger) *area.Backend {
	return &area.Backend{
		Contacts: contactsArea{m.People, m.Pairing, m.Nearby},
		Chat:     m.Chat,
		Files:    m.Transfers,
		Groups:   groupsArea{m.Groups, m.Chat},
		Calls:    m.Calls,
		Archive:  m.Archive,
		Me:       me{m, m.Presence, m.Chat, m.Nearby, m.Carry},
		Events:   m.Events,
		Close:    m.Close,
	}
}

// contactsArea serves the Contacts area: requests and contact management
// from People, short codes from Pairing, the people found nearby.
type contactsArea struct {
	*people.People
	*pairing.Pairing
	near *nearby.Nearby
}

// Nearby lists the people found on the LAN.
func (c contactsArea) Nearby() []nearby.Peer { return c.near.Nearby() }

// groupsArea serves the Groups area: groups, and one message to several
// contacts from chat.
type groupsArea struct {
	*groupsMech
	*chat.Chat
}

// groupsMech names the embedded groups mechanism apart from its method
// Groups.
type groupsMech = groups.Groups

// me serves the Me area: my name and settings from the messenger, my
// presence and picture from the presence mechanism, read receipts from
// chat.
type me struct {
	*core.Messenger
	*presenceMech
	*chat.Chat // read receipts
	*nearbyMech
	*carry.Carry // carrying for contacts
}

// nearbyMech names the embedded nearby mechanism apart from the
// Messenger's field of the same name.
type nearbyMech = nearby.Nearby

// presenceMech names the embedded presence mechanism apart from the
// Messenger's field of the same name.
type presenceMech = presence.Presence

// Presence is my presence (the Messenger's field of that name is the
// mechanism).
func (x me) Presence() (contacts.Presence, string) { return x.presenceMech.Presence() }
