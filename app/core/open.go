package core

import "hearth/app/profile"

// Opener opens or creates the profile in one folder and starts a Messenger
// on it.
type Opener struct {
	Dir  string
	Opts Options
}

// Exists reports whether the folder holds a profile and whether it needs a
// passphrase.
func (o Opener) Exists() (exists, needsPassphrase bool, err error) {
	return profile.Exists(o.Dir)
}

// Create makes a new profile and starts it.
func (o Opener) Create(name, passphrase string) (*Messenger, error) {
	p, err := profile.Create(o.Dir, name, passphrase)
	if err != nil {
		return nil, err
	}
	return o.start(p)
}

// Unlock opens an existing profile and starts it.
func (o Opener) Unlock(passphrase string) (*Messenger, error) {
	p, err := profile.Open(o.Dir, passphrase)
	if err != nil {
		return nil, err
	}
	return o.start(p)
}

func (o Opener) start(p *profile.Profile) (*Messenger, error) {
	m, err := New(p, o.Opts)
	if err != nil {
		p.Close()
		return nil, err
	}
	return m, nil
}

// CheckPassphrase reports whether passphrase opens this profile, without
// opening it (the lock screen of a running Messenger).
func (o Opener) CheckPassphrase(passphrase string) error {
	return profile.CheckPassphrase(o.Dir, passphrase)
}
