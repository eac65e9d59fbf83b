package bab

import (
	"bytes"
	"flag"
	"testing"
	"time"

	"github.com/zeebo/blake3"
)

func benchSizes() []struct {
	name string
	n    int
} {
	return []struct {
		name string
		n    int
	}{{"1KiB", 1 << 10}, {"1MiB", 1 << 20}}
}

// BenchmarkWILLIAM3 and BenchmarkZeeboBLAKE3 run on the same inputs; compare
// their MB/s (the "ratio" metric of BenchmarkRatio divides the two).
func BenchmarkWILLIAM3(b *testing.B) {
	for _, s := range benchSizes() {
		data := make([]byte, s.n)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				Sum(data)
			}
		})
	}
}

func BenchmarkZeeboBLAKE3(b *testing.B) {
	for _, s := range benchSizes() {
		data := make([]byte, s.n)
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(s.n))
			b.ReportAllocs()
			for b.Loop() {
				blake3.Sum256(data)
			}
		})
	}
}

// TestThroughputRatio logs ours/zeebo throughput for each size (above 1 means
// WILLIAM3 is faster). It alternates short timed runs of both and keeps the
// best of each, which tolerates a busy machine. It only runs together with
// -bench, and it never fails on timing.
func TestThroughputRatio(t *testing.T) {
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		t.Skip("run with -bench to measure")
	}
	for _, s := range benchSizes() {
		data := make([]byte, s.n)
		best := func(prev float64, f func()) float64 {
			start, n := time.Now(), 0
			for time.Since(start) < 30*time.Millisecond {
				f()
				n++
			}
			return max(prev, float64(s.n)*float64(n)/time.Since(start).Seconds()/1e6)
		}
		var ours, theirs float64
		for range 15 {
			ours = best(ours, func() { Sum(data) })
			theirs = best(theirs, func() { blake3.Sum256(data) })
		}
		t.Logf("%s: WILLIAM3 %.1f MB/s, zeebo/blake3 %.1f MB/s, ratio %.2f", s.name, ours, theirs, ours/theirs)
	}
}

// benchPayload is the payload of the stream and storage benchmarks.
func benchPayload() []byte {
	data := make([]byte, 4<<20+100)
	for i := range data {
		data[i] = byte(i * 31)
	}
	return data
}

// BenchmarkSliceStream creates the baseline stream of a whole payload, which
// hashes every chunk once to label the tree.
func BenchmarkSliceStream(b *testing.B) {
	data := benchPayload()
	o := Options{}
	buf := make([]byte, 0, len(data)+1<<10)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		var err error
		if buf, err = AppendSliceStream(buf[:0], data, FullSlice(uint64(len(data))), o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStorageIngest writes a whole payload into a Storage over memory
// from its 64-grouped stream (what a payload write and a drop ingest do),
// then recomputes the label of its left half from the stored chunks.
func BenchmarkStorageIngest(b *testing.B) {
	data := benchPayload()
	o := Options{K: GroupedAll}
	sl := FullSlice(uint64(len(data)))
	stream, err := AppendSliceStream(nil, data, sl, o)
	if err != nil {
		b.Fatal(err)
	}
	size, err := LayoutSize(uint64(len(data)))
	if err != nil {
		b.Fatal(err)
	}
	d := Sum(data)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		mb, err := NewMemoryBackend(int64(size))
		if err != nil {
			b.Fatal(err)
		}
		st, err := OpenStorage(mb, d, uint64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.IngestSlice(bytes.NewReader(stream), sl, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStorageLabel recomputes a label from stored chunks (a Storage
// answering for a vertex whose label it does not hold).
func BenchmarkStorageLabel(b *testing.B) {
	data := benchPayload()
	g := newGeometry(uint64(len(data)))
	size, _ := LayoutSize(g.length)
	mb, err := NewMemoryBackend(int64(size))
	if err != nil {
		b.Fatal(err)
	}
	st, err := OpenStorage(mb, Sum(data), g.length)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.IngestSlice(bytes.NewReader(mustStream(b, data)), FullSlice(g.length), Options{}); err != nil {
		b.Fatal(err)
	}
	mid := split(0, g.chunks)
	want := newBytesSource(data)
	w, _ := want.label(0, mid)
	b.SetBytes(int64(mid * ChunkSize))
	for b.Loop() {
		// Clear the label's known bit so it is recomputed.
		idx := st.l.vertexIndex(0, mid)
		var bt [1]byte
		mb.ReadAt(bt[:], st.l.known+int64(idx/8))
		bt[0] &^= 1 << (idx % 8)
		mb.WriteAt(bt[:], st.l.known+int64(idx/8))
		got, err := st.label(0, mid)
		if err != nil || got != w {
			b.Fatal("label", err)
		}
	}
}

func mustStream(b *testing.B, data []byte) []byte {
	s, err := AppendSliceStream(nil, data, FullSlice(uint64(len(data))), Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}
