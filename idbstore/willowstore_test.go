//go:build js && wasm

package idbstore

import (
	"bytes"
	"crypto/rand"
	"fmt"
	mrand "math/rand/v2"
	"testing"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/meadowcap"
	"github.com/willow-web/willow-web/core/path"
	"github.com/willow-web/willow-web/core/store"
)

// author is one writer of a communal namespace.
type author struct {
	c      meadowcap.Capability
	secret ids.SecretKey
}

// authored is an entry with its payload, authorised.
type authored struct {
	ae      meadowcap.AuthorisedEntry
	payload []byte
}

// authorEntries makes n authorised entries by three authors of one communal
// namespace, on a small tree of paths so that later entries prune earlier
// ones, a third of them with a payload.
func authorEntries(t *testing.T, n int) (ids.NamespaceID, []authored) {
	ns, _, err := ids.GenerateCommunalNamespace(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var authors []author
	for i := 0; i < 3; i++ {
		ss, secret, err := ids.GenerateSubspace(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		c, err := meadowcap.NewCommunal(meadowcap.Write, ns, ss)
		if err != nil {
			t.Fatal(err)
		}
		authors = append(authors, author{c, secret})
	}
	rng := mrand.New(mrand.NewPCG(3, 4))
	var out []authored
	for i := 0; i < n; i++ {
		a := authors[rng.IntN(len(authors))]
		comps := []string{"blog", "notes", "photos"}[rng.IntN(3):][:1]
		for d := rng.IntN(3); d > 0; d-- {
			comps = append(comps, fmt.Sprint(rng.IntN(12)))
		}
		var payload []byte
		if rng.IntN(3) == 0 {
			payload = bytes.Repeat([]byte{byte(i)}, 1+rng.IntN(3000))
		}
		e := entry.Entry{NamespaceID: ns, SubspaceID: a.c.Receiver(), Path: path.MustFromStrings(comps...),
			Timestamp: entry.Timestamp(1000 + i), PayloadLength: uint64(len(payload)), PayloadDigest: ids.PayloadDigest(bab.Sum(payload))}
		token, err := meadowcap.Authorise(e, a.c, a.secret)
		if err != nil {
			t.Fatal(err)
		}
		ae, err := meadowcap.NewAuthorisedEntry(e, token)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, authored{ae, payload})
	}
	return ns, out
}

// ingest ingests the entries in transactions of up to 40 entries each, with
// their payloads.
func ingest(t *testing.T, s *store.Store, es []authored) {
	t.Helper()
	for len(es) > 0 {
		n := min(len(es), 1+len(es)%40)
		txn := s.Begin()
		for _, a := range es[:n] {
			res, err := txn.Ingest(a.ae)
			if err != nil {
				t.Fatal(err)
			}
			if res.Outcome == store.Inserted && len(a.payload) > 0 {
				if err := txn.WritePayload(a.ae.Entry(), bytes.NewReader(a.payload)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := txn.Commit(); err != nil {
			t.Fatal(err)
		}
		es = es[n:]
	}
}

func pairs(t *testing.T, s kv.Store) []kv.Pair {
	t.Helper()
	out, err := kv.Collect(s, kv.Range{})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestWillowStoreOnIndexedDB runs the Willow store over idbstore: a few
// hundred authored entries with payloads, ingested, then read back after
// the database was closed and reopened, identical to the same ingest on
// kv.Memory down to the last key-value pair.
func TestWillowStoreOnIndexedDB(t *testing.T) {
	ns, es := authorEntries(t, 300)
	mem := kv.NewMemory(0)
	ref, err := store.Open(mem)
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, ref, es)

	name := storeName(t)
	t.Cleanup(func() { Delete(name) })
	idb, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(idb)
	if err != nil {
		t.Fatal(err)
	}
	ingest(t, s, es)
	if err := idb.Close(); err != nil {
		t.Fatal(err)
	}

	idb, err = Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer idb.Close()
	s, err = store.Open(idb)
	if err != nil {
		t.Fatal(err)
	}
	// The backends hold the same bytes.
	got, want := pairs(t, idb), pairs(t, mem)
	if len(got) != len(want) {
		t.Fatalf("IndexedDB holds %d pairs, memory %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
			t.Fatalf("pair %d: IndexedDB %x=%x, memory %x=%x", i, got[i].Key, got[i].Value, want[i].Key, want[i].Value)
		}
	}
	// And the store reads the same entries, tokens and payloads back.
	for _, order := range []store.Order{store.ByPath, store.NewestFirst} {
		q := store.Query{Namespace: ns, Order: order}
		gotEs, err := s.Entries(q)
		if err != nil {
			t.Fatal(err)
		}
		wantEs, err := ref.Entries(q)
		if err != nil {
			t.Fatal(err)
		}
		if len(gotEs) != len(wantEs) || len(gotEs) < 20 {
			t.Fatalf("order %d: %d entries from IndexedDB, %d from memory", order, len(gotEs), len(wantEs))
		}
		for i := range gotEs {
			if !gotEs[i].Entry.Equal(wantEs[i].Entry) || !bytes.Equal(gotEs[i].Token, wantEs[i].Token) {
				t.Fatalf("order %d entry %d: %v vs %v", order, i, gotEs[i].Entry.Path, wantEs[i].Entry.Path)
			}
		}
	}
	payloads := 0
	for _, a := range es {
		e := a.ae.Entry()
		st, ok, err := s.Get(e.NamespaceID, e.SubspaceID, e.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !ok || !st.Entry.Equal(e) {
			continue // pruned or overwritten
		}
		if err := meadowcap.CheckAuthorisedWrite(st.Entry, mustAuthorised(t, st).Token()); err != nil {
			t.Fatalf("stored entry %v no longer verifies: %v", e.Path, err)
		}
		if len(a.payload) == 0 {
			continue
		}
		var buf bytes.Buffer
		if err := s.ReadPayload(e, 0, e.PayloadLength, &buf); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), a.payload) {
			t.Fatalf("payload of %v differs after reopening", e.Path)
		}
		payloads++
	}
	if payloads < 10 {
		t.Fatalf("only %d payloads survived to check", payloads)
	}
}

func mustAuthorised(t *testing.T, st store.Stored) meadowcap.AuthorisedEntry {
	t.Helper()
	ae, err := st.Authorised()
	if err != nil {
		t.Fatal(err)
	}
	return ae
}
