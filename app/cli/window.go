package cli

import (
	"errors"
	"io"

	"hearth/app/core"
)

// cmdShow is the control request a second launch of the window sends:
// bring the running window forward (Request.Code: a hearth: link to open
// there). Only the window answers it; a daemon has no window to show.
const cmdShow = "show"

// ErrNoWindow: what runs with the profile is `hearth daemon`, which has no
// window to bring forward.
var ErrNoWindow = errors.New("Hearth runs with this profile as `hearth daemon`, without a window; stop it (systemctl --user stop hearth-daemon) to open the window")

// ServeWindow answers the control socket of a profile open in the window:
// a second launch asks it to show itself (show is called with the link
// it brings, or ""), and every command runs in it as it does in a daemon,
// so `hearth send` works while the window is open. The caller holds the
// profile lock; Close stops answering.
func ServeWindow(dir string, m *core.Messenger, show func(link string)) (io.Closer, error) {
	return listen(dir, func(req Request) Reply {
		if req.Cmd == cmdShow {
			show(req.Code)
			return Reply{}
		}
		return execute(newCoreMessenger(m), req, true)
	})
}

// ShowRunning asks the Hearth window that runs with the profile in dir to
// come forward and open link (may be ""). It fails when nothing answers on
// the control socket, and with ErrNoWindow when a daemon does.
func ShowRunning(dir, link string) error {
	rep, err := call(dir, Request{Cmd: cmdShow, Code: link})
	if errors.Is(err, errNoDaemon) {
		return ErrNothingAnswers
	}
	if err != nil {
		return err
	}
	if rep.Error != "" {
		return ErrNoWindow
	}
	return nil
}

// ErrNothingAnswers: the profile is in use but nothing answers on its
// control socket (an older Hearth, or one still starting).
var ErrNothingAnswers = errors.New("the Hearth that uses this profile does not answer")
