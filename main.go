// Command hearth is a serverless desktop messenger with webcam video and
// voice. This file reads the command line; window.go (the default build)
// wires the packages together for the window, and is the only place that
// knows all of them. Built with -tags headless, hearth has the subcommands
// (`hearth daemon` …) and no window, so it links neither Fyne nor libGL
// nor X11: see headless.go.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/libp2p/go-libp2p/gologshim"

	"hearth/app/cli"
	"hearth/app/profile"
)

// version is set at build time from `git describe` (the Makefile passes
// -ldflags "-X main.version=...").
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	inv, err := cli.ParseCommandLine(args)
	switch {
	case err != nil:
		fmt.Fprintln(os.Stderr, "hearth:", err)
		fmt.Fprintln(os.Stderr, "`hearth help` lists the commands; `hearth COMMAND --help` explains one.")
		return 2
	case inv.Help:
		cli.Usage(os.Stdout)
		return 0
	case inv.Version:
		fmt.Println("hearth", version)
		return 0
	case inv.Command != "":
		// Headless Hearth: a subcommand (daemon, send, …) runs without a window.
		quietNetworkLogs()
		return cli.Main(append([]string{inv.Command}, inv.Args...), cli.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr})
	}
	if inv.Window.Profile == "" {
		d, err := profile.DefaultDir()
		if err != nil {
			fmt.Fprintln(os.Stderr, "hearth: cannot find a folder for the profile:", err)
			return 1
		}
		inv.Window.Profile = d
	}
	quietNetworkLogs()
	return runWindow(inv.Window)
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
