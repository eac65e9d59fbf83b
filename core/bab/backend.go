package bab

import (
	"io"

	"github.com/willow-web/willow-web/internal/wrap"
)

// A Backend is the byte-addressed medium a [Storage] keeps one payload in:
// its chunks, its tree labels and its bookkeeping, all at fixed offsets (see
// [LayoutSize]). A fresh Backend must read as zeros. Implementations may be
// slow or remote (an IndexedDB one is planned); every method returns errors
// and the Storage makes no assumption about caching.
type Backend interface {
	// Size returns the capacity of the backend in bytes.
	Size() (int64, error)
	// ReadAt reads len(p) bytes at offset off, as [io.ReaderAt].
	ReadAt(p []byte, off int64) (int, error)
	// WriteAt writes p at offset off, as [io.WriterAt].
	WriteAt(p []byte, off int64) (int, error)
}

// A MemoryBackend is a Backend in a byte slice of fixed capacity.
type MemoryBackend struct {
	b []byte
}

// NewMemoryBackend returns a zero-filled MemoryBackend of size bytes.
func NewMemoryBackend(size int64) (*MemoryBackend, error) {
	if size < 0 || int64(int(size)) != size {
		return nil, wrap.Detail(ErrCapacity, "memory backend of "+wrap.Num(size)+" bytes")
	}
	return &MemoryBackend{b: make([]byte, size)}, nil
}

// Size implements Backend.
func (m *MemoryBackend) Size() (int64, error) { return int64(len(m.b)), nil }

// ReadAt implements Backend.
func (m *MemoryBackend) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(m.b)) {
		return 0, wrap.New("bab: memory backend: read at offset " + wrap.Num(off) + " of " + wrap.Num(len(m.b)))
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// WriteAt implements Backend.
func (m *MemoryBackend) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off > int64(len(m.b)) || int64(len(p)) > int64(len(m.b))-off {
		return 0, wrap.Detail(ErrCapacity, "write of "+wrap.Num(len(p))+" bytes at offset "+wrap.Num(off)+" of "+wrap.Num(len(m.b)))
	}
	return copy(m.b[off:], p), nil
}
