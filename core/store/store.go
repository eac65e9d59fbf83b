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
	"fmt"

	"github.com/willow-web/willow-web/core/kv"
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
		return nil, fmt.Errorf("store: open: %w", err)
	}
	switch {
	case !ok:
		var b kv.Batch
		b.Put(schemaKey(), []byte{SchemaVersion})
		if err := backend.Apply(&b); err != nil {
			return nil, fmt.Errorf("store: open: write schema version: %w", err)
		}
	case len(v) != 1:
		return nil, fmt.Errorf("store: open: schema version record: %w", ErrCorrupt)
	case v[0] != SchemaVersion:
		return nil, fmt.Errorf("store: open: backend has schema %d, this code knows %d: %w", v[0], SchemaVersion, ErrSchema)
	}
	s := &Store{backend: backend}
	if err := s.recoverPending(); err != nil {
		return nil, fmt.Errorf("store: open: recover interrupted payload writes: %w", err)
	}
	return s, nil
}
