// Package chooser opens the desktop's own file chooser: the XDG desktop
// portal (org.freedesktop.portal.FileChooser over the session D-Bus) where
// the desktop has one, else zenity or kdialog. It reports ErrUnavailable
// when there is none, and the caller falls back to Fyne's dialog. It
// knows nothing of windows or of Hearth.
package chooser
