package bab

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"
)

func newTestStorage(t testing.TB, payload []byte) (*Storage, *MemoryBackend) {
	t.Helper()
	size, err := LayoutSize(uint64(len(payload)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMemoryBackend(size)
	if err != nil {
		t.Fatal(err)
	}
	s, err := OpenStorage(b, Sum(payload), uint64(len(payload)))
	if err != nil {
		t.Fatal(err)
	}
	return s, b
}

// TestStorageFill fills storages from slices in random order and formats,
// then serves every stored range back and checks it independently.
func TestStorageFill(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for _, n := range []int{0, 1, 1024, 1025, 13*1024 - 100, 64*1024 + 1, 300 * 1024} {
		payload := payloadOf(n, 11)
		digest := Sum(payload)
		src := newBytesSource(payload)
		g := newGeometry(uint64(n))
		for round := 0; round < 4; round++ {
			st, _ := newTestStorage(t, payload)
			// Cut the payload into random slices and ingest them shuffled.
			var slices []Slice
			for a := uint64(0); a < g.chunks; {
				c := 1 + rng.Uint64N(min(g.chunks-a, 20))
				slices = append(slices, Slice{a, c})
				a += c
			}
			rng.Shuffle(len(slices), func(i, j int) { slices[i], slices[j] = slices[j], slices[i] })
			for k, sl := range slices {
				o := allOptions()[rng.IntN(10)] // no skips: K and light only
				if k > 0 && rng.IntN(2) == 0 {
					// The storage knows the root's children once anything
					// is stored, so a left skip of 1 is always possible.
					o.LeftSkip = 1
				}
				stream := streamOf(t, src, sl, o)
				if err := st.IngestSlice(bytes.NewReader(stream), sl, o); err != nil {
					t.Fatalf("len %d: ingest %+v %+v: %v", n, sl, o, err)
				}
				for i := sl.Start; i < sl.end(); i++ {
					if ok, err := st.HasChunk(i); !ok || err != nil {
						t.Fatalf("chunk %d missing after ingest (%v)", i, err)
					}
				}
				if k == 0 && len(slices) > 1 {
					if done, _ := st.Complete(); done {
						t.Fatal("complete after one of several slices")
					}
					// Serving a slice that is not stored fails.
					other := slices[1]
					if err := st.WriteSliceStream(new(bytes.Buffer), other, Options{}); !errors.Is(err, ErrMissingData) {
						t.Fatalf("serving missing data: %v", err)
					}
				}
				// Serve the slice back in another format and verify it.
				o2 := allOptions()[rng.IntN(10)]
				var out bytes.Buffer
				if err := st.WriteSliceStream(&out, sl, o2); err != nil {
					t.Fatalf("serve %+v %+v: %v", sl, o2, err)
				}
				want := streamOf(t, src, sl, o2)
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("served stream of %+v %+v differs", sl, o2)
				}
			}
			if done, err := st.Complete(); !done || err != nil {
				t.Fatalf("len %d: not complete (%v)", n, err)
			}
			if ss, _ := st.Slices(); len(ss) != 1 || ss[0] != FullSlice(uint64(n)) {
				t.Fatalf("Slices %v", ss)
			}
			var got []byte
			for i := uint64(0); i < g.chunks; i++ {
				c, err := st.ReadChunk(i, nil)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, c...)
			}
			if !bytes.Equal(got, payload) {
				t.Fatal("stored payload differs")
			}
			var full bytes.Buffer
			if err := st.WriteSliceStream(&full, FullSlice(uint64(n)), Options{Light: true}); err != nil {
				t.Fatal(err)
			}
			if _, err := verifyStream(t, payload, digest, FullSlice(uint64(n)), Options{Light: true}, nil, full.Bytes(), []int{4096}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestStorageRejects checks that bad streams store nothing unverified and
// that the state survives reopening the backend.
func TestStorageRejects(t *testing.T) {
	n := 20*1024 + 3
	payload := payloadOf(n, 12)
	st, b := newTestStorage(t, payload)
	sl := Slice{2, 10}
	stream, _ := AppendSliceStream(nil, payload, sl, Options{})
	bad := bytes.Clone(stream)
	bad[len(bad)-1] ^= 0x80 // in chunk 11
	err := st.IngestSlice(bytes.NewReader(bad), sl, Options{})
	if !errors.Is(err, ErrChunkMismatch) {
		t.Fatalf("tampered ingest: %v", err)
	}
	ss, _ := st.Slices()
	if len(ss) != 1 || ss[0] != (Slice{2, 9}) {
		t.Fatalf("after a failure in chunk 11: stored %v, want chunks 2..10", ss)
	}
	if _, err := st.ReadChunk(11, nil); !errors.Is(err, ErrMissingData) {
		t.Fatalf("unverified chunk readable: %v", err)
	}
	// A 64-grouped stream verifies only at its end: nothing is stored.
	st2, _ := newTestStorage(t, payload)
	g64, _ := AppendSliceStream(nil, payload, sl, Options{K: GroupedAll})
	g64[len(g64)-1] ^= 1
	if err := st2.IngestSlice(bytes.NewReader(g64), sl, Options{K: GroupedAll}); !errors.Is(err, ErrLabelMismatch) {
		t.Fatalf("tampered 64-grouped ingest: %v", err)
	}
	if ss, _ := st2.Slices(); len(ss) != 0 {
		t.Fatalf("tampered 64-grouped stream stored %v", ss)
	}
	// Reopen: same state.
	again, err := OpenStorage(b, Sum(payload), uint64(n))
	if err != nil {
		t.Fatal(err)
	}
	if ss2, _ := again.Slices(); len(ss2) != 1 || ss2[0] != ss[0] {
		t.Fatalf("reopened storage has %v", ss2)
	}
	// A wrong digest rejects everything.
	wrong, _ := newTestStorage(t, payload)
	wrong.digest[0] ^= 1
	if err := wrong.IngestSlice(bytes.NewReader(stream), sl, Options{}); !errors.Is(err, ErrLabelMismatch) {
		t.Fatalf("wrong digest: %v", err)
	}
	// Too small a backend.
	small, _ := NewMemoryBackend(100)
	if _, err := OpenStorage(small, Sum(payload), uint64(n)); !errors.Is(err, ErrCapacity) {
		t.Fatalf("small backend: %v", err)
	}
	if _, err := st.HasChunk(1000); !errors.Is(err, ErrInvalidSlice) {
		t.Fatalf("HasChunk out of range: %v", err)
	}
}

func TestLayout(t *testing.T) {
	for _, n := range []uint64{0, 1, 1024, 1025, 5000, 13 * 1024, 100*1024 + 1} {
		l, err := newLayout(n)
		if err != nil {
			t.Fatal(err)
		}
		// Pre-order indices are a bijection onto [0, 2c-1).
		seen := map[uint64]bool{}
		var walk func(lo, hi, want uint64)
		walk = func(lo, hi, want uint64) {
			if got := l.vertexIndex(lo, hi); got != want {
				t.Fatalf("len %d: vertex [%d, %d) has index %d, want %d", n, lo, hi, got, want)
			}
			seen[want] = true
			if hi-lo > 1 {
				mid := split(lo, hi)
				walk(lo, mid, want+1)
				walk(mid, hi, want+2*(mid-lo))
			}
		}
		walk(0, l.g.chunks, 0)
		if uint64(len(seen)) != 2*l.g.chunks-1 {
			t.Fatalf("len %d: %d indices", n, len(seen))
		}
		for i := uint64(0); i < uint64(len(seen)); i++ {
			if !seen[i] {
				t.Fatalf("len %d: index %d unused", n, i)
			}
		}
	}
	if _, err := LayoutSize(^uint64(0)); !errors.Is(err, ErrCapacity) {
		t.Fatalf("huge layout: %v", err)
	}
}
