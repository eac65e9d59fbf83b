package kv

import (
	"bytes"

	"github.com/google/btree"
)

// Overlay stages writes over a base Store: reads see the staged writes, the
// base is untouched until Commit applies them all as one batch. Discarding an
// overlay is dropping it. It is how the store previews an insertion (stage,
// look, discard) and keeps a multi-entry ingest all-or-nothing.
type Overlay struct {
	base   Store
	staged *btree.BTreeG[Op]
	bytes  int
}

// NewOverlay returns an overlay with nothing staged.
func NewOverlay(base Store) *Overlay {
	return &Overlay{base: base, staged: btree.NewG(16, func(a, b Op) bool { return bytes.Compare(a.Key, b.Key) < 0 })}
}

// Get implements Store.
func (o *Overlay) Get(key []byte) ([]byte, bool, error) {
	if op, ok := o.staged.Get(Op{Key: key}); ok {
		return op.Value, !op.Delete, nil
	}
	return o.base.Get(key)
}

// Apply implements Store by staging the batch.
func (o *Overlay) Apply(b *Batch) error {
	for _, op := range b.ops {
		if old, ok := o.staged.ReplaceOrInsert(op); ok {
			o.bytes -= len(old.Key) + len(old.Value)
		}
		o.bytes += len(op.Key) + len(op.Value)
	}
	return nil
}

// StagedBytes is the number of key and value bytes staged.
func (o *Overlay) StagedBytes() int { return o.bytes }

// StagedLen is the number of keys staged (puts and deletes).
func (o *Overlay) StagedLen() int { return o.staged.Len() }

// Batch returns the staged writes as one batch, in key order.
func (o *Overlay) Batch() *Batch {
	b := &Batch{ops: make([]Op, 0, o.staged.Len())}
	o.staged.Ascend(func(op Op) bool {
		b.ops = append(b.ops, op)
		return true
	})
	return b
}

// Commit applies the staged writes to the base atomically and clears them.
func (o *Overlay) Commit() error {
	if err := o.base.Apply(o.Batch()); err != nil {
		return err
	}
	o.staged.Clear(false)
	o.bytes = 0
	return nil
}

// Scan implements Store, merging staged writes into the base's pairs.
func (o *Overlay) Scan(r Range, reverse bool, limit int) ([]Pair, error) {
	if limit <= 0 {
		return nil, nil
	}
	var staged []Op
	collect := func(op Op) bool { staged = append(staged, op); return true }
	switch {
	case !reverse && r.End == nil:
		o.staged.AscendGreaterOrEqual(Op{Key: r.Start}, collect)
	case !reverse:
		o.staged.AscendRange(Op{Key: r.Start}, Op{Key: r.End}, collect)
	default:
		o.staged.Descend(func(op Op) bool {
			if r.Start != nil && bytes.Compare(op.Key, r.Start) < 0 {
				return false
			}
			if r.End == nil || bytes.Compare(op.Key, r.End) < 0 {
				staged = append(staged, op)
			}
			return true
		})
	}
	// before reports whether key a comes before b in scan order.
	before := func(a, b []byte) bool {
		if reverse {
			return bytes.Compare(a, b) > 0
		}
		return bytes.Compare(a, b) < 0
	}
	it := NewIterator(o.base, r, reverse, limit)
	// Grown on demand: most scans of an ingest (the range below a new
	// entry's path) find nothing, and a preallocated page cost ≈ 3 KB each.
	var out []Pair
	haveBase := it.Next()
	for len(out) < limit && (haveBase || len(staged) > 0) {
		switch {
		case len(staged) > 0 && (!haveBase || !before(it.Pair().Key, staged[0].Key)):
			op := staged[0]
			staged = staged[1:]
			if haveBase && bytes.Equal(it.Pair().Key, op.Key) {
				haveBase = it.Next() // the staged write shadows the base pair
			}
			if !op.Delete {
				out = append(out, Pair{Key: op.Key, Value: op.Value})
			}
		default:
			out = append(out, it.Pair())
			haveBase = it.Next()
		}
	}
	return out, it.Err()
}
