package policy

import (
	"errors"
	"strings"
	"testing"
)

// Heads of real files, as the first bytes a sender reads.
var (
	exeHead  = append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 100)...)
	elfHead  = []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00")
	pdfHead  = []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
	pngHead  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
	jpegHead = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01")
	textHead = []byte("Minutes of Tuesday's meeting\n- budget approved\n")
	htmlHead = []byte("<!DOCTYPE html><html><body>hi</body></html>")
	zipHead  = zipLocalHeader("notes/readme.txt", nil)
	docxHead = append(zipLocalHeader("[Content_Types].xml", []byte("<?xml")), zipLocalHeader("word/document.xml", nil)...)
	odtHead  = zipLocalHeader("mimetype", []byte("application/vnd.oasis.opendocument.text"))
	opusHead = oggPage("OpusHead\x01\x02\x38\x01\x80\xbb\x00\x00\x00\x00\x00")
	shHead   = []byte("#!/bin/sh\nrm -rf ~\n")
)

// zipLocalHeader builds a stored (uncompressed) ZIP entry.
func zipLocalHeader(name string, data []byte) []byte {
	h := []byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	n := len(data)
	h = append(h, byte(n), byte(n>>8), byte(n>>16), byte(n>>24)) // compressed size
	h = append(h, byte(n), byte(n>>8), byte(n>>16), byte(n>>24)) // size
	h = append(h, byte(len(name)), byte(len(name)>>8), 0, 0)     // name, extra length
	h = append(h, name...)
	return append(h, data...)
}

// oggPage builds the first page of an Ogg stream whose first packet is p.
func oggPage(p string) []byte {
	h := []byte("OggS\x00\x02")
	h = append(h, make([]byte, 20)...) // granule, serial, sequence, CRC
	h = append(h, 1, byte(len(p)))     // one segment
	return append(h, p...)
}

func TestSniff(t *testing.T) {
	cases := []struct {
		name string
		head []byte
		want string
	}{
		{"empty", nil, "application/octet-stream"},
		{"exe", exeHead, "application/x-msdownload"},
		{"text starting MZ", []byte("MZ Corp: minutes of the board meeting"), "text/plain; charset=utf-8"},
		{"elf", elfHead, "application/x-executable"},
		{"script", shHead, "text/x-shellscript"},
		{"pdf", pdfHead, "application/pdf"},
		{"png", pngHead, "image/png"},
		{"jpeg", jpegHead, "image/jpeg"},
		{"text", textHead, "text/plain; charset=utf-8"},
		{"html", htmlHead, "text/html; charset=utf-8"},
		{"zip", zipHead, "application/zip"},
		{"docx", docxHead, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"odt", odtHead, "application/vnd.oasis.opendocument.text"},
		{"opus", opusHead, "audio/ogg; codecs=opus"},
		{"vorbis", oggPage("\x01vorbis\x00\x00\x00\x00"), "audio/ogg; codecs=vorbis"},
		{"ogg other", oggPage("something"), "application/ogg"},
		{"ogg truncated", []byte("OggS\x00\x02\x00"), "application/ogg"},
		{"zip truncated", []byte("PK\x03\x04\x14"), "application/zip"},
		{"odt lying size", func() []byte {
			h := zipLocalHeader("mimetype", []byte("application/vnd.oasis.opendocument.text"))
			h[18], h[19], h[20], h[21] = 0xff, 0xff, 0xff, 0x7f
			return h
		}(), "application/zip"},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "application/x-7z-compressed"},
		{"gzip", []byte("\x1f\x8b\x08\x00"), "application/x-gzip"},
		{"long", append(append([]byte{}, pdfHead...), make([]byte, 4096)...), "application/pdf"},
	}
	for _, c := range cases {
		if got := Sniff(c.head); got != c.want {
			t.Errorf("Sniff(%s) = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestDefault(t *testing.T) {
	p := Default()
	if p.Installed() || p.TransfersOff || p.MaxSize != 0 || p.AutoAcceptBelow != 10<<20 {
		t.Errorf("Default() = %+v", p)
	}
	for _, name := range []string{"setup.exe", "", "x", "a.pdf"} {
		if err := p.Check(name, 50<<30, exeHead); err != nil {
			t.Errorf("default policy refused %q: %v", name, err)
		}
	}
	if err := p.Check("x", -1, nil); !errors.Is(err, ErrInvalidSize) {
		t.Errorf("negative size: %v", err)
	}
}

func TestTransfersOff(t *testing.T) {
	p := Policy{TransfersOff: true, Source: "x"}
	err := p.Check("a.txt", 1, textHead)
	if !errors.Is(err, ErrTransfersOff) || err.Error() != "File transfers are turned off by your team's policy" {
		t.Errorf("Check = %v", err)
	}
	if err := p.CheckOffer("a.txt", 1, ""); !errors.Is(err, ErrTransfersOff) {
		t.Errorf("CheckOffer = %v", err)
	}
}

func TestMaxSize(t *testing.T) {
	cases := []struct {
		max, size int64
		ok        bool
		text      string
	}{
		{25e6, 25e6, true, ""},
		{25e6, 25e6 + 1, false, "This file is 25000001 bytes; your team's policy allows files up to 25000000 bytes"},
		{25e6, 40e6, false, "This file is 40 MB; your team's policy allows files up to 25 MB"},
		{1 << 30, 1<<30 + 1, false, "up to 1 GiB"},
		{1 << 30, 3 << 29, false, "This file is 1.5 GiB; your team's policy allows files up to 1 GiB"},
		{1 << 30, 1234567890, false, "This file is 1.2 GB; your team's policy allows files up to 1 GiB"},
		{1000, 1001, false, "This file is 1001 bytes; your team's policy allows files up to 1000 bytes"},
		{0, 1 << 50, true, ""},
	}
	for _, c := range cases {
		p := Policy{MaxSize: c.max}
		err := p.Check("a.bin", c.size, nil)
		if c.ok != (err == nil) {
			t.Errorf("max %d, size %d: %v", c.max, c.size, err)
			continue
		}
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("max %d, size %d: %v is not ErrTooLarge", c.max, c.size, err)
		}
		if !strings.Contains(err.Error(), c.text) {
			t.Errorf("max %d, size %d: %q does not say %q", c.max, c.size, err, c.text)
		}
	}
}

// check is one case of the kind tables: a file, what the check sees of its
// content, and whether the policy must let it through.
type check struct {
	name string
	head []byte // nil: at offer time, see offer
	// offer is the MIME type a peer offered, for CheckOffer; used only
	// when head is nil.
	offer string
	ok    bool
	says  string // part of the error text
}

func runChecks(t *testing.T, p Policy, cases []check) {
	t.Helper()
	for _, c := range cases {
		var err error
		if c.head != nil {
			err = p.Check(c.name, 1000, c.head)
		} else {
			err = p.CheckOffer(c.name, 1000, c.offer)
			// Check with no content must agree with CheckOffer without a type.
			if c.offer == "" {
				if err2 := p.Check(c.name, 1000, nil); (err == nil) != (err2 == nil) {
					t.Errorf("%q: Check(nil) = %v but CheckOffer = %v", c.name, err2, err)
				}
			}
		}
		if c.ok != (err == nil) {
			t.Errorf("%q (head %q, offer %q): err = %v, want ok=%v", c.name, Sniff(c.head), c.offer, err, c.ok)
			continue
		}
		if err != nil {
			if !errors.Is(err, ErrKindNotAllowed) {
				t.Errorf("%q: %v is not ErrKindNotAllowed", c.name, err)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Errorf("%q: %q does not say %q", c.name, err, c.says)
			}
		}
	}
}

func TestBlocked(t *testing.T) {
	p := Policy{Blocked: []string{".exe", ".tar.gz", "application/x-executable", "video/*"}}
	runChecks(t, p, []check{
		{name: "setup.exe", head: exeHead, says: `".exe" files are blocked`},
		{name: "setup.exe", says: `".exe" files are blocked`},
		{name: "SETUP.EXE", says: `".exe"`},
		{name: "Setup.ExE", head: textHead, says: `".exe"`},
		{name: "invoice.pdf.exe", says: `".exe"`},
		{name: "evil.exe.", says: `".exe"`},
		{name: "evil.exe . .", says: `".exe"`},
		{name: "evil.ex\u200be", says: `".exe"`},      // zero-width space
		{name: "evil\u202egpj.exe", says: `".exe"`},   // right-to-left override
		{name: "../../tmp/evil.exe", says: `".exe"`},  // path components
		{name: `C:\Users\x\evil.exe`, says: `".exe"`}, // Windows path
		{name: ".exe", says: `".exe"`},                // only an extension
		{name: "программа.EXE", says: `".exe"`},       // unicode name
		{name: "backup.tar.gz", says: `".tar.gz"`},    // multi-part extension
		{name: "backup.TAR.GZ", says: `".tar.gz"`},
		{name: "backup.gz", ok: true},                        // only .tar.gz is blocked
		{name: "tool.dll", says: `".dll" files are blocked`}, // same type as .exe
		// Renamed programs are caught by their content.
		{name: "holiday.jpg", head: exeHead, says: `"holiday.jpg" is a Windows program (application/x-msdownload), which your team's policy blocks`},
		{name: "README", head: exeHead, says: "Windows program"},
		{name: "photo.png", head: elfHead, says: "a Linux program"},
		// … and by the type the sender sniffed, at offer time.
		{name: "holiday.jpg", offer: "application/x-msdownload", says: "Windows program"},
		{name: "clip.bin", offer: "video/mp4", says: "a video (video/mp4)"},
		{name: "clip.mp4", says: `".mp4" files are blocked`},
		{name: "clip.MKV", head: textHead, says: `".mkv"`},
		// Not blocked.
		{name: "holiday.jpg", head: jpegHead, ok: true},
		{name: "holiday.jpg", ok: true},
		{name: "notes.exe.txt", head: textHead, ok: true}, // a text file, whatever it says
		{name: "exe", head: textHead, ok: true},
		{name: "", head: textHead, ok: true},
		{name: "", ok: true},
		{name: "report.pdf", head: pdfHead, ok: true},
		{name: "voice.opus", head: opusHead, ok: true},
	})
}

func TestBlockedGenericTypes(t *testing.T) {
	// Blocking .txt or .zip blocks those names, not everything whose
	// content sniffs as plain text or as a ZIP container.
	p := Policy{Blocked: []string{".txt", ".zip", "application/zip"}}
	runChecks(t, p, []check{
		{name: "a.txt", head: textHead, says: `".txt"`},
		{name: "notes.md", head: textHead, ok: true},
		{name: "a.zip", head: zipHead, says: `".zip"`},
		{name: "letter.docx", head: zipHead, ok: true},
		{name: "letter.docx", offer: "application/zip", ok: true},
		{name: "letter.odt", head: odtHead, ok: true},
		{name: "letter.pdf", head: zipHead, says: "a ZIP archive"},
		{name: "data", head: zipHead, says: "a ZIP archive"},
	})
}

func TestAllowed(t *testing.T) {
	p := Policy{Allowed: []string{".pdf", ".docx", "image/*", ".dwg"}}
	runChecks(t, p, []check{
		{name: "report.pdf", head: pdfHead, ok: true},
		{name: "REPORT.PDF", head: pdfHead, ok: true},
		{name: "report.pdf", ok: true},
		{name: "report.pdf", offer: "application/pdf", ok: true},
		{name: "letter.docx", head: docxHead, ok: true},
		{name: "letter.docx", head: zipHead, ok: true}, // a .docx sniffs as a ZIP
		{name: "photo.JPG", head: jpegHead, ok: true},
		{name: "photo.png", head: pngHead, ok: true},
		{name: "scan.webp", ok: true},                         // image/* by extension
		{name: "photo.jpg", head: make([]byte, 64), ok: true}, // unknown content: the name decides
		{name: "plan.dwg", head: make([]byte, 64), ok: true},
		{name: "image", head: pngHead, ok: true}, // no extension, but PNG content
		{name: "image", offer: "image/png", ok: true},
		// Refused.
		{name: "notes.txt", head: textHead, says: `".txt" files are not allowed by your team's policy (allowed: .pdf, .docx, image/*, .dwg)`},
		{name: "archive.zip", says: `".zip" files are not allowed`},
		{name: "report.pdf.exe", says: `".exe" files are not allowed`},
		{name: "report.exe.pdf", head: exeHead, says: "Windows program"},
		{name: "photo.jpg", head: exeHead, says: `"photo.jpg" is a Windows program (application/x-msdownload), which your team's policy does not allow`},
		{name: "photo.jpg", head: htmlHead, says: "a web page"},
		{name: "plan.dwg", head: pdfHead, ok: true}, // content of an allowed kind
		{name: "plan.dwg", head: elfHead, says: "a Linux program"},
		{name: "README", head: textHead, says: "has no extension"},
		{name: "README", says: "has no extension"},
		{name: "", says: "has no extension"},
		{name: "....", says: "has no extension"},
		{name: "image", offer: "application/x-msdownload", says: "Windows program"},
		{name: "photo.jpg", offer: "application/x-msdownload", says: "Windows program"},
		{name: "rapport.пдф", says: `".пдф" files are not allowed`},
	})
}

func TestAllowedAndBlocked(t *testing.T) {
	// Blocked wins over allowed.
	p := Policy{Allowed: []string{"image/*", "text/plain"}, Blocked: []string{"image/svg+xml"}}
	runChecks(t, p, []check{
		{name: "a.png", head: pngHead, ok: true},
		{name: "a.svg", says: `".svg" files are blocked`},
		{name: "a.svg", head: []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), says: `".svg" files are blocked`},
		{name: "README", head: textHead, ok: true}, // text/plain is allowed by name
		{name: "notes.txt", head: textHead, ok: true},
	})
}

func TestAnyKind(t *testing.T) {
	p := Policy{Allowed: []string{"*/*"}}
	runChecks(t, p, []check{
		{name: "a.exe", head: exeHead, ok: true},
		{name: "README", head: textHead, ok: true},
	})
}

func TestParseKind(t *testing.T) {
	good := map[string]string{
		".pdf": ".pdf", ".PDF": ".pdf", " .tar.gz ": ".tar.gz", "image/*": "image/*",
		"Application/PDF": "application/pdf", "*/*": "*/*", ".пдф": ".пдф",
	}
	for in, want := range good {
		k, ok := parseKind(in)
		if !ok || k.String() != want {
			t.Errorf("parseKind(%q) = %v, %v; want %q", in, k, ok, want)
		}
	}
	for _, in := range []string{"", ".", "pdf", "image", "/", "image/", "/png", "*/png", "im*ge/png", "image/p*",
		"text/plain; charset=utf-8", "a/b/c", ".p df", "*.pdf", "../x", "image/ png", "-x/y"} {
		if k, ok := parseKind(in); ok {
			t.Errorf("parseKind(%q) = %v, want refusal", in, k)
		}
	}
}

func TestCleanName(t *testing.T) {
	cases := map[string]string{
		"Photo.JPG":         "photo.jpg",
		"a/b/c.txt":         "c.txt",
		`a\b\c.txt`:         "c.txt",
		"evil.exe...":       "evil.exe",
		"evil.exe \t":       "evil.exe",
		"e\x00vil.e\nxe":    "evil.exe",
		"evil\u202egpj.exe": "evilgpj.exe",
		"\ufeffbom.txt":     "bom.txt",
		"ÉTÉ.PDF":           "été.pdf",
		"":                  "",
		"\xff\xfe.exe":      "\ufffd\ufffd.exe", // invalid UTF-8 is replaced
	}
	for in, want := range cases {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
