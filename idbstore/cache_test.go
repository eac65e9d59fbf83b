package idbstore

import (
	"testing"

	"github.com/willow-web/willow-web/core/kv"
)

func TestReadCacheSpans(t *testing.T) {
	c := newReadCache()
	if c.covered([]byte("a"), []byte("b")) {
		t.Fatal("an empty cache covers nothing")
	}
	c.learn([]byte("b"), []byte("d"), []kv.Pair{{Key: []byte("c"), Value: []byte("1")}})
	c.learn([]byte("f"), nil, nil)
	for _, tc := range []struct {
		lo, hi string
		open   bool
		want   bool
	}{
		{"b", "d", false, true}, {"b", "c", false, true}, {"a", "c", false, false}, {"c", "e", false, false},
		{"f", "", true, true}, {"g", "z", false, true}, {"e", "g", false, false}, {"d", "", true, false},
	} {
		var hi []byte
		if !tc.open {
			hi = []byte(tc.hi)
		}
		if got := c.covered([]byte(tc.lo), hi); got != tc.want {
			t.Errorf("covered(%q, %q open=%v) = %v; want %v", tc.lo, tc.hi, tc.open, got, tc.want)
		}
	}
	// [d, f) touches both spans: one span [b, ∞) remains.
	c.learn([]byte("d"), []byte("f"), nil)
	if len(c.known) != 1 || string(c.known[0].lo) != "b" || c.known[0].hi != nil {
		t.Fatalf("spans after merging = %q; want one [b, ∞)", c.known)
	}
	if v, found, known := c.get([]byte("c")); !known || !found || string(v) != "1" {
		t.Fatalf("get(c) = %q, %v, %v", v, found, known)
	}
	if _, found, known := c.get([]byte("e")); !known || found {
		t.Fatal("e is known absent")
	}
	if _, _, known := c.get([]byte("a")); known {
		t.Fatal("a is unknown")
	}
	var b kv.Batch
	b.Put([]byte("e"), []byte("2"))
	b.Put([]byte("a"), []byte("3")) // outside every span: not cached
	b.Delete([]byte("c"))
	c.applied(&b)
	if v, found, _ := c.get([]byte("e")); !found || string(v) != "2" {
		t.Fatal("a write inside a span is cached")
	}
	if _, found, _ := c.get([]byte("c")); found {
		t.Fatal("a delete inside a span is cached")
	}
	if _, _, known := c.get([]byte("a")); known {
		t.Fatal("a write outside the spans makes nothing known")
	}
}

func TestReadCacheLearnScanPages(t *testing.T) {
	c := newReadCache()
	pairs := []kv.Pair{{Key: []byte("b")}, {Key: []byte("c")}}
	c.learnScan(kv.Range{Start: []byte("a"), End: []byte("z")}, false, 2, pairs) // a full page: [a, c\x00)
	if !c.covered([]byte("a"), []byte("c\x00")) || c.covered([]byte("a"), []byte("d")) {
		t.Fatalf("forward full page: spans %q", c.known)
	}
	c = newReadCache()
	c.learnScan(kv.Range{Start: []byte("a"), End: []byte("z")}, true, 2, []kv.Pair{{Key: []byte("y")}, {Key: []byte("x")}}) // [x, z)
	if !c.covered([]byte("x"), []byte("z")) || c.covered([]byte("w"), []byte("z")) {
		t.Fatalf("reverse full page: spans %q", c.known)
	}
	c = newReadCache()
	c.learnScan(kv.Range{Start: []byte("a")}, false, 5, pairs) // short page: [a, ∞)
	if !c.covered([]byte("q"), nil) {
		t.Fatalf("short page: spans %q", c.known)
	}
}
