// Package desktop is what Hearth does as a citizen of the user's desktop:
// the download folder the user chose (XDG_DOWNLOAD_DIR), and starting at
// login (an XDG autostart entry; the Run key on Windows). It knows no
// other part of Hearth and imports only the standard library (and
// golang.org/x/sys on Windows).
package desktop
