package kv

// DefaultPageSize is the number of pairs an Iterator fetches per Scan.
const DefaultPageSize = 256

// Iterator walks a key range page by page through Store.Scan. It sees writes
// applied between pages, never a torn pair.
type Iterator struct {
	store    Store
	rng      Range
	reverse  bool
	pageSize int
	page     []Pair
	pos      int
	done     bool
	err      error
}

// NewIterator returns an iterator over r; pageSize ≤ 0 means DefaultPageSize.
func NewIterator(s Store, r Range, reverse bool, pageSize int) *Iterator {
	if pageSize <= 0 {
		pageSize = DefaultPageSize
	}
	return &Iterator{store: s, rng: r, reverse: reverse, pageSize: pageSize, pos: -1}
}

// Next advances to the next pair and reports whether there is one.
func (it *Iterator) Next() bool {
	if it.err != nil {
		return false
	}
	it.pos++
	if it.pos < len(it.page) {
		return true
	}
	if it.done {
		return false
	}
	if n := len(it.page); n > 0 {
		last := it.page[n-1].Key
		if it.reverse {
			it.rng.End = last
		} else {
			it.rng.Start = append(append(make([]byte, 0, len(last)+1), last...), 0)
		}
	}
	page, err := it.store.Scan(it.rng, it.reverse, it.pageSize)
	if err != nil {
		it.err = err
		return false
	}
	it.page, it.pos = page, 0
	it.done = len(page) < it.pageSize
	return len(page) > 0
}

// Pair returns the current pair.
func (it *Iterator) Pair() Pair { return it.page[it.pos] }

// Err returns the error that stopped the iteration, if any.
func (it *Iterator) Err() error { return it.err }

// Collect returns every pair of the range, in ascending key order (for
// small ranges, tools and tests: it holds them all in memory).
func Collect(s Store, r Range) ([]Pair, error) {
	var out []Pair
	it := NewIterator(s, r, false, 0)
	for it.Next() {
		out = append(out, it.Pair())
	}
	return out, it.Err()
}
