package bab

import "testing"

func TestSliceBytes(t *testing.T) {
	cases := []struct {
		s      Slice
		length uint64
		want   uint64
	}{
		{Slice{0, 1}, 0, 0},
		{Slice{0, 1}, 1, 1},
		{Slice{0, 1}, ChunkSize, ChunkSize},
		{Slice{0, 2}, ChunkSize + 1, ChunkSize + 1},
		{Slice{1, 1}, ChunkSize + 1, 1},
		{Slice{1, 3}, 3*ChunkSize + 7, 2*ChunkSize + 7},
		{Slice{2, 1}, 5 * ChunkSize, ChunkSize},
		{Slice{3, 1}, 3 * ChunkSize, 0}, // starts at the end
		{Slice{9, 2}, 3 * ChunkSize, 0}, // past the end
	}
	for _, c := range cases {
		if got := c.s.Bytes(c.length); got != c.want {
			t.Errorf("Slice%v.Bytes(%d) = %d, want %d", c.s, c.length, got, c.want)
		}
	}
	// For every valid slice it agrees with the bytes the tree says its chunks cover.
	for _, length := range []uint64{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 5*ChunkSize + 3} {
		g := newGeometry(length)
		for lo := uint64(0); lo < g.chunks; lo++ {
			for hi := lo + 1; hi <= g.chunks; hi++ {
				if got, want := (Slice{lo, hi - lo}).Bytes(length), g.bytes(lo, hi); got != want {
					t.Errorf("length %d: Slice{%d, %d}.Bytes = %d, geometry says %d", length, lo, hi-lo, got, want)
				}
			}
		}
	}
}
