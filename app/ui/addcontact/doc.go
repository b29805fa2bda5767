// Package addcontact is the one add-contact screen: three choices, "Show
// my code" (a short spoken code, my invite link and its QR), "I have a
// code" (one field that takes an invite link, a spoken code or a picture of
// a QR code, and says which it got) and "Someone nearby". The main window
// holds one Dialogs, which reaches it only through Host and the messenger
// only through the Contacts area.
package addcontact
