package event

import (
	"context"
	"sync"
)

// bufferSize is the channel's own buffer; the queue in front of it holds
// the rest of a burst.
const bufferSize = 1024

// Bus delivers events to one reader, in order. Publish never blocks and
// never drops an event: a queue in front of the channel absorbs bursts
// while the reader catches up. Run moves the queue to the channel and
// closes the channel when its context ends.
type Bus struct {
	out  chan Event
	kick chan struct{}

	mu    sync.Mutex // guards queue
	queue []Event
}

// NewBus returns a Bus; start its Run on a goroutine of the owner's.
func NewBus() *Bus {
	return &Bus{out: make(chan Event, bufferSize), kick: make(chan struct{}, 1)}
}

// Events is the channel the reader takes events from; it is closed when
// Run returns.
func (b *Bus) Events() <-chan Event { return b.out }

// Publish queues an event.
func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	b.queue = append(b.queue, e)
	b.mu.Unlock()
	select {
	case b.kick <- struct{}{}:
	default:
	}
}

// Run moves queued events to the channel until ctx ends, then closes it.
func (b *Bus) Run(ctx context.Context) {
	defer close(b.out)
	for {
		b.mu.Lock()
		q := b.queue
		b.queue = nil
		b.mu.Unlock()
		for _, e := range q {
			select {
			case b.out <- e:
			case <-ctx.Done():
				return
			}
		}
		select {
		case <-b.kick:
		case <-ctx.Done():
			return
		}
	}
}
