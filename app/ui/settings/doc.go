// Package settings is the settings dialog: my name, picture, auto-away and
// nearby visibility; the download folder and the file policy with the
// auto-accept size; who may send requests and the blocked; read receipts;
// carrying messages for contacts. It reaches the main window only through
// Host and the messenger only through the areas it changes.
package settings
