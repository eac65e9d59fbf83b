package bab

import (
	"math"

	"github.com/willow-web/willow-web/internal/wrap"
)

// layout places one payload in a Backend:
//
//	[0, length)            the payload bytes, chunk i at i·1024
//	labels                 32 bytes per tree vertex (2c-1 of them, c chunks),
//	                       in depth-first pre-order, the root first
//	known                  one bit per vertex: its label slot is verified
//	chunks                 one bit per chunk: the chunk is stored and verified
//
// Bits are numbered from the least significant bit of each byte.
type layout struct {
	g      geometry
	labels int64
	known  int64
	chunks int64
	size   int64
}

func newLayout(length uint64) (layout, error) {
	g := newGeometry(length)
	vertices := 2*g.chunks - 1
	total := float64(length) + float64(vertices)*DigestSize + float64(vertices/8+1) + float64(g.chunks/8+1)
	if length > math.MaxInt64/2 || total > math.MaxInt64/2 {
		return layout{}, wrap.Detail(ErrCapacity, "payload of "+wrap.Num(length)+" bytes")
	}
	l := layout{g: g, labels: int64(length)}
	l.known = l.labels + int64(vertices)*DigestSize
	l.chunks = l.known + int64((vertices+7)/8)
	l.size = l.chunks + int64((g.chunks+7)/8)
	return l, nil
}

// LayoutSize returns the number of Backend bytes a [Storage] needs for a
// payload of length bytes: the payload, 32 bytes per tree vertex and two
// bitmaps, about 6.3% more than the payload.
func LayoutSize(length uint64) (int64, error) {
	l, err := newLayout(length)
	return l.size, err
}

// vertexIndex returns the pre-order index of the vertex over [lo, hi): the
// root is 0, the left child of vertex n is n+1 and its right child n+2p, p
// being the left child's chunk count.
func (l layout) vertexIndex(lo, hi uint64) uint64 {
	idx := uint64(0)
	for a, b := uint64(0), l.g.chunks; (a != lo || b != hi) && b-a > 1; {
		mid := split(a, b)
		if lo < mid {
			idx++
			b = mid
		} else {
			idx += 2 * (mid - a)
			a = mid
		}
	}
	return idx
}
