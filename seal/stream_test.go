package seal_test

import (
	"io"
	"runtime"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/willow-web/willow-web/core/drop"
	"github.com/willow-web/willow-web/seal"
)

// sealVerifyPipe generates a drop with one payload of n bytes, seals it,
// pipes it to Open and verifies the opened drop, all streaming.
func sealVerifyPipe(tb testing.TB, n uint64, r age.Recipient, i age.Identity) drop.Summary {
	tb.Helper()
	write := bigDrop(tb, n)
	pr, pw := io.Pipe()
	go func() {
		w, err := seal.Seal(pw, r)
		if err != nil {
			pw.CloseWithError(err)
			return
		}
		if err := write(w); err != nil {
			pw.CloseWithError(err)
			return
		}
		pw.CloseWithError(w.Close())
	}()
	plain, err := seal.Open(pr, i)
	if err != nil {
		tb.Fatal(err)
	}
	sum, err := drop.Verify(plain)
	if err != nil {
		tb.Fatal(err)
	}
	return sum
}

// TestStream64MiB seals and opens a 64 MiB drop through a pipe and checks
// that the heap grows by a bounded amount, far below the drop's size.
func TestStream64MiB(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB streaming test skipped in -short")
	}
	_, _, r, i := subspaceKeys(t)
	const n = 64 << 20
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
		}
	}()
	start := time.Now()
	sum := sealVerifyPipe(t, n, r, i)
	elapsed := time.Since(start)
	close(done)
	wg.Wait()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if sum.Items != 1 || sum.PayloadBytes != n {
		t.Fatalf("summary %+v", sum)
	}
	growth := int64(peak) - int64(base.HeapInuse)
	t.Logf("64 MiB sealed drop: hash, write+seal, open+verify in %v (%.0f MiB/s); peak heap growth %.1f MiB; allocated %.1f MiB in total",
		elapsed, float64(n)/(1<<20)/elapsed.Seconds(), float64(growth)/(1<<20), float64(after.TotalAlloc-base.TotalAlloc)/(1<<20))
	if growth > 16<<20 {
		t.Errorf("heap grew by %.1f MiB while streaming 64 MiB; want < 16 MiB", float64(growth)/(1<<20))
	}
}

// BenchmarkSealOpen measures sealing, opening and verifying a drop of one 8
// MiB payload through a pipe (bytes/s of drop).
func BenchmarkSealOpen(b *testing.B) {
	_, _, r, i := subspaceKeys(b)
	const n = 8 << 20
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		sealVerifyPipe(b, n, r, i)
	}
}
