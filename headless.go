//go:build headless

package main

import (
	"fmt"
	"os"

	"hearth/app/cli"
)

// runWindow explains that this build has no window. The headless build
// exists because Fyne's OpenGL driver is linked with -lGL (cgo): every
// binary that contains the window needs libGL and X11 libraries just to
// start, even for `hearth daemon`, and Go cannot load a part of itself
// later. The headless build is the same program without the window, for
// a box with no display (packaging/hearth-daemon.service).
func runWindow(cli.WindowFlags) int {
	fmt.Fprintln(os.Stderr, "hearth: this build of Hearth has no window (it was built for a machine without a display).")
	fmt.Fprintln(os.Stderr, "Run `hearth daemon` to keep your profile online; `hearth help` lists the commands.")
	return 2
}
