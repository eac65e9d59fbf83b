package kv_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/kv/kvtest"
)

func TestMemoryConformance(t *testing.T) {
	kvtest.Run(t, func(*testing.T) kv.Store { return kv.NewMemory(0) })
}

func TestMemoryQuotaRefusesWholeBatch(t *testing.T) {
	m := kv.NewMemory(10)
	var b kv.Batch
	b.Put([]byte("a"), []byte("1234")) // 5 bytes
	if err := m.Apply(&b); err != nil {
		t.Fatal(err)
	}
	b = kv.Batch{}
	b.Put([]byte("b"), []byte("12"))     // 3 more: fits
	b.Put([]byte("c"), []byte("123456")) // 7 more: does not
	if err := m.Apply(&b); !errors.Is(err, kv.ErrQuota) {
		t.Fatalf("Apply over quota = %v; want ErrQuota", err)
	}
	if _, ok, _ := m.Get([]byte("b")); ok || m.Bytes() != 5 {
		t.Fatalf("refused batch was partly written (bytes %d)", m.Bytes())
	}
	// Overwriting the same key twice in one batch counts once.
	b = kv.Batch{}
	b.Put([]byte("a"), []byte("123456789"))
	b.Put([]byte("a"), []byte("12345678"))
	if err := m.Apply(&b); err != nil {
		t.Fatalf("batch fitting the quota refused: %v", err)
	}
	if m.Bytes() != 9 {
		t.Fatalf("bytes = %d; want 9", m.Bytes())
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct{ in, want string }{{"ab", "ac"}, {"a\xff", "b"}, {"\xff\xff", ""}, {"", ""}} {
		got := kv.PrefixEnd([]byte(c.in))
		if string(got) != c.want || (c.want == "" && got != nil) {
			t.Errorf("PrefixEnd(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestOverlayConformance(t *testing.T) {
	// An overlay over a store with unrelated data behaves as a store...
	kvtest.Run(t, func(*testing.T) kv.Store { return kv.NewOverlay(kv.NewMemory(0)) })
}

func TestOverlayMergesStagedAndBase(t *testing.T) {
	base := kv.NewMemory(0)
	var b kv.Batch
	for _, k := range []string{"a", "c", "e", "g"} {
		b.Put([]byte(k), []byte("base"))
	}
	if err := base.Apply(&b); err != nil {
		t.Fatal(err)
	}
	o := kv.NewOverlay(base)
	b = kv.Batch{}
	b.Put([]byte("b"), []byte("new"))
	b.Put([]byte("c"), []byte("changed"))
	b.Delete([]byte("e"))
	if err := o.Apply(&b); err != nil {
		t.Fatal(err)
	}
	want := "a=base b=new c=changed g=base"
	for _, reverse := range []bool{false, true} {
		for _, page := range []int{1, 2, 100} {
			it := kv.NewIterator(o, kv.Range{}, reverse, page)
			var got []string
			for it.Next() {
				got = append(got, string(it.Pair().Key)+"="+string(it.Pair().Value))
			}
			if reverse {
				for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
					got[i], got[j] = got[j], got[i]
				}
			}
			if s := strings.Join(got, " "); s != want {
				t.Errorf("reverse=%v page=%d: %s; want %s", reverse, page, s, want)
			}
		}
	}
	if _, ok, _ := base.Get([]byte("b")); ok {
		t.Fatal("overlay wrote through to the base before Commit")
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := base.Get([]byte("c")); !ok || string(v) != "changed" {
		t.Fatal("Commit did not apply the staged writes")
	}
	if _, ok, _ := base.Get([]byte("e")); ok {
		t.Fatal("Commit did not apply the staged delete")
	}
}

func TestPutOwnedStoresTheSlice(t *testing.T) {
	m := kv.NewMemory(0)
	var b kv.Batch
	b.PutOwned([]byte("k"), []byte("value"))
	b.PutOwned([]byte("nil"), nil)
	if err := m.Apply(&b); err != nil {
		t.Fatal(err)
	}
	if v, ok, _ := m.Get([]byte("k")); !ok || string(v) != "value" {
		t.Fatalf("k = %q, %v", v, ok)
	}
	if v, ok, _ := m.Get([]byte("nil")); !ok || v == nil || len(v) != 0 {
		t.Fatalf("a nil value must read back as present and empty: %q, %v", v, ok)
	}
}

func TestCollect(t *testing.T) {
	m := kv.NewMemory(0)
	var b kv.Batch
	for _, k := range []string{"b", "a", "c"} {
		b.Put([]byte(k), []byte(k))
	}
	if err := m.Apply(&b); err != nil {
		t.Fatal(err)
	}
	got, err := kv.Collect(m, kv.Range{Start: []byte("b")})
	if err != nil || len(got) != 2 || string(got[0].Key) != "b" || string(got[1].Key) != "c" {
		t.Fatalf("Collect = %v, %v; want b, c", got, err)
	}
}
