//go:build js && wasm

package idbstore

import (
	"bytes"
	"sync"
	"syscall/js"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// scratchMax bounds the reusable request buffer of a Store; larger requests
// get a Uint8Array of their own.
const scratchMax = 1 << 20

// Store is a kv.Store in one IndexedDB database. It is safe for concurrent
// use by several goroutines; none of them may be a js.Func callback (see the
// package documentation).
type Store struct {
	name string
	db   js.Value
	c    *caller

	mu       sync.Mutex // guards closed and the start of operations
	closed   bool
	inflight sync.WaitGroup

	reqMu      sync.Mutex // guards scratch and req, from filling to the helper call
	scratch    js.Value   // a reusable Uint8Array for requests
	scratchLen int        // its length
	req        []byte     // the Go side of the next request

	cacheMu sync.Mutex
	cache   *readCache // while held exclusively (HoldExclusive)
	holds   int
}

// HoldExclusive tells the store that, until the matching ReleaseExclusive,
// no other connection writes to its database (willow-web's façade holds the
// store's Web Lock around every write operation). Meanwhile reads are
// cached: a point read that misses fetches the next pairs in one scan, and
// later reads inside what is known cost no IndexedDB round trip. Calls nest.
func (s *Store) HoldExclusive() {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	s.holds++
	if s.cache == nil {
		s.cache = newReadCache()
	}
}

// ReleaseExclusive ends a HoldExclusive; the last one drops the cache.
func (s *Store) ReleaseExclusive() {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.holds > 0 {
		s.holds--
	}
	if s.holds == 0 {
		s.cache = nil
	}
}

// cached returns the active cache and its write generation, answering the
// point read key if the cache knows it.
func (s *Store) cached(key []byte) (c *readCache, gen uint64, v []byte, found, known bool) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.cache == nil {
		return nil, 0, nil, false, false
	}
	v, found, known = s.cache.get(key)
	return s.cache, s.cache.gen, v, found, known
}

// learn records a backend scan in cache c unless a write came in between.
func (s *Store) learn(c *readCache, gen uint64, rng kv.Range, reverse bool, limit int, pairs []kv.Pair) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.cache == c && c.gen == gen {
		c.learnScan(rng, reverse, limit, pairs)
	}
}

var _ kv.Store = (*Store)(nil)

// Open opens the store named name, the IndexedDB database
// DatabasePrefix+name, creating it or migrating it to DatabaseVersion. Stores
// of different names are independent. It fails with an error wrapping
// errors.ErrUnsupported where there is no IndexedDB, and wrapping ErrVersion
// when newer code has upgraded the database past DatabaseVersion. If another
// connection (another tab) holds an older version open, Open waits until it
// closes.
func Open(name string) (*Store, error) {
	if err := available(); err != nil {
		return nil, wrap.Prefix("idbstore: open "+wrap.Quote(name), err)
	}
	s := &Store{name: name, c: newCaller()}
	r, err := s.c.call("open", DatabasePrefix+name, DatabaseVersion)
	if err == nil {
		err = r.err()
	}
	if err != nil {
		s.c.release()
		return nil, wrap.Prefix("idbstore: open "+wrap.Quote(name), err)
	}
	s.db = r.args[0]
	return s, nil
}

// available reports whether the helper is installed and IndexedDB exists.
func available() error {
	h, err := helper()
	if err != nil {
		return err
	}
	if !h.Call("available").Bool() {
		return wrap.Prefix("no indexedDB", errUnsupported)
	}
	return nil
}

// Name returns the name the store was opened with.
func (s *Store) Name() string { return s.name }

// begin registers an operation, or reports that the store is closed.
func (s *Store) begin(op string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return wrap.Prefix("idbstore: "+op+" on "+wrap.Quote(s.name), kv.ErrClosed)
	}
	s.inflight.Add(1)
	return nil
}

// send fills the request buffer with fill and calls the helper method with
// (db, buffer, length, extra..., callback, id); it returns the channel of
// the result. The buffer is reused: the helper copies what it keeps before
// returning.
func (s *Store) send(method string, fill func([]byte) ([]byte, error), extra ...any) (<-chan result, error) {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	req, err := fill(s.req[:0])
	if err != nil {
		return nil, err
	}
	buf := s.scratch
	if len(req) > scratchMax {
		buf = js.Global().Get("Uint8Array").New(len(req))
	} else {
		s.req = req[:0]
		if s.scratchLen < len(req) || s.scratchLen == 0 {
			size := 4096
			for size < len(req) {
				size *= 2
			}
			s.scratch, s.scratchLen = js.Global().Get("Uint8Array").New(size), size
			buf = s.scratch
		}
	}
	js.CopyBytesToJS(buf, req)
	args := append([]any{s.db, buf, len(req)}, extra...)
	return s.c.start(method, args...)
}

// do runs one helper operation to its result.
func (s *Store) do(op, method string, fill func([]byte) ([]byte, error), extra ...any) (result, error) {
	if err := s.begin(op); err != nil {
		return result{}, err
	}
	defer s.inflight.Done()
	ch, err := s.send(method, fill, extra...)
	if err != nil {
		return result{}, wrap.Prefix("idbstore: "+op+" on "+wrap.Quote(s.name), err)
	}
	r := <-ch
	if err := r.err(); err != nil {
		return result{}, wrap.Prefix("idbstore: "+op+" on "+wrap.Quote(s.name), err)
	}
	return r, nil
}

// Get implements kv.Store: one IndexedDB request (while held exclusively, a
// cached answer or a read-ahead scan).
func (s *Store) Get(key []byte) ([]byte, bool, error) {
	c, gen, v, found, known := s.cached(key)
	if known {
		return v, found, nil
	}
	if c != nil {
		rng := kv.Range{Start: key}
		pairs, err := s.scanBackend(rng, false, readAhead)
		if err != nil {
			return nil, false, err
		}
		s.learn(c, gen, rng, false, readAhead, pairs)
		if len(pairs) > 0 && bytes.Equal(pairs[0].Key, key) {
			return pairs[0].Value, true, nil
		}
		return nil, false, nil
	}
	r, err := s.do("get", "get", func(b []byte) ([]byte, error) { return append(b, key...), nil })
	if err != nil {
		return nil, false, err
	}
	if r.status == statusNotFound {
		return nil, false, nil
	}
	return r.bytes(), true, nil
}

// Scan implements kv.Store: one readonly transaction returning the page
// packed in one Uint8Array. The pairs share one buffer; callers may keep
// them.
func (s *Store) Scan(rng kv.Range, reverse bool, limit int) ([]kv.Pair, error) {
	if limit > 0 && !emptyRange(rng) {
		s.cacheMu.Lock()
		c := s.cache
		var gen uint64
		if c != nil {
			gen = c.gen
			if pairs, ok := c.scan(rng, reverse, limit); ok {
				s.cacheMu.Unlock()
				return pairs, nil
			}
		}
		s.cacheMu.Unlock()
		if c != nil {
			pairs, err := s.scanBackend(rng, reverse, limit)
			if err == nil {
				s.learn(c, gen, rng, reverse, limit, pairs)
			}
			return pairs, err
		}
	}
	return s.scanBackend(rng, reverse, limit)
}

// scanBackend is Scan without the cache.
func (s *Store) scanBackend(rng kv.Range, reverse bool, limit int) ([]kv.Pair, error) {
	if limit <= 0 || emptyRange(rng) {
		if err := s.begin("scan"); err != nil {
			return nil, err
		}
		s.inflight.Done()
		return nil, nil
	}
	if limit > 1<<31 {
		limit = 1 << 31 // IndexedDB counts are unsigned 32-bit
	}
	r, err := s.do("scan", "scan", func(b []byte) ([]byte, error) { return appendScan(b, rng, reverse), nil }, limit)
	if err != nil {
		return nil, err
	}
	pairs, err := decodePage(r.bytes())
	if err != nil {
		return nil, wrap.Prefix("idbstore: scan on "+wrap.Quote(s.name), err)
	}
	return pairs, nil
}

// Apply implements kv.Store: the whole batch is one readwrite transaction,
// issued by the helper from one encoded buffer, and Apply returns once the
// transaction's complete event fired. If the transaction aborts nothing of
// the batch is written; storage exhaustion (QuotaExceededError) gives an
// error wrapping kv.ErrQuota.
func (s *Store) Apply(b *kv.Batch) error {
	if b.Len() == 0 {
		if err := s.begin("apply"); err != nil {
			return err
		}
		s.inflight.Done()
		return nil
	}
	_, err := s.do("apply", "apply", func(dst []byte) ([]byte, error) {
		if need := batchSize(b); cap(dst) < need {
			dst = make([]byte, 0, need)
		}
		return appendBatch(dst, b)
	})
	s.cacheMu.Lock()
	if s.cache != nil {
		if err == nil {
			s.cache.applied(b)
		} else {
			s.cache = newReadCache() // the batch is not in; start over to be sure
		}
	}
	s.cacheMu.Unlock()
	return err
}

// Close waits for the operations in flight, then closes the database
// connection. Later operations fail with kv.ErrClosed; closing twice is not
// an error.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.inflight.Wait()
	err := invoke("close", s.db)
	s.c.release()
	s.db, s.scratch, s.scratchLen, s.req = js.Undefined(), js.Undefined(), 0, nil
	if err != nil {
		return wrap.Prefix("idbstore: close "+wrap.Quote(s.name), err)
	}
	return nil
}

// Delete deletes the store named name and all its data. Open connections to
// it in this or another tab are closed first (their later operations fail
// with kv.ErrClosed); deleting a store that does not exist is not an error.
func Delete(name string) error {
	if err := available(); err != nil {
		return wrap.Prefix("idbstore: delete "+wrap.Quote(name), err)
	}
	c := newCaller()
	defer c.release()
	r, err := c.call("deleteDatabase", DatabasePrefix+name)
	if err == nil {
		err = r.err()
	}
	if err != nil {
		return wrap.Prefix("idbstore: delete "+wrap.Quote(name), err)
	}
	return nil
}

// Estimate returns the origin's storage usage and quota in bytes, from
// navigator.storage.estimate (-1 for a figure the browser leaves out). Where
// that API is missing the error wraps errors.ErrUnsupported.
func Estimate() (usage, quota int64, err error) {
	c := newCaller()
	defer c.release()
	r, err := c.call("estimate")
	if err == nil {
		err = r.err()
	}
	if err != nil {
		return 0, 0, wrap.Prefix("idbstore: storage estimate", err)
	}
	return int64(r.args[0].Float()), int64(r.args[1].Float()), nil
}

// Persist asks the browser to make the origin's storage persistent
// (navigator.storage.persist), so that it is not evicted under storage
// pressure, and reports whether it is. Browsers may prompt the user or
// decide by engagement. Where the API is missing the error wraps
// errors.ErrUnsupported.
func Persist() (bool, error) {
	c := newCaller()
	defer c.release()
	r, err := c.call("persist")
	if err == nil {
		err = r.err()
	}
	if err != nil {
		return false, wrap.Prefix("idbstore: persist storage", err)
	}
	return r.args[0].Bool(), nil
}
