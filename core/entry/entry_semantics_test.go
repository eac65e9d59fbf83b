package entry_test

// Semantic tests of entries: the newer-than order, prefix pruning, and the
// store invariant of the Data Model (no entry in a store is pruned by another
// one) under insertion with the prune rule.

import (
	"bytes"
	"cmp"
	"encoding/hex"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// semDigest is a digest with first byte b.
func semDigest(b byte) ids.PayloadDigest { return ids.PayloadDigest{0: b} }

func TestSemanticsIsNewerThan(t *testing.T) {
	base := entry.Entry{Timestamp: 10, PayloadDigest: semDigest(5), PayloadLength: 100}
	with := func(f func(*entry.Entry)) entry.Entry { e := base; f(&e); return e }
	cases := []struct {
		name string
		e, f entry.Entry
		want int // 1: e newer, -1: f newer, 0: neither
	}{
		{"greater timestamp wins over everything", with(func(e *entry.Entry) {
			e.Timestamp, e.PayloadDigest, e.PayloadLength = 11, semDigest(0), 0
		}), base, 1},
		{"smaller timestamp loses over everything", with(func(e *entry.Entry) {
			e.Timestamp, e.PayloadDigest, e.PayloadLength = 9, semDigest(0xff), 1<<63
		}), base, -1},
		{"equal timestamps: greater digest", with(func(e *entry.Entry) {
			e.PayloadDigest, e.PayloadLength = semDigest(6), 0
		}), base, 1},
		{"equal timestamps: digest compared from the first byte", with(func(e *entry.Entry) {
			e.PayloadDigest = ids.PayloadDigest{0: 4, 31: 0xff}
		}), base, -1},
		{"equal timestamps and digests: greater length", with(func(e *entry.Entry) {
			e.PayloadLength = 101
		}), base, 1},
		{"equal timestamps and digests: smaller length", with(func(e *entry.Entry) {
			e.PayloadLength = 99
		}), base, -1},
		{"all three equal: neither, whatever else differs", with(func(e *entry.Entry) {
			e.NamespaceID, e.SubspaceID, e.Path = ids.NamespaceID{1}, ids.SubspaceID{2}, path.MustFromStrings("x")
		}), base, 0},
		{"identical", base, base, 0},
		{"timestamp 2^64-1", with(func(e *entry.Entry) { e.Timestamp = ^entry.Timestamp(0) }), base, 1},
	}
	for _, c := range cases {
		got := 0
		if c.e.IsNewerThan(c.f) {
			got++
		}
		if c.f.IsNewerThan(c.e) {
			got--
			if c.e.IsNewerThan(c.f) {
				t.Errorf("%s: both are newer than each other", c.name)
			}
		}
		if got != c.want {
			t.Errorf("%s: got %d, want %d", c.name, got, c.want)
		}
	}

	// On random entries newer-than is a strict weak order: irreflexive,
	// asymmetric, transitive, and "neither" means equal (ts, digest, len).
	r := rand.New(rand.NewPCG(1, 2))
	es := make([]entry.Entry, 60)
	for i := range es {
		es[i] = entry.Entry{Timestamp: entry.Timestamp(r.IntN(3)), PayloadDigest: semDigest(byte(r.IntN(3))), PayloadLength: uint64(r.IntN(3))}
	}
	for _, a := range es {
		if a.IsNewerThan(a) {
			t.Fatal("an entry is newer than itself")
		}
		for _, b := range es {
			ab, ba := a.IsNewerThan(b), b.IsNewerThan(a)
			same := a.Timestamp == b.Timestamp && a.PayloadDigest == b.PayloadDigest && a.PayloadLength == b.PayloadLength
			if ab && ba || (!ab && !ba) != same {
				t.Fatalf("newer-than on %+v, %+v: %v %v", a, b, ab, ba)
			}
			if ab != semRefNewer(a, b) {
				t.Fatalf("IsNewerThan(%+v, %+v) = %v, reference says %v", a, b, ab, !ab)
			}
			for _, c := range es {
				if ab && b.IsNewerThan(c) && !a.IsNewerThan(c) {
					t.Fatal("newer-than is not transitive")
				}
			}
		}
	}
}

// semRefNewer is the Data Model's newer-than, written out independently:
// compare the tuples (timestamp, digest bytes, length) lexicographically.
func semRefNewer(e, f entry.Entry) bool {
	return cmp.Or(
		cmp.Compare(e.Timestamp, f.Timestamp),
		bytes.Compare(e.PayloadDigest[:], f.PayloadDigest[:]),
		cmp.Compare(e.PayloadLength, f.PayloadLength),
	) > 0
}

func TestSemanticsPrunes(t *testing.T) {
	p := path.MustFromStrings
	old := entry.Entry{NamespaceID: ids.NamespaceID{1}, SubspaceID: ids.SubspaceID{2}, Path: p("a", "b"), Timestamp: 5}
	newer := func(pth path.Path) entry.Entry { e := old; e.Path, e.Timestamp = pth, 6; return e }
	cases := []struct {
		name string
		e    entry.Entry
		want bool
	}{
		{"newer at a proper prefix", newer(p("a")), true},
		{"newer at the empty path", newer(p()), true},
		{"newer at the same path", newer(p("a", "b")), true},
		{"newer at an extension", newer(p("a", "b", "c")), false},
		{"newer at a bytewise but not component-wise prefix", newer(p("a", "")), false},
		{"newer at a path that only starts with the same bytes", newer(p("ab")), false},
		{"newer at an unrelated path", newer(p("c")), false},
		{"newer at a prefix but another subspace", func() entry.Entry { e := newer(p("a")); e.SubspaceID[0]++; return e }(), false},
		{"newer at a prefix but another namespace", func() entry.Entry { e := newer(p("a")); e.NamespaceID[0]++; return e }(), false},
		{"same timestamp, greater digest at a prefix", func() entry.Entry {
			e := old
			e.Path, e.PayloadDigest = p("a"), semDigest(1)
			return e
		}(), true},
		{"same timestamp, digest, greater length at the same path", func() entry.Entry {
			e := old
			e.PayloadLength = 1
			return e
		}(), true},
		{"equal in (timestamp, digest, length) at a prefix", func() entry.Entry {
			e := old
			e.Path = p("a")
			return e
		}(), false},
		{"identical entry", old, false},
		{"older at a prefix", func() entry.Entry { e := old; e.Path, e.Timestamp = p("a"), 4; return e }(), false},
	}
	for _, c := range cases {
		if got := c.e.Prunes(old); got != c.want {
			t.Errorf("%s: Prunes = %v, want %v", c.name, got, c.want)
		}
		if c.want && old.Prunes(c.e) {
			t.Errorf("%s: pruning is mutual", c.name)
		}
	}
}

// semRefPrunes is the store condition written from the Data Model: new
// prunes old iff same namespace and subspace, new.path prefixes old.path
// (component-wise, equal included), and new is newer.
func semRefPrunes(nw, old entry.Entry) bool {
	if nw.NamespaceID != old.NamespaceID || nw.SubspaceID != old.SubspaceID {
		return false
	}
	a, b := nw.Path.Components(), old.Path.Components()
	if len(a) > len(b) {
		return false
	}
	for i := range a {
		if string(a[i]) != string(b[i]) {
			return false
		}
	}
	return semRefNewer(nw, old)
}

// semInsert inserts e into a store with the prune rule: e is dropped if some
// stored entry prunes it (or it is already stored), otherwise it is added
// and every stored entry it prunes is removed.
func semInsert(store []entry.Entry, e entry.Entry) []entry.Entry {
	for _, x := range store {
		if x.Prunes(e) || x.Equal(e) {
			return store
		}
	}
	store = slices.DeleteFunc(store, func(y entry.Entry) bool { return e.Prunes(y) })
	return append(store, e)
}

func semKey(e entry.Entry) string { return hex.EncodeToString(entry.Encode(e)) }

func semSorted(store []entry.Entry) []string {
	keys := make([]string, len(store))
	for i, e := range store {
		keys[i] = semKey(e)
	}
	slices.Sort(keys)
	return keys
}

func TestSemanticsStoreInvariantUnderInsertion(t *testing.T) {
	p := path.MustFromStrings
	paths := []path.Path{p(), p("a"), p("b"), p("a", "b"), p("a", "c"), p("ab"), p("a", "b", "c"), p("a", "")}
	r := rand.New(rand.NewPCG(3, 4))
	randEntry := func() entry.Entry {
		return entry.Entry{
			NamespaceID:   ids.NamespaceID{31: byte(r.IntN(2))},
			SubspaceID:    ids.SubspaceID{0: byte(r.IntN(2))},
			Path:          paths[r.IntN(len(paths))],
			Timestamp:     entry.Timestamp(r.IntN(3)),
			PayloadLength: uint64(r.IntN(2)),
			PayloadDigest: semDigest(byte(r.IntN(2))),
		}
	}
	stores := 0
	for range 1000 {
		n := 1 + r.IntN(12)
		all := make([]entry.Entry, n)
		for i := range all {
			all[i] = randEntry()
		}
		// The store the Data Model defines for these entries: every entry
		// that no other one prunes (pruning is transitive, so this is the
		// join of the singleton stores).
		var want []entry.Entry
		for _, e := range all {
			pruned := false
			for _, f := range all {
				if semRefPrunes(f, e) {
					pruned = true
					break
				}
			}
			if !pruned && !slices.ContainsFunc(want, e.Equal) {
				want = append(want, e)
			}
		}
		wantKeys := semSorted(want)

		// Insert in several orders: after every insertion the store
		// satisfies the invariant, and the end result is always the same.
		for range 4 {
			r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			var store []entry.Entry
			for _, e := range all {
				store = semInsert(store, e)
				stores++
				for _, a := range store {
					for _, b := range store {
						if semRefPrunes(a, b) {
							t.Fatalf("store invariant broken: %v/%v prunes %v/%v", a.Path, a.Timestamp, b.Path, b.Timestamp)
						}
					}
				}
			}
			if got := semSorted(store); !slices.Equal(got, wantKeys) {
				t.Fatalf("insertion order changed the store:\n got %v\nwant %v", got, wantKeys)
			}
		}
	}
	t.Logf("checked the invariant on %d intermediate stores", stores)
}

func TestSemanticsDefaultEntryAndToken(t *testing.T) {
	ns, ss, d := ids.DefaultNamespaceID(), ids.DefaultSubspaceID(), ids.DefaultPayloadDigest()
	e := entry.Default(ns, ss, d)
	if e.NamespaceID != ns || e.SubspaceID != ss || e.PayloadDigest != d ||
		e.Path.Len() != 0 || e.Timestamp != 0 || e.PayloadLength != 0 {
		t.Fatalf("Default = %+v", e)
	}
	// The Willow'25 default authorisation token signs encode_entry of the
	// default entry with the published default secret; ed25519 is
	// deterministic, so we must reproduce the published signature.
	sig := ids.DefaultSecretKey().Sign(entry.Encode(e))
	const want = "2ac93ad2c13fedb696345dbac6e71254e99cb444e5e81b916fca0878f0a8a993" +
		"2bd1a4e846e1ca83377b740a29b8570a85038d50662ba8af66e5683c93521401"
	if got := hex.EncodeToString(sig[:]); got != want {
		t.Errorf("default token signature = %s, want %s", got, want)
	}
}

func TestSemanticsEntryEqual(t *testing.T) {
	a := entry.Entry{Path: path.MustFromStrings("a"), Timestamp: 1}
	b := a
	b.Path = path.MustFromStrings("a") // equal content, different memory
	if !a.Equal(b) {
		t.Error("entries with equal fields are not Equal")
	}
	muts := []func(*entry.Entry){
		func(e *entry.Entry) { e.NamespaceID[31] = 1 },
		func(e *entry.Entry) { e.SubspaceID[0] = 1 },
		func(e *entry.Entry) { e.Path = path.MustFromStrings("a", "") },
		func(e *entry.Entry) { e.Timestamp = 2 },
		func(e *entry.Entry) { e.PayloadLength = 1 },
		func(e *entry.Entry) { e.PayloadDigest[5] = 1 },
	}
	for i, m := range muts {
		c := a
		m(&c)
		if a.Equal(c) || c.Equal(a) {
			t.Errorf("mutation %d: still Equal", i)
		}
	}
}
