package kv

import (
	"bytes"

	"github.com/google/btree"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Memory is an in-memory Store on a B-tree. It is not safe for concurrent
// use; the store logic above it is single-threaded.
type Memory struct {
	// Items are Ops with Delete false, not Pairs: Overlay's tree holds Ops,
	// and one instantiation of the generic B-tree instead of two keeps
	// ≈ 35 KB of code out of the WebAssembly module.
	tree  *btree.BTreeG[Op]
	bytes int // key and value bytes held
	quota int // 0: unlimited
}

// NewMemory returns an empty in-memory store. quota > 0 limits the key and
// value bytes it holds: a batch that would exceed it fails with ErrQuota and
// writes nothing (for tests of quota handling).
func NewMemory(quota int) *Memory {
	return &Memory{tree: btree.NewG(32, func(a, b Op) bool { return bytes.Compare(a.Key, b.Key) < 0 }), quota: quota}
}

// Get implements Store.
func (m *Memory) Get(key []byte) ([]byte, bool, error) {
	p, ok := m.tree.Get(Op{Key: key})
	if !ok {
		return nil, false, nil
	}
	return p.Value, true, nil
}

// Scan implements Store. The returned slices share memory with the store
// and must not be modified.
func (m *Memory) Scan(r Range, reverse bool, limit int) ([]Pair, error) {
	var out []Pair
	visit := func(p Op) bool {
		out = append(out, Pair{Key: p.Key, Value: p.Value})
		return len(out) < limit
	}
	if limit <= 0 {
		return nil, nil
	}
	if !reverse {
		start := Op{Key: r.Start}
		if r.End == nil {
			m.tree.AscendGreaterOrEqual(start, visit)
		} else {
			m.tree.AscendRange(start, Op{Key: r.End}, visit)
		}
		return out, nil
	}
	// Descend from just below End down to Start inclusive.
	inRange := func(p Op) bool {
		if r.Start != nil && bytes.Compare(p.Key, r.Start) < 0 {
			return false
		}
		return visit(p)
	}
	if r.End == nil {
		m.tree.Descend(inRange)
	} else {
		m.tree.DescendLessOrEqual(Op{Key: r.End}, func(p Op) bool {
			if bytes.Equal(p.Key, r.End) {
				return true // End is exclusive
			}
			return inRange(p)
		})
	}
	return out, nil
}

// Apply implements Store: all operations or, on quota exhaustion, none.
func (m *Memory) Apply(b *Batch) error {
	if m.quota > 0 {
		if size := m.bytes + m.growth(b); size > m.quota {
			return wrap.Prefix("memory store: batch needs "+wrap.Num(size)+" bytes of a "+wrap.Num(m.quota)+"-byte quota", ErrQuota)
		}
	}
	// One tree search per op: Delete and ReplaceOrInsert return what they
	// replaced.
	for _, op := range b.ops {
		var old Op
		var had bool
		if op.Delete {
			old, had = m.tree.Delete(Op{Key: op.Key})
		} else {
			old, had = m.tree.ReplaceOrInsert(Op{Key: op.Key, Value: op.Value})
			m.bytes += len(op.Key) + len(op.Value)
		}
		if had {
			m.bytes -= len(old.Key) + len(old.Value)
		}
	}
	return nil
}

// Bytes is the number of key and value bytes held.
func (m *Memory) Bytes() int { return m.bytes }

// Len is the number of keys held.
func (m *Memory) Len() int { return m.tree.Len() }

// growth is the change in held bytes that applying b would cause; the last
// operation on a key decides its final state.
func (m *Memory) growth(b *Batch) int {
	last := make(map[string]Op, len(b.ops))
	for _, op := range b.ops {
		last[string(op.Key)] = op
	}
	delta := 0
	for _, op := range last {
		if old, ok := m.tree.Get(Op{Key: op.Key}); ok {
			delta -= len(old.Key) + len(old.Value)
		}
		if !op.Delete {
			delta += len(op.Key) + len(op.Value)
		}
	}
	return delta
}
