package drop

import (
	"errors"

	"github.com/willow-web/willow-web/internal/wrap"
)

// Errors of malformed drops; a *Error wraps one of them or an error of the
// encodings (codec, meadowcap, bab) it came from.
var (
	// ErrBadHeader: a byte where an item header was expected is neither an
	// item header (01xxxxxx) nor the terminator 0x00.
	ErrBadHeader = errors.New("drop: bad item header")
	// ErrTruncated: the drop ended before its terminator.
	ErrTruncated = errors.New("drop: truncated")
	// ErrTrailingBytes: bytes follow the terminator.
	ErrTrailingBytes = errors.New("drop: bytes after the terminator")
	// ErrBadSlice: a payload slice lies outside the payload, overlaps an
	// earlier one or is empty.
	ErrBadSlice = errors.New("drop: bad payload slice")
	// ErrTooLarge: an item's entry and token take more than MaxItemHeader bytes.
	ErrTooLarge = errors.New("drop: item header too large")
	// ErrUnauthorised: an entry's token does not authorise it.
	ErrUnauthorised = errors.New("drop: entry not authorised")
	// ErrPayload: payload bytes do not match the entry's digest.
	ErrPayload = errors.New("drop: payload does not match its digest")
)

// MaxItemHeader bounds the bytes of one item's entry and token encoding. The
// largest entry is about 16 KiB; the rest allows for long delegation chains.
const MaxItemHeader = 1 << 20

// Error locates a problem in a drop.
type Error struct {
	Item   int   // index of the item (0-based); -1 for the drop as a whole
	Offset int64 // byte offset in the drop where the problem was found
	Err    error
}

// Error implements error.
func (e *Error) Error() string {
	if e.Item < 0 {
		return "drop: at byte " + wrap.Num(e.Offset) + ": " + e.Err.Error()
	}
	return "drop: item " + wrap.Num(e.Item) + " at byte " + wrap.Num(e.Offset) + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }
