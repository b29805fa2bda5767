//go:build linux

package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// promptPassphrase asks on the terminal with echo off. It reports false
// when stdin is not a terminal.
func promptPassphrase(prompt string, stderr io.Writer) (string, bool, error) {
	fd := int(os.Stdin.Fd())
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return "", false, nil // not a terminal
	}
	quiet := *old
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, &quiet); err != nil {
		return "", false, nil
	}
	defer unix.IoctlSetTermios(fd, unix.TCSETS, old)
	fmt.Fprint(stderr, prompt)
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	fmt.Fprintln(stderr)
	if err != nil && line == "" {
		return "", true, fmt.Errorf("reading passphrase: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), true, nil
}
