// Package wrap builds wrapped errors without package fmt.
//
// fmt (and with it most of reflect and the float formatting of strconv)
// costs the WebAssembly module about 200 KB of code; the packages linked
// into it build their errors here instead. The errors behave like those of
// fmt.Errorf with %w: the same message text, errors.Is/As see the wrapped
// errors, and one wrapped error is returned by Unwrap() error, several by
// Unwrap() []error.
package wrap

import "strconv"

// Prefix returns an error reading "prefix: " + err.Error() that wraps err,
// like fmt.Errorf("prefix: %w", err).
func Prefix(prefix string, err error) error {
	return &one{prefix + ": " + err.Error(), err}
}

// Detail returns an error reading err.Error() + ": " + detail that wraps
// err, like fmt.Errorf("%w: detail", err).
func Detail(err error, detail string) error {
	return &one{err.Error() + ": " + detail, err}
}

// Both returns an error reading outer.Error() + ": " + inner.Error() that
// wraps both, like fmt.Errorf("%w: %w", outer, inner).
func Both(outer, inner error) error {
	return &many{outer.Error() + ": " + inner.Error(), []error{outer, inner}}
}

// New returns an error with the message msg that wraps errs (none, one or
// several): the general form for messages the helpers above do not cover.
func New(msg string, errs ...error) error {
	switch len(errs) {
	case 0:
		return &one{msg: msg}
	case 1:
		return &one{msg, errs[0]}
	}
	return &many{msg, errs}
}

// Int formats n in decimal, for building messages.
func Int(n int) string { return strconv.Itoa(n) }

// Uint formats n in decimal, for building messages.
func Uint(n uint64) string { return strconv.FormatUint(n, 10) }

// Quote returns s in double quotes with '"', '\\' and control bytes
// escaped as \xNN: enough to show a name unambiguously in a message without
// strconv.Quote's Unicode tables.
func Quote(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c == 0x7f:
			const hex = "0123456789abcdef"
			b = append(b, '\\', 'x', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return string(append(b, '"'))
}

// Describe returns a message for a value recovered from a panic: the text of
// an error or a string, or a generic description otherwise.
func Describe(v any) string {
	switch x := v.(type) {
	case error:
		return x.Error()
	case string:
		return x
	case interface{ String() string }:
		return x.String()
	}
	return "a non-error panic value"
}

type one struct {
	msg string
	err error
}

func (e *one) Error() string { return e.msg }
func (e *one) Unwrap() error { return e.err }

type many struct {
	msg  string
	errs []error
}

func (e *many) Error() string   { return e.msg }
func (e *many) Unwrap() []error { return e.errs }

// Integer is any integer type.
type Integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~uintptr
}

// Num formats an integer of any type in decimal, for building messages.
func Num[T Integer](n T) string {
	var zero T
	if zero-1 < 0 { // signed
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatUint(uint64(n), 10)
}
