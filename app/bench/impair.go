package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"hearth/media/impair"
)

// benchImpair: a 640x480@30 call between two network namespaces through
// media/impair's relay and tbf caps, one fresh call per condition of issue
// 12, each beside the clean figure measured in the same run.
// HEARTH_IMPAIR_SECONDS sets each run's length (default 30).
func benchImpair() ([]result, error) {
	secs := 30
	if v, err := strconv.Atoi(os.Getenv("HEARTH_IMPAIR_SECONDS")); err == nil && v > 0 {
		secs = v
	}
	d := time.Duration(secs) * time.Second
	var out []result
	var clean impair.Result
	only := os.Getenv("HEARTH_IMPAIR_ONLY") // a part of a condition's name, for a quick look
	for i, c := range impair.AllConditions {
		if only != "" && c.Name != impair.Clean.Name && !strings.Contains(c.Name, only) {
			continue
		}
		s, err := impair.Start(uint64(i+1), c)
		if err != nil {
			return out, fmt.Errorf("%s: %w", c.Name, err)
		}
		err = s.WaitMedia(30 * time.Second)
		var r impair.Result
		cpu0, wall0 := cpuTime(), time.Now()
		if err == nil {
			r, err = s.Run(c, d)
		}
		// Both sides (and the relay) run in this process: a side is half.
		cpu := 100 * (cpuTime() - cpu0).Seconds() / time.Since(wall0).Seconds() / 2
		s.Close()
		if err != nil {
			return out, fmt.Errorf("%s: %w", c.Name, err)
		}
		fmt.Fprintf(os.Stderr, "impair %-32s %v\n", c.Name, r)
		if c.Name == impair.Clean.Name {
			clean = r
		}
		name := "impair_" + slug(c.Name)
		ref := func(n string, v float64, u string) (string, float64, string) { return "clean_" + n, v, u }
		add := func(metric string, v float64, unit string, cv float64, target string) {
			rn, rv, ru := ref(metric, cv, unit)
			out = append(out, result{name: name + "_" + metric, value: v, unit: unit, ref: rn, refVal: rv, refU: ru, target: target})
		}
		fpsTarget, frozenTarget, sendTarget := "", "", ""
		switch c.Name {
		case impair.Cap300k.Name:
			fpsTarget = ">= 15 fps at a lower resolution (libwebrtc: 30 at 480x360)"
			sendTarget = "<= 330 kbit/s (libwebrtc: ~250)"
		case impair.Step300k.Name:
			fpsTarget = "back above 24 fps (libwebrtc: within 9-10 s)"
			out = append(out, result{name: name + "_settled", value: r.SettledAfter.Seconds(), unit: "s",
				target: "<= 5 s to <= 1.1x the cap (libwebrtc: 3-4 s; -1 = never)"})
		case impair.Loss5Delay.Name:
			frozenTarget = "<= 2% (libwebrtc: 0)"
		}
		if c.Name == impair.Clean.Name {
			out = append(out, result{name: "impair_clean_cpu_per_side", value: cpu, unit: "%core",
				target: "<= 35 %core (both sides, encoders following the estimate, audio processing off: synthetic media)"})
		}
		add("fps", r.FPS, "fps", clean.FPS, fpsTarget)
		add("frozen", 100*r.FrozenShare, "%", 100*clean.FrozenShare, frozenTarget)
		add("send", r.SendKbps, "kbit/s", clean.SendKbps, sendTarget)
		add("send_last3s", r.LastKbps, "kbit/s", clean.LastKbps, "")
		add("width", float64(r.Width), "px", float64(clean.Width), "")
		add("audio", 100*r.AudioShare, "%", 100*clean.AudioShare, "")
	}
	return out, nil
}

func slug(s string) string {
	b := []byte{}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case len(b) > 0 && b[len(b)-1] != '_':
			b = append(b, '_')
		}
	}
	for len(b) > 0 && b[len(b)-1] == '_' {
		b = b[:len(b)-1]
	}
	return string(b)
}
