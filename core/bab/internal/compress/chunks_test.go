package compress

import (
	"math/rand/v2"
	"testing"
)

// TestChunksMatchBlock checks Chunks (in the willowfast wasm build: the
// hand-written module) against chunksGeneric, block by block in Go, for
// batches of many sizes, counters that carry into the high word, and flags.
func TestChunksMatchBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	data := make([]byte, 70*ChunkLen+3)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for _, n := range []int{1, 2, 3, 15, 16, 17, 32, 33, 70} {
		for _, c := range []struct {
			counter, step uint64
			flags         uint32
		}{{0, 0, 0}, {5, 1, KeyedHash}, {1<<32 - 2, 1, 0}, {1<<40 + 3, 0, KeyedHash}} {
			p := ChunkParams{Counter: c.counter, Step: c.step, Flags: c.flags}
			for i := range p.Key {
				p.Key[i] = rng.Uint32()
			}
			for i := range p.IV {
				p.IV[i] = rng.Uint32()
			}
			off := rng.IntN(4) // unaligned input too
			got := make([][8]uint32, n)
			want := make([][8]uint32, n)
			Chunks(&p, data[off:], got)
			chunksGeneric(&p, data[off:], want)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("n %d, counter %d step %d flags %d, offset %d: chunk %d = %08x, want %08x", n, c.counter, c.step, c.flags, off, i, got[i], want[i])
				}
			}
		}
	}
	Chunks(&ChunkParams{}, nil, nil) // no chunks: no call, no panic
}
