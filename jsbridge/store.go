package jsbridge

import (
	"strconv"
	"sync"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/store"
)

// storeHandle is one open store. Its mutex serialises operations: the core
// store is not safe for concurrent use, and store ops run in goroutines that
// may block on the backend.
type storeHandle struct {
	mu    sync.Mutex
	s     *store.Store
	subs  map[uint64]*subscription
	close func() error // closes the backend; nil for memory
	excl  exclusive    // the backend, if it can cache reads during writes
}

// exclusive is a backend that may cache reads while its caller is the only
// writer to the database (idbstore.Store): the façade holds the store's Web
// Lock around every write op, so the write ops hold the backend exclusively.
type exclusive interface {
	HoldExclusive()
	ReleaseExclusive()
}

// holdExclusive starts a write op's exclusive hold on the backend; call the
// returned function when the op ends.
func (sh *storeHandle) holdExclusive() func() {
	if sh.excl == nil {
		return func() {}
	}
	sh.excl.HoldExclusive()
	return sh.excl.ReleaseExclusive
}

// subscription buffers the events of one subscription until the op that
// caused them ends, so JavaScript gets one call per op, not one per event.
type subscription struct {
	cancel  func()
	pending Writer
	count   int
}

// querySession is the snapshot of one query, served page by page.
type querySession struct {
	results []store.Stored
	pos     int
}

// Backend kinds of OpStoreOpen.
const (
	backendMemory    = 0
	backendIndexedDB = 1
)

// More store ops.
const (
	// OpStoreDeleteIndexedDB deletes an IndexedDB store by name.
	OpStoreDeleteIndexedDB = 0x97
	// OpStoreForgetEntry forgets the one entry at (namespace, subspace, path).
	OpStoreForgetEntry = 0x98
	// OpStoreWatch subscribes to every event of a store, of every namespace
	// (the façade relays them to other tabs).
	OpStoreWatch = 0x9a
)

// IndexedDB opens and deletes kv stores in IndexedDB; the host provides it
// where IndexedDB exists (package idbstore).
type IndexedDB interface {
	Open(name string) (KVCloser, error)
	Delete(name string) error
}

// KVCloser is a kv.Store that must be closed.
type KVCloser interface {
	kv.Store
	Close() error
}

// Query orders on the wire.
const (
	orderByPath      = 0
	orderNewestFirst = 1
	orderOldestFirst = 2
)

func (b *Bridge) storeFor(r *Reader) (*storeHandle, uint64) {
	h := r.Uvarint("store")
	if r.Err() != nil {
		return nil, 0
	}
	b.mu.Lock()
	s := b.stores[h]
	b.mu.Unlock()
	if s == nil {
		r.FailWith(CodeNoSuchHandle, "store "+strconv.FormatUint(uint64(h), 10)+" is closed")
	}
	return s, h
}

// storeOp runs a store op. It holds the store's lock for the whole op and
// flushes subscription events after it.
func (b *Bridge) storeOp(op byte, r *Reader, w *Writer) error {
	switch op {
	case OpStoreOpen:
		kind := r.U8("backend kind")
		var name string
		if kind == backendIndexedDB {
			name = r.String("name")
		}
		if err := r.Done(); err != nil {
			return err
		}
		var backend kv.Store
		var closer func() error
		var excl exclusive
		switch kind {
		case backendMemory:
			backend = kv.NewMemory(0)
		case backendIndexedDB:
			if b.IndexedDB == nil {
				return errorf(CodeUnsupported, "IndexedDB stores exist only in the WebAssembly module")
			}
			idb, err := b.IndexedDB.Open(name)
			if err != nil {
				return err
			}
			backend, closer = idb, idb.Close
			excl, _ = idb.(exclusive)
		default:
			return errorf(CodeInvalidArgument, "unknown backend kind "+strconv.Itoa(int(kind)))
		}
		s, err := store.Open(backend)
		if err != nil {
			if closer != nil {
				closer() //nolint:errcheck // the open error matters more
			}
			return err
		}
		b.mu.Lock()
		h := b.handle()
		b.stores[h] = &storeHandle{s: s, subs: map[uint64]*subscription{}, close: closer, excl: excl}
		b.mu.Unlock()
		w.Uvarint(h)
		return nil
	case OpStoreDeleteIndexedDB:
		name := r.String("name")
		if err := r.Done(); err != nil {
			return err
		}
		if b.IndexedDB == nil {
			return errorf(CodeUnsupported, "IndexedDB stores exist only in the WebAssembly module")
		}
		return b.IndexedDB.Delete(name)
	case OpStoreQueryNext, OpStoreQueryClose:
		q := r.Uvarint("query")
		max := r.Uvarint("page size")
		if err := r.Done(); err != nil {
			return err
		}
		b.mu.Lock()
		sess := b.queries[q]
		if op == OpStoreQueryClose || sess == nil {
			delete(b.queries, q)
		}
		b.mu.Unlock()
		if op == OpStoreQueryClose {
			return nil
		}
		if sess == nil {
			return errorf(CodeNoSuchHandle, "query "+strconv.FormatUint(q, 10)+" is closed")
		}
		if b.writePage(w, sess, int(max)) {
			b.mu.Lock()
			delete(b.queries, q)
			b.mu.Unlock()
		}
		return nil
	}
	sh, h := b.storeFor(r)
	if r.Err() != nil {
		return r.Err()
	}
	sh.mu.Lock()
	defer func() {
		b.flush(sh)
		sh.mu.Unlock()
	}()
	switch op {
	case OpStoreClose:
		if err := r.Done(); err != nil {
			return err
		}
		for _, sub := range sh.subs {
			sub.cancel()
		}
		b.mu.Lock()
		delete(b.stores, h)
		b.mu.Unlock()
		if sh.close != nil {
			return sh.close()
		}
		return nil
	case OpStorePreview:
		e := r.Entry("entry")
		if err := r.Done(); err != nil {
			return err
		}
		res, err := sh.s.Preview(e)
		if err != nil {
			return err
		}
		writeIngestResult(w, res)
		return nil
	case OpStoreGet:
		ns := ids.NamespaceID(r.Array32("namespace id"))
		ss := ids.SubspaceID(r.Array32("subspace id"))
		p := r.Path("path")
		if err := r.Done(); err != nil {
			return err
		}
		st, ok, err := sh.s.Get(ns, ss, p)
		if err != nil {
			return err
		}
		w.Bool(ok)
		if ok {
			w.Entry(st.Entry)
			w.Bytes(st.Token)
		}
		return nil
	case OpStoreQuery:
		q := store.Query{Namespace: ids.NamespaceID(r.Array32("namespace id"))}
		aoi := r.AreaOfInterest("area")
		order := r.U8("order")
		page := r.Uvarint("page size")
		if err := r.Done(); err != nil {
			return err
		}
		q.Area, q.MaxCount, q.MaxSize = aoi.Area, aoi.MaxCount, aoi.MaxSize
		switch order {
		case orderByPath:
			q.Order = store.ByPath
		case orderNewestFirst:
			q.Order = store.NewestFirst
		case orderOldestFirst:
			q.Order = store.OldestFirst
		default:
			return errorf(CodeInvalidArgument, "unknown query order "+strconv.Itoa(int(order)))
		}
		results, err := sh.s.Entries(q)
		if err != nil {
			return err
		}
		sess := &querySession{results: results}
		b.mu.Lock()
		qh := b.handle()
		b.mu.Unlock()
		w.Uvarint(qh)
		if !b.writePage(w, sess, int(page)) {
			b.mu.Lock()
			b.queries[qh] = sess
			b.mu.Unlock()
		}
		return nil
	case OpStoreForget:
		ns := ids.NamespaceID(r.Array32("namespace id"))
		area := r.Area("area")
		if err := r.Done(); err != nil {
			return err
		}
		defer sh.holdExclusive()()
		txn := sh.s.Begin()
		defer txn.Discard()
		n, err := txn.ForgetArea(ns, area)
		if err != nil {
			return err
		}
		if err := txn.Commit(); err != nil {
			return err
		}
		w.Uvarint(uint64(n))
		return nil
	case OpStoreForgetEntry:
		ns := ids.NamespaceID(r.Array32("namespace id"))
		ss := ids.SubspaceID(r.Array32("subspace id"))
		p := r.Path("path")
		if err := r.Done(); err != nil {
			return err
		}
		defer sh.holdExclusive()()
		txn := sh.s.Begin()
		defer txn.Discard() //nolint:errcheck // a failed forget keeps nothing
		ok, err := txn.ForgetEntry(ns, ss, p)
		if err != nil {
			return err
		}
		if err := txn.Commit(); err != nil {
			return err
		}
		w.Bool(ok)
		return nil
	case OpStoreSubscribe:
		ns := ids.NamespaceID(r.Array32("namespace id"))
		area := r.Area("area")
		if err := r.Done(); err != nil {
			return err
		}
		sub := &subscription{}
		sub.cancel = sh.s.Subscribe(ns, area, func(ev store.Event) { sub.add(ev) })
		b.mu.Lock()
		id := b.handle()
		b.mu.Unlock()
		sh.subs[id] = sub
		w.Uvarint(id)
		return nil
	case OpStoreWatch:
		if err := r.Done(); err != nil {
			return err
		}
		sub := &subscription{}
		sub.cancel = sh.s.SubscribeAll(sub.add)
		b.mu.Lock()
		id := b.handle()
		b.mu.Unlock()
		sh.subs[id] = sub
		w.Uvarint(id)
		return nil
	case OpStoreUnsubscribe:
		id := r.Uvarint("subscription")
		if err := r.Done(); err != nil {
			return err
		}
		if sub := sh.subs[id]; sub != nil {
			sub.cancel()
			delete(sh.subs, id)
		}
		return nil
	case OpStoreIngest:
		defer sh.holdExclusive()()
		return b.ingest(sh, r, w, nil)
	case OpStoreIngestConfirmed:
		eq := readConfirmed(r)
		if r.Err() != nil {
			return r.Err()
		}
		defer sh.holdExclusive()()
		return b.ingest(sh, r, w, eq)
	case OpStoreResolve:
		return opStoreResolve(sh.s, r, w)
	case OpStoreWritePayload, OpStoreReadPayload, OpStorePayloadInfo, OpCreateDrop, OpIngestDropBegin:
		return b.payloadOrDropOp(op, sh, r, w)
	}
	return errorf(CodeUnknownOp, "unknown op "+strconv.Itoa(int(op)))
}

// writePage writes up to max results (max 0 means 256) of the session:
// uvarint count ‖ count × (entry ‖ bytes token) ‖ u8 more. It reports whether
// the session is exhausted.
func (b *Bridge) writePage(w *Writer, s *querySession, max int) bool {
	if max <= 0 {
		max = 256
	}
	n := min(max, len(s.results)-s.pos)
	w.Uvarint(uint64(n))
	for _, st := range s.results[s.pos : s.pos+n] {
		w.Entry(st.Entry)
		w.Bytes(st.Token)
	}
	s.pos += n
	done := s.pos == len(s.results)
	w.Bool(!done)
	return done
}

// Ingest results on the wire: u8 outcome (1 inserted, 2 obsolete, 3 already
// present) ‖ entry ‖ inserted: uvarint n ‖ n × pruned entry; otherwise: the
// entry that wins.
func writeIngestResult(w *Writer, res store.IngestResult) {
	w.U8(byte(res.Outcome))
	w.Entry(res.Entry)
	if res.Outcome == store.Inserted {
		w.Uvarint(uint64(len(res.Pruned)))
		for _, p := range res.Pruned {
			w.Entry(p)
		}
		return
	}
	w.Entry(res.ObsoletedBy)
}

// Events on the wire: uvarint n ‖ n × (u8 kind ‖ entry ‖ (pruned: entry by)).
// Kinds: 1 inserted, 2 pruned, 3 forgotten, 4 payload changed.
func (s *subscription) add(ev store.Event) {
	s.count++
	s.pending.U8(byte(ev.Kind))
	s.pending.Entry(ev.Entry)
	if ev.Kind == store.EntryPruned {
		s.pending.Entry(ev.By)
	}
}

// flush hands every subscription's buffered events to Notify; sh.mu is held.
func (b *Bridge) flush(sh *storeHandle) {
	for id, sub := range sh.subs {
		if sub.count == 0 {
			continue
		}
		out := Writer{Buf: make([]byte, 0, len(sub.pending.Buf)+4)}
		out.Uvarint(uint64(sub.count))
		out.Raw(sub.pending.Buf)
		sub.pending.Buf, sub.count = sub.pending.Buf[:0], 0
		if b.Notify != nil {
			b.Notify(id, out.Buf)
		}
	}
}
