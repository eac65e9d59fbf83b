package idbstore

import (
	"bytes"

	"github.com/willow-web/willow-web/core/kv"
)

// readAhead is how many pairs a cache miss of Get fetches, starting at the
// key: the store logic's point reads (an entry's path prefixes, its payload
// reference) mostly miss, and one scan answers a whole run of them.
const readAhead = 64

// maxCacheBytes bounds the pairs a readCache holds; past it the cache starts
// over (payload blocks are 64 KiB each).
const maxCacheBytes = 16 << 20

// span is a key range [lo, hi) whose pairs the cache holds exactly as the
// backend does; hi == nil means unbounded.
type span struct{ lo, hi []byte }

// readCache remembers what reads learned about the backend while its user is
// the only writer (Store.HoldExclusive): the pairs of the spans scanned, and
// which spans those are, so that a point read inside a known span, found or
// not, costs no IndexedDB round trip. Writes through the same Store update
// it. It is not safe for concurrent use (Store guards it).
type readCache struct {
	mem   *kv.Memory
	known []span // sorted by lo, disjoint and not touching
	size  int
	gen   uint64 // counts writes, so a read racing one learns nothing
}

func newReadCache() *readCache { return &readCache{mem: kv.NewMemory(0)} }

// before reports a < b for span ends, where nil is +∞.
func hiLess(a, b []byte) bool {
	if b == nil {
		return a != nil
	}
	return a != nil && bytes.Compare(a, b) < 0
}

// covered reports whether [lo, hi) lies in one known span.
func (c *readCache) covered(lo, hi []byte) bool {
	// The last span starting at or before lo (binary search).
	i, j := 0, len(c.known)
	for i < j {
		if h := int(uint(i+j) >> 1); bytes.Compare(c.known[h].lo, lo) <= 0 {
			i = h + 1
		} else {
			j = h
		}
	}
	return i > 0 && !hiLess(c.known[i-1].hi, hi)
}

// learn records that pairs are all the backend holds in [lo, hi).
func (c *readCache) learn(lo, hi []byte, pairs []kv.Pair) {
	if lo == nil {
		lo = []byte{}
	}
	var b kv.Batch
	for _, p := range pairs {
		b.Put(p.Key, p.Value)
		c.size += len(p.Key) + len(p.Value)
	}
	if c.size > maxCacheBytes {
		*c = readCache{mem: kv.NewMemory(0), gen: c.gen}
		return
	}
	c.mem.Apply(&b) //nolint:errcheck // a Memory without quota never fails
	// Merge [lo, hi) with every span it overlaps or touches.
	merged := span{lo: append([]byte(nil), lo...), hi: append([]byte(nil), hi...)}
	if hi == nil {
		merged.hi = nil
	}
	out := c.known[:0:0]
	for _, s := range c.known {
		apart := (s.hi != nil && bytes.Compare(s.hi, merged.lo) < 0) || (merged.hi != nil && bytes.Compare(merged.hi, s.lo) < 0)
		if apart {
			out = append(out, s)
			continue
		}
		if bytes.Compare(s.lo, merged.lo) < 0 {
			merged.lo = s.lo
		}
		if hiLess(merged.hi, s.hi) {
			merged.hi = s.hi
		}
	}
	// Insert merged in order (out is sorted and small).
	i := len(out)
	out = append(out, merged)
	for ; i > 0 && bytes.Compare(out[i-1].lo, merged.lo) > 0; i-- {
		out[i] = out[i-1]
	}
	out[i] = merged
	c.known = out
}

// applied updates the cache after b was committed to the backend.
func (c *readCache) applied(b *kv.Batch) {
	c.gen++
	var mine kv.Batch
	for _, op := range b.Ops() {
		if !c.covered(op.Key, append(op.Key[:len(op.Key):len(op.Key)], 0)) {
			continue
		}
		if op.Delete {
			mine.Delete(op.Key)
		} else {
			mine.Put(op.Key, op.Value)
			c.size += len(op.Key) + len(op.Value)
		}
	}
	c.mem.Apply(&mine) //nolint:errcheck // a Memory without quota never fails
	if c.size > maxCacheBytes {
		*c = readCache{mem: kv.NewMemory(0), gen: c.gen}
	}
}

// get answers a point read if key lies in a known span.
func (c *readCache) get(key []byte) (v []byte, found, known bool) {
	if !c.covered(key, append(key[:len(key):len(key)], 0)) {
		return nil, false, false
	}
	v, found, _ = c.mem.Get(key)
	return append([]byte(nil), v...), found, true
}

// scan answers a scan if the range lies in a known span.
func (c *readCache) scan(rng kv.Range, reverse bool, limit int) ([]kv.Pair, bool) {
	lo := rng.Start
	if lo == nil {
		lo = []byte{}
	}
	if !c.covered(lo, rng.End) {
		return nil, false
	}
	pairs, _ := c.mem.Scan(rng, reverse, limit)
	return pairs, true
}

// learnScan records the result of a backend scan of rng (limit pairs asked).
func (c *readCache) learnScan(rng kv.Range, reverse bool, limit int, pairs []kv.Pair) {
	lo, hi := rng.Start, rng.End
	if len(pairs) >= limit && len(pairs) > 0 {
		last := pairs[len(pairs)-1].Key
		if reverse {
			lo = last
		} else {
			hi = append(last[:len(last):len(last)], 0)
		}
	}
	c.learn(lo, hi, pairs)
}
