package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"hearth/app/core"
	"hearth/app/core/archive"
	"hearth/app/core/base"
	"hearth/app/core/carry"
	"hearth/app/core/chat"
	"hearth/app/core/people"
	"hearth/contacts"
)

// messenger is what the commands need from a running profile;
// *core.Messenger implements it.
type messenger interface {
	MyName() string
	MyPeerID() string
	InviteCode() (string, error)
	AddByInvite(code, note string) error
	Accept(peerID string) error
	Contacts() ([]people.ContactView, error)
	Send(peerID, text string) (contacts.Message, error)
	History(peerID string, limit int) ([]contacts.Message, error)
	SearchArchive(query string, limit int) ([]archive.SearchHit, error)
	Export(peerID string, f archive.ExportFormat, w *strings.Builder) error
	Retention(peerID string) int
	SetRetention(peerID string, days int) error
	Compliance(peerID string) bool
	SetCompliance(peerID string, on bool) error
	carrier // carry.go
}

// coreMessenger adapts a running *core.Messenger to messenger: the
// messenger's own methods, plus the mechanisms that serve the rest
// (Export takes any io.Writer).
type coreMessenger struct {
	*core.Messenger
	*archive.Archive
	*people.People
	*chat.Chat
	*carry.Carry
}

func newCoreMessenger(m *core.Messenger) coreMessenger {
	return coreMessenger{m, m.Archive, m.People, m.Chat, m.Carry}
}

func (c coreMessenger) Export(peerID string, f archive.ExportFormat, w *strings.Builder) error {
	return c.Archive.Export(peerID, f, w)
}

// execute runs one command against a running profile. daemon says whether
// the profile stays online after the command (a daemon), which changes
// what send can promise.
func execute(m messenger, req Request, daemon bool) Reply {
	var out strings.Builder
	stored, err := run(m, req, daemon, &out)
	rep := Reply{Output: out.String(), Stored: stored}
	if err != nil {
		rep.Error = err.Error()
	}
	return rep
}

// run looks the request's command up in the table and runs it.
func run(m messenger, req Request, daemon bool, out *strings.Builder) (int, error) {
	c := lookup(req.Cmd)
	if c == nil || c.exec == nil {
		return 0, fmt.Errorf("%w: unknown command %q", ErrUsage, req.Cmd)
	}
	return c.exec(m, req, daemon, out)
}

// The exec functions of the command table, one a command.

func runID(m messenger, _ Request, daemon bool, out *strings.Builder) error {
	code, err := m.InviteCode()
	if err != nil {
		return err
	}
	fmt.Fprintln(out, code)
	if !daemon {
		fmt.Fprintln(out, "# This code lists the addresses this profile listens on while Hearth or `hearth daemon` runs.")
	}
	return nil
}

func runAdd(m messenger, req Request, daemon bool, out *strings.Builder) error {
	if err := m.AddByInvite(strings.TrimSpace(req.Code), req.Note); err != nil {
		return err
	}
	if daemon {
		fmt.Fprintln(out, "Contact request sent; it is accepted at once when they gave you this code.")
	} else {
		fmt.Fprintln(out, "Contact request saved. No daemon runs for this profile: it goes out when Hearth or `hearth daemon` next runs with it.")
	}
	return nil
}

func runAccept(m messenger, req Request, _ bool, out *strings.Builder) error {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return err
	}
	if err := m.Accept(c.PeerID); err != nil {
		return err
	}
	fmt.Fprintf(out, "%s is now a contact.\n", name(c))
	return nil
}

func runContacts(m messenger, req Request, _ bool, out *strings.Builder) error {
	return listContacts(m, req.JSON, out)
}

func runHistory(m messenger, req Request, _ bool, out *strings.Builder) error {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return err
	}
	ms, err := m.History(c.PeerID, req.Limit)
	if err != nil {
		return err
	}
	for _, msg := range ms {
		printMessage(out, m, c, msg, req.JSON)
	}
	return nil
}

func runSearch(m messenger, req Request, _ bool, out *strings.Builder) error {
	hits, err := m.SearchArchive(req.Query, req.Limit)
	if err != nil {
		return err
	}
	for _, h := range hits {
		if req.JSON {
			writeJSON(out, map[string]any{"contact": h.ContactName, "conversation": h.Message.Conversation,
				"id": h.Message.ID, "sent_at": h.Message.SentAt, "body": h.Message.Body})
			continue
		}
		fmt.Fprintf(out, "%s  %s  %s\n", stamp(h.Message.SentAt), escapeField(h.ContactName), escapeField(h.Snippet))
	}
	if len(hits) == 0 && !req.JSON {
		fmt.Fprintln(out, "No messages found.")
	}
	return nil
}

func runExport(m messenger, req Request, _ bool, out *strings.Builder) error {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return err
	}
	f, err := archive.ParseExportFormat(req.Format)
	if err != nil {
		return err
	}
	return m.Export(c.PeerID, f, out)
}

func runRetention(m messenger, req Request, _ bool, out *strings.Builder) error {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return err
	}
	if req.Days >= 0 {
		if err := m.SetRetention(c.PeerID, req.Days); err != nil {
			return err
		}
	}
	if d := m.Retention(c.PeerID); d == 0 {
		fmt.Fprintf(out, "Messages with %s are kept forever.\n", name(c))
	} else {
		fmt.Fprintf(out, "Messages with %s are kept for %d days.\n", name(c), d)
	}
	return nil
}

func runCompliance(m messenger, req Request, _ bool, out *strings.Builder) error {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return err
	}
	if err := m.SetCompliance(c.PeerID, req.On); err != nil {
		return err
	}
	if req.On {
		fmt.Fprintf(out, "The conversation with %s is marked archived for compliance; both of you see a banner.\n", name(c))
	} else {
		fmt.Fprintf(out, "The conversation with %s is no longer marked archived for compliance.\n", name(c))
	}
	return nil
}

func send(m messenger, req Request, daemon bool, out *strings.Builder) (int, error) {
	c, err := resolve(m, req.Contact)
	if err != nil {
		return 0, err
	}
	stored := 0
	for _, text := range req.Texts {
		if strings.TrimSpace(text) == "" {
			continue // blank lines of a script are not messages
		}
		if _, err := m.Send(c.PeerID, text); err != nil {
			return stored, fmt.Errorf("after %d message(s): %w", stored, err)
		}
		stored++
		if req.Progress != nil {
			req.Progress(stored)
		}
	}
	if stored == 0 {
		return 0, base.ErrEmptyMessage
	}
	if daemon {
		fmt.Fprintf(out, "Sent %d message(s) to %s; they are delivered as soon as %s is reachable.\n", stored, name(c), name(c))
	} else {
		fmt.Fprintf(out, "Stored %d message(s) to %s in the outbox. No daemon runs for this profile: "+
			"they are delivered when Hearth or `hearth daemon` next runs with it.\n", stored, name(c))
	}
	return stored, nil
}

func listContacts(m messenger, asJSON bool, out *strings.Builder) error {
	cs, err := m.Contacts()
	if err != nil {
		return err
	}
	for _, c := range cs {
		if asJSON {
			writeJSON(out, map[string]any{"name": c.Name, "peer_id": c.PeerID, "state": c.State.String(),
				"presence": c.Presence.String(), "unread": c.Unread})
			continue
		}
		extra := ""
		if d := m.Retention(c.PeerID); d > 0 {
			extra += fmt.Sprintf("  kept %d days", d)
		}
		if m.Compliance(c.PeerID) {
			extra += "  archived for compliance"
		}
		fmt.Fprintf(out, "%-20s %-16s %-8s unread %-4d %s%s\n", name(c.Contact), c.State, c.Presence, c.Unread, c.PeerID, extra)
	}
	if len(cs) == 0 && !asJSON {
		fmt.Fprintln(out, "No contacts yet: `hearth id` prints your invite code, `hearth add CODE` adds someone.")
	}
	return nil
}

func printMessage(out *strings.Builder, m messenger, c contacts.Contact, msg contacts.Message, asJSON bool) {
	if asJSON {
		writeJSON(out, map[string]any{"id": msg.ID, "outgoing": msg.Outgoing, "body": msg.Body,
			"sent_at": msg.SentAt, "status": msg.Status.String()})
		return
	}
	who, status := name(c), ""
	if msg.Outgoing {
		who = m.MyName()
		if msg.Status == contacts.Pending {
			status = "  (pending)"
		}
	}
	fmt.Fprintf(out, "%s  %s: %s%s\n", stamp(msg.SentAt), escapeField(who), escapeField(msg.Body), status)
}

func writeJSON(out *strings.Builder, v any) {
	b, _ := json.Marshal(v)
	out.Write(b)
	out.WriteByte('\n')
}

func stamp(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

// name is how output names a contact; the name is theirs, so escaped.
func name(c contacts.Contact) string {
	if c.Name != "" {
		return escapeField(c.Name)
	}
	return c.PeerID
}

// resolve finds the contact a user means: a full peer ID, a unique peer ID
// prefix, or a name (case-insensitive; unique).
func resolve(m messenger, who string) (contacts.Contact, error) {
	who = strings.TrimSpace(who)
	if who == "" {
		return contacts.Contact{}, fmt.Errorf("%w: name a contact", ErrUsage)
	}
	cs, err := m.Contacts()
	if err != nil {
		return contacts.Contact{}, err
	}
	var byName, byPrefix []contacts.Contact
	for _, c := range cs {
		switch {
		case c.PeerID == who:
			return c.Contact, nil
		case strings.EqualFold(c.Name, who):
			byName = append(byName, c.Contact)
		case strings.HasPrefix(c.PeerID, who):
			byPrefix = append(byPrefix, c.Contact)
		}
	}
	for _, set := range [][]contacts.Contact{byName, byPrefix} {
		switch len(set) {
		case 0:
			continue
		case 1:
			return set[0], nil
		default:
			return contacts.Contact{}, fmt.Errorf("%q: %w", who, ErrAmbiguousContact)
		}
	}
	return contacts.Contact{}, fmt.Errorf("%w %q (see `hearth contacts`)", ErrUnknownContact, who)
}

// isUsage reports whether err calls for the usage text.
func isUsage(err error) bool { return errors.Is(err, ErrUsage) }
