package grouping

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
)

// Range3d is a 3dRange: the entries whose subspace id, path and timestamp lie
// in three ranges. The zero value includes every entry.
type Range3d struct {
	Subspaces SubspaceRange
	Paths     PathRange
	Times     TimeRange
}

// IncludesEntry reports whether e lies in all three ranges.
func (r Range3d) IncludesEntry(e entry.Entry) bool {
	return r.Subspaces.Includes(e.SubspaceID) && r.Paths.Includes(e.Path) && r.Times.Includes(e.Timestamp)
}

// IncludesRange3d reports whether every entry of s lies in r.
func (r Range3d) IncludesRange3d(s Range3d) bool {
	return r.Subspaces.IncludesRange(s.Subspaces) && r.Paths.IncludesRange(s.Paths) && r.Times.IncludesRange(s.Times)
}

// Intersect returns the entries in both ranges, and false if there are none.
func (r Range3d) Intersect(s Range3d) (Range3d, bool) {
	sub, ok1 := r.Subspaces.Intersect(s.Subspaces)
	paths, ok2 := r.Paths.Intersect(s.Paths)
	times, ok3 := r.Times.Intersect(s.Times)
	if !ok1 || !ok2 || !ok3 {
		return Range3d{}, false
	}
	return Range3d{Subspaces: sub, Paths: paths, Times: times}, true
}

// String renders the 3dRange for humans.
func (r Range3d) String() string {
	return "3dRange(subspaces " + r.Subspaces.String() + ", paths " + r.Paths.String() + ", times " + r.Times.String() + ")"
}

// Range3d returns the 3dRange that includes exactly the entries of the area.
func (a Area) Range3d() Range3d {
	var out Range3d
	if id, ok := a.Subspace.ID(); ok {
		if next, ok := subspaceSuccessor(id); ok {
			out.Subspaces, _ = NewClosedRange(id, next)
		} else {
			out.Subspaces = NewOpenRange(id)
		}
	}
	if end, ok := a.Path.GreaterButNotPrefixed(); ok {
		out.Paths, _ = NewClosedRange(a.Path, end)
	} else {
		out.Paths = NewOpenRange(a.Path)
	}
	out.Times = a.Times
	return out
}

// subspaceSuccessor returns the numerically next subspace id, and false for
// the greatest one.
func subspaceSuccessor(id ids.SubspaceID) (ids.SubspaceID, bool) {
	for i := len(id) - 1; i >= 0; i-- {
		id[i]++
		if id[i] != 0 {
			return id, true
		}
	}
	return ids.SubspaceID{}, false
}
