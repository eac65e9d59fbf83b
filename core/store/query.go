package store

import (
	"bytes"
	"sort"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Order is the order in which a query returns entries.
type Order uint8

// The query orders.
const (
	// ByPath: by subspace id, then path (Willow's orders), then nothing else
	// (a subspace has at most one entry per path).
	ByPath Order = iota
	// NewestFirst: by the newer-than relation (timestamp, digest, length), newest first.
	NewestFirst
	// OldestFirst: the reverse of NewestFirst.
	OldestFirst
)

// Query selects entries of one namespace.
type Query struct {
	Namespace ids.NamespaceID
	Area      grouping.Area
	Order     Order
	// MaxCount and MaxSize make the query an AreaOfInterest: only the
	// MaxCount newest entries of the area, and only those whose payload
	// lengths, summed with those of all newer entries of the area, stay
	// within MaxSize. 0 means no limit (as does grouping.Unlimited).
	MaxCount, MaxSize uint64
}

// Entries runs the query and returns the matching entries in order.
// (Streaming callers page through Each.)
func (s *Store) Entries(q Query) ([]Stored, error) {
	var out []Stored
	err := s.Each(q, func(st Stored) bool { out = append(out, st); return true })
	return out, err
}

// Each calls visit for every entry the query selects, in order, until visit
// returns false.
func (s *Store) Each(q Query, visit func(Stored) bool) error { return each(s.backend, q, visit) }

// Each is Store.Each seeing this transaction's staged writes.
func (t *Txn) Each(q Query, visit func(Stored) bool) error { return each(t.ov, q, visit) }

func each(r kv.Store, q Query, visit func(Stored) bool) error {
	limited := (q.MaxCount != 0 && q.MaxCount != grouping.Unlimited) || (q.MaxSize != 0 && q.MaxSize != grouping.Unlimited)
	if q.Order == ByPath && !limited {
		return eachByPath(r, q, visit)
	}
	// Time-ordered or limited: walk the time index newest first, in groups of
	// equal timestamps (ties are ordered by digest and length).
	var selected []Stored
	var count, size uint64
	err := eachNewest(r, q, func(st Stored) bool {
		e := st.Entry
		if q.MaxCount != 0 && q.MaxCount != grouping.Unlimited && count >= q.MaxCount {
			return false
		}
		if q.MaxSize != 0 && q.MaxSize != grouping.Unlimited && (size+e.PayloadLength < size || size+e.PayloadLength > q.MaxSize) {
			return false
		}
		count++
		size += e.PayloadLength
		if !limited && q.Order == NewestFirst {
			return visit(st)
		}
		selected = append(selected, st)
		return true
	})
	if err != nil || (!limited && q.Order == NewestFirst) {
		return err
	}
	switch q.Order {
	case OldestFirst:
		for i, j := 0, len(selected)-1; i < j; i, j = i+1, j-1 {
			selected[i], selected[j] = selected[j], selected[i]
		}
	case ByPath:
		sort.Slice(selected, func(i, j int) bool {
			a, b := selected[i].Entry, selected[j].Entry
			if c := a.SubspaceID.Compare(b.SubspaceID); c != 0 {
				return c < 0
			}
			return a.Path.Compare(b.Path) < 0
		})
	}
	for _, st := range selected {
		if !visit(st) {
			return nil
		}
	}
	return nil
}

// eachByPath walks the entries table: one key range per subspace, so a
// subspace-specific area costs one seek plus its entries, and an area of any
// subspace one seek per subspace.
func eachByPath(r kv.Store, q Query, visit func(Stored) bool) error {
	if id, ok := q.Area.Subspace.ID(); ok {
		_, err := scanSubspace(r, q, id, visit)
		return err
	}
	// Skip-scan: find the first subspace at or after cursor, scan it, move on.
	cursor := subspacePrefix(q.Namespace, ids.SubspaceID{})
	nsEnd := kv.PrefixEnd(cursor[:33])
	for {
		first, err := r.Scan(kv.Range{Start: cursor, End: nsEnd}, false, 1)
		if err != nil {
			return wrap.Prefix("store: query", err)
		}
		if len(first) == 0 {
			return nil
		}
		if len(first[0].Key) < 65 {
			return ErrCorrupt
		}
		ss := ids.SubspaceID(first[0].Key[33:65])
		more, err := scanSubspace(r, q, ss, visit)
		if err != nil || !more {
			return err
		}
		next := kv.PrefixEnd(first[0].Key[:65])
		if next == nil || !bytes.HasPrefix(next, cursor[:33]) {
			return nil
		}
		cursor = next
	}
}

// scanSubspace visits the area's entries of one subspace in path order; it
// reports whether the caller should continue.
func scanSubspace(r kv.Store, q Query, ss ids.SubspaceID, visit func(Stored) bool) (bool, error) {
	it := kv.NewIterator(r, kv.PrefixRange(entryKey(q.Namespace, ss, q.Area.Path)), false, 0)
	for it.Next() {
		e, token, err := parseRecord(it.Pair().Key, it.Pair().Value)
		if err != nil {
			return false, err
		}
		if !q.Area.Times.Includes(e.Timestamp) {
			continue
		}
		if !visit(Stored{Entry: e, Token: append([]byte(nil), token...)}) {
			return false, nil
		}
	}
	if err := it.Err(); err != nil {
		return false, wrap.Prefix("store: query", err)
	}
	return true, nil
}

// eachNewest visits the area's entries newest first through the time index,
// restricted to the area's time range.
func eachNewest(r kv.Store, q Query, visit func(Stored) bool) error {
	prefix := append([]byte{tableByTime}, q.Namespace[:]...)
	rng := kv.Range{Start: appendTime(prefix, q.Area.Times.Start()), End: kv.PrefixEnd(prefix)}
	if end, closed := q.Area.Times.End(); closed {
		rng.End = appendTime(prefix, end)
	}
	it := kv.NewIterator(r, rng, true, 0)
	var group []Stored // entries with equal timestamps, ordered before visiting
	var groupTime entry.Timestamp
	flush := func() bool {
		sort.Slice(group, func(i, j int) bool { return newestFirst(group[i].Entry, group[j].Entry) })
		for _, st := range group {
			if !visit(st) {
				return false
			}
		}
		group = group[:0]
		return true
	}
	for it.Next() {
		k, err := parseTimeKey(it.Pair().Key)
		if err != nil {
			return err
		}
		v, ok, err := r.Get(k)
		if err != nil {
			return wrap.Prefix("store: query", err)
		}
		if !ok {
			return wrap.Prefix("store: time index points to a missing entry", ErrCorrupt)
		}
		e, token, err := parseRecord(k, v)
		if err != nil {
			return err
		}
		if !q.Area.IncludesEntry(e) {
			continue
		}
		if len(group) > 0 && e.Timestamp != groupTime && !flush() {
			return nil
		}
		groupTime = e.Timestamp
		group = append(group, Stored{Entry: e, Token: append([]byte(nil), token...)})
	}
	if err := it.Err(); err != nil {
		return wrap.Prefix("store: query", err)
	}
	flush()
	return nil
}

func appendTime(prefix []byte, t entry.Timestamp) []byte {
	out := append([]byte(nil), prefix...)
	for i := 7; i >= 0; i-- {
		out = append(out, byte(uint64(t)>>(8*i)))
	}
	return out
}

// newestFirst orders entries by the newer-than relation, newest first, and
// breaks its ties (equal timestamp, digest and length) by subspace and path so
// that every query order, and which entries an AreaOfInterest's count limit
// keeps, is deterministic.
func newestFirst(a, b entry.Entry) bool {
	if a.IsNewerThan(b) {
		return true
	}
	if b.IsNewerThan(a) {
		return false
	}
	if c := a.SubspaceID.Compare(b.SubspaceID); c != 0 {
		return c < 0
	}
	return a.Path.Compare(b.Path) < 0
}
