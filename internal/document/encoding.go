package document

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// decode turns data into UTF-8. A BOM wins, then a declared charset (from
// an HTML meta tag), then valid UTF-8, then windows-1252 (what "ISO-8859-1"
// pages and Word exports usually are) when no byte is undefined in it.
func decode(data []byte, declared string) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return "", fmt.Errorf("invalid utf-8 after a utf-8 byte order mark")
		}
		return string(data), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), data)
	}
	if declared != "" {
		name := strings.ToLower(strings.TrimSpace(declared))
		enc, err := htmlindex.Get(name)
		if err != nil {
			return "", fmt.Errorf("unknown encoding %q", declared)
		}
		if n, _ := htmlindex.Name(enc); n == "utf-8" {
			if utf8.Valid(data) {
				return string(data), nil
			}
			// Pages often claim utf-8 and are windows-1252; accept that only
			// when the bytes read cleanly as windows-1252.
			if s, ok := windows1252(data); ok {
				return s, nil
			}
			return "", fmt.Errorf("invalid utf-8 in a page declared utf-8")
		}
		return decodeWith(enc, data)
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	if s, ok := windows1252(data); ok {
		return s, nil
	}
	return "", fmt.Errorf("undecodable text: neither utf-8 nor windows-1252")
}

func windows1252(data []byte) (string, bool) {
	for _, b := range data {
		switch b {
		case 0x81, 0x8D, 0x8F, 0x90, 0x9D:
			return "", false
		}
	}
	s, err := decodeWith(charmap.Windows1252, data)
	return s, err == nil
}

func decodeWith(enc encoding.Encoding, data []byte) (string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", fmt.Errorf("decode: %v", err)
	}
	if !utf8.Valid(out) {
		return "", fmt.Errorf("undecodable text")
	}
	s := string(out)
	if strings.Count(s, "\uFFFD")*50 > len(s) {
		return "", fmt.Errorf("undecodable text: too many replacement characters")
	}
	return s, nil
}
