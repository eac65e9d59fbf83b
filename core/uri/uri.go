package uri

import (
	"unicode/utf8"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// URI is a Willow URI: an EntryURI or an AreaURI. Use a type switch to tell
// them apart.
type URI interface {
	// Format returns the canonical code, or an error if the value has none.
	Format() (string, error)
	// String returns the canonical code, or a marker naming the error.
	String() string
	isWillowURI()
}

// PayloadRange is the optional payload slice of an EntryURI: the from= and
// to= byte indices, each present or not. The zero value selects no payload.
type PayloadRange struct {
	From    uint64 // start index (inclusive), if HasFrom
	To      uint64 // end index (exclusive), if HasTo
	HasFrom bool
	HasTo   bool
}

// IsSet reports whether the range selects a payload slice at all: an
// EntryURI with neither index identifies the Entry but not its Payload.
func (r PayloadRange) IsSet() bool { return r.HasFrom || r.HasTo }

// Slice applies the spec's rules to a payload of the given length and returns
// the selected bytes [start, end), or ok = false if the range selects no
// payload (neither index present). A missing start is 0, a missing end is the
// payload length; an index beyond the payload length is truncated to it; a
// start greater than the end moves the end up to the start (an empty slice).
// Start ≤ end ≤ payloadLength always holds. (Truncating before or after the
// from > to rule gives the same result, so the spec's order does not matter.)
func (r PayloadRange) Slice(payloadLength uint64) (start, end uint64, ok bool) {
	if !r.IsSet() {
		return 0, 0, false
	}
	start, end = 0, payloadLength
	if r.HasFrom {
		start = min(r.From, payloadLength)
	}
	if r.HasTo {
		end = min(r.To, payloadLength)
	}
	return start, max(start, end), true
}

// Canonical returns the range in its canonical form, which selects the same
// bytes of every payload: an end below the start is raised to the start (the
// spec's from > to rule), and from=0 is dropped when an end is present (a
// missing start defaults to 0). from=0 alone stays: it means "the whole
// payload", unlike no index at all.
func (r PayloadRange) Canonical() PayloadRange {
	if r.HasFrom && r.HasTo && r.To < r.From {
		r.To = r.From
	}
	if r.HasFrom && r.From == 0 && r.HasTo {
		r.HasFrom = false
	}
	if !r.HasFrom {
		r.From = 0
	}
	if !r.HasTo {
		r.To = 0
	}
	return r
}

// EntryURI identifies an Entry by namespace, subspace and path, optionally
// only with an expected payload digest, optionally together with a slice of
// its payload.
type EntryURI struct {
	Namespace ids.NamespaceID
	Subspace  ids.SubspaceID
	// Path is the Entry's path; dot-segments have been resolved.
	Path path.Path
	// Digest is the expected payload digest, if HasDigest: the URI then
	// identifies only an Entry with exactly this digest.
	Digest    ids.PayloadDigest
	HasDigest bool
	// Range selects a slice of the payload; its zero value selects none.
	Range PayloadRange
	// Hints are URIs (typically not Willow URIs) telling where or how to
	// obtain the data, best first. Each must be non-empty valid UTF-8.
	Hints []string
	// Fragment is the application-specific fragment, if HasFragment (an
	// empty fragment, "#", differs from none). See FragmentEncode: it is
	// kept in its encoded, fragment-safe form.
	Fragment    string
	HasFragment bool
}

// AreaURI identifies an AreaOfInterest in a namespace. Unlike a
// grouping.Area its subspace is always one concrete id: Willow URIs cannot
// say "any subspace".
type AreaURI struct {
	Namespace ids.NamespaceID
	Subspace  ids.SubspaceID
	// Path is the area's path prefix; dot-segments have been resolved.
	Path path.Path
	// Times is the area's time range; the zero value is [0, ∞).
	Times grouping.TimeRange
	// MaxCount and MaxSize are the AreaOfInterest's limits; grouping.Unlimited
	// (2^64−1) means no limit, and is what an omitted count= or size= means.
	// MaxCount 0 would include no entry and cannot be formatted.
	MaxCount uint64
	MaxSize  uint64
	// Hints and Fragment are as in EntryURI.
	Hints       []string
	Fragment    string
	HasFragment bool
}

func (EntryURI) isWillowURI() {}
func (AreaURI) isWillowURI()  {}

// ForEntry returns the EntryURI of e without digest, payload range, hints or
// fragment.
func ForEntry(e entry.Entry) EntryURI {
	return EntryURI{Namespace: e.NamespaceID, Subspace: e.SubspaceID, Path: e.Path}
}

// NewAreaURI returns the AreaURI of an AreaOfInterest in namespace ns. An
// area with any subspace has no Willow URI (ErrAnySubspace), and an
// AreaOfInterest with MaxCount 0 includes nothing (ErrEmptyArea).
func NewAreaURI(ns ids.NamespaceID, aoi grouping.AreaOfInterest) (AreaURI, error) {
	// Decision: the spec's AreaURI carries a SubspaceId, and no syntax for
	// "any subspace" exists. We refuse rather than invent one (e.g. "*" or an
	// empty subspace): other implementations would reject or, worse,
	// misread such URIs. Link one URI per subspace instead.
	ss, ok := aoi.Area.Subspace.ID()
	if !ok {
		return AreaURI{}, formatErr(ErrAnySubspace, "the area's subspace is any; pick one subspace id")
	}
	if aoi.MaxCount == 0 {
		return AreaURI{}, formatErr(ErrEmptyArea, "max count 0")
	}
	return AreaURI{Namespace: ns, Subspace: ss, Path: aoi.Area.Path, Times: aoi.Area.Times,
		MaxCount: aoi.MaxCount, MaxSize: aoi.MaxSize}, nil
}

// Area returns the identified Area (subspace, path, times).
func (a AreaURI) Area() grouping.Area {
	return grouping.Area{Subspace: grouping.OnlySubspace(a.Subspace), Path: a.Path, Times: a.Times}
}

// AreaOfInterest returns the identified AreaOfInterest; it fails with an
// error wrapping grouping.ErrEmpty and ErrEmptyArea if MaxCount is 0.
func (a AreaURI) AreaOfInterest() (grouping.AreaOfInterest, error) {
	aoi, err := grouping.NewAreaOfInterest(a.Area(), a.MaxCount, a.MaxSize)
	if err != nil {
		return grouping.AreaOfInterest{}, &Error{Kind: ErrEmptyArea, Offset: -1, Err: err}
	}
	return aoi, nil
}

// Canonical returns u with its payload range in canonical form, the fragment
// fragment-encoded and no empty hint slice: the value Parse returns for
// u's canonical code.
func (u EntryURI) Canonical() EntryURI {
	u.Range = u.Range.Canonical()
	u.Hints = canonicalHints(u.Hints)
	u.Fragment = canonicalFragment(u.Fragment, u.HasFragment)
	if !u.HasDigest {
		u.Digest = ids.PayloadDigest{}
	}
	return u
}

// Canonical returns a with the fragment fragment-encoded and no empty hint
// slice: the value Parse returns for a's canonical code.
func (a AreaURI) Canonical() AreaURI {
	a.Hints = canonicalHints(a.Hints)
	a.Fragment = canonicalFragment(a.Fragment, a.HasFragment)
	return a
}

func canonicalHints(h []string) []string {
	if len(h) == 0 {
		return nil
	}
	return h
}

func canonicalFragment(f string, has bool) string {
	if !has {
		return ""
	}
	return FragmentEncode(f)
}

// Equal reports whether u and v have the same canonical form (and hence the
// same code).
func (u EntryURI) Equal(v EntryURI) bool {
	u, v = u.Canonical(), v.Canonical()
	return u.Namespace == v.Namespace && u.Subspace == v.Subspace && u.Path.Equal(v.Path) &&
		u.HasDigest == v.HasDigest && u.Digest == v.Digest && u.Range == v.Range &&
		equalStrings(u.Hints, v.Hints) && u.HasFragment == v.HasFragment && u.Fragment == v.Fragment
}

// Equal reports whether a and b have the same canonical form (and hence the
// same code).
func (a AreaURI) Equal(b AreaURI) bool {
	a, b = a.Canonical(), b.Canonical()
	return a.Namespace == b.Namespace && a.Subspace == b.Subspace && a.Path.Equal(b.Path) &&
		a.Times.Equal(b.Times) && a.MaxCount == b.MaxCount && a.MaxSize == b.MaxSize &&
		equalStrings(a.Hints, b.Hints) && a.HasFragment == b.HasFragment && a.Fragment == b.Fragment
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// checkHint enforces what the spec leaves open: a hint is a URI, so never
// empty (an empty hint would also be indistinguishable from no hints in
// "hints="), and we require valid UTF-8 so hints survive JSON and JavaScript
// strings.
func checkHint(h string) string {
	switch {
	case h == "":
		return "empty hint"
	case !utf8.ValidString(h):
		return "hint is not valid UTF-8"
	}
	return ""
}
