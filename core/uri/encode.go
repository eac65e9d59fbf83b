package uri

import "strings"

const upperHex = "0123456789ABCDEF"

// isUnreserved reports whether c is an RFC 3986 unreserved byte:
// A–Z a–z 0–9 - . _ ~.
func isUnreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isSubDelim reports whether c is one of the sub-delimiters !$&'()*+,;=.
func isSubDelim(c byte) bool { return strings.IndexByte("!$&'()*+,;=", c) >= 0 }

// isQuerySafeByte reports whether c may appear unescaped in a query or
// fragment: unreserved, a sub-delimiter, or one of /?:@.
func isQuerySafeByte(c byte) bool {
	return isUnreserved(c) || isSubDelim(c) || c == '/' || c == '?' || c == ':' || c == '@'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// isPercentEncoding reports whether s[i:] starts with % and two hex digits.
func isPercentEncoding(s string, i int) bool {
	return i+2 < len(s) && s[i] == '%' && isHex(s[i+1]) && isHex(s[i+2])
}

func appendPercent(b []byte, c byte) []byte {
	return append(b, '%', upperHex[c>>4], upperHex[c&15])
}

// PercentEncode is the spec's percent_encode: every byte that is not
// unreserved becomes %XX with uppercase hex digits.
func PercentEncode(s string) string {
	return string(appendPercentEncode(nil, s))
}

func appendPercentEncode(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; isUnreserved(c) {
			b = append(b, c)
		} else {
			b = appendPercent(b, c)
		}
	}
	return b
}

// FragmentEncode is the spec's fragment_encode: every byte that is neither
// unreserved, nor a sub-delimiter, nor one of /?:@, nor part of a percent
// encoding (% and two hex digits) becomes %XX with uppercase hex digits.
// Existing percent encodings are kept as they are, so FragmentEncode is
// idempotent, and its results are exactly the fragment-safe strings.
func FragmentEncode(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isPercentEncoding(s, i):
			b = append(b, s[i:i+3]...)
			i += 2
		case isQuerySafeByte(c):
			b = append(b, c)
		default:
			b = appendPercent(b, c)
		}
	}
	return string(b)
}

// IsFragmentSafe reports whether s consists of unreserved bytes,
// sub-delimiters, /?:@ and percent encodings only, i.e. whether
// FragmentEncode(s) == s.
func IsFragmentSafe(s string) bool { return checkFragment(s, 0) == nil }

func checkFragment(s string, base int) *Error {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '%':
			if !isPercentEncoding(s, i) {
				return parseErr(ErrFragment, base+i, "% must be followed by two hex digits")
			}
			i += 2
		case !isQuerySafeByte(c):
			return parseErr(ErrFragment, base+i, "byte "+quoteByte(c)+" must be percent-encoded")
		}
	}
	return nil
}

// PercentDecode replaces every %XX (either hex case) by the byte it encodes
// and keeps every other byte. A % that is not followed by two hex digits is
// an error of kind ErrPercentEncoding.
func PercentDecode(s string) (string, error) {
	out, err := decodeChecked(s, 0, func(byte) bool { return true }, ErrCharacter, "")
	if err != nil {
		return "", err
	}
	return out, nil
}

// decodeChecked percent-decodes s, which starts at byte base of the parsed
// text; every byte outside percent encodings must satisfy allowed, or the
// result is an error of kind bad with the detail what.
func decodeChecked(s string, base int, allowed func(byte) bool, bad ErrorKind, what string) (string, *Error) {
	if strings.IndexByte(s, '%') < 0 {
		for i := 0; i < len(s); i++ {
			if !allowed(s[i]) {
				return "", parseErr(bad, base+i, "byte "+quoteByte(s[i])+" "+what)
			}
		}
		return s, nil
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if !isPercentEncoding(s, i) {
				end := min(i+3, len(s))
				return "", parseErr(ErrPercentEncoding, base+i, "\""+s[i:end]+"\" is not % followed by two hex digits")
			}
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		case !allowed(c):
			return "", parseErr(bad, base+i, "byte "+quoteByte(c)+" "+what)
		default:
			b = append(b, c)
		}
	}
	return string(b), nil
}

// quoteByte renders a byte for error messages: 'x' for printable ASCII, 0xNN
// otherwise.
func quoteByte(c byte) string {
	if c > ' ' && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	return "0x" + string([]byte{upperHex[c>>4], upperHex[c&15]})
}
