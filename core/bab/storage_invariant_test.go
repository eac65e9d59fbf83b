package bab

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// bitSet reads bit i of a bitmap at base in a raw backend image.
func bitSet(img []byte, base int64, i uint64) bool {
	return img[base+int64(i/8)]&(1<<(i%8)) != 0
}

// checkStorage checks the Storage invariant on the backend image: every
// chunk the bitmap marks present holds the payload's bytes and every label
// marked known is the tree's label. If before is not nil (an earlier image),
// nothing marked in it may have changed.
func checkStorage(t testing.TB, st *Storage, img, before []byte, src *bytesSource, name string) {
	t.Helper()
	l := st.l
	for i := uint64(0); i < l.g.chunks; i++ {
		if !bitSet(img, l.chunks, i) {
			if before != nil && bitSet(before, l.chunks, i) {
				t.Fatalf("%s: chunk %d lost its present bit", name, i)
			}
			continue
		}
		want, _ := src.chunk(i, nil)
		off := int64(i) * ChunkSize
		if !bytes.Equal(img[off:off+int64(len(want))], want) {
			t.Fatalf("%s: chunk %d marked present but wrong", name, i)
		}
	}
	var walk func(lo, hi, idx uint64)
	walk = func(lo, hi, idx uint64) {
		if bitSet(img, l.known, idx) {
			want, _ := src.label(lo, hi)
			off := l.labels + int64(idx)*DigestSize
			if !bytes.Equal(img[off:off+DigestSize], want[:]) {
				t.Fatalf("%s: label of [%d, %d) marked known but wrong", name, lo, hi)
			}
		} else if before != nil && bitSet(before, l.known, idx) {
			t.Fatalf("%s: label of [%d, %d) lost its known bit", name, lo, hi)
		}
		if hi-lo > 1 {
			mid := split(lo, hi)
			walk(lo, mid, idx+1)
			walk(mid, hi, idx+2*(mid-lo))
		}
	}
	if l.g.chunks > 1 {
		if bitSet(img, l.known, 0) {
			t.Fatalf("%s: the root's label slot is marked", name)
		}
		mid := split(0, l.g.chunks)
		walk(0, mid, 1)
		walk(mid, l.g.chunks, 2*mid)
	}
}

// TestStorageKnownLabels checks which labels a stream leaves known: the
// children of every inner vertex overlapping the slices received, whatever
// the options, in particular the labels computed inside the groups of
// K-grouped streams.
func TestStorageKnownLabels(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{1, 2048, 5*1024 + 1, 13 * 1024, 64*1024 + 7} {
		payload := payloadOf(n, 53)
		src := newBytesSource(payload)
		g := src.g
		for _, o := range []Options{{}, {Light: true}, {K: 1}, {K: 2, Light: true}, {K: 3}, {K: GroupedAll}} {
			for _, sl := range slicesOf(g.chunks, rng) {
				st, b := newTestStorage(t, payload)
				slices := []Slice{sl}
				if err := st.IngestSlice(bytes.NewReader(streamOf(t, src, sl, o)), sl, o); err != nil {
					t.Fatal(err)
				}
				if sl.end() < g.chunks {
					// A second slice after the first, skipping what it can.
					s2 := Slice{sl.end() + rng.Uint64N(g.chunks-sl.end()), 1}
					s2.Count += rng.Uint64N(g.chunks - s2.Start)
					o2 := o
					o2.LeftSkip = OptimalLeftSkip(g.chunks, sl.end()-1, s2.Start)
					if err := st.IngestSlice(bytes.NewReader(streamOf(t, src, s2, o2)), s2, o2); err != nil {
						t.Fatalf("len %d %+v then %+v %+v: %v", n, sl, s2, o2, err)
					}
					slices = append(slices, s2)
				}
				name := fmt.Sprintf("len %d %+v %v", n, o, slices)
				checkStorage(t, st, b.b, nil, src, name)
				// Expected: children of inner vertices overlapping a slice.
				want := map[uint64]bool{}
				var walk func(lo, hi, idx uint64)
				walk = func(lo, hi, idx uint64) {
					if hi-lo <= 1 {
						return
					}
					mid := split(lo, hi)
					for _, s := range slices {
						if overlaps(lo, hi, s.Start, s.end()) {
							want[idx+1], want[idx+2*(mid-lo)] = true, true
						}
					}
					walk(lo, mid, idx+1)
					walk(mid, hi, idx+2*(mid-lo))
				}
				walk(0, g.chunks, 0)
				for idx := uint64(0); idx < 2*g.chunks-1; idx++ {
					if got := bitSet(b.b, st.l.known, idx); got != want[idx] {
						t.Fatalf("%s: vertex %d known=%v, want %v", name, idx, got, want[idx])
					}
				}
			}
		}
	}
}

// TestStorageTamperInvariant fills storages partly, then receives tampered
// and truncated streams of overlapping slices in every format: each must
// fail and leave every marked chunk and label correct and everything marked
// before unchanged; the untampered stream must then complete the slice.
func TestStorageTamperInvariant(t *testing.T) {
	rng := rand.New(rand.NewPCG(54, 55))
	opts := []Options{{}, {Light: true}, {K: 1}, {K: 2}, {K: 3, Light: true}, {K: GroupedAll}, {K: GroupedAll, LeftSkip: 1}, {K: 2, RightSkip: 1}}
	lengths := []int{3*1024 + 5, 16 * 1024, 40*1024 + 1}
	rounds := 12
	if testing.Short() {
		rounds = 4
	}
	for _, n := range lengths {
		payload := payloadOf(n, 56)
		src := newBytesSource(payload)
		g := src.g
		for round := 0; round < rounds; round++ {
			st, b := newTestStorage(t, payload)
			// Prefill a few random slices in random formats.
			for k := 0; k < 2; k++ {
				a := rng.Uint64N(g.chunks)
				sl := Slice{a, 1 + rng.Uint64N(min(g.chunks-a, 6))}
				o := opts[rng.IntN(6)]
				if err := st.IngestSlice(bytes.NewReader(streamOf(t, src, sl, o)), sl, o); err != nil {
					t.Fatal(err)
				}
			}
			for k := 0; k < 6; k++ {
				a := rng.Uint64N(g.chunks)
				sl := Slice{a, 1 + rng.Uint64N(g.chunks-a)}
				o := opts[rng.IntN(len(opts))]
				if o.RightSkip > 0 {
					if ok, _ := st.HasChunk(0); !ok {
						o.RightSkip = 0 // the storage may not know the root's children
					}
				}
				if o.LeftSkip > 0 {
					if ok, _ := st.HasChunk(0); !ok {
						o.LeftSkip = 0
					}
				}
				stream := streamOf(t, src, sl, o)
				before := bytes.Clone(b.b)
				name := fmt.Sprintf("len %d round %d %+v %+v", n, round, sl, o)
				bad := bytes.Clone(stream)
				i := rng.IntN(len(bad))
				bad[i] ^= 1 << rng.IntN(8)
				var err error
				if rng.IntN(4) == 0 {
					err = st.IngestSlice(bytes.NewReader(stream[:i]), sl, o)
					if !errors.Is(err, ErrStreamTooShort) {
						t.Fatalf("%s: truncated at %d: %v", name, i, err)
					}
				} else if err = st.IngestSlice(bytes.NewReader(bad), sl, o); !errors.Is(err, ErrLabelMismatch) && !errors.Is(err, ErrChunkMismatch) {
					t.Fatalf("%s: flipped byte %d: %v", name, i, err)
				}
				checkStorage(t, st, b.b, before, src, name)
				if err := st.IngestSlice(bytes.NewReader(stream), sl, o); err != nil {
					t.Fatalf("%s: good stream after a bad one: %v", name, err)
				}
				checkStorage(t, st, b.b, before, src, name)
				for c := sl.Start; c < sl.end(); c++ {
					if !bitSet(b.b, st.l.chunks, c) {
						t.Fatalf("%s: chunk %d missing after the good stream", name, c)
					}
				}
			}
			var full bytes.Buffer
			if err := st.WriteSliceStream(&full, Slice{0, 1}, Options{K: GroupedAll}); err == nil {
				if _, err := verifyStream(t, payload, Sum(payload), Slice{0, 1}, Options{K: GroupedAll}, nil, full.Bytes(), []int{999}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// TestStorageKeepsPresentChunks sends a 64-grouped stream whose copy of a
// chunk the storage already holds is wrong: the stream fails, the stored
// chunk is not overwritten, and nothing of the stream is marked.
func TestStorageKeepsPresentChunks(t *testing.T) {
	n := 32 * 1024
	payload := payloadOf(n, 57)
	src := newBytesSource(payload)
	st, b := newTestStorage(t, payload)
	if err := st.IngestSlice(bytes.NewReader(streamOf(t, src, Slice{9, 2}, Options{})), Slice{9, 2}, Options{}); err != nil {
		t.Fatal(err)
	}
	before := bytes.Clone(b.b)
	sl := Slice{0, 32}
	stream := streamOf(t, src, sl, Options{K: GroupedAll}) // the raw payload
	bad := bytes.Clone(stream)
	bad[9*1024+100] ^= 0xff
	if err := st.IngestSlice(bytes.NewReader(bad), sl, Options{K: GroupedAll}); !errors.Is(err, ErrLabelMismatch) {
		t.Fatalf("tampered present chunk: %v", err)
	}
	checkStorage(t, st, b.b, before, src, "tampered present chunk")
	if !bytes.Equal(b.b[9*1024:11*1024], payload[9*1024:11*1024]) {
		t.Fatal("present chunks overwritten")
	}
	if ss, _ := st.Slices(); len(ss) != 1 || ss[0] != (Slice{9, 2}) {
		t.Fatalf("after the failure: %v", ss)
	}
	// Unmarked slots did receive the stream's (unverified) bytes.
	if !bytes.Equal(b.b[:1024], payload[:1024]) {
		t.Fatal("pending chunk 0 not written to its slot")
	}
	if err := st.IngestSlice(bytes.NewReader(stream), sl, Options{K: GroupedAll}); err != nil {
		t.Fatal(err)
	}
	if done, _ := st.Complete(); !done {
		t.Fatal("not complete")
	}
	checkStorage(t, st, b.b, before, src, "good stream")
}
