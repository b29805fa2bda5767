package kit

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"hearth/contacts"
)

func Fraction(done, size int64) float64 {
	if size <= 0 {
		return 1
	}
	return min(1, max(0, float64(done)/float64(size)))
}

// humanSize writes a byte count the way file managers do: 1.5 MB.
func HumanSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v := float64(n) / unit
	units := []string{"kB", "MB", "GB", "TB"}
	i := 0
	for v >= unit && i < len(units)-1 {
		v /= unit
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// timeLeft says roughly how long is left.
func TimeLeft(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return lang.L("a few seconds left")
	case d < time.Minute:
		return lang.L("{{.Count}} s left", map[string]any{"Count": int(d.Seconds()) / 5 * 5})
	case d < time.Hour:
		return lang.L("{{.Count}} min left", map[string]any{"Count": int(d.Minutes() + 0.5)})
	case d < 100*time.Hour:
		h := int(d.Hours())
		return lang.L("{{.Hours}} h {{.Minutes}} min left", map[string]any{"Hours": h, "Minutes": int(d.Minutes()) - 60*h})
	default:
		return lang.L("many hours left")
	}
}

// formatElapsed is m:ss.
func FormatElapsed(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

var imageExts = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true}

// isImage: a picture the thumbnail decoder understands.
func IsImage(t contacts.Transfer) bool {
	switch strings.ToLower(t.MIME) {
	case "image/png", "image/jpeg", "image/gif":
		return true
	}
	return imageExts[strings.ToLower(filepath.Ext(t.Name))]
}

func FileIcon(t contacts.Transfer) fyne.Resource {
	if t.VoiceNote {
		return MicIcon
	}
	mime := strings.ToLower(t.MIME)
	switch {
	case strings.HasPrefix(mime, "image/") || imageExts[strings.ToLower(filepath.Ext(t.Name))]:
		return theme.FileImageIcon()
	case strings.HasPrefix(mime, "audio/"):
		return theme.FileAudioIcon()
	case strings.HasPrefix(mime, "video/"):
		return theme.FileVideoIcon()
	case strings.HasPrefix(mime, "text/"):
		return theme.FileTextIcon()
	case strings.HasPrefix(mime, "application/"):
		return theme.FileApplicationIcon()
	}
	return theme.FileIcon()
}

// micIcon is a microphone (the Material "mic" glyph); Fyne's theme has
// none.
var MicIcon = theme.NewThemedResource(fyne.NewStaticResource("mic.svg", []byte(
	`<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24">`+
		`<path d="M12 14c1.66 0 2.99-1.34 2.99-3L15 5c0-1.66-1.34-3-3-3S9 3.34 9 5v6c0 1.66 1.34 3 3 3zm5.3-3c0 3-2.54 5.1-5.3 5.1S6.7 14 6.7 11H5c0 3.41 2.72 6.23 6 6.72V21h2v-3.28c3.28-.48 6-3.3 6-6.72h-1.7z"/>`+
		`</svg>`)))
