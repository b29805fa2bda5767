package contactdlg

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"hearth/app/ui/area"
	"hearth/app/ui/kit"
	"hearth/contacts"
)

// suggestedGroups are offered in the Groups dialog before anyone has made
// their own.
var suggestedGroups = []string{"Family", "Friends", "Team"}

// textDialog edits one piece of text about a contact (name, notes).
type textDialog struct {
	mw    *Dialogs
	d     *dialog.CustomDialog
	Entry *kit.EscEntry
	Save  *widget.Button
	err   *widget.Label
}

// showTextDialog opens a dialog that edits text and saves it with save,
// off the UI goroutine. Enter saves a single line; Escape closes.
func (mw *Dialogs) showTextDialog(title, help, text string, multiLine bool, save func(string) error) *textDialog {
	td := &textDialog{mw: mw, err: kit.ErrorLabel()}
	td.Entry = kit.NewEscEntry(multiLine)
	td.Entry.SetText(text)
	td.Entry.OnEscape = td.close
	if multiLine {
		td.Entry.SetMinRowsVisible(5)
	} else {
		td.Entry.OnSubmitted = func(string) { td.submit(save) }
	}
	td.Save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), func() { td.submit(save) })
	td.Save.Importance = widget.HighImportance
	td.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(kit.Wrapped(help), td.Entry, td.err), mw.Window())
	td.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), td.close), td.Save})
	td.d.Resize(fyne.NewSize(460, 0))
	mw.ShowModal(td.d, td.close)
	mw.Window().Canvas().Focus(td.Entry)
	return td
}

func (td *textDialog) close() { td.mw.HideModal(td.d) }

func (td *textDialog) submit(save func(string) error) {
	if td.Save.Disabled() {
		return
	}
	td.Save.Disable()
	text := td.Entry.Text
	td.mw.Background(func() error { return save(text) }, func(err error) {
		td.Save.Enable()
		if err != nil {
			kit.ShowError(td.err, err)
			return
		}
		td.close()
	})
}

func (mw *Dialogs) ShowRename(peerID string) *textDialog {
	c, _ := mw.ContactView(peerID)
	return mw.showTextDialog(lang.L("Rename"), lang.L("The name you see for this person. Only you see it."),
		c.Name, false, func(s string) error { return mw.contacts.Rename(peerID, s) })
}

func (mw *Dialogs) ShowNotes(peerID string) *textDialog {
	c, _ := mw.ContactView(peerID)
	return mw.showTextDialog(lang.L("Notes about {{.Name}}", map[string]any{"Name": kit.DisplayName(c.Name, c.PeerID)}), lang.L("Private notes. They are never sent."),
		c.Notes, true, func(s string) error { return mw.contacts.SetNotes(peerID, s) })
}

// groupsDialog puts a contact in groups: ticks for the known groups and a
// field for a new one.
type groupsDialog struct {
	mw     *Dialogs
	people area.ContactsBackend
	peerID string
	d      *dialog.CustomDialog
	Checks *widget.CheckGroup
	Name   *kit.EscEntry
	Add    *widget.Button
	Save   *widget.Button
	err    *widget.Label
}

func (mw *Dialogs) ShowGroups(peerID string) *groupsDialog {
	c, _ := mw.ContactView(peerID)
	g := &groupsDialog{mw: mw, people: mw.contacts, peerID: peerID, err: kit.ErrorLabel()}
	options := mw.contacts.Labels()
	for _, l := range append(slices.Clone(suggestedGroups), c.Labels...) {
		if !kit.ContainsFold(options, l) {
			options = append(options, l)
		}
	}
	kit.SortFold(options)
	g.Checks = widget.NewCheckGroup(options, nil)
	g.Checks.SetSelected(slices.Clone(c.Labels))
	g.Name = kit.NewEscEntry(false)
	g.Name.SetPlaceHolder(lang.L("New group, e.g. Choir"))
	g.Name.OnEscape = g.close
	g.Name.OnSubmitted = func(string) { g.addGroup() }
	g.Add = widget.NewButtonWithIcon(lang.L("Add"), theme.ContentAddIcon(), g.addGroup)
	g.Save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), g.submit)
	g.Save.Importance = widget.HighImportance
	content := container.NewVBox(
		kit.Wrapped(lang.L("Groups sort your contact list (Family, Team …). A contact can be in several. Only you see them.")),
		g.Checks,
		container.NewBorder(nil, nil, nil, g.Add, g.Name),
		g.err,
	)
	g.d = dialog.NewCustomWithoutButtons(lang.L("Groups for {{.Name}}", map[string]any{"Name": kit.DisplayName(c.Name, c.PeerID)}), content, mw.Window())
	g.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), g.close), g.Save})
	g.d.Resize(fyne.NewSize(420, 0))
	mw.ShowModal(g.d, g.close)
	return g
}

func (g *groupsDialog) close() { g.mw.HideModal(g.d) }

// addGroup adds the typed name to the list, ticked.
func (g *groupsDialog) addGroup() {
	name := strings.Join(strings.Fields(g.Name.Text), " ")
	if name == "" {
		return
	}
	if i := slices.IndexFunc(g.Checks.Options, func(o string) bool { return strings.EqualFold(o, name) }); i >= 0 {
		name = g.Checks.Options[i]
	} else {
		g.Checks.Append(name)
	}
	if !slices.Contains(g.Checks.Selected, name) {
		g.Checks.SetSelected(append(slices.Clone(g.Checks.Selected), name))
	}
	g.Name.SetText("")
}

func (g *groupsDialog) submit() {
	if g.Save.Disabled() {
		return
	}
	if strings.TrimSpace(g.Name.Text) != "" {
		g.addGroup() // typed but not added: the user means it
	}
	labels := slices.Clone(g.Checks.Selected)
	g.Save.Disable()
	g.mw.Background(func() error { return g.people.SetLabels(g.peerID, labels) }, func(err error) {
		g.Save.Enable()
		if err != nil {
			kit.ShowError(g.err, err)
			return
		}
		g.close()
	})
}

// confirmDialog asks before something that cannot be undone quietly.
type confirmDialog struct {
	d  *dialog.CustomDialog
	OK *widget.Button
}

func (mw *Dialogs) confirm(title, text, action string, do func() error, done func()) *confirmDialog {
	c := &confirmDialog{}
	errL := kit.ErrorLabel()
	c.d = dialog.NewCustomWithoutButtons(title, container.NewVBox(kit.Wrapped(text), errL), mw.Window())
	c.OK = widget.NewButton(action, func() {
		c.OK.Disable()
		mw.Background(do, func(err error) {
			c.OK.Enable()
			if err != nil {
				kit.ShowError(errL, err)
				return
			}
			mw.HideModal(c.d)
			if done != nil {
				done()
			}
		})
	})
	c.OK.Importance = widget.DangerImportance
	c.d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), func() { mw.HideModal(c.d) }), c.OK})
	c.d.Resize(fyne.NewSize(440, 0))
	mw.ShowModal(c.d, nil)
	return c
}

func (mw *Dialogs) ConfirmBlock(peerID string) *confirmDialog {
	c, _ := mw.ContactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	return mw.confirm(lang.L("Block {{.Name}}?", map[string]any{"Name": name}),
		lang.L("{{.Name}} will not be told. To them you will look offline, and their messages, files and calls will not reach you. You can unblock them in Settings.", map[string]any{"Name": name}),
		lang.L("Block"), func() error { return mw.contacts.Block(peerID) },
		func() { mw.ShowNotice(lang.L("{{.Name}} is blocked.", map[string]any{"Name": name})) })
}

func (mw *Dialogs) ConfirmRemove(peerID string) *confirmDialog {
	c, _ := mw.ContactView(peerID)
	name := kit.DisplayName(c.Name, peerID)
	text := lang.L("{{.Name}} will be taken off your list and told so. Your conversation stays. To talk again, one of you must send a new request.", map[string]any{"Name": name})
	title, action := lang.L("Remove {{.Name}}?", map[string]any{"Name": name}), lang.L("Remove")
	switch c.State {
	case contacts.Blocked:
		text = lang.L("{{.Name}} will be taken off your list and is no longer blocked: they could send you a new request.", map[string]any{"Name": name})
	case contacts.Outgoing:
		title, action = lang.L("Withdraw your request to {{.Name}}?", map[string]any{"Name": name}), lang.L("Withdraw")
		text = lang.L("Your request will be taken back. You can send a new one later.")
	}
	return mw.confirm(title, text, action, func() error { return mw.contacts.Remove(peerID) }, nil)
}
