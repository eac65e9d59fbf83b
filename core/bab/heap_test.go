package bab

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestVerify64MiBHeap verifies a 64 MiB payload as eight slice streams fed in
// 64 KiB pieces and checks that verification allocates less than 2 MiB in
// total beyond the stream buffers the test itself holds.
func TestVerify64MiBHeap(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB: skipped in short mode")
	}
	const size = 64 << 20
	payload := make([]byte, size)
	rng := rand.New(rand.NewPCG(64, 64))
	for i := 0; i < size; i += 8 {
		binary.LittleEndian.PutUint64(payload[i:], rng.Uint64())
	}
	digest := Sum(payload)
	src := newBytesSource(payload)
	g := src.g
	var stream bytes.Buffer
	stream.Grow(9 << 20)
	whole := New()
	var allocated, peak uint64
	for k, o := range []Options{{}, {Light: true}, {}, {Light: true}, {K: 1}, {}, {Light: true}, {}} {
		per := g.chunks / 8
		sl := Slice{uint64(k) * per, per}
		stream.Reset()
		if err := produce(&stream, g, src, sl, o); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		v, err := NewVerifier(VerifierConfig{Digest: digest, Length: size, Slice: sl, Options: o,
			OnChunk: func(_ uint64, c []byte) error { whole.Write(c); return nil }})
		if err != nil {
			t.Fatal(err)
		}
		data := stream.Bytes()
		for len(data) > 0 {
			n := min(len(data), 64<<10)
			if _, err := v.Write(data[:n]); err != nil {
				t.Fatal(err)
			}
			data = data[n:]
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		d := after.TotalAlloc - before.TotalAlloc
		allocated += d
		peak = max(peak, after.HeapAlloc-min(after.HeapAlloc, before.HeapAlloc))
	}
	if whole.Digest() != digest {
		t.Fatal("released chunks do not make up the payload")
	}
	t.Logf("64 MiB in 8 slices: %d bytes allocated by verification in total, heap growth at most %d bytes", allocated, peak)
	if allocated >= 2<<20 {
		t.Fatalf("verification allocated %d bytes, want < 2 MiB", allocated)
	}
}

// BenchmarkVerify measures verification throughput of a 1 MiB payload's full
// baseline and light streams.
func BenchmarkVerify(b *testing.B) {
	payload := payloadOf(1<<20, 1)
	digest := Sum(payload)
	for _, c := range []struct {
		name string
		o    Options
	}{{"baseline", Options{}}, {"light", Options{Light: true}}, {"grouped64", Options{K: GroupedAll}}} {
		stream, _ := AppendSliceStream(nil, payload, FullSlice(1<<20), c.o)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(payload)))
			b.ReportAllocs()
			for b.Loop() {
				v, _ := NewVerifier(VerifierConfig{Digest: digest, Length: 1 << 20, Slice: FullSlice(1 << 20), Options: c.o})
				v.Write(stream)
				if err := v.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
