// Package grouping implements the Willow groupings of entries: ranges over
// timestamps, subspace ids and paths, 3dRanges, Areas and AreasOfInterest,
// with inclusion, containment and intersection, and the EncodeAreaInArea
// encoding.
//
// Groupings are never empty (the spec changed in November 2025): a closed
// range needs end > start, constructors refuse anything else with ErrEmpty,
// and intersections report false when nothing would be left. The zero value
// of every grouping type is its full grouping.
package grouping

import (
	"errors"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// ErrEmpty is returned when a grouping would include nothing.
var ErrEmpty = errors.New("empty grouping")

// Ordered is a totally ordered value type usable as range bounds; String
// renders a bound in messages.
type Ordered[T any] interface {
	Compare(T) int
	String() string
}

// Range is a closed range [Start, End) with End > Start, or an open range
// [Start, ∞). The zero value is the open range from the zero value of T.
type Range[T Ordered[T]] struct {
	start  T
	end    T
	closed bool
}

// TimeRange is a range of timestamps.
type TimeRange = Range[entry.Timestamp]

// SubspaceRange is a range of subspace ids.
type SubspaceRange = Range[ids.SubspaceID]

// PathRange is a range of paths.
type PathRange = Range[path.Path]

// NewClosedRange returns [start, end), or an error wrapping ErrEmpty unless
// end > start.
func NewClosedRange[T Ordered[T]](start, end T) (Range[T], error) {
	if end.Compare(start) <= 0 {
		return Range[T]{}, wrap.Detail(ErrEmpty, "closed range needs end > start (start "+start.String()+", end "+end.String()+")")
	}
	return Range[T]{start: start, end: end, closed: true}, nil
}

// NewOpenRange returns [start, ∞).
func NewOpenRange[T Ordered[T]](start T) Range[T] { return Range[T]{start: start} }

// Start is the least included value.
func (r Range[T]) Start() T { return r.start }

// End returns the exclusive end and true for a closed range, or false for an
// open one.
func (r Range[T]) End() (T, bool) { return r.end, r.closed }

// IsOpen reports whether the range has no end.
func (r Range[T]) IsOpen() bool { return !r.closed }

// Includes reports whether v lies in the range.
func (r Range[T]) Includes(v T) bool {
	return r.start.Compare(v) <= 0 && (!r.closed || v.Compare(r.end) < 0)
}

// IncludesRange reports whether every value of s lies in r.
func (r Range[T]) IncludesRange(s Range[T]) bool {
	if r.start.Compare(s.start) > 0 {
		return false
	}
	if !r.closed {
		return true
	}
	return s.closed && s.end.Compare(r.end) <= 0
}

// Intersect returns the values in both ranges, and false if there are none.
func (r Range[T]) Intersect(s Range[T]) (Range[T], bool) {
	out := r
	if s.start.Compare(out.start) > 0 {
		out.start = s.start
	}
	if s.closed && (!out.closed || s.end.Compare(out.end) < 0) {
		out.end, out.closed = s.end, true
	}
	if out.closed && out.end.Compare(out.start) <= 0 {
		return Range[T]{}, false
	}
	return out, true
}

// Equal reports whether r and s include the same values.
func (r Range[T]) Equal(s Range[T]) bool {
	return r.closed == s.closed && r.start.Compare(s.start) == 0 && (!r.closed || r.end.Compare(s.end) == 0)
}

// String renders the range as [start, end) or [start, ∞).
func (r Range[T]) String() string {
	if !r.closed {
		return "[" + r.start.String() + ", ∞)"
	}
	return "[" + r.start.String() + ", " + r.end.String() + ")"
}
