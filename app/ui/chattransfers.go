package ui

import (
	"image"
	"time"

	"hearth/app/core/groups"
	"hearth/app/ui/area"
	"hearth/app/ui/transfer"
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
func (cv *chatView) Playing() string                              { return cv.playing }
func (cv *chatView) TogglePlay(r *transfer.Row)                   { cv.togglePlay(r) }
func (cv *chatView) PeerName() string                             { return cv.peerName }
func (cv *chatView) Author(peerID string) string                  { return cv.authors[peerID] }
func (cv *chatView) SelectedGroup() *groups.GroupView             { return cv.mw.selectedGroup() }

func (cv *chatView) Duration(id string) (time.Duration, bool) {
	d, ok := cv.durations[id]
	return d, ok
}
