package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"hearth/app/ui/chooser"
)

func TestPaperclipUsesTheDesktopChooserAndRemembersTheFolder(t *testing.T) {
	mw, b, q := newTestMain(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "cake.jpg")
	os.WriteFile(file, []byte("jpeg"), 0o600)
	var asked []chooser.Options
	nativeChooser = func(_ context.Context, o chooser.Options) ([]string, error) {
		asked = append(asked, o)
		return []string{file}, nil
	}
	t.Cleanup(func() {
		nativeChooser = func(ctx context.Context, o chooser.Options) ([]string, error) { return chooser.Chooser{}.Open(ctx, o) }
	})

	mw.OpenConversation("peer-bob")
	mw.chooseFile()
	q.WaitFor(t, "the file sent", func() bool {
		var sent []string
		b.locked(func() { sent = slices.Clone(b.files.sentFiles) })
		return len(sent) == 1 && sent[0] == "peer-bob|"+file
	})
	if asked[0].Title != "Send files to Bob" || !asked[0].Multiple {
		t.Errorf("asked %+v", asked[0])
	}
	// The next time starts in the same folder.
	mw.chooseFile()
	q.WaitFor(t, "the second file", func() bool {
		var n int
		b.locked(func() { n = len(b.files.sentFiles) })
		return n == 2
	})
	if asked[1].Folder != dir {
		t.Errorf("second chooser starts in %q, want %q", asked[1].Folder, dir)
	}
}

func TestPaperclipFallsBackToFynesDialog(t *testing.T) {
	mw, _, q := newTestMain(t)
	nativeChooser = func(context.Context, chooser.Options) ([]string, error) { return nil, chooser.ErrUnavailable }
	t.Cleanup(func() {
		nativeChooser = func(ctx context.Context, o chooser.Options) ([]string, error) { return chooser.Chooser{}.Open(ctx, o) }
	})
	mw.OpenConversation("peer-bob")
	mw.chooseFile()
	q.WaitFor(t, "Fyne's dialog", func() bool { return mw.win.Canvas().Overlays().Top() != nil })
}
