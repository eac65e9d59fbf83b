package store

import (
	"bytes"
	"testing"

	"github.com/willow-web/willow-web/core/ids"
	"github.com/willow-web/willow-web/core/path"
)

// plan reads the key of every prefix of a path as a prefix of the path's key,
// cut where pathKeyComponentLen says; check that against entryKey, with
// components holding zero bytes (escaped) and empty ones.
func TestPrefixKeysArePrefixes(t *testing.T) {
	ns, ss := ids.DefaultNamespaceID(), ids.DefaultSubspaceID()
	p, err := path.New([]byte("a\x00b"), nil, []byte{0, 0}, []byte("zz"), []byte{0xff, 0})
	if err != nil {
		t.Fatal(err)
	}
	full := entryKey(ns, ss, p)
	end := 65
	for i := 0; i <= p.Len(); i++ {
		if want := entryKey(ns, ss, p.Prefix(i)); !bytes.Equal(full[:end], want) {
			t.Fatalf("prefix %d: key %x, cut %x", i, want, full[:end])
		}
		if i < p.Len() {
			end += pathKeyComponentLen(p.Component(i))
		}
	}
	if end != len(full) {
		t.Fatalf("cuts end at %d, key is %d bytes", end, len(full))
	}
}
