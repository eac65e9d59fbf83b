package codec

import (
	"errors"
	"strconv"
)

// Kinds of decoding failure. A *DecodeError wraps exactly one of them, so
// callers test with errors.Is(err, codec.ErrTruncated) and friends.
var (
	// ErrTruncated: the input ended before the code did.
	ErrTruncated = errors.New("truncated input")
	// ErrNonCanonic: the code is valid for the encoding relation but not the
	// one the canonic encoding function produces.
	ErrNonCanonic = errors.New("non-canonic encoding")
	// ErrLimit: a decoded value exceeds a limit of the Willow'25 parameters.
	ErrLimit = errors.New("over a limit")
	// ErrInvalid: the bytes encode no value at all.
	ErrInvalid = errors.New("invalid encoding")
)

// DecodeError says what was wrong with an encoding and where.
type DecodeError struct {
	Kind   error  // one of ErrTruncated, ErrNonCanonic, ErrLimit, ErrInvalid
	Offset int    // byte offset in the decoder's input where the problem was found
	Field  string // what was being decoded, e.g. "path component count"
	Detail string // optional human-readable detail
}

// Error implements error.
func (e *DecodeError) Error() string {
	s := "decoding " + e.Field + " at byte " + strconv.Itoa(e.Offset) + ": " + e.Kind.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the error kind, so errors.Is works with the sentinels.
func (e *DecodeError) Unwrap() error { return e.Kind }
