package bab

import (
	"errors"

	"github.com/willow-web/willow-web/internal/wrap"
)

// Sentinel errors. Errors returned by this package match one of them with
// [errors.Is]; stream problems come wrapped in a [*StreamError] that says
// where they were found.
var (
	// ErrInvalidSlice reports a slice that is empty or reaches past the last
	// chunk of the string, or options that cannot apply to it.
	ErrInvalidSlice = errors.New("bab: invalid slice")
	// ErrLabelMismatch reports a vertex whose label, recomputed from the
	// stream, differs from the label it must have (the digest for the root).
	ErrLabelMismatch = errors.New("bab: label mismatch")
	// ErrChunkMismatch reports a chunk whose label differs from the label
	// the stream announced for it.
	ErrChunkMismatch = errors.New("bab: chunk mismatch")
	// ErrStreamTooShort reports a stream that ended before it was complete.
	ErrStreamTooShort = errors.New("bab: stream too short")
	// ErrStreamTooLong reports bytes after the end of a complete stream.
	ErrStreamTooLong = errors.New("bab: stream too long")
	// ErrKnownLabels reports that the labels of a skipped vertex are not
	// available from the caller, or do not match the tree.
	ErrKnownLabels = errors.New("bab: known labels unavailable or inconsistent")
	// ErrMissingData reports that a storage lacks verified data it was asked
	// to serve.
	ErrMissingData = errors.New("bab: data not available")
	// ErrCapacity reports a storage backend too small for its payload.
	ErrCapacity = errors.New("bab: backend too small")
)

// A StreamError describes where a verifiable stream went wrong.
type StreamError struct {
	// Err is one of the sentinel errors of this package, or an error
	// returned by a callback or storage.
	Err error
	// Offset is the position in the stream, in bytes from its start, of the
	// first byte of the item (label or chunk) that revealed the problem; for
	// trailing bytes the position of the first one.
	Offset int64
	// Start and End delimit, in chunks, the tree vertex the problem concerns.
	Start, End uint64
	// What names the item: "label", "chunk", or "end of stream".
	What string
}

// Error implements error.
func (e *StreamError) Error() string {
	return e.Err.Error() + ": " + e.What + " at stream offset " + wrap.Num(e.Offset) + " (vertex over chunks [" + wrap.Num(e.Start) + ", " + wrap.Num(e.End) + "))"
}

// Unwrap returns the underlying error.
func (e *StreamError) Unwrap() error { return e.Err }
