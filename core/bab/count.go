package bab

import "math/bits"

// LabelCount returns the number of labels in the verifiable stream of slice s
// of a string of length bytes under options o. It walks only the two
// boundary paths of the slice (O(log² n)).
func LabelCount(length uint64, s Slice, o Options) (uint64, error) {
	g := newGeometry(length)
	if err := s.check(g); err != nil {
		return 0, err
	}
	c := counter{o: o, s: s.Start, e: s.end()}
	return c.node(0, g.chunks, 0), nil
}

// StreamLen returns the byte length of the verifiable stream of slice s of a
// string of length bytes under options o: the chunk bytes plus 32 bytes per
// label.
func StreamLen(length uint64, s Slice, o Options) (uint64, error) {
	labels, err := LabelCount(length, s, o)
	if err != nil {
		return 0, err
	}
	g := newGeometry(length)
	return g.bytes(s.Start, s.end()) + DigestSize*labels, nil
}

type counter struct {
	o    Options
	s, e uint64
}

// node counts the labels of the vertex over [lo, hi) and its descendants.
func (c *counter) node(lo, hi uint64, depth int) uint64 {
	if hi-lo == 1 {
		return 0
	}
	if c.s <= lo && hi <= c.e && !(lo == c.s && depth < int(c.o.LeftSkip)) && !(hi == c.e && depth < int(c.o.RightSkip)) {
		return c.inside(hi-lo, depth)
	}
	mid := split(lo, hi)
	pl := c.o.planFor(lo, hi, depth, c.s, c.e)
	n := uint64(0)
	for side := range pl.send {
		if pl.send[side] {
			n++
		}
	}
	if overlaps(lo, mid, c.s, c.e) {
		n += c.node(lo, mid, depth+1)
	}
	if overlaps(mid, hi, c.s, c.e) {
		n += c.node(mid, hi, depth+1)
	}
	return n
}

// inside counts the labels of a subtree of size chunks lying wholly inside
// the slice and below the skipped vertices.
func (c *counter) inside(size uint64, depth int) uint64 {
	if size <= 1 {
		return 0
	}
	p := leftSize(size)
	return c.own(layer(0, size)) + c.perfect(bits.TrailingZeros64(p)) + c.inside(size-p, depth+1)
}

// perfect counts the labels of a perfect subtree of height h inside the slice.
func (c *counter) perfect(h int) uint64 {
	n := uint64(0)
	for lay, vertices := h, uint64(1); lay >= 1; lay, vertices = lay-1, vertices*2 {
		n += vertices * c.own(lay)
	}
	return n
}

// own counts the child labels an inner vertex at layer lay sends when both
// children are inside the slice.
func (c *counter) own(lay int) uint64 {
	if lay <= int(c.o.K) {
		return 0
	}
	if c.o.Light && !c.o.keepsLeft(lay) {
		return 1
	}
	return 2
}

// OptimalLeftSkip returns the largest left skip for a slice starting at chunk
// nextStart of a string with chunks chunks, for a receiver that has already
// verified a slice ending at chunk priorEnd (inclusive, priorEnd <
// nextStart): the number of vertices on the root path of nextStart that also
// lie on the root path of priorEnd, whose child labels the receiver knows.
// It returns 0 when the arguments do not describe such a pair.
func OptimalLeftSkip(chunks, priorEnd, nextStart uint64) uint8 {
	if priorEnd >= nextStart || nextStart >= chunks {
		return 0
	}
	skip := uint8(0)
	for lo, hi := uint64(0), chunks; hi-lo > 1; skip++ {
		mid := split(lo, hi)
		switch {
		case nextStart < mid:
			hi = mid
		case priorEnd >= mid:
			lo = mid
		default:
			return skip + 1
		}
	}
	return skip
}
