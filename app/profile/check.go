package profile

import "crypto/hmac"

// CheckPassphrase reports whether passphrase opens the profile in dir
// (ErrWrongPassphrase if not) without opening it: the lock screen asks it
// while the profile stays open. The key it derives is cleared before it
// returns.
func CheckPassphrase(dir, passphrase string) error {
	m, err := readMeta(dir)
	if err != nil {
		return err
	}
	key := m.KDF.derive(passphrase)
	defer clear(key)
	if !hmac.Equal(keyCheck(key), m.KeyCheck) {
		return ErrWrongPassphrase
	}
	return nil
}
