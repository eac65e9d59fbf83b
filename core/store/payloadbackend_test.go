package store

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
)

// TestPayloadBackendAgainstSlice checks reads and writes across block
// boundaries, flushes and reopening against a plain byte slice.
func TestPayloadBackendAgainstSlice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	store := kv.NewMemory(0)
	const size = 3*blockSize + 1234
	model := make([]byte, size)
	b := newPayloadBackend(store, []byte("p"), size)
	for step := 0; step < 2000; step++ {
		off := rng.Int64N(size)
		n := rng.Int64N(min(size-off, 3*blockSize/2) + 1)
		switch rng.IntN(10) {
		case 0:
			if err := b.Flush(); err != nil {
				t.Fatal(err)
			}
		case 1: // reopen: only flushed data survives, so flush first
			if err := b.Flush(); err != nil {
				t.Fatal(err)
			}
			b = newPayloadBackend(store, []byte("p"), size)
		case 2, 3, 4, 5:
			p := make([]byte, n)
			for i := range p {
				p[i] = byte(rng.Uint32())
			}
			if _, err := b.WriteAt(p, off); err != nil {
				t.Fatal(err)
			}
			copy(model[off:], p)
		default:
			p := make([]byte, n)
			if _, err := b.ReadAt(p, off); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p, model[off:off+n]) {
				t.Fatalf("step %d: read [%d, +%d) differs", step, off, n)
			}
		}
	}
	p := make([]byte, 10)
	if n, err := b.ReadAt(p, size-4); n != 4 || err != io.EOF {
		t.Fatalf("read past the end = %d, %v; want 4, io.EOF", n, err)
	}
	if _, err := b.WriteAt(p, size-4); err == nil {
		t.Fatal("write past the end accepted")
	}
}
