package calls

// settingAudioProcessing: "0" turns echo cancellation, noise suppression
// and gain control off for calls; anything else (or unset) leaves them on.
const settingAudioProcessing = "calls.audioProcessing"

// AudioProcessing reports whether calls clean the microphone's audio
// (echo cancellation, noise suppression, gain control). On by default.
func (c *Calls) AudioProcessing() bool {
	b, err := c.d.Store.Setting(settingAudioProcessing)
	return err != nil || string(b) != "0"
}

// SetAudioProcessing turns audio processing on or off for calls started
// from now on.
func (c *Calls) SetAudioProcessing(on bool) error {
	v := "0"
	if on {
		v = "1"
	}
	return c.d.Store.SetSetting(settingAudioProcessing, []byte(v))
}
