// Package callwin is the window of one running video call: the remote
// picture large, my preview small in a corner, Mute, Camera and Hang up.
// Video frames arrive on media goroutines and are coalesced: at most one
// update per sink waits for the UI goroutine, and it shows the newest
// frame. The main window opens one per call and closes them with it.
package callwin
