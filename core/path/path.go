// Package path implements Willow paths with the Willow'25 limits: sequences
// of byte-string components, their prefix relation, ordering, successors and
// the path encodings of the Willow encodings page.
//
// A Path is immutable. Its components live in one backing array, so taking a
// prefix is free (no copy, no allocation) and a Path is cheap to pass by value.
package path

import (
	"bytes"
	"errors"

	"github.com/willow-web/willow-web/internal/wrap"
)

// The Willow'25 path limits.
const (
	MaxComponentLength = 4096 // bytes in one component
	MaxComponentCount  = 4096 // components in one path
	MaxPathLength      = 4096 // bytes in all components together
)

// ErrLimit is wrapped by every error about a path exceeding a Willow'25 limit.
var ErrLimit = errors.New("path limit exceeded")

// Path is a sequence of components (byte strings). The zero value is the empty
// path.
type Path struct {
	data []byte // all component bytes, concatenated; never mutated
	ends []int  // ends[i] is the end offset of component i in data; never mutated
}

// New returns the path of the given components, copying them. It fails with
// an error wrapping ErrLimit if a Willow'25 limit is exceeded.
func New(components ...[]byte) (Path, error) {
	total, err := checkComponents(components)
	if err != nil {
		return Path{}, err
	}
	if len(components) == 0 {
		return Path{}, nil
	}
	p := Path{data: make([]byte, 0, total), ends: make([]int, len(components))}
	for i, c := range components {
		p.data = append(p.data, c...)
		p.ends[i] = len(p.data)
	}
	return p, nil
}

// checkComponents returns the total length of components, or an error
// wrapping ErrLimit if they exceed a Willow'25 limit.
func checkComponents(components [][]byte) (int, error) {
	if len(components) > MaxComponentCount {
		return 0, wrap.Detail(ErrLimit, wrap.Num(len(components))+" components, at most "+wrap.Num(MaxComponentCount))
	}
	total := 0
	for i, c := range components {
		if len(c) > MaxComponentLength {
			return 0, wrap.Detail(ErrLimit, "component "+wrap.Num(i)+" has "+wrap.Num(len(c))+" bytes, at most "+wrap.Num(MaxComponentLength))
		}
		total += len(c)
	}
	if total > MaxPathLength {
		return 0, wrap.Detail(ErrLimit, wrap.Num(total)+" bytes in total, at most "+wrap.Num(MaxPathLength))
	}
	return total, nil
}

// FromStrings is New for components given as strings.
func FromStrings(components ...string) (Path, error) {
	bs := make([][]byte, len(components))
	for i, c := range components {
		bs[i] = []byte(c)
	}
	return New(bs...)
}

// MustFromStrings is FromStrings for constants known to be valid; it panics
// otherwise. Use it in tests and examples only.
func MustFromStrings(components ...string) Path {
	p, err := FromStrings(components...)
	if err != nil {
		panic(err)
	}
	return p
}

// Len is the number of components.
func (p Path) Len() int { return len(p.ends) }

// TotalLength is the sum of the component lengths in bytes.
func (p Path) TotalLength() int {
	if len(p.ends) == 0 {
		return 0
	}
	return p.ends[len(p.ends)-1]
}

// Component returns component i. The result shares memory with p and must
// not be modified.
func (p Path) Component(i int) []byte {
	start := 0
	if i > 0 {
		start = p.ends[i-1]
	}
	return p.data[start:p.ends[i]:p.ends[i]]
}

// Components returns a fresh copy of all components.
func (p Path) Components() [][]byte {
	out := make([][]byte, p.Len())
	for i := range out {
		out[i] = append([]byte(nil), p.Component(i)...)
	}
	return out
}

// Prefix returns the path of the first n components (0 ≤ n ≤ p.Len()). It
// shares memory with p and does not allocate.
func (p Path) Prefix(n int) Path {
	if n == 0 {
		return Path{}
	}
	e := p.ends[n-1]
	return Path{data: p.data[:e:e], ends: p.ends[:n:n]}
}

// Suffix returns the path of the components after the first n: the path
// difference from p.Prefix(n) to p.
func (p Path) Suffix(n int) Path {
	if n == p.Len() {
		return Path{}
	}
	comps := make([][]byte, 0, p.Len()-n)
	for i := n; i < p.Len(); i++ {
		comps = append(comps, p.Component(i))
	}
	s, _ := New(comps...) // a part of a valid path is valid
	return s
}

// Append returns p with one more component, or an error wrapping ErrLimit.
func (p Path) Append(component []byte) (Path, error) {
	return p.Concat(Path{data: component, ends: []int{len(component)}})
}

// Concat returns p followed by the components of q, or an error wrapping
// ErrLimit. It allocates the result once.
func (p Path) Concat(q Path) (Path, error) {
	count, total := p.Len()+q.Len(), p.TotalLength()+q.TotalLength()
	switch {
	case count > MaxComponentCount:
		return Path{}, wrap.Detail(ErrLimit, wrap.Num(count)+" components, at most "+wrap.Num(MaxComponentCount))
	case total > MaxPathLength:
		return Path{}, wrap.Detail(ErrLimit, wrap.Num(total)+" bytes in total, at most "+wrap.Num(MaxPathLength))
	case q.Len() > 0 && len(q.Component(q.Len()-1)) > MaxComponentLength:
		// Only a one-component q built by Append can carry an unchecked
		// component; every Path's own components are within the limit.
		return Path{}, wrap.Detail(ErrLimit, "component "+wrap.Num(count-1)+" has "+wrap.Num(len(q.Component(q.Len()-1)))+" bytes, at most "+wrap.Num(MaxComponentLength))
	case count == 0:
		return Path{}, nil
	}
	out := Path{data: make([]byte, 0, total), ends: make([]int, 0, count)}
	out.data = append(append(out.data, p.data[:p.TotalLength()]...), q.data[:q.TotalLength()]...)
	out.ends = append(out.ends, p.ends...)
	for _, e := range q.ends {
		out.ends = append(out.ends, p.TotalLength()+e)
	}
	return out, nil
}

// CommonPrefixLen is the number of components of the longest common prefix of
// p and q.
func (p Path) CommonPrefixLen(q Path) int {
	n := min(p.Len(), q.Len())
	for i := 0; i < n; i++ {
		if !bytes.Equal(p.Component(i), q.Component(i)) {
			return i
		}
	}
	return n
}

// LongestCommonPrefix returns the longest path that prefixes both p and q.
func (p Path) LongestCommonPrefix(q Path) Path { return p.Prefix(p.CommonPrefixLen(q)) }

// IsPrefixOf reports whether p is a prefix of q (every path prefixes itself).
func (p Path) IsPrefixOf(q Path) bool {
	return p.Len() <= q.Len() && p.CommonPrefixLen(q) == p.Len()
}

// IsRelatedTo reports whether p prefixes q or q prefixes p.
func (p Path) IsRelatedTo(q Path) bool {
	return p.CommonPrefixLen(q) == min(p.Len(), q.Len())
}

// Equal reports whether p and q have the same components.
func (p Path) Equal(q Path) bool {
	return p.Len() == q.Len() && p.CommonPrefixLen(q) == p.Len()
}

// Compare orders paths lexicographically by component, comparing components
// bytewise; a proper prefix sorts before its extensions. It returns −1, 0 or 1.
func (p Path) Compare(q Path) int {
	n := p.CommonPrefixLen(q)
	switch {
	case n < p.Len() && n < q.Len():
		return bytes.Compare(p.Component(n), q.Component(n))
	case p.Len() < q.Len():
		return -1
	case p.Len() > q.Len():
		return 1
	}
	return 0
}

// AllPrefixes returns every prefix of p, shortest (the empty path) first.
func (p Path) AllPrefixes() []Path {
	out := make([]Path, p.Len()+1)
	for i := range out {
		out[i] = p.Prefix(i)
	}
	return out
}

// String renders p for humans as /comp/comp, writing bytes outside printable
// ASCII (and '/', '%') as %XX, and the empty path as "<empty>".
func (p Path) String() string {
	if p.Len() == 0 {
		return "<empty>"
	}
	var b []byte
	for i := 0; i < p.Len(); i++ {
		b = append(b, '/')
		for _, c := range p.Component(i) {
			if c > ' ' && c < 0x7f && c != '/' && c != '%' {
				b = append(b, c)
			} else {
				b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			}
		}
	}
	return string(b)
}
