package core

import (
	"strconv"
	"time"

	"hearth/contacts"
)

// DefaultAwayAfter is how long without activity on this app turns Online
// into Away, unless the user chose another time.
const DefaultAwayAfter = 5 * time.Minute

// settingAwayAfter persists the auto-away time in seconds (0: never).
const settingAwayAfter = "presence.awayAfter"

// idleCheckInterval is how often the idle timer looks at the clock.
var idleCheckInterval = 10 * time.Second

// idleState is the auto-away bookkeeping; it lives in Messenger.idle and
// is guarded by Messenger.mu.
type idleState struct {
	now        func() time.Time
	lastActive time.Time
	awayAfter  time.Duration // 0: never
	// auto is true while my Away was set by the idle timer (not by me), so
	// activity may undo it. It is never persisted: after a restart I am
	// what I last chose.
	auto bool
}

// PresenceChanged: my own presence changed without my choosing it (the
// idle timer set Away, or activity brought me back).
type PresenceChanged struct {
	Presence contacts.Presence
	Auto     bool // set by the idle timer
}

func (PresenceChanged) isEvent() {}

// startIdle loads the auto-away time and starts the idle timer. Called
// from New.
func (m *Messenger) startIdle() {
	now := m.opts.Now
	if now == nil {
		now = time.Now
	}
	m.idle = idleState{now: now, lastActive: now(), awayAfter: DefaultAwayAfter}
	if b, err := m.store.Setting(settingAwayAfter); err == nil {
		if s, err := strconv.Atoi(string(b)); err == nil && s >= 0 {
			m.idle.awayAfter = time.Duration(s) * time.Second
		}
	}
	m.goLoop(func() {
		t := time.NewTicker(idleCheckInterval)
		defer t.Stop()
		for {
			select {
			case <-m.ctx.Done():
				return
			case <-t.C:
				m.checkIdle()
			}
		}
	})
}

// AwayAfter is the idle time after which I show as Away (0: never).
func (m *Messenger) AwayAfter() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.idle.awayAfter
}

// SetAwayAfter sets and persists the auto-away time (0: never; it is
// rounded to whole seconds).
func (m *Messenger) SetAwayAfter(d time.Duration) error {
	d = max(d, 0).Truncate(time.Second)
	if err := m.store.SetSetting(settingAwayAfter, []byte(strconv.Itoa(int(d/time.Second)))); err != nil {
		return err
	}
	m.mu.Lock()
	m.idle.awayAfter = d
	m.mu.Unlock()
	m.checkIdle()
	return nil
}

// Activity tells the core that the user did something in the app (a key,
// a click, the window coming to the front). It is cheap: the UI may call
// it on every input event. Being Away by the idle timer ends here.
func (m *Messenger) Activity() {
	m.mu.Lock()
	m.idle.lastActive = m.idle.now()
	back := m.idle.auto && m.myPresence == contacts.Away
	if back {
		m.idle.auto = false
		m.myPresence = contacts.Online
	}
	m.mu.Unlock()
	if back {
		m.publish(PresenceChanged{Presence: contacts.Online})
		m.broadcastPresence()
	}
}

// checkIdle turns Online into Away once the user has been idle for the
// auto-away time. Busy, Invisible and an Away chosen by hand are left
// alone.
func (m *Messenger) checkIdle() {
	m.mu.Lock()
	away := m.idle.awayAfter > 0 && m.myPresence == contacts.Online &&
		m.idle.now().Sub(m.idle.lastActive) >= m.idle.awayAfter
	if away {
		m.myPresence = contacts.Away
		m.idle.auto = true
	}
	m.mu.Unlock()
	if away {
		m.publish(PresenceChanged{Presence: contacts.Away, Auto: true})
		m.broadcastPresence()
	}
}
