package store

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/internal/wrap"
)

// ForgetArea stages the local removal of every entry of namespace in area
// (and of payloads nobody else references), and returns how many entries it
// removed. Forgetting is local: it is not a deletion other peers learn of.
func (t *Txn) ForgetArea(ns ids.NamespaceID, area grouping.Area) (int, error) {
	if t.done {
		return 0, ErrTxnDone
	}
	var victims []Stored
	if err := t.Each(Query{Namespace: ns, Area: area}, func(st Stored) bool {
		victims = append(victims, st)
		return true
	}); err != nil {
		return 0, err
	}
	for _, st := range victims {
		if err := t.remove(st.Entry, EntryForgotten); err != nil {
			return 0, err
		}
	}
	return len(victims), nil
}

// remove stages the removal of a stored entry, its index key and its payload
// reference, and records the event.
func (t *Txn) remove(e entry.Entry, kind EventKind) error {
	var b kv.Batch
	b.Delete(entryKey(e.NamespaceID, e.SubspaceID, e.Path))
	b.Delete(timeKey(e))
	if err := t.ov.Apply(&b); err != nil {
		return err
	}
	if err := t.payloadRefs([]entry.Entry{e}); err != nil {
		return wrap.Prefix("store: remove "+e.Path.String(), err)
	}
	t.events = append(t.events, Event{Kind: kind, Entry: e})
	return nil
}
