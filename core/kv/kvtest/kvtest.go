// Package kvtest is a conformance suite for kv.Store implementations: every
// backend (memory, IndexedDB) must pass the same tests.
package kvtest

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
)

// Run checks a fresh, empty store from newStore against a reference model.
func Run(t *testing.T, newStore func(t *testing.T) kv.Store) {
	t.Run("GetPutDelete", func(t *testing.T) { testGetPutDelete(t, newStore(t)) })
	t.Run("RandomAgainstModel", func(t *testing.T) { testRandom(t, newStore(t)) })
	t.Run("LastWriteInBatchWins", func(t *testing.T) { testLastWins(t, newStore(t)) })
	t.Run("IteratorPages", func(t *testing.T) { testIterator(t, newStore(t)) })
}

func testGetPutDelete(t *testing.T, s kv.Store) {
	if _, ok, err := s.Get([]byte("a")); ok || err != nil {
		t.Fatalf("Get on empty store = %v, %v; want absent", ok, err)
	}
	var b kv.Batch
	b.Put([]byte("a"), []byte("1"))
	b.Put([]byte(""), []byte("empty key"))
	b.Put([]byte("b"), nil)
	mustApply(t, s, &b)
	for k, want := range map[string]string{"a": "1", "": "empty key", "b": ""} {
		v, ok, err := s.Get([]byte(k))
		if err != nil || !ok || string(v) != want {
			t.Fatalf("Get(%q) = %q, %v, %v; want %q", k, v, ok, err, want)
		}
	}
	b = kv.Batch{}
	b.Delete([]byte("a"))
	b.Delete([]byte("never there"))
	mustApply(t, s, &b)
	if _, ok, _ := s.Get([]byte("a")); ok {
		t.Fatal("deleted key still present")
	}
}

func testLastWins(t *testing.T, s kv.Store) {
	var b kv.Batch
	b.Put([]byte("k"), []byte("1"))
	b.Delete([]byte("k"))
	b.Put([]byte("k"), []byte("3"))
	b.Put([]byte("j"), []byte("1"))
	b.Delete([]byte("j"))
	mustApply(t, s, &b)
	if v, ok, _ := s.Get([]byte("k")); !ok || string(v) != "3" {
		t.Fatalf("k = %q, %v; want 3", v, ok)
	}
	if _, ok, _ := s.Get([]byte("j")); ok {
		t.Fatal("j should be deleted")
	}
}

func testRandom(t *testing.T, s kv.Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	model := map[string]string{}
	key := func() []byte {
		k := make([]byte, rng.IntN(4))
		for i := range k {
			k[i] = []byte{0, 1, 'a', 'b', 0xfe, 0xff}[rng.IntN(6)]
		}
		return k
	}
	for round := 0; round < 200; round++ {
		var b kv.Batch
		for i := rng.IntN(20); i >= 0; i-- {
			k := key()
			if rng.IntN(3) == 0 {
				b.Delete(k)
				delete(model, string(k))
			} else {
				v := []byte(fmt.Sprint(round, i))
				b.Put(k, v)
				model[string(k)] = string(v)
			}
		}
		mustApply(t, s, &b)
		// Check a random range both ways with a random limit.
		lo, hi := key(), key()
		if bytes.Compare(lo, hi) > 0 {
			lo, hi = hi, lo
		}
		r := kv.Range{Start: lo, End: hi}
		switch rng.IntN(4) {
		case 0:
			r.Start = nil
		case 1:
			r.End = nil
		}
		limit := 1 + rng.IntN(8)
		for _, reverse := range []bool{false, true} {
			got, err := s.Scan(r, reverse, limit)
			if err != nil {
				t.Fatal(err)
			}
			want := modelScan(model, r, reverse, limit)
			if !equalPairs(got, want) {
				t.Fatalf("round %d: Scan(%q..%q, reverse=%v, %d) = %s; want %s", round, r.Start, r.End, reverse, limit, show(got), show(want))
			}
		}
	}
	// Everything, through the iterator with tiny pages.
	for _, reverse := range []bool{false, true} {
		it := kv.NewIterator(s, kv.Range{}, reverse, 3)
		var got []kv.Pair
		for it.Next() {
			got = append(got, it.Pair())
		}
		if it.Err() != nil {
			t.Fatal(it.Err())
		}
		if want := modelScan(model, kv.Range{}, reverse, 1<<30); !equalPairs(got, want) {
			t.Fatalf("full iteration (reverse=%v) = %s; want %s", reverse, show(got), show(want))
		}
	}
}

func testIterator(t *testing.T, s kv.Store) {
	var b kv.Batch
	for i := 0; i < 1000; i++ {
		b.Put([]byte(fmt.Sprintf("k%04d", i)), []byte{byte(i)})
	}
	mustApply(t, s, &b)
	it := kv.NewIterator(s, kv.PrefixRange([]byte("k01")), false, 7)
	n := 0
	for it.Next() {
		if want := fmt.Sprintf("k%04d", 100+n); string(it.Pair().Key) != want {
			t.Fatalf("pair %d = %q; want %q", n, it.Pair().Key, want)
		}
		n++
	}
	if n != 100 || it.Err() != nil {
		t.Fatalf("iterated %d pairs (err %v); want 100", n, it.Err())
	}
}

func mustApply(t *testing.T, s kv.Store, b *kv.Batch) {
	t.Helper()
	if err := s.Apply(b); err != nil {
		t.Fatal(err)
	}
}

func modelScan(model map[string]string, r kv.Range, reverse bool, limit int) []kv.Pair {
	var keys []string
	for k := range model {
		if (r.Start == nil || k >= string(r.Start)) && (r.End == nil || k < string(r.End)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if reverse {
		for i, j := 0, len(keys)-1; i < j; i, j = i+1, j-1 {
			keys[i], keys[j] = keys[j], keys[i]
		}
	}
	if len(keys) > limit {
		keys = keys[:limit]
	}
	out := make([]kv.Pair, len(keys))
	for i, k := range keys {
		out[i] = kv.Pair{Key: []byte(k), Value: []byte(model[k])}
	}
	return out
}

func equalPairs(a, b []kv.Pair) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Key, b[i].Key) || !bytes.Equal(a[i].Value, b[i].Value) {
			return false
		}
	}
	return true
}

func show(ps []kv.Pair) string {
	s := "["
	for _, p := range ps {
		s += fmt.Sprintf(" %q=%q", p.Key, p.Value)
	}
	return s + " ]"
}
