package ui

import "hearth/app/ui/transfer"

// loadThumb decodes a transfer's picture off the UI goroutine and shows it
// in the row, if the row is still on screen.
func (cv *chatView) loadThumb(id, path string) {
	if cv.thumbs.Loading[id] {
		return
	}
	cv.thumbs.Loading[id] = true
	mw := cv.mw
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		img, err := transfer.DecodeThumb(path)
		if err != nil {
			img = nil
		}
		mw.do(func() {
			cv.thumbs.Put(id, img)
			if r := cv.transfers[id]; r != nil {
				r.ShowThumb()
				// The picture makes the row taller: the history lays out
				// again, or it only got room once the conversation was
				// reopened.
				cv.msgs.Refresh()
				cv.scroll.Refresh()
			}
		})
	}()
}

// loadDuration finds a voice note's length off the UI goroutine, once.
func (cv *chatView) loadDuration(r *transfer.Row) {
	id, path := r.Transfer.ID, r.Transfer.Path
	if _, ok := cv.durations[id]; ok || path == "" {
		return
	}
	cv.durations[id] = 0 // asked; 0 until known or for good when unreadable
	mw := cv.mw
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		d, err := transfer.OggOpusDuration(path)
		if err != nil {
			return
		}
		mw.do(func() {
			cv.durations[id] = d
			if r := cv.transfers[id]; r != nil {
				r.Redraw()
			}
		})
	}()
}
