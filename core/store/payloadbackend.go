package store

import (
	"encoding/binary"
	"fmt"
	"io"
	"sort"

	"github.com/willow-web/willow-web/core/kv"
)

// blockSize is the size of the kv values a payload's bab layout is cut into:
// large enough that a multi-megabyte payload is a few hundred values, small
// enough that a read-modify-write of a label or bitmap bit stays cheap.
const blockSize = 64 << 10

// maxDirtyBlocks bounds the write-back cache of a payloadBackend (4 MiB).
const maxDirtyBlocks = 64

// payloadBackend is a bab.Backend over kv: block i of the layout is the value
// of prefix ‖ i (8 bytes, big-endian); missing blocks read as zeros. Writes
// are cached per block and written as one batch per Flush (or when the cache
// is full), so streaming a payload costs one backend batch per few MiB.
type payloadBackend struct {
	store  kv.Store
	prefix []byte
	size   int64
	dirty  map[uint64][]byte
}

func newPayloadBackend(s kv.Store, prefix []byte, size int64) *payloadBackend {
	return &payloadBackend{store: s, prefix: prefix, size: size, dirty: map[uint64][]byte{}}
}

func (b *payloadBackend) blockKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), b.prefix...), i)
}

// Size implements bab.Backend.
func (b *payloadBackend) Size() (int64, error) { return b.size, nil }

// block returns block i (from the cache or the store), always blockSize long
// except possibly the last.
func (b *payloadBackend) block(i uint64) ([]byte, error) {
	if blk, ok := b.dirty[i]; ok {
		return blk, nil
	}
	n := min(int64(blockSize), b.size-int64(i)*blockSize)
	v, ok, err := b.store.Get(b.blockKey(i))
	if err != nil {
		return nil, fmt.Errorf("store: read payload block %d: %w", i, err)
	}
	blk := make([]byte, n)
	if ok {
		if int64(len(v)) != n {
			return nil, fmt.Errorf("store: payload block %d has %d bytes, want %d: %w", i, len(v), n, ErrCorrupt)
		}
		copy(blk, v)
	}
	return blk, nil
}

// ReadAt implements bab.Backend.
func (b *payloadBackend) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > b.size {
		return 0, fmt.Errorf("store: payload read at %d of %d bytes", off, b.size)
	}
	n := 0
	for n < len(p) && off < b.size {
		i := uint64(off / blockSize)
		blk, err := b.block(i)
		if err != nil {
			return n, err
		}
		c := copy(p[n:], blk[off-int64(i)*blockSize:])
		n += c
		off += int64(c)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// WriteAt implements bab.Backend.
func (b *payloadBackend) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || int64(len(p)) > b.size-off {
		return 0, fmt.Errorf("store: payload write of %d bytes at %d of %d", len(p), off, b.size)
	}
	n := 0
	for n < len(p) {
		i := uint64(off / blockSize)
		blk, err := b.block(i)
		if err != nil {
			return n, err
		}
		c := copy(blk[off-int64(i)*blockSize:], p[n:])
		b.dirty[i] = blk
		n += c
		off += int64(c)
	}
	if len(b.dirty) > maxDirtyBlocks {
		return n, b.Flush()
	}
	return n, nil
}

// Flush writes the cached blocks in one batch.
func (b *payloadBackend) Flush() error {
	if len(b.dirty) == 0 {
		return nil
	}
	idx := make([]uint64, 0, len(b.dirty))
	for i := range b.dirty {
		idx = append(idx, i)
	}
	sort.Slice(idx, func(x, y int) bool { return idx[x] < idx[y] })
	var batch kv.Batch
	for _, i := range idx {
		batch.Put(b.blockKey(i), b.dirty[i])
	}
	if err := b.store.Apply(&batch); err != nil {
		return fmt.Errorf("store: write payload blocks: %w", err)
	}
	clear(b.dirty)
	return nil
}
