package bab

import "testing"

// FuzzHasherSplits checks that the incremental Hasher, fed in two arbitrary
// pieces with a Digest call in between, agrees with the one-shot Sum.
func FuzzHasherSplits(f *testing.F) {
	f.Add([]byte{}, uint16(0))
	f.Add([]byte{0, 1, 2, 3, 4}, uint16(2))
	f.Add(make([]byte, 1025), uint16(1024))
	f.Add(make([]byte, 3000), uint16(64))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		c := int(cut)
		if c > len(data) {
			c = len(data)
		}
		h := New()
		h.Write(data[:c])
		if got, want := h.Digest(), Sum(data[:c]); got != want {
			t.Fatalf("prefix %d: %s != %s", c, got, want)
		}
		h.Write(data[c:])
		if got, want := h.Digest(), Sum(data); got != want {
			t.Fatalf("whole %d: %s != %s", len(data), got, want)
		}
	})
}
