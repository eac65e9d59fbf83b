package bab

import (
	"math/bits"

	"github.com/willow-web/willow-web/internal/wrap"
)

// geometry describes the Merkle tree of a string of a given length.
type geometry struct {
	length uint64 // bytes
	chunks uint64 // number of leaves, at least 1
}

func newGeometry(length uint64) geometry {
	c := length / ChunkSize
	if length%ChunkSize != 0 || c == 0 {
		c++
	}
	return geometry{length: length, chunks: c}
}

// ChunkCount returns the number of chunks (leaves) of a string of length
// bytes: ceil(length/1024), but 1 for the empty string, whose only chunk is
// empty.
func ChunkCount(length uint64) uint64 { return newGeometry(length).chunks }

// bytes returns how many bytes the chunks [lo, hi) cover.
func (g geometry) bytes(lo, hi uint64) uint64 {
	end := g.length
	if hi < g.chunks {
		end = hi * ChunkSize
	}
	return end - lo*ChunkSize
}

// chunkLen returns the length of chunk i.
func (g geometry) chunkLen(i uint64) int { return int(g.bytes(i, i+1)) }

// isRoot tells whether [lo, hi) is the whole tree.
func (g geometry) isRoot(lo, hi uint64) bool { return lo == 0 && hi == g.chunks }

// split returns the first chunk of the right child of the inner vertex over
// [lo, hi): the left child holds the largest power of two strictly below
// hi-lo chunks.
func split(lo, hi uint64) uint64 { return lo + leftSize(hi-lo) }

// leftSize returns the largest power of two strictly less than c (c >= 2).
func leftSize(c uint64) uint64 { return 1 << (bits.Len64(c-1) - 1) }

// layer returns the length of the path from the vertex over [lo, hi) to its
// leftmost leaf.
func layer(lo, hi uint64) int {
	if hi-lo <= 1 {
		return 0
	}
	return bits.Len64(hi - lo - 1) // log2(leftSize)+1
}

// overlaps tells whether [a, b) and [c, d) intersect.
func overlaps(a, b, c, d uint64) bool { return a < d && c < b }

// A Slice is a non-empty range of consecutive chunks of a string: Count
// chunks starting at chunk Start.
type Slice struct {
	Start, Count uint64
}

// FullSlice returns the slice of all chunks of a string of length bytes.
func FullSlice(length uint64) Slice { return Slice{0, ChunkCount(length)} }

// end returns the exclusive end chunk.
func (s Slice) end() uint64 { return s.Start + s.Count }

// Bytes returns how many bytes of a string of length bytes the chunks of s
// cover: Count chunks of ChunkSize, the last one cut at length, and 0 for a
// slice that starts at or past the end.
func (s Slice) Bytes(length uint64) uint64 {
	start := s.Start * ChunkSize
	end := min(s.end()*ChunkSize, length)
	if end < start {
		return 0
	}
	return end - start
}

// check validates s for g.
func (s Slice) check(g geometry) error {
	if s.Count == 0 || s.Start >= g.chunks || s.Count > g.chunks-s.Start {
		return wrap.Detail(ErrInvalidSlice, "chunks ["+wrap.Num(s.Start)+", +"+wrap.Num(s.Count)+") of a string with "+wrap.Num(g.chunks)+" chunks")
	}
	return nil
}
