package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"hearth/app/ui/chooser"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// bigFile is the size from which sending says "Preparing…" while the core
// hashes the file.
const bigFile = 64 << 20

// prefLastFolder is the folder files were last sent from: the choosers
// start there.
const prefLastFolder = "files.lastFolder"

// nativeChooser is the desktop's own file chooser (a variable for tests).
var nativeChooser = func(ctx context.Context, o chooser.Options) ([]string, error) {
	return chooser.Chooser{}.Open(ctx, o)
}

// chooseFile is the paperclip: pick files and send them to the open
// conversation. The desktop's own chooser (the portal, zenity or kdialog:
// typed paths, recent places, the person's bookmarks) comes first; Fyne's
// dialog when there is none.
func (mw *MainWindow) chooseFile() {
	peer := mw.selected
	if peer == "" {
		return
	}
	folder := mw.app.Preferences().String(prefLastFolder)
	title := "Send files to " + mw.chat.peerName
	stop := mw.stop
	var paths []string
	mw.Background(func() error {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() { // quitting closes the chooser
			select {
			case <-stop:
				cancel()
			case <-ctx.Done():
			}
		}()
		var err error
		paths, err = nativeChooser(ctx, chooser.Options{Title: title, Multiple: true, Folder: folder})
		return err
	}, func(err error) {
		switch {
		case errors.Is(err, chooser.ErrUnavailable):
			mw.chooseFileFyne(peer, folder)
		case err != nil:
			mw.ShowNotice("Could not open the file chooser: " + kit.UserText(err))
		case len(paths) > 0:
			mw.app.Preferences().SetString(prefLastFolder, filepath.Dir(paths[0]))
			uris := make([]fyne.URI, len(paths))
			for i, p := range paths {
				uris[i] = storage.NewFileURI(p)
			}
			mw.sendURIs(peer, uris)
		}
	})
}

// chooseFileFyne is Fyne's own file dialog, starting in the last folder.
func (mw *MainWindow) chooseFileFyne(peer, folder string) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			mw.ShowNotice("Could not open the file: " + kit.UserText(err))
			return
		}
		if rc == nil {
			return // cancelled
		}
		u := rc.URI()
		rc.Close()
		mw.app.Preferences().SetString(prefLastFolder, filepath.Dir(u.Path()))
		mw.sendURIs(peer, []fyne.URI{u})
	}, mw.win)
	if folder != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(820, 560))
	d.Show()
}

// onDropped receives files dropped on the window: they go to the open
// conversation.
func (mw *MainWindow) onDropped(_ fyne.Position, uris []fyne.URI) {
	if len(uris) == 0 {
		return
	}
	if mw.add.Open != nil {
		mw.add.Open.Dropped(uris) // a picture of someone's QR code
		return
	}
	if mw.selected == "" {
		mw.ShowNotice("Open a conversation first, then drop the files on it to send them.")
		return
	}
	mw.sendURIs(mw.selected, uris)
}

var errNotFile = errors.New("only files on this computer can be sent")

// sendURIs hands each local path to Backend.SendFile (core takes paths,
// never URIs), one after the other off the UI goroutine: SendFile hashes
// the file first.
func (mw *MainWindow) sendURIs(peer string, uris []fyne.URI) {
	var paths []string
	for _, u := range uris {
		if u.Scheme() != "file" {
			mw.ShowNotice(fmt.Sprintf("Could not send “%s”: %s.", u.Name(), errNotFile))
			continue
		}
		paths = append(paths, u.Path())
	}
	if len(paths) == 0 {
		return
	}
	mw.wg.Add(1)
	go func() {
		defer mw.wg.Done()
		for _, p := range paths {
			select {
			case <-mw.stop:
				return
			default:
			}
			mw.sendPath(peer, p)
		}
	}()
}

// sendPath runs on a background goroutine.
func (mw *MainWindow) sendPath(peer, path string) {
	name := filepath.Base(path)
	var err error
	st, statErr := os.Stat(path) // SendFile explains a missing file itself
	if statErr == nil && st.IsDir() {
		err = errors.New("it is a folder; only files can be sent")
	}
	var preparing string
	if err == nil && statErr == nil && st.Size() >= bigFile {
		preparing = fmt.Sprintf("Preparing “%s” (%s) to send…", name, kit.HumanSize(st.Size()))
		mw.do(func() { mw.ShowNotice(preparing) })
	}
	var t contacts.Transfer
	if err == nil {
		t, err = mw.b.Files.SendFile(peer, path)
	}
	mw.do(func() {
		if preparing != "" && mw.NoticeText() == preparing {
			mw.hideNotice()
		}
		if err != nil {
			mw.ShowNotice(fmt.Sprintf("Could not send “%s”: %s", name, kit.UserText(err)))
			return
		}
		if t.Conversation == "" {
			t.Conversation = peer
		}
		if t.Conversation == mw.selected {
			mw.chat.setTransfer(t)
		}
	})
}

// openPath opens a file or folder with the desktop's default application.
func (mw *MainWindow) openPath(path string) {
	if path == "" {
		return
	}
	u := &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if err := mw.app.OpenURL(u); err != nil {
		mw.ShowNotice("Could not open " + path + ": " + kit.UserText(err))
	}
}
