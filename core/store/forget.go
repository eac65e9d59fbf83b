package store

import (
	"fmt"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
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
	var b kv.Batch
	for _, st := range victims {
		e := st.Entry
		b.Delete(entryKey(e.NamespaceID, e.SubspaceID, e.Path))
		b.Delete(timeKey(e))
		t.events = append(t.events, Event{Kind: EntryForgotten, Entry: e})
	}
	if err := t.ov.Apply(&b); err != nil {
		return 0, err
	}
	removed := make([]entry.Entry, 0, len(victims))
	for _, st := range victims {
		removed = append(removed, st.Entry)
	}
	if err := t.payloadRefs(removed); err != nil {
		return 0, fmt.Errorf("store: forget: %w", err)
	}
	return len(victims), nil
}
