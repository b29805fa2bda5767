package ui

import (
	"image"
	"time"

	"fyne.io/fyne/v2"

	"hearth/app/core/groups"
	"hearth/app/ui/area"
	"hearth/app/ui/transfer"
	"hearth/contacts"
)

// chatView is the transfer rows' Conversation (app/ui/transfer).

func (cv *chatView) Files() area.FilesBackend                     { return cv.files }
func (cv *chatView) Background(fn func() error, done func(error)) { cv.mw.Background(fn, done) }
func (cv *chatView) ShowNotice(text string)                       { cv.mw.ShowNotice(text) }
func (cv *chatView) OpenPath(path string)                         { cv.mw.openPath(path) }
func (cv *chatView) Now() time.Time                               { return cv.now() }
func (cv *chatView) Thumb(id string) (image.Image, bool)          { return cv.thumbs.Get(id) }
func (cv *chatView) LoadThumb(id, path string)                    { cv.loadThumb(id, path) }
func (cv *chatView) LoadDuration(r *transfer.Row)                 { cv.loadDuration(r) }
func (cv *chatView) Playing() string                              { return cv.voice.Playing() }
func (cv *chatView) TogglePlay(r *transfer.Row)                   { cv.voice.TogglePlay(r) }
func (cv *chatView) PeerName() string                             { return cv.peerName }
func (cv *chatView) Author(peerID string) string                  { return cv.authors[peerID] }
func (cv *chatView) SelectedGroup() *groups.GroupView             { return cv.mw.selectedGroup() }

func (cv *chatView) Duration(id string) (time.Duration, bool) {
	d, ok := cv.durations[id]
	return d, ok
}

// chatView is also the voice notes' Host (app/ui/voice).

func (cv *chatView) Do(f func())                     { cv.mw.do(f) }
func (cv *chatView) Canvas() fyne.Canvas             { return cv.mw.win.Canvas() }
func (cv *chatView) Peer() string                    { return cv.peer }
func (cv *chatView) OnScreen(peer string) bool       { return cv.peer == peer && cv.mw.selected == peer }
func (cv *chatView) AddTransfer(t contacts.Transfer) { cv.setTransfer(t) }
func (cv *chatView) Row(id string) *transfer.Row     { return cv.transfers[id] }

// Go runs f on a goroutine the window waits for as it closes; stop
// closes when it does.
func (cv *chatView) Go(f func(stop <-chan struct{})) {
	mw := cv.mw
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		f(mw.stop)
	}()
}
