package presence

import (
	"strconv"
	"time"

	"hearth/app/core/event"
	"hearth/contacts"
)

// DefaultAwayAfter is how long without activity on this app turns Online
// into Away, unless the user chose another time.
const DefaultAwayAfter = 5 * time.Minute

// settingAwayAfter persists the auto-away time in seconds (0: never).
const settingAwayAfter = "presence.awayAfter"

// idleCheckInterval is how often the idle timer looks at the clock.
var idleCheckInterval = 10 * time.Second

// idleState is the auto-away bookkeeping; it lives in Presence.idle and
// is guarded by Presence.mu.
type idleState struct {
	now        func() time.Time
	lastActive time.Time
	awayAfter  time.Duration // 0: never
	// auto is true while my Away was set by the idle timer (not by me), so
	// activity may undo it. It is never persisted: after a restart I am
	// what I last chose.
	auto bool
}

// startIdle loads the auto-away time and starts the idle timer. Called
// from New.
func (p *Presence) startIdle() {
	now := p.d.Now
	p.idle = idleState{now: now, lastActive: now(), awayAfter: DefaultAwayAfter}
	if b, err := p.d.Store.Setting(settingAwayAfter); err == nil {
		if s, err := strconv.Atoi(string(b)); err == nil && s >= 0 {
			p.idle.awayAfter = time.Duration(s) * time.Second
		}
	}
	p.d.Go(func() {
		t := time.NewTicker(idleCheckInterval)
		defer t.Stop()
		for {
			select {
			case <-p.d.Ctx().Done():
				return
			case <-t.C:
				p.CheckIdle()
			}
		}
	})
}

// AwayAfter is the idle time after which I show as Away (0: never).
func (p *Presence) AwayAfter() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.idle.awayAfter
}

// SetAwayAfter sets and persists the auto-away time (0: never; it is
// rounded to whole seconds).
func (p *Presence) SetAwayAfter(d time.Duration) error {
	d = max(d, 0).Truncate(time.Second)
	if err := p.d.Store.SetSetting(settingAwayAfter, []byte(strconv.Itoa(int(d/time.Second)))); err != nil {
		return err
	}
	p.mu.Lock()
	p.idle.awayAfter = d
	p.mu.Unlock()
	p.CheckIdle()
	return nil
}

// Activity tells the core that the user did something in the app (a key,
// a click, the window coming to the front). It is cheap: the UI may call
// it on every input event. Being Away by the idle timer ends here.
func (p *Presence) Activity() {
	p.mu.Lock()
	p.idle.lastActive = p.idle.now()
	back := p.idle.auto && p.mine == contacts.Away
	if back {
		p.idle.auto = false
		p.mine = contacts.Online
	}
	p.mu.Unlock()
	if back {
		p.d.Publish(event.PresenceChanged{Presence: contacts.Online})
		p.broadcast()
	}
}

// CheckIdle turns Online into Away once the user has been idle for the
// auto-away time. Busy, Invisible and an Away chosen by hand are left
// alone.
func (p *Presence) CheckIdle() {
	p.mu.Lock()
	away := p.idle.awayAfter > 0 && p.mine == contacts.Online &&
		p.idle.now().Sub(p.idle.lastActive) >= p.idle.awayAfter
	if away {
		p.mine = contacts.Away
		p.idle.auto = true
	}
	p.mu.Unlock()
	if away {
		p.d.Publish(event.PresenceChanged{Presence: contacts.Away, Auto: true})
		p.broadcast()
	}
}
