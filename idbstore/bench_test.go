//go:build js && wasm

package idbstore

import (
	"fmt"
	"syscall/js"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
)

// The benchmarks run on whatever IndexedDB the test binary finds, and say
// which in their names: under Node, fake-indexeddb, a pure-JavaScript
// in-memory IndexedDB, so they measure this package's round trips and
// fake-indexeddb's scheduling; in Chromium, its real IndexedDB, whose
// commits go to disk. Run with
//
//	bash scripts/test-idbstore.sh -run '^$' -bench . -benchtime 3x
//	IDBSTORE_BROWSER=1 bash scripts/test-idbstore.sh -run '^$' -bench . -benchtime 3x

const benchKeys = 10000

func benchKey(i int) []byte   { return []byte(fmt.Sprintf("bench/%08d", i)) }
func benchValue(i int) []byte { return []byte(fmt.Sprintf("value %d of 32 bytes or so.....", i)) }

// BenchmarkApply writes 10,000 small pairs per op: all in one batch
// (one transaction), or one batch (transaction) per put.
func BenchmarkApply(b *testing.B) {
	b.Run(backend()+"/one-batch-of-10000", func(b *testing.B) {
		s := openTemp(b)
		var batch kv.Batch
		for i := 0; i < benchKeys; i++ {
			batch.Put(benchKey(i), benchValue(i))
		}
		b.ResetTimer()
		for range b.N {
			if err := s.Apply(&batch); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchKeys), "µs/put")
	})
	b.Run(backend()+"/10000-batches-of-one", func(b *testing.B) {
		s := openTemp(b)
		batches := make([]kv.Batch, benchKeys)
		for i := range batches {
			batches[i].Put(benchKey(i), benchValue(i))
		}
		b.ResetTimer()
		for range b.N {
			for i := range batches {
				if err := s.Apply(&batches[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchKeys), "µs/put")
	})
}

// BenchmarkRead reads 10,000 pairs per op: through Scan pages (an
// iterator), or one Get per key.
func BenchmarkRead(b *testing.B) {
	s := openTemp(b)
	var batch kv.Batch
	for i := 0; i < benchKeys; i++ {
		batch.Put(benchKey(i), benchValue(i))
	}
	if err := s.Apply(&batch); err != nil {
		b.Fatal(err)
	}
	for _, page := range []int{64, 256, 1024} {
		b.Run(fmt.Sprintf("%s/scan-pages-of-%d", backend(), page), func(b *testing.B) {
			for range b.N {
				n := 0
				it := kv.NewIterator(s, kv.PrefixRange([]byte("bench/")), false, page)
				for it.Next() {
					n++
				}
				if it.Err() != nil || n != benchKeys {
					b.Fatalf("scanned %d pairs: %v", n, it.Err())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchKeys), "µs/pair")
		})
	}
	b.Run(backend()+"/reverse-scan-pages-of-256", func(b *testing.B) {
		for range b.N {
			n := 0
			it := kv.NewIterator(s, kv.PrefixRange([]byte("bench/")), true, 256)
			for it.Next() {
				n++
			}
			if it.Err() != nil || n != benchKeys {
				b.Fatalf("scanned %d pairs: %v", n, it.Err())
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchKeys), "µs/pair")
	})
	b.Run(backend()+"/get-per-key", func(b *testing.B) {
		keys := make([][]byte, benchKeys)
		for i := range keys {
			keys[i] = benchKey(i)
		}
		b.ResetTimer()
		for range b.N {
			for i, k := range keys {
				if _, ok, err := s.Get(k); !ok || err != nil {
					b.Fatalf("Get(%s) = %v, %v", k, ok, err)
				}
				if i%100 == 99 {
					turnEventLoop()
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*benchKeys), "µs/pair")
	})
}

// turnEventLoop blocks until the JavaScript event loop has gone round once
// (a setImmediate), under fake-indexeddb only. fake-indexeddb finishes a transaction only in a later
// task, and its scheduler scans every listed transaction for each new one:
// a long chain of transactions each created inside the previous one's
// success event (as a loop of Gets does) piles up thousands of unfinished
// ones and goes quadratic. Real IndexedDB has no such pile; letting the loop
// turn every 100 Gets keeps the fake's list short.
func turnEventLoop() {
	if backend() != "fake-indexeddb" {
		return
	}
	ch := make(chan struct{})
	f := js.FuncOf(func(js.Value, []js.Value) any { close(ch); return nil })
	defer f.Release()
	js.Global().Call("setImmediate", f)
	<-ch
}

// BenchmarkRoundTrip is the cost of one helper-style round trip without
// IndexedDB: Go calls JavaScript, which answers through the callback
// synchronously, after a microtask, or after a macrotask (setImmediate
// under Node, what fake-indexeddb schedules its events with; a
// MessageChannel message in a browser).
func BenchmarkRoundTrip(b *testing.B) {
	for _, mode := range []string{"sync", "microtask", "macrotask"} {
		b.Run(mode, func(b *testing.B) {
			c := newCaller()
			defer c.release()
			fn := jsRun(`const mode = a0;
				return (cb, id) => {
					if (mode === "sync") cb(id, 0);
					else if (mode === "microtask") queueMicrotask(() => cb(id, 0));
					else if (typeof setImmediate === "function") setImmediate(() => cb(id, 0));
					else { const ch = new MessageChannel(); ch.port1.onmessage = () => cb(id, 0); ch.port2.postMessage(0); }
				};`, mode)
			for range b.N {
				ch := make(chan result, 1)
				c.mu.Lock()
				c.next++
				id := c.next
				c.pending[id] = ch
				c.mu.Unlock()
				fn.Invoke(c.fn, id)
				<-ch
			}
		})
	}
}
