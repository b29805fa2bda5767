package ui

import (
	"testing"
	"time"
)

// uiQueue stands in for fyne.Do in view tests: goroutines queue functions
// and the test goroutine runs them, as the Fyne main goroutine would.
type uiQueue chan func()

func newQueue() uiQueue { return make(uiQueue, 4096) }

func (q uiQueue) do(f func()) { q <- f }

func (q uiQueue) drain() {
	for {
		select {
		case f := <-q:
			f()
		default:
			return
		}
	}
}

// waitFor runs queued UI work until cond holds or a second passes.
func (q uiQueue) waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		q.drain()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
