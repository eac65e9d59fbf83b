package store

import (
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
)

// EventKind says what happened to an entry.
type EventKind uint8

// The kinds of store events.
const (
	// EntryInserted: an entry was ingested.
	EntryInserted EventKind = iota + 1
	// EntryPruned: an entry was removed by prefix pruning (By is the newer entry).
	EntryPruned
	// EntryForgotten: an entry was removed locally by a Forget call.
	EntryForgotten
	// PayloadChanged: payload bytes of an entry were added or forgotten.
	PayloadChanged
)

// Event is one change of the store, delivered after its transaction commits.
type Event struct {
	Kind  EventKind
	Entry entry.Entry
	By    entry.Entry // the pruning entry, for EntryPruned
}

// listener is one subscription.
type listener struct {
	id        uint64
	namespace ids.NamespaceID
	area      grouping.Area
	all       bool // every namespace and area (SubscribeAll)
	fn        func(Event)
}

// listeners is the subscription registry of one store.
type listeners struct {
	next uint64
	list []listener
}

// Subscribe calls fn, synchronously after each commit, for every event whose
// entry lies in area of namespace. The returned function cancels the
// subscription.
func (s *Store) Subscribe(namespace ids.NamespaceID, area grouping.Area, fn func(Event)) (cancel func()) {
	return s.listeners.add(listener{namespace: namespace, area: area, fn: fn})
}

// SubscribeAll calls fn, synchronously after each commit, for every event of
// every namespace (for relaying a store's changes elsewhere, such as other
// browser tabs). The returned function cancels the subscription.
func (s *Store) SubscribeAll(fn func(Event)) (cancel func()) {
	return s.listeners.add(listener{all: true, fn: fn})
}

func (l *listeners) add(sub listener) (cancel func()) {
	l.next++
	id := l.next
	sub.id = id
	l.list = append(l.list, sub)
	return func() {
		for i, x := range l.list {
			if x.id == id {
				l.list = append(l.list[:i:i], l.list[i+1:]...)
				return
			}
		}
	}
}

func (l *listeners) deliver(events []Event) {
	if len(l.list) == 0 {
		return
	}
	// Copy: a callback may cancel subscriptions while we iterate.
	subs := append([]listener(nil), l.list...)
	for _, ev := range events {
		for _, sub := range subs {
			if sub.all || (ev.Entry.NamespaceID == sub.namespace && sub.area.IncludesEntry(ev.Entry)) {
				sub.fn(ev)
			}
		}
	}
}
