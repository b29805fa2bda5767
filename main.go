// Command hearth is a serverless desktop messenger with webcam video and
// voice. This file wires the packages together; it is the only place that
// knows all of them.
package main

import (
	"flag"
	"fmt"
	"os"

	fyneapp "fyne.io/fyne/v2/app"

	"hearth/app/core"
	"hearth/app/profile"
	"hearth/app/ui"
)

func main() {
	dir := flag.String("profile", "", "profile folder (default: the per-user config folder)")
	fake := flag.Bool("fake-media", false, "send a synthetic test picture and tone in calls instead of the camera and microphone")
	port := flag.Int("port", 0, "preferred network port (another is used when it is busy)")
	noMDNS := flag.Bool("no-mdns", false, "do not look for contacts on the local network")
	flag.Parse()
	if *dir == "" {
		d, err := profile.DefaultDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "hearth: cannot find a folder for the profile:", err)
			os.Exit(1)
		}
		*dir = d
	}
	opener := core.Opener{Dir: *dir, Opts: core.Options{FakeMedia: *fake, Port: *port, NoMDNS: *noMDNS}}
	a := fyneapp.NewWithID("org.hearth.Hearth")
	ui.Run(a, launcher{opener}, "Hearth")
}

// launcher adapts core.Opener to ui.Launcher.
type launcher struct{ o core.Opener }

func (l launcher) Exists() (bool, bool, error) { return l.o.Exists() }

func (l launcher) Create(name, pass string) (ui.Backend, error) {
	m, err := l.o.Create(name, pass)
	if err != nil {
		return nil, err
	}
	return m, nil
}

func (l launcher) Unlock(pass string) (ui.Backend, error) {
	m, err := l.o.Unlock(pass)
	if err != nil {
		return nil, err
	}
	return m, nil
}
