package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
)

// ShowNotice shows a non-blocking banner above the conversation for a
// while.
func (mw *MainWindow) ShowNotice(text string) { mw.showNoticeWith(text, "", nil) }

// showNoticeWith shows a notice with one button that does act.
func (mw *MainWindow) showNoticeWith(text, action string, act func()) {
	if strings.TrimSpace(text) == "" {
		return
	}
	mw.noticeText.SetText(text)
	if act != nil {
		mw.noticeAction.SetText(action)
		mw.noticeAction.OnTapped = func() { mw.hideNotice(); act() }
		mw.noticeAction.Show()
	} else {
		mw.noticeAction.Hide()
	}
	mw.notice.Show()
	if mw.noticeTimer != nil {
		mw.noticeTimer.Stop()
	}
	shown := text
	mw.noticeTimer = time.AfterFunc(12*time.Second, func() {
		mw.do(func() {
			if mw.noticeText.Text == shown {
				mw.hideNotice()
			}
		})
	})
}

func (mw *MainWindow) hideNotice() { mw.notice.Hide() }

// NoticeText is the banner's text, empty when it is hidden (for tests).
func (mw *MainWindow) NoticeText() string {
	if !mw.notice.Visible() {
		return ""
	}
	return mw.noticeText.Text
}

// ShowModal shows d and makes Escape run onEscape (or hide d).
func (mw *MainWindow) ShowModal(d dialog.Dialog, onEscape func()) {
	mw.modal = d
	mw.escape = onEscape
	d.SetOnClosed(func() { mw.ModalClosed(d) })
	d.Show()
}

// ModalClosed forgets d, closed by itself, as the window's modal dialog.
func (mw *MainWindow) ModalClosed(d dialog.Dialog) {
	if mw.modal == d {
		mw.modal, mw.escape = nil, nil
	}
}

func (mw *MainWindow) HideModal(d dialog.Dialog) {
	d.Hide()
	if mw.modal == d {
		mw.modal, mw.escape = nil, nil
	}
}

func (mw *MainWindow) closeModal() {
	switch {
	case mw.escape != nil:
		mw.escape()
	case mw.modal != nil:
		mw.HideModal(mw.modal)
	}
}
