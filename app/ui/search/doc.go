// Package search is the panel that searches every conversation's archive
// (Ctrl+F) and opens a result in its conversation. The main window holds
// one Finder, which reaches it only through Host and the messenger only
// through the Archive area.
package search
