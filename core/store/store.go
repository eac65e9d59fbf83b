// Package store implements the Willow store over an ordered key-value
// backend (package kv): ingesting authorised entries with prefix pruning,
// previews of what an insertion would do, area queries, forgetting, payloads
// and change events. The logic exists once; memory and IndexedDB are two
// kv.Store implementations under it.
//
// A store holds entries of any number of namespaces; every operation names
// the namespace it concerns, and a namespace's entries never interact with
// another's.
//
// Writes go through a Txn: a staged overlay over the backend that commits as
// one atomic batch, so a failed multi-entry ingest (a drop) leaves the store
// exactly as it was.
package store

import (
	"errors"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// SchemaVersion is the version of the key layout this package writes.
const SchemaVersion = 1

// Errors of the store. Backend errors (such as kv.ErrQuota) are wrapped and
// stay visible to errors.Is.
var (
	// ErrSchema: the backend holds data of another (newer) schema version.
	ErrSchema = errors.New("store: unsupported schema version")
	// ErrCorrupt: the backend holds bytes the store could not have written.
	ErrCorrupt = errCorrupt
	// ErrTxnDone: the transaction was already committed or discarded.
	ErrTxnDone = errors.New("store: transaction already finished")
)

// schemaKey is the meta key holding the schema version.
func schemaKey() []byte { return []byte{tableMeta, 's', 'c', 'h', 'e', 'm', 'a'} }

// Store is a Willow store over a kv.Store. It is not safe for concurrent use:
// callers serialise access (the wasm bridge runs one operation at a time).
type Store struct {
	backend   kv.Store
	listeners listeners
}

// Open opens (or initialises) a store on backend.
func Open(backend kv.Store) (*Store, error) {
	v, ok, err := backend.Get(schemaKey())
	if err != nil {
		return nil, wrap.Prefix("store: open", err)
	}
	switch {
	case !ok:
		var b kv.Batch
		b.Put(schemaKey(), []byte{SchemaVersion})
		if err := backend.Apply(&b); err != nil {
			return nil, wrap.Prefix("store: open: write schema version", err)
		}
	case len(v) != 1:
		return nil, wrap.Prefix("store: open: schema version record", ErrCorrupt)
	case v[0] != SchemaVersion:
		return nil, wrap.Prefix("store: open: backend has schema "+wrap.Num(v[0])+", this code knows "+wrap.Num(SchemaVersion), ErrSchema)
	}
	s := &Store{backend: backend}
	if err := s.recoverPending(); err != nil {
		return nil, wrap.Prefix("store: open: recover interrupted payload writes", err)
	}
	return s, nil
}
