package bab

import (
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
