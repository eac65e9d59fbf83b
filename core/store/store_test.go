package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/grouping"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/path"
)

// model is the reference store: a plain list with the data model's join rule.
type model struct{ entries []entry.Entry }

func (m *model) insert(e entry.Entry) Outcome {
	for _, x := range m.entries {
		if x.NamespaceID == e.NamespaceID && x.SubspaceID == e.SubspaceID && x.Path.IsPrefixOf(e.Path) {
			if x.IsNewerThan(e) {
				return Obsolete
			}
			if x.Path.Equal(e.Path) && !e.IsNewerThan(x) {
				return AlreadyPresent
			}
		}
	}
	kept := m.entries[:0]
	for _, x := range m.entries {
		if !e.Prunes(x) {
			kept = append(kept, x)
		}
	}
	m.entries = append(kept, e)
	return Inserted
}

// checkInvariant asserts the data model's store definition.
func (m *model) checkInvariant(t *testing.T) {
	t.Helper()
	for _, a := range m.entries {
		for _, b := range m.entries {
			if a.Prunes(b) {
				t.Fatalf("model violates the store invariant: %v prunes %v", a.Path, b.Path)
			}
		}
	}
}

type gen struct {
	rng *rand.Rand
	nss []ids.NamespaceID
	sss []ids.SubspaceID
}

func newGen(seed uint64) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 7))}
	for i := 0; i < 2; i++ {
		g.nss = append(g.nss, ids.NamespaceID{byte(i), 1: 0xaa})
	}
	for i := 0; i < 3; i++ {
		g.sss = append(g.sss, ids.SubspaceID{byte(10 * i), 5: 0xbb})
	}
	return g
}

func (g *gen) path() path.Path {
	comps := make([][]byte, g.rng.IntN(4))
	for i := range comps {
		comps[i] = [][]byte{{}, {'a'}, {'b'}, {'a', 'b'}, {0}}[g.rng.IntN(5)]
	}
	p, err := path.New(comps...)
	if err != nil {
		panic(err)
	}
	return p
}

func (g *gen) entry() entry.Entry {
	return entry.Entry{
		NamespaceID:   g.nss[g.rng.IntN(len(g.nss))],
		SubspaceID:    g.sss[g.rng.IntN(len(g.sss))],
		Path:          g.path(),
		Timestamp:     entry.Timestamp(g.rng.IntN(6)),
		PayloadLength: uint64(g.rng.IntN(3)),
		PayloadDigest: ids.PayloadDigest{byte(g.rng.IntN(2))},
	}
}

func (g *gen) area() grouping.Area {
	var a grouping.Area
	if g.rng.IntN(2) == 0 {
		a.Subspace = grouping.OnlySubspace(g.sss[g.rng.IntN(len(g.sss))])
	}
	a.Path = g.path().Prefix(0)
	if g.rng.IntN(2) == 0 {
		a.Path = g.path()
	}
	start := entry.Timestamp(g.rng.IntN(5))
	if g.rng.IntN(2) == 0 {
		a.Times = grouping.NewOpenRange(start)
	} else {
		a.Times, _ = grouping.NewClosedRange(start, start+1+entry.Timestamp(g.rng.IntN(4)))
	}
	return a
}

func mustOpen(t testing.TB, backend kv.Store) *Store {
	t.Helper()
	s, err := Open(backend)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func ingestOne(t *testing.T, s *Store, e entry.Entry) IngestResult {
	t.Helper()
	txn := s.Begin()
	res, err := txn.ingest(e, []byte("token"))
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	return res
}

func allEntries(t *testing.T, s *Store, ns ids.NamespaceID) []entry.Entry {
	t.Helper()
	sts, err := s.Entries(Query{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]entry.Entry, len(sts))
	for i, st := range sts {
		out[i] = st.Entry
	}
	return out
}

func sortByPath(es []entry.Entry) {
	sort.Slice(es, func(i, j int) bool {
		if c := es[i].SubspaceID.Compare(es[j].SubspaceID); c != 0 {
			return c < 0
		}
		return es[i].Path.Compare(es[j].Path) < 0
	})
}

func sameEntries(a, b []entry.Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Equal(b[i]) {
			return false
		}
	}
	return true
}

func describe(es []entry.Entry) string {
	s := ""
	for _, e := range es {
		s += fmt.Sprintf("\n  %x %v t=%d d=%x l=%d", e.SubspaceID[0], e.Path, e.Timestamp, e.PayloadDigest[0], e.PayloadLength)
	}
	return s
}

func TestIngestAgreesWithModel(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		g := newGen(seed)
		s := mustOpen(t, kv.NewMemory(0))
		var m model
		for i := 0; i < 150; i++ {
			e := g.entry()
			preview, err := s.Preview(e)
			if err != nil {
				t.Fatal(err)
			}
			want := m.insert(e)
			m.checkInvariant(t)
			got := ingestOne(t, s, e)
			if got.Outcome != want || preview.Outcome != want {
				t.Fatalf("seed %d step %d: outcome %v (preview %v); model says %v", seed, i, got.Outcome, preview.Outcome, want)
			}
			if len(got.Pruned) != len(preview.Pruned) {
				t.Fatalf("seed %d step %d: preview pruned %d, ingest pruned %d", seed, i, len(preview.Pruned), len(got.Pruned))
			}
			for _, p := range got.Pruned {
				if !e.Prunes(p) {
					t.Fatalf("reported pruned entry %v is not pruned by %v", p.Path, e.Path)
				}
			}
			if got.Outcome == Obsolete && !got.ObsoletedBy.IsNewerThan(e) {
				t.Fatalf("ObsoletedBy is not newer than the entry")
			}
		}
		for _, ns := range g.nss {
			var want []entry.Entry
			for _, e := range m.entries {
				if e.NamespaceID == ns {
					want = append(want, e)
				}
			}
			sortByPath(want)
			if got := allEntries(t, s, ns); !sameEntries(got, want) {
				t.Fatalf("seed %d: store holds%s\nmodel holds%s", seed, describe(got), describe(want))
			}
		}
	}
}

func TestIngestOrderDoesNotMatter(t *testing.T) {
	g := newGen(99)
	var es []entry.Entry
	for i := 0; i < 80; i++ {
		es = append(es, g.entry())
	}
	var first []entry.Entry
	for round := 0; round < 10; round++ {
		s := mustOpen(t, kv.NewMemory(0))
		perm := g.rng.Perm(len(es))
		for _, i := range perm {
			ingestOne(t, s, es[i])
		}
		var got []entry.Entry
		for _, ns := range g.nss {
			got = append(got, allEntries(t, s, ns)...)
		}
		if round == 0 {
			first = got
		} else if !sameEntries(first, got) {
			t.Fatalf("a different ingest order gave a different store:%s\nvs%s", describe(got), describe(first))
		}
	}
}

func TestQueryAgreesWithBruteForce(t *testing.T) {
	g := newGen(5)
	s := mustOpen(t, kv.NewMemory(0))
	var m model
	for i := 0; i < 300; i++ {
		e := g.entry()
		m.insert(e)
		ingestOne(t, s, e)
	}
	for i := 0; i < 300; i++ {
		ns := g.nss[g.rng.IntN(len(g.nss))]
		area := g.area()
		var want []entry.Entry
		for _, e := range m.entries {
			if e.NamespaceID == ns && area.IncludesEntry(e) {
				want = append(want, e)
			}
		}
		// Newest first by the newer-than relation.
		sort.Slice(want, func(i, j int) bool { return newestFirst(want[i], want[j]) })
		maxCount := uint64(g.rng.IntN(4))
		maxSize := uint64(g.rng.IntN(5))
		var limited []entry.Entry
		var size uint64
		for _, e := range want {
			if maxCount != 0 && uint64(len(limited)) >= maxCount {
				break
			}
			if maxSize != 0 && size+e.PayloadLength > maxSize {
				break
			}
			size += e.PayloadLength
			limited = append(limited, e)
		}
		byPath := append([]entry.Entry(nil), limited...)
		sortByPath(byPath)
		oldest := make([]entry.Entry, len(limited))
		for j := range limited {
			oldest[j] = limited[len(limited)-1-j]
		}
		for order, want := range map[Order][]entry.Entry{ByPath: byPath, NewestFirst: limited, OldestFirst: oldest} {
			sts, err := s.Entries(Query{Namespace: ns, Area: area, Order: order, MaxCount: maxCount, MaxSize: maxSize})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]entry.Entry, len(sts))
			for j, st := range sts {
				got[j] = st.Entry
			}
			if !sameEntries(got, want) {
				t.Fatalf("query %v order %d count %d size %d:\ngot%s\nwant%s", area, order, maxCount, maxSize, describe(got), describe(want))
			}
		}
	}
}

func TestTxnIsAllOrNothing(t *testing.T) {
	g := newGen(3)
	backend := kv.NewMemory(0)
	s := mustOpen(t, backend)
	for i := 0; i < 20; i++ {
		ingestOne(t, s, g.entry())
	}
	before := backend.Len()
	txn := s.Begin()
	for i := 0; i < 50; i++ {
		if _, err := txn.ingest(g.entry(), []byte("t")); err != nil {
			t.Fatal(err)
		}
	}
	txn.Discard()
	if backend.Len() != before {
		t.Fatalf("discarded transaction changed the backend: %d keys, was %d", backend.Len(), before)
	}
	if _, err := txn.ingest(g.entry(), nil); !errors.Is(err, ErrTxnDone) {
		t.Fatalf("ingest after Discard = %v; want ErrTxnDone", err)
	}
}

func TestQuotaLeavesStoreUnchanged(t *testing.T) {
	backend := kv.NewMemory(4000)
	s := mustOpen(t, backend)
	g := newGen(11)
	var events int
	s.Subscribe(g.nss[0], grouping.FullArea(), func(Event) { events++ })
	txn := s.Begin()
	for i := 0; i < 200; i++ {
		e := g.entry()
		e.NamespaceID = g.nss[0]
		e.Timestamp = entry.Timestamp(1000 + i)
		e.Path, _ = path.FromStrings(fmt.Sprint("p", i))
		if _, err := txn.ingest(e, make([]byte, 100)); err != nil {
			t.Fatal(err)
		}
	}
	before := backend.Bytes()
	if err := txn.Commit(); !errors.Is(err, kv.ErrQuota) {
		t.Fatalf("commit over quota = %v; want kv.ErrQuota", err)
	}
	if backend.Bytes() != before || events != 0 {
		t.Fatalf("failed commit changed the store (%d→%d bytes) or sent %d events", before, backend.Bytes(), events)
	}
}

func TestEventsAfterCommitOnly(t *testing.T) {
	s := mustOpen(t, kv.NewMemory(0))
	ns := ids.NamespaceID{1}
	ss := ids.SubspaceID{2}
	blog := path.MustFromStrings("blog")
	var got []Event
	cancel := s.Subscribe(ns, grouping.Area{Path: blog}, func(ev Event) { got = append(got, ev) })
	old := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: path.MustFromStrings("blog", "a"), Timestamp: 1}
	outside := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: path.MustFromStrings("notes"), Timestamp: 1}
	txn := s.Begin()
	for _, e := range []entry.Entry{old, outside} {
		if _, err := txn.ingest(e, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 0 {
		t.Fatal("events before commit")
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Kind != EntryInserted || !got[0].Entry.Equal(old) {
		t.Fatalf("events = %+v; want one insert of /blog/a", got)
	}
	newer := entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: blog, Timestamp: 5}
	ingestOne(t, s, newer)
	if len(got) != 3 || got[1].Kind != EntryPruned || !got[1].Entry.Equal(old) || !got[1].By.Equal(newer) || got[2].Kind != EntryInserted {
		t.Fatalf("events = %+v; want prune of /blog/a then insert of /blog", got)
	}
	cancel()
	ingestOne(t, s, entry.Entry{NamespaceID: ns, SubspaceID: ss, Path: blog, Timestamp: 9})
	if len(got) != 3 {
		t.Fatal("event after cancel")
	}
}

func TestSubscribeAllSeesEveryNamespace(t *testing.T) {
	s := mustOpen(t, kv.NewMemory(0))
	var all, one []Event
	cancelAll := s.SubscribeAll(func(ev Event) { all = append(all, ev) })
	s.Subscribe(ids.NamespaceID{1}, grouping.FullArea(), func(ev Event) { one = append(one, ev) })
	a := entry.Entry{NamespaceID: ids.NamespaceID{1}, SubspaceID: ids.SubspaceID{2}, Path: path.MustFromStrings("a"), Timestamp: 1}
	b := entry.Entry{NamespaceID: ids.NamespaceID{3}, SubspaceID: ids.SubspaceID{2}, Path: path.MustFromStrings("b"), Timestamp: 1}
	ingestOne(t, s, a)
	ingestOne(t, s, b)
	if len(all) != 2 || !all[0].Entry.Equal(a) || !all[1].Entry.Equal(b) || len(one) != 1 {
		t.Fatalf("SubscribeAll got %+v, Subscribe(ns 1) got %+v; want both inserts and the first", all, one)
	}
	cancelAll()
	ingestOne(t, s, entry.Entry{NamespaceID: ids.NamespaceID{3}, SubspaceID: ids.SubspaceID{2}, Path: path.MustFromStrings("c"), Timestamp: 1})
	if len(all) != 2 {
		t.Fatal("event after cancel")
	}
}

func TestForgetArea(t *testing.T) {
	g := newGen(8)
	s := mustOpen(t, kv.NewMemory(0))
	var m model
	for i := 0; i < 200; i++ {
		e := g.entry()
		m.insert(e)
		ingestOne(t, s, e)
	}
	ns := g.nss[0]
	area := grouping.Area{Path: path.MustFromStrings("a")}
	txn := s.Begin()
	n, err := txn.ForgetArea(ns, area)
	if err != nil {
		t.Fatal(err)
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	var want []entry.Entry
	forgotten := 0
	for _, e := range m.entries {
		if e.NamespaceID != ns {
			continue
		}
		if area.IncludesEntry(e) {
			forgotten++
			continue
		}
		want = append(want, e)
	}
	sortByPath(want)
	if n != forgotten || n == 0 {
		t.Fatalf("forgot %d entries; want %d (> 0)", n, forgotten)
	}
	if got := allEntries(t, s, ns); !sameEntries(got, want) {
		t.Fatalf("after forgetting:%s\nwant%s", describe(got), describe(want))
	}
}

func TestOpenRefusesOtherSchema(t *testing.T) {
	backend := kv.NewMemory(0)
	var b kv.Batch
	b.Put(schemaKey(), []byte{SchemaVersion + 1})
	if err := backend.Apply(&b); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(backend); !errors.Is(err, ErrSchema) {
		t.Fatalf("Open = %v; want ErrSchema", err)
	}
}

func TestPathKeyOrderAndRoundTrip(t *testing.T) {
	g := newGen(1)
	for i := 0; i < 2000; i++ {
		p, q := g.path(), g.path()
		kp, kq := appendPathKey(nil, p), appendPathKey(nil, q)
		if c := string(kp) < string(kq); c != (p.Compare(q) < 0) {
			t.Fatalf("key order of %v and %v disagrees with path order", p, q)
		}
		if isPrefix := len(kp) <= len(kq) && string(kq[:len(kp)]) == string(kp); isPrefix != p.IsPrefixOf(q) {
			t.Fatalf("key prefix of %v and %v disagrees with path prefix", p, q)
		}
		back, err := parsePathKey(kp)
		if err != nil || !back.Equal(p) {
			t.Fatalf("parsePathKey(%x) = %v, %v; want %v", kp, back, err, p)
		}
	}
	for _, bad := range []string{"a", "a\x00", "a\x00\x02", "\x00\x01"} {
		if _, err := parsePathKey([]byte(bad)); !errors.Is(err, ErrCorrupt) {
			t.Errorf("parsePathKey(%q) = %v; want ErrCorrupt", bad, err)
		}
	}
}
