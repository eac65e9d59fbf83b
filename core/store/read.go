package store

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/internal/wrap"
)

// Stored is an entry as the store holds it, with its encoded authorisation
// token.
type Stored struct {
	Entry entry.Entry
	Token []byte
}

// Get returns the entry at (namespace, subspace, path), and false if there is
// none.
func (s *Store) Get(ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) (Stored, bool, error) {
	return get(s.backend, ns, ss, p)
}

// Get is Store.Get seeing this transaction's staged writes.
func (t *Txn) Get(ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) (Stored, bool, error) {
	return get(t.ov, ns, ss, p)
}

func get(r kv.Store, ns ids.NamespaceID, ss ids.SubspaceID, p path.Path) (Stored, bool, error) {
	k := entryKey(ns, ss, p)
	v, ok, err := r.Get(k)
	if err != nil {
		return Stored{}, false, wrap.Prefix("store: get "+p.String(), err)
	}
	if !ok {
		return Stored{}, false, nil
	}
	e, token, err := parseRecord(k, v)
	if err != nil {
		return Stored{}, false, err
	}
	return Stored{Entry: e, Token: append([]byte(nil), token...)}, true, nil
}
