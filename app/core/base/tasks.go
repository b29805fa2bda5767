package base

import (
	"context"
	"sync"
)

// Tasks owns the core's background goroutines: Close cancels their
// context and waits for all of them.
type Tasks struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex // guards closed, and orders Add against Close's Wait
	closed bool
}

// NewTasks returns an open task group.
func NewTasks() *Tasks {
	t := &Tasks{}
	t.ctx, t.cancel = context.WithCancel(context.Background())
	return t
}

// Ctx ends when Close starts.
func (t *Tasks) Ctx() context.Context { return t.ctx }

// Go runs f on a goroutine that Close waits for, unless closing (then f
// never runs and Go reports false).
func (t *Tasks) Go(f func()) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return false
	}
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		f()
	}()
	return true
}

// Closing reports whether Close has started.
func (t *Tasks) Closing() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.closed
}

// Stop refuses new work and cancels the context; Wait then waits.
func (t *Tasks) Stop() {
	t.mu.Lock()
	t.closed = true
	t.mu.Unlock()
	t.cancel()
}

// Wait waits for every goroutine started with Go.
func (t *Tasks) Wait() { t.wg.Wait() }
