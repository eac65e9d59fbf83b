package store

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/core/entry"
	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/path"
)

// benchDrop builds a store of n entries with payloads of size bytes and
// returns it with a drop of all of it.
func benchDrop(b *testing.B, n, size int) (*Store, []NamespacedArea, []byte) {
	b.Helper()
	ws := newWriters(b, 1, 4)
	s := mustOpen(b, kv.NewMemory(0))
	payload := make([]byte, size)
	for i := 0; i < n; i++ {
		payload[0], payload[1] = byte(i), byte(i>>8)
		ws[i%len(ws)].write(b, s, path.MustFromStrings("bench", fmt.Sprint(i/100), fmt.Sprint(i)), entry.Timestamp(i+1), payload, false)
	}
	areas := areasOf(ws)
	var buf bytes.Buffer
	if _, err := s.CreateDrop(context.Background(), &buf, areas, CreateDropOptions{}); err != nil {
		b.Fatal(err)
	}
	return s, areas, buf.Bytes()
}

// BenchmarkDrop10k measures ingesting and creating a drop of 10,000 entries
// with 100-byte payloads, next to drop.Verify of the same bytes (the
// verification share of ingest) in the same process.
func BenchmarkDrop10k(b *testing.B) {
	src, areas, d := benchDrop(b, 10_000, 100)
	b.Run("verify", func(b *testing.B) {
		b.SetBytes(int64(len(d)))
		for i := 0; i < b.N; i++ {
			if _, err := drop.Verify(bytes.NewReader(d)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("ingest", func(b *testing.B) {
		b.SetBytes(int64(len(d)))
		for i := 0; i < b.N; i++ {
			s := mustOpen(b, kv.NewMemory(0))
			if _, err := s.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
	b.Run("create", func(b *testing.B) {
		b.SetBytes(int64(len(d)))
		for i := 0; i < b.N; i++ {
			var buf bytes.Buffer
			if _, err := src.CreateDrop(context.Background(), &buf, areas, CreateDropOptions{}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(10_000*b.N)/b.Elapsed().Seconds(), "entries/s")
	})
}

// peakHeap runs f while sampling the heap and returns the largest HeapInuse
// seen above the level before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > base && m.HeapInuse-base > peak.Load() {
				peak.Store(m.HeapInuse - base)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	return peak.Load()
}

// BenchmarkDrop64MiB measures one 64 MiB payload: writing it into a store,
// making a drop of it and ingesting that drop into another store, with the
// peak heap of ingest (the memory store itself holds the 68 MiB layout; the
// metric is the heap beyond the two stores' data).
func BenchmarkDrop64MiB(b *testing.B) {
	if testing.Short() {
		b.Skip("64 MiB benchmark skipped in -short mode")
	}
	const size = 64 << 20
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	ws := newWriters(b, 1, 1)
	src := mustOpen(b, kv.NewMemory(0))
	ws[0].write(b, src, path.MustFromStrings("big"), 1, payload, false)
	areas := areasOf(ws)
	var buf bytes.Buffer
	if _, err := src.CreateDrop(context.Background(), &buf, areas, CreateDropOptions{}); err != nil {
		b.Fatal(err)
	}
	d := buf.Bytes()
	b.Run("hash", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			bab.Sum(payload)
		}
	})
	b.Run("ingest", func(b *testing.B) {
		b.SetBytes(size)
		var peak uint64
		for i := 0; i < b.N; i++ {
			backend := kv.NewMemory(0)
			s := mustOpen(b, backend)
			p := peakHeap(func() {
				if _, err := s.IngestDrop(context.Background(), bytes.NewReader(d), IngestDropOptions{}); err != nil {
					b.Fatal(err)
				}
			})
			if held := uint64(backend.Bytes()); p > held {
				peak = max(peak, p-held)
			}
		}
		b.ReportMetric(float64(peak)/(1<<20), "MiB-heap-beyond-data")
	})
	b.Run("create", func(b *testing.B) {
		b.SetBytes(size)
		for i := 0; i < b.N; i++ {
			var out bytes.Buffer
			out.Grow(len(d))
			if _, err := src.CreateDrop(context.Background(), &out, areas, CreateDropOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
