// Package kv defines the ordered key-value interface the Willow store is
// written against, with atomic write batches, and an in-memory
// implementation. The IndexedDB backend (idbstore) is a second implementation
// of the same interface, so the store logic exists once.
//
// Keys and values are byte strings; keys order bytewise. Implementations
// need only three operations: Get, Scan (one page of a key range) and Apply
// (an atomic batch). Iterator builds cursor-style iteration on top of Scan.
package kv

import "errors"

// Errors every implementation reports with errors.Is-compatible wrapping.
var (
	// ErrQuota: the backend refused a batch because storage is exhausted.
	// Nothing of the batch was written.
	ErrQuota = errors.New("storage quota exceeded")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("store closed")
)

// Range is the half-open key range [Start, End); a nil End has no upper
// bound, a nil Start no lower bound.
type Range struct {
	Start, End []byte
}

// PrefixRange is the range of all keys that start with prefix.
func PrefixRange(prefix []byte) Range {
	return Range{Start: prefix, End: PrefixEnd(prefix)}
}

// PrefixEnd returns the least key greater than every key with the prefix, or
// nil if there is none (the prefix is all 0xff bytes).
func PrefixEnd(prefix []byte) []byte {
	end := append([]byte(nil), prefix...)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

// Pair is one key and its value.
type Pair struct {
	Key, Value []byte
}

// Store is an ordered key-value store.
type Store interface {
	// Get returns the value of key, and false if there is none.
	Get(key []byte) ([]byte, bool, error)
	// Scan returns up to limit pairs of the range, in ascending key order,
	// or descending if reverse. Callers may keep the returned slices.
	Scan(r Range, reverse bool, limit int) ([]Pair, error)
	// Apply writes every operation of the batch, or none of them.
	Apply(b *Batch) error
}

// Op is one write of a Batch: a put, or a delete when Delete is set.
type Op struct {
	Key, Value []byte
	Delete     bool
}

// Batch collects writes to apply atomically. Later operations on the same key
// win. The zero value is an empty batch.
type Batch struct {
	ops []Op
}

// Put schedules key = value. The batch keeps its own copies.
func (b *Batch) Put(key, value []byte) {
	b.ops = append(b.ops, Op{Key: clone(key), Value: clone(value)})
}

// PutOwned schedules key = value without copying: the batch takes ownership
// of both slices, and the caller must not modify them afterwards. It saves a
// copy of large values (payload blocks).
func (b *Batch) PutOwned(key, value []byte) {
	if value == nil {
		value = []byte{}
	}
	b.ops = append(b.ops, Op{Key: key, Value: value})
}

// Delete schedules the removal of key.
func (b *Batch) Delete(key []byte) {
	b.ops = append(b.ops, Op{Key: clone(key), Delete: true})
}

// Ops returns the scheduled operations in order (for implementations).
func (b *Batch) Ops() []Op { return b.ops }

// Len is the number of scheduled operations.
func (b *Batch) Len() int { return len(b.ops) }

// Size is the number of key and value bytes the batch writes.
func (b *Batch) Size() int {
	n := 0
	for _, op := range b.ops {
		n += len(op.Key) + len(op.Value)
	}
	return n
}

// Reset empties the batch for reuse.
func (b *Batch) Reset() { b.ops = b.ops[:0] }

func clone(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return append(make([]byte, 0, len(b)), b...)
}
