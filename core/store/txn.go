package store

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Outcome says what ingesting an entry did (or, in a preview, would do).
type Outcome uint8

// The outcomes of an ingest.
const (
	// Inserted: the entry is now in the store; Pruned lists what it replaced.
	Inserted Outcome = iota + 1
	// Obsolete: a newer entry at the same or a prefix path of the same
	// subspace exists (ObsoletedBy); nothing changed.
	Obsolete
	// AlreadyPresent: an entry with the same path, timestamp, digest and
	// length is stored (ObsoletedBy holds it); nothing changed.
	AlreadyPresent
)

// String names the outcome.
func (o Outcome) String() string {
	switch o {
	case Inserted:
		return "inserted"
	case Obsolete:
		return "obsolete"
	case AlreadyPresent:
		return "already present"
	}
	return "Outcome(" + wrap.Num(uint8(o)) + ")"
}

// IngestResult reports the effect of one ingest.
type IngestResult struct {
	Outcome     Outcome
	Entry       entry.Entry   // the ingested entry
	Pruned      []entry.Entry // entries removed by prefix pruning (Inserted only)
	ObsoletedBy entry.Entry   // the stored entry that wins (Obsolete, AlreadyPresent)
}

// Txn is a set of writes staged over the store; Commit applies them as one
// atomic backend batch, Discard drops them. Reads through a Txn see its own
// writes. Events are delivered to subscribers only after a successful Commit.
type Txn struct {
	store   *Store
	ov      *kv.Overlay
	events  []Event
	pending map[string]entry.Entry // payloads whose pending marker this Txn set
	done    bool
}

// Begin starts a transaction.
func (s *Store) Begin() *Txn { return &Txn{store: s, ov: kv.NewOverlay(s.backend)} }

// Commit applies the staged writes atomically and then notifies subscribers.
// On error nothing was written.
func (t *Txn) Commit() error {
	if t.done {
		return ErrTxnDone
	}
	t.done = true
	if err := t.ov.Commit(); err != nil {
		if perr := t.store.settlePending(t.pending, false); perr != nil {
			err = wrap.New(err.Error()+" (and cleaning up payload data: "+perr.Error()+")", err)
		}
		return wrap.Prefix("store: commit", err)
	}
	if err := t.store.settlePending(t.pending, true); err != nil {
		return wrap.Prefix("store: commit: clear pending payload markers", err)
	}
	t.store.listeners.deliver(t.events)
	return nil
}

// Discard drops the staged writes and any payload data written for entries
// that only this transaction referenced. Discarding a finished Txn does
// nothing.
func (t *Txn) Discard() error {
	if t.done {
		return nil
	}
	t.done = true
	return t.store.settlePending(t.pending, false)
}

// StagedBytes is the size of the staged writes (for progress and limits).
func (t *Txn) StagedBytes() int { return t.ov.StagedBytes() }

// ingest stages e with its encoded authorisation token. The caller has
// verified the pair.
func (t *Txn) ingest(e entry.Entry, token []byte) (IngestResult, error) {
	if t.done {
		return IngestResult{}, ErrTxnDone
	}
	key := entryKey(e.NamespaceID, e.SubspaceID, e.Path)
	res, err := t.plan(e, key)
	if err != nil || res.Outcome != Inserted {
		return res, err
	}
	var b kv.Batch
	for _, old := range res.Pruned {
		b.Delete(entryKey(old.NamespaceID, old.SubspaceID, old.Path))
		b.Delete(timeKey(old))
		t.events = append(t.events, Event{Kind: EntryPruned, Entry: old, By: e})
	}
	// Fresh slices nobody else writes to: the batch may keep them.
	b.PutOwned(key, appendRecord(nil, e, token))
	b.PutOwned(timeKey(e), nil)
	if err := t.ov.Apply(&b); err != nil {
		return IngestResult{}, err
	}
	if err := t.payloadRefs(res.Pruned, e); err != nil {
		return IngestResult{}, err
	}
	t.events = append(t.events, Event{Kind: EntryInserted, Entry: e})
	return res, nil
}

// plan computes what ingesting e would do, without writing. key is e's
// entries-table key (entryKey).
func (t *Txn) plan(e entry.Entry, key []byte) (IngestResult, error) {
	res := IngestResult{Entry: e}
	// The key of each prefix of e's path is a prefix of key: ends[i] is the
	// length of the key of the prefix of i components.
	var endsBuf [16]int
	ends := append(endsBuf[:0], 65) // table byte, namespace, subspace
	for i := 0; i < e.Path.Len(); i++ {
		ends = append(ends, ends[i]+pathKeyComponentLen(e.Path.Component(i)))
	}
	// An entry at a prefix path (or the same path) that is newer, or equal,
	// wins. At most Len+1 point reads.
	for i := e.Path.Len(); i >= 0; i-- {
		k := key[:ends[i]:ends[i]]
		v, ok, err := t.ov.Get(k)
		if err != nil {
			return res, wrap.Prefix("store: read "+e.Path.Prefix(i).String(), err)
		}
		if !ok {
			continue
		}
		stored, _, err := parseRecord(k, v)
		if err != nil {
			return res, err
		}
		switch {
		case stored.IsNewerThan(e):
			res.Outcome, res.ObsoletedBy = Obsolete, stored
			return res, nil
		case i == e.Path.Len() && !e.IsNewerThan(stored):
			res.Outcome, res.ObsoletedBy = AlreadyPresent, stored
			return res, nil
		}
	}
	// Everything at e's path or below that e is newer than is pruned.
	it := kv.NewIterator(t.ov, kv.PrefixRange(key[:len(key):len(key)]), false, 0)
	for it.Next() {
		stored, _, err := parseRecord(it.Pair().Key, it.Pair().Value)
		if err != nil {
			return res, err
		}
		if e.IsNewerThan(stored) {
			res.Pruned = append(res.Pruned, stored)
		}
	}
	if err := it.Err(); err != nil {
		return res, wrap.Prefix("store: scan below "+e.Path.String(), err)
	}
	res.Outcome = Inserted
	return res, nil
}

// Preview reports what ingesting e would do now, changing nothing. It needs no
// authorisation token: it is for showing a user the effect of a write before
// it is signed.
func (t *Txn) Preview(e entry.Entry) (IngestResult, error) {
	if t.done {
		return IngestResult{}, ErrTxnDone
	}
	return t.plan(e, entryKey(e.NamespaceID, e.SubspaceID, e.Path))
}

// Preview is Txn.Preview on the committed state.
func (s *Store) Preview(e entry.Entry) (IngestResult, error) { return s.Begin().Preview(e) }
