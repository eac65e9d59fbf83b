package kv_test

import (
	"errors"
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
