// Package addcontact is the ways to add a contact: the add-contact dialog
// (my invite code and QR, pasting someone's code or hearth: link, reading
// a QR code from a picture) and pairing by a short spoken code. The main
// window holds one Dialogs, which reaches it only through Host and the
// messenger only through the Contacts area.
package addcontact
