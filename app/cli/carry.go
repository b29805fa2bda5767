package cli

import (
	"fmt"
	"strings"
)

// carrier is what `hearth carry` needs; *core.Messenger implements it.
type carrier interface {
	CarryMessages() bool
	SetCarryMessages(on bool) error
	Carrying() (count int, bytes int64, err error)
}

// parseCarry reads `carry on|off|status` into req.
func parseCarry(req *Request, pos []string, _ options, _ Stdio) error {
	if len(pos) != 1 {
		return fmt.Errorf("%w: carry takes on, off or status", ErrUsage)
	}
	switch strings.ToLower(pos[0]) {
	case "on", "yes", "true":
		req.Switch = "on"
	case "off", "no", "false":
		req.Switch = "off"
	case "status":
	default:
		return fmt.Errorf("%w: carry takes on, off or status", ErrUsage)
	}
	return nil
}

// carryCommand switches carrying for contacts on or off (req.Switch), or
// only reports it, with what this profile holds for others.
func carryCommand(m messenger, req Request, daemon bool, out *strings.Builder) error {
	switch req.Switch {
	case "on", "off":
		if err := m.SetCarryMessages(req.Switch == "on"); err != nil {
			return fmt.Errorf("saving the carry setting: %w", err)
		}
	case "":
	default:
		return fmt.Errorf("%w: carry takes on, off or status", ErrUsage)
	}
	n, size, err := m.Carrying()
	if err != nil {
		return fmt.Errorf("counting carried messages: %w", err)
	}
	if m.CarryMessages() {
		fmt.Fprintln(out, "Carrying is on: sealed messages between my contacts wait here while the recipient is offline (no one here can read them).")
		if !daemon {
			fmt.Fprintln(out, "# They are taken and handed over while Hearth or `hearth daemon` runs with this profile.")
		}
	} else {
		fmt.Fprintln(out, "Carrying is off: no messages are taken for others; those held are still handed over.")
	}
	fmt.Fprintf(out, "Holding %d sealed message(s), %.1f KiB.\n", n, float64(size)/1024)
	return nil
}
