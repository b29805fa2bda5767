package ui

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hearth/app/ui/addcontact"
	"hearth/assets"
)

var langCall = regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`)

// Every string the UI passes through lang.L has a Spanish and a German
// translation, with the same template fields.
func TestEveryLocalizedStringIsTranslated(t *testing.T) {
	want := map[string]bool{addcontact.ChoiceShow: true, addcontact.ChoiceHave: true, addcontact.ChoiceNearby: true}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range langCall.FindAllStringSubmatch(string(src), -1) {
			s, err := strconv.Unquote(m[1])
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			want[s] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 40 {
		t.Fatalf("found only %d localized strings: is the pattern still right?", len(want))
	}
	fields := regexp.MustCompile(`{{\.[A-Za-z]+}}`)
	for _, l := range []string{"es", "de"} {
		b, err := assets.Translations.ReadFile("translations/hearth." + l + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var tr map[string]string
		if err := json.Unmarshal(b, &tr); err != nil {
			t.Fatalf("%s: %v", l, err)
		}
		for s := range want {
			got, ok := tr[s]
			switch {
			case !ok || strings.TrimSpace(got) == "":
				t.Errorf("%s: no translation for %q", l, s)
			case strings.Join(fields.FindAllString(got, -1), ",") != strings.Join(fields.FindAllString(s, -1), ","):
				t.Errorf("%s: %q lost its template fields: %q", l, s, got)
			}
		}
		for s := range tr {
			if !want[s] {
				t.Errorf("%s: %q is translated but no longer used", l, s)
			}
		}
	}
}
