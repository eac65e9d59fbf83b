package grouping

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// AreaSubspace is the subspace selector of an Area: one subspace id, or any.
// The zero value is any.
type AreaSubspace struct {
	id       ids.SubspaceID
	specific bool
}

// AnySubspace selects every subspace.
func AnySubspace() AreaSubspace { return AreaSubspace{} }

// OnlySubspace selects one subspace.
func OnlySubspace(id ids.SubspaceID) AreaSubspace { return AreaSubspace{id: id, specific: true} }

// ID returns the selected subspace id, and false for any.
func (s AreaSubspace) ID() (ids.SubspaceID, bool) { return s.id, s.specific }

// IsAny reports whether every subspace is selected.
func (s AreaSubspace) IsAny() bool { return !s.specific }

// Includes reports whether id is selected.
func (s AreaSubspace) Includes(id ids.SubspaceID) bool { return !s.specific || s.id == id }

// String renders the selector as "any" or the id's hex.
func (s AreaSubspace) String() string {
	if !s.specific {
		return "any"
	}
	return s.id.String()
}

// Area is a box of entries: a subspace (or any), the entries whose paths have
// Path as a prefix, and a time range. The zero value is the full area.
type Area struct {
	Subspace AreaSubspace
	Path     path.Path
	Times    TimeRange
}

// FullArea includes every entry.
func FullArea() Area { return Area{} }

// SubspaceArea includes every entry of one subspace.
func SubspaceArea(id ids.SubspaceID) Area { return Area{Subspace: OnlySubspace(id)} }

// IncludesEntry reports whether e lies in the area.
func (a Area) IncludesEntry(e entry.Entry) bool {
	return a.Subspace.Includes(e.SubspaceID) && a.Path.IsPrefixOf(e.Path) && a.Times.Includes(e.Timestamp)
}

// IncludesArea reports whether every entry of b lies in a.
func (a Area) IncludesArea(b Area) bool {
	if a.Subspace.specific && (!b.Subspace.specific || a.Subspace.id != b.Subspace.id) {
		return false
	}
	return a.Path.IsPrefixOf(b.Path) && a.Times.IncludesRange(b.Times)
}

// Intersect returns the area of the entries in both a and b, and false if
// there are none.
func (a Area) Intersect(b Area) (Area, bool) {
	var out Area
	switch {
	case !a.Subspace.specific:
		out.Subspace = b.Subspace
	case !b.Subspace.specific || a.Subspace.id == b.Subspace.id:
		out.Subspace = a.Subspace
	default:
		return Area{}, false
	}
	switch {
	case a.Path.IsPrefixOf(b.Path):
		out.Path = b.Path
	case b.Path.IsPrefixOf(a.Path):
		out.Path = a.Path
	default:
		return Area{}, false
	}
	times, ok := a.Times.Intersect(b.Times)
	if !ok {
		return Area{}, false
	}
	out.Times = times
	return out, true
}

// Equal reports whether a and b include the same entries.
func (a Area) Equal(b Area) bool {
	return a.Subspace == b.Subspace && a.Path.Equal(b.Path) && a.Times.Equal(b.Times)
}

// String renders the area for humans.
func (a Area) String() string {
	return "Area(subspace " + a.Subspace.String() + ", path " + a.Path.String() + ", times " + a.Times.String() + ")"
}

// AreaOfInterest is an Area together with limits on how many of its newest
// entries (MaxCount) and how many bytes of their payloads (MaxSize) are of
// interest; 2^64−1 means no limit.
type AreaOfInterest struct {
	Area     Area
	MaxCount uint64
	MaxSize  uint64
}

// Unlimited is the MaxCount or MaxSize of an AreaOfInterest without a limit.
const Unlimited = ^uint64(0)

// NewAreaOfInterest returns an AreaOfInterest, refusing MaxCount 0 (it would
// include no entry) with ErrEmpty.
func NewAreaOfInterest(area Area, maxCount, maxSize uint64) (AreaOfInterest, error) {
	if maxCount == 0 {
		return AreaOfInterest{}, wrap.Detail(ErrEmpty, "area of interest with max count 0")
	}
	return AreaOfInterest{Area: area, MaxCount: maxCount, MaxSize: maxSize}, nil
}

// Intersect intersects the areas and takes the smaller limits.
func (a AreaOfInterest) Intersect(b AreaOfInterest) (AreaOfInterest, bool) {
	area, ok := a.Area.Intersect(b.Area)
	if !ok {
		return AreaOfInterest{}, false
	}
	return AreaOfInterest{Area: area, MaxCount: min(a.MaxCount, b.MaxCount), MaxSize: min(a.MaxSize, b.MaxSize)}, true
}
