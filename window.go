//go:build !headless

package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"hearth/app/cli"
	"hearth/app/core"
	"hearth/app/core/calls"
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

// runWindow runs the windowed app with a profile until it quits.
func runWindow(f cli.WindowFlags) int {
	dir := f.Profile
	opener := core.Opener{Dir: dir, Opts: core.Options{FakeMedia: f.FakeMedia, Port: f.Port, NoMDNS: f.NoMDNS, ClamdAddr: f.Clamd}}
	if !f.NoDHT {
		// Joined only while a short pairing code is open or being typed.
		opener.Opts.PairDHTBootstrap = discovery.PublicDHTPeers()
		// Stayed connected to (unless public relays are off): relay slots
		// when no contact can relay, and others' view of my address.
		opener.Opts.Bootstrap = opener.Opts.PairDHTBootstrap
	}
	// A second launch brings the running window forward through the
	// profile's control socket, with the hearth: link it was given.
	if profile.InUse(dir) {
		err := cli.ShowRunning(dir, f.Link)
		if err == nil {
			fmt.Fprintln(os.Stderr, "hearth: Hearth is already running with this profile; its window was brought forward.")
			return 0
		}
		a := fyneapp.NewWithID("org.hearth.Hearth")
		if f.Link != "" {
			// Say so, and hand over the code to paste.
			fmt.Fprintln(os.Stderr, "hearth: Hearth is already running with this profile; paste this invite code in its Add contact dialog:\n"+f.Link)
			ui.RunProfileInUse(a, f.Link)
			return 0
		}
		fmt.Fprintln(os.Stderr, "hearth:", err)
		ui.RunMessage(a, "Hearth is already running", errorText(err))
		return 1
	}
	a := fyneapp.NewWithID("org.hearth.Hearth")
	// A hearth: link (the desktop file passes a clicked link as %u) opens
	// the add-contact dialog filled in.
	if f.Link != "" {
		ui.OpenInviteOnStart(f.Link)
	}
	if f.Background {
		ui.StartInBackground() // started at login: hidden, in the tray
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
	return 0
}

// errorText is what a second launch says when the running Hearth does not
// answer.
func errorText(err error) string {
	if errors.Is(err, cli.ErrNoWindow) {
		return "Your profile is in use by the Hearth home node on this computer (hearth daemon), which has no window. " +
			"Stop it (systemctl --user stop hearth-daemon) to open Hearth here, or use its commands (hearth help)."
	}
	return "Your profile is in use by another Hearth on this computer that does not answer. " +
		"Close it (or wait until it has started), then open Hearth again."
}

// launcher adapts core.Opener to area.Launcher.
type launcher struct{ o core.Opener }

func (l launcher) Exists() (bool, bool, error) { return l.o.Exists() }

func (l launcher) Create(name, pass string) (*area.Backend, error) {
	m, err := l.o.Create(name, pass)
	if err != nil {
		return nil, err
	}
	return l.serve(m), nil
}

func (l launcher) CheckPassphrase(pass string) error { return l.o.CheckPassphrase(pass) }

func (l launcher) Unlock(pass string) (*area.Backend, error) {
	m, err := l.o.Unlock(pass)
	if err != nil {
		return nil, err
	}
	return l.serve(m), nil
}

// serve answers the profile's control socket while the window runs (a
// second launch, and the commands), and hands the UI its areas.
func (l launcher) serve(m *core.Messenger) *area.Backend {
	b := backendOf(m)
	srv, err := cli.ServeWindow(l.o.Dir, m, ui.Raise)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hearth: a second start of Hearth cannot reach this one:", err)
		return b
	}
	b.Close = func() error {
		srv.Close()
		return m.Close()
	}
	return b
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
		Me:       me{m, m.Presence, m.Chat, m.Nearby, m.Carry, m.Calls},
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
	*calls.Calls // audio processing in calls
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
