package store

import (
	"encoding/binary"
	"io"
	"sort"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
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
	// The last clean block read, shared with the kv store (never written):
	// streaming a payload out reads each block once, not once per chunk.
	cleanIdx uint64
	clean    []byte
	hasClean bool
}

func newPayloadBackend(s kv.Store, prefix []byte, size int64) *payloadBackend {
	return &payloadBackend{store: s, prefix: prefix, size: size, dirty: map[uint64][]byte{}}
}

func (b *payloadBackend) blockKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64(append([]byte(nil), b.prefix...), i)
}

// Size implements bab.Backend.
func (b *payloadBackend) Size() (int64, error) { return b.size, nil }

// blockLen is the length of block i (the last one may be short).
func (b *payloadBackend) blockLen(i uint64) int {
	return int(min(int64(blockSize), b.size-int64(i)*blockSize))
}

// readBlock returns block i for reading, without copying; nil means a block
// that was never written (all zeros).
func (b *payloadBackend) readBlock(i uint64) ([]byte, error) {
	if blk, ok := b.dirty[i]; ok {
		return blk, nil
	}
	if b.hasClean && b.cleanIdx == i {
		return b.clean, nil
	}
	v, ok, err := b.store.Get(b.blockKey(i))
	if err != nil {
		return nil, wrap.Prefix("store: read payload block "+wrap.Num(i), err)
	}
	if ok && len(v) != b.blockLen(i) {
		return nil, wrap.Prefix("store: payload block "+wrap.Num(i)+" has "+wrap.Num(len(v))+" bytes, want "+wrap.Num(b.blockLen(i)), ErrCorrupt)
	}
	if !ok {
		v = nil
	}
	b.cleanIdx, b.clean, b.hasClean = i, v, true
	return v, nil
}

// writableBlock returns a private copy of block i, cached as dirty.
func (b *payloadBackend) writableBlock(i uint64) ([]byte, error) {
	if blk, ok := b.dirty[i]; ok {
		return blk, nil
	}
	v, err := b.readBlock(i)
	if err != nil {
		return nil, err
	}
	blk := make([]byte, b.blockLen(i))
	copy(blk, v)
	b.dirty[i] = blk
	if b.hasClean && b.cleanIdx == i {
		b.hasClean, b.clean = false, nil
	}
	return blk, nil
}

// ReadAt implements bab.Backend.
func (b *payloadBackend) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > b.size {
		return 0, wrap.New("store: payload read at " + wrap.Num(off) + " of " + wrap.Num(b.size) + " bytes")
	}
	n := 0
	for n < len(p) && off < b.size {
		i := uint64(off / blockSize)
		blk, err := b.readBlock(i)
		if err != nil {
			return n, err
		}
		in := int(off - int64(i)*blockSize)
		c := min(len(p)-n, b.blockLen(i)-in)
		if blk == nil {
			clear(p[n : n+c])
		} else {
			copy(p[n:n+c], blk[in:])
		}
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
		return 0, wrap.New("store: payload write of " + wrap.Num(len(p)) + " bytes at " + wrap.Num(off) + " of " + wrap.Num(b.size))
	}
	n := 0
	for n < len(p) {
		i := uint64(off / blockSize)
		blk, err := b.writableBlock(i)
		if err != nil {
			return n, err
		}
		c := copy(blk[off-int64(i)*blockSize:], p[n:])
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
		batch.PutOwned(b.blockKey(i), b.dirty[i]) // the dirty map is cleared below
	}
	if err := b.store.Apply(&batch); err != nil {
		return wrap.Prefix("store: write payload blocks", err)
	}
	clear(b.dirty)
	return nil
}
