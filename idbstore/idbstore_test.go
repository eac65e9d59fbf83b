//go:build js && wasm

// These tests run as WebAssembly under Node with fake-indexeddb providing
// indexedDB, and in Chromium against its real IndexedDB (see
// scripts/test-idbstore.sh and browser/run.mjs).
package idbstore

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"strings"
	"sync"
	"syscall/js"
	"testing"

	"github.com/willow-web/willow-web/core/kv"
	"github.com/willow-web/willow-web/core/kv/kvtest"
)

// backend names the IndexedDB implementation the tests run on:
// "fake-indexeddb" (Node) or "browser".
func backend() string {
	if js.Global().Get("IDBObjectStore").Get("name").String() == "FDBObjectStore" {
		return "fake-indexeddb"
	}
	return "browser"
}

// storeName is a name no other test uses.
func storeName(t testing.TB) string { return "test/" + t.Name() }

// openTemp opens a fresh store that is closed and deleted after the test.
func openTemp(t testing.TB) *Store {
	t.Helper()
	name := storeName(t)
	if err := Delete(name); err != nil {
		t.Fatal(err)
	}
	s, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
		if err := Delete(name); err != nil {
			t.Error(err)
		}
	})
	return s
}

// jsRun runs JavaScript source as the body of a function called with args
// (a0, a1, …) and returns its result.
func jsRun(src string, args ...any) js.Value {
	params := make([]any, 0, len(args)+1)
	for i := range args {
		params = append(params, fmt.Sprintf("a%d", i))
	}
	params = append(params, src)
	return js.Global().Get("Function").New(params...).Invoke(args...)
}

// await blocks until the promise settles.
func await(p js.Value) (js.Value, error) {
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any { ch <- outcome{v: args[0]}; return nil })
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{err: errors.New(args[0].Call("toString").String())}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	o := <-ch
	return o.v, o.err
}

func put(t testing.TB, s kv.Store, kvs ...string) {
	t.Helper()
	var b kv.Batch
	for i := 0; i+1 < len(kvs); i += 2 {
		b.Put([]byte(kvs[i]), []byte(kvs[i+1]))
	}
	if err := s.Apply(&b); err != nil {
		t.Fatal(err)
	}
}

// dump is every pair of s as "k=v" strings, in order.
func dump(t testing.TB, s kv.Store) []string {
	t.Helper()
	all, err := kv.Collect(s, kv.Range{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(all))
	for i, p := range all {
		out[i] = string(p.Key) + "=" + string(p.Value)
	}
	return out
}

func TestConformance(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store { return openTemp(t) })
}

// TestConformanceWithoutGetAllRecords runs the suite on the fallback scan
// paths (getAll+getAllKeys ascending, a "prev" cursor descending) that
// browsers without IndexedDB 3.0's getAllRecords take.
func TestConformanceWithoutGetAllRecords(t *testing.T) {
	proto := js.Global().Get("IDBObjectStore").Get("prototype")
	saved := proto.Get("getAllRecords")
	if saved.IsUndefined() {
		t.Log("getAllRecords is absent already")
	}
	jsRun(`delete a0.getAllRecords`, proto)
	defer proto.Set("getAllRecords", saved)
	kvtest.Run(t, func(t *testing.T) kv.Store { return openTemp(t) })
}

func TestPersistsAcrossCloseAndOpen(t *testing.T) {
	name := storeName(t)
	t.Cleanup(func() { Delete(name) })
	s, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "a", "1", "", "empty", "b\x00", "2", "\xff\xff", "3")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if _, _, err := s.Get([]byte("a")); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Get after Close = %v; want kv.ErrClosed", err)
	}
	if _, err := s.Scan(kv.Range{}, false, 10); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Scan after Close = %v; want kv.ErrClosed", err)
	}
	var b kv.Batch
	b.Put([]byte("x"), nil)
	if err := s.Apply(&b); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Apply after Close = %v; want kv.ErrClosed", err)
	}
	s, err = Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := []string{"=empty", "a=1", "b\x00=2", "\xff\xff=3"}
	if got := dump(t, s); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("after reopening: %q; want %q", got, want)
	}
}

func TestNamesAreIndependent(t *testing.T) {
	a, b := openTemp(t), func() *Store {
		name := storeName(t) + "/other"
		s, err := Open(name)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close(); Delete(name) })
		return s
	}()
	put(t, a, "k", "in a")
	put(t, b, "k", "in b", "only", "b")
	if got := dump(t, a); len(got) != 1 || got[0] != "k=in a" {
		t.Fatalf("a holds %q", got)
	}
	if got := dump(t, b); len(got) != 2 || got[0] != "k=in b" {
		t.Fatalf("b holds %q", got)
	}
	// The database name carries the store name.
	names, err := await(js.Global().Get("indexedDB").Call("databases"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i := 0; i < names.Length(); i++ {
		switch names.Index(i).Get("name").String() {
		case DatabasePrefix + a.Name(), DatabasePrefix + b.Name():
			found++
		}
	}
	if found != 2 {
		t.Fatalf("indexedDB.databases() lists %d of the two stores", found)
	}
}

func TestDeleteRemovesData(t *testing.T) {
	name := storeName(t)
	s, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	put(t, s, "a", "1", "b", "2")
	// Deleting an open store closes the connection: its later operations
	// fail with kv.ErrClosed instead of blocking the deletion.
	if err := Delete(name); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Get([]byte("a")); !errors.Is(err, kv.ErrClosed) {
		t.Fatalf("Get on a deleted store = %v; want kv.ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { s.Close(); Delete(name) }()
	if got := dump(t, s); len(got) != 0 {
		t.Fatalf("deleted store reopened with %q", got)
	}
	if err := Delete("never-created"); err != nil {
		t.Fatalf("deleting a missing store: %v", err)
	}
}

func TestNewerVersionRefused(t *testing.T) {
	name := storeName(t)
	t.Cleanup(func() { Delete(name) })
	_, err := await(jsRun(`return new Promise((resolve, reject) => {
		const req = indexedDB.open(a0, a1);
		req.onupgradeneeded = () => req.result.createObjectStore("kv");
		req.onsuccess = () => { req.result.close(); resolve(); };
		req.onerror = () => reject(req.error);
	})`, DatabasePrefix+name, DatabaseVersion+1))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := Open(name); !errors.Is(err, ErrVersion) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open of a newer database = %v; want ErrVersion", err)
	}
}

// failPuts makes IDBObjectStore.prototype.put throw a QuotaExceededError
// DOMException after allowed successful calls, until the returned restore
// runs.
func failPuts(allowed int) (restore func()) {
	r := jsRun(`const proto = IDBObjectStore.prototype, orig = proto.put;
		let left = a0;
		proto.put = function (...args) {
			if (left-- <= 0) throw new DOMException("simulated: disk full", "QuotaExceededError");
			return orig.apply(this, args);
		};
		return () => { proto.put = orig; };`, allowed)
	return func() { r.Invoke() }
}

// failStoreRecords makes fake-indexeddb's record write number allowed+1
// fail with a QuotaExceededError (once: the rollback writes records too),
// inside the transaction
// (the put request errs and the transaction aborts, as a browser reports a
// full disk). It reaches into fake-indexeddb's internals: the object store
// wrapper's _rawObjectStore and its storeRecord.
func failStoreRecords(t *testing.T, s *Store, allowed int) (restore func()) {
	t.Helper()
	if backend() != "fake-indexeddb" {
		t.Skip("simulates a failing record write inside fake-indexeddb")
	}
	r := jsRun(`const rawProto = Object.getPrototypeOf(a0.transaction("kv", "readonly").objectStore("kv")._rawObjectStore);
		if (!rawProto || typeof rawProto.storeRecord !== "function") return null;
		const orig = rawProto.storeRecord;
		let left = a1;
		rawProto.storeRecord = function (...args) {
			if (left-- === 0) throw new DOMException("simulated: disk full", "QuotaExceededError");
			return orig.apply(this, args);
		};
		return () => { rawProto.storeRecord = orig; };`, s.db, allowed)
	if r.IsNull() {
		t.Fatal("fake-indexeddb internals changed: no _rawObjectStore.storeRecord to fail")
	}
	return func() { r.Invoke() }
}

// quotaBatch overwrites existing keys and adds new ones, 100 puts and a
// delete.
func quotaBatch() *kv.Batch {
	var b kv.Batch
	b.Delete([]byte("keep-0"))
	for i := 0; i < 100; i++ {
		b.Put([]byte(fmt.Sprintf("keep-%d", i%3)), []byte("overwritten"))
		b.Put([]byte(fmt.Sprintf("new-%03d", i)), []byte("v"))
	}
	return &b
}

func TestQuotaMidBatchWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		fail func(t *testing.T, s *Store) func()
	}{
		// put() throws while the helper is still issuing the batch.
		{"PutThrows", func(t *testing.T, s *Store) func() { return failPuts(50) }},
		// A put request fails inside the transaction after 50 records were
		// written, and the transaction aborts with QuotaExceededError.
		{"RequestFails", func(t *testing.T, s *Store) func() { return failStoreRecords(t, s, 50) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTemp(t)
			put(t, s, "keep-0", "0", "keep-1", "1", "keep-2", "2")
			before := dump(t, s)
			restore := tc.fail(t, s)
			err := s.Apply(quotaBatch())
			restore()
			if !errors.Is(err, kv.ErrQuota) {
				t.Fatalf("Apply = %v; want an error wrapping kv.ErrQuota", err)
			}
			var de *DOMError
			if !errors.As(err, &de) || de.Name != "QuotaExceededError" {
				t.Fatalf("Apply error %v carries no QuotaExceededError DOMError", err)
			}
			if got := dump(t, s); strings.Join(got, ",") != strings.Join(before, ",") {
				t.Fatalf("after the failed batch the store holds %q; want %q", got, before)
			}
			// The store still works.
			if err := s.Apply(quotaBatch()); err != nil {
				t.Fatal(err)
			}
			if got := dump(t, s); len(got) != 103 {
				t.Fatalf("after the retried batch the store holds %d pairs; want 103", len(got))
			}
		})
	}
}

// TestAbortWritesNothing aborts the transaction from outside, in the
// success event of its 50th put: Apply fails with an AbortError (not
// ErrQuota), and nothing is written.
func TestAbortWritesNothing(t *testing.T) {
	s := openTemp(t)
	put(t, s, "keep-0", "0")
	before := dump(t, s)
	restore := jsRun(`const proto = IDBDatabase.prototype, orig = proto.transaction;
		proto.transaction = function (...args) {
			const tx = orig.apply(this, args);
			if (tx.mode !== "readwrite") return tx;
			const os = tx.objectStore("kv"), put = os.put.bind(os);
			let n = 0;
			os.put = (...a) => {
				const req = put(...a);
				if (++n === 50) req.onsuccess = () => tx.abort();
				return req;
			};
			tx.objectStore = () => os;
			tx.commit = () => {}; // an explicit commit would make the abort below too late
			return tx;
		};
		return () => { proto.transaction = orig; };`)
	err := s.Apply(quotaBatch())
	restore.Invoke()
	var de *DOMError
	if err == nil || errors.Is(err, kv.ErrQuota) || !errors.As(err, &de) || de.Name != "AbortError" {
		t.Fatalf("Apply of an aborted transaction = %v; want an AbortError", err)
	}
	if got := dump(t, s); strings.Join(got, ",") != strings.Join(before, ",") {
		t.Fatalf("after the aborted batch the store holds %q; want %q", got, before)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := openTemp(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				k := []byte(fmt.Sprintf("g%d-%02d", g, i))
				var b kv.Batch
				b.Put(k, bytes.Repeat(k, 100)) // larger than nothing, smaller than the scratch buffer
				if err := s.Apply(&b); err != nil {
					errs <- err
					return
				}
				v, ok, err := s.Get(k)
				if err != nil || !ok || !bytes.Equal(v, bytes.Repeat(k, 100)) {
					errs <- fmt.Errorf("Get(%s) = %d bytes, %v, %v", k, len(v), ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := dump(t, s); len(got) != 160 {
		t.Fatalf("%d pairs; want 160", len(got))
	}
}

func TestLargeBatchAndValues(t *testing.T) {
	s := openTemp(t)
	big := bytes.Repeat([]byte{0xab}, 3<<20) // over the scratch buffer's bound
	var b kv.Batch
	b.Put([]byte("big"), big)
	b.Put([]byte("small"), []byte("s"))
	if err := s.Apply(&b); err != nil {
		t.Fatal(err)
	}
	v, ok, err := s.Get([]byte("big"))
	if err != nil || !ok || !bytes.Equal(v, big) {
		t.Fatalf("Get(big) = %d bytes, %v, %v", len(v), ok, err)
	}
	page, err := s.Scan(kv.Range{}, true, 10)
	if err != nil || len(page) != 2 || string(page[0].Key) != "small" || !bytes.Equal(page[1].Value, big) {
		t.Fatalf("Scan = %d pairs, %v", len(page), err)
	}
	// Pairs share one buffer but are capped: appending to one leaves the
	// next intact.
	_ = append(page[0].Key, 'X', 'X', 'X', 'X')
	if page[0].Value[0] != 's' {
		t.Fatal("appending to a key overwrote its value")
	}
}

func TestScanLimits(t *testing.T) {
	s := openTemp(t)
	put(t, s, "a", "1", "b", "2", "c", "3")
	for _, tc := range []struct {
		r     kv.Range
		limit int
		want  int
	}{
		{kv.Range{}, 0, 0},
		{kv.Range{}, -1, 0},
		{kv.Range{}, 1 << 40, 3}, // beyond IndexedDB's 32-bit counts
		{kv.Range{Start: []byte("b"), End: []byte("b")}, 10, 0},
		{kv.Range{Start: []byte("c"), End: []byte("a")}, 10, 0},
		{kv.Range{End: []byte{}}, 10, 0},
		{kv.Range{Start: []byte{}, End: []byte("b")}, 10, 1},
	} {
		for _, reverse := range []bool{false, true} {
			got, err := s.Scan(tc.r, reverse, tc.limit)
			if err != nil || len(got) != tc.want {
				t.Errorf("Scan(%q..%q, %v, %d) = %d pairs, %v; want %d", tc.r.Start, tc.r.End, reverse, tc.limit, len(got), err, tc.want)
			}
		}
	}
}

func TestEstimateAndPersist(t *testing.T) {
	if jsRun(`return typeof navigator !== "undefined" && !!navigator.storage`).Bool() {
		// A browser: the real API.
		usage, quota, err := Estimate()
		if err != nil || usage < 0 || quota <= 0 {
			t.Fatalf("Estimate = %d, %d, %v", usage, quota, err)
		}
		granted, err := Persist()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("storage: %d bytes used of %d, persistent: %v", usage, quota, granted)
		return
	}
	if _, _, err := Estimate(); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Estimate without navigator.storage = %v; want errors.ErrUnsupported", err)
	}
	if _, err := Persist(); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Persist without navigator.storage = %v; want errors.ErrUnsupported", err)
	}
	restore := jsRun(`const had = Object.getOwnPropertyDescriptor(globalThis, "navigator");
		Object.defineProperty(globalThis, "navigator", { configurable: true, writable: true, value: { storage: {
			estimate: async () => ({ usage: 1234, quota: 5e9 }),
			persist: async () => true,
		} } });
		return () => { if (had) Object.defineProperty(globalThis, "navigator", had); else delete globalThis.navigator; };`)
	defer restore.Invoke()
	usage, quota, err := Estimate()
	if err != nil || usage != 1234 || quota != 5e9 {
		t.Fatalf("Estimate = %d, %d, %v; want 1234, 5e9", usage, quota, err)
	}
	if ok, err := Persist(); err != nil || !ok {
		t.Fatalf("Persist = %v, %v; want true", ok, err)
	}
}

// TestDiskFull fills the disk under a real browser's IndexedDB until a batch
// fails, and checks that the failure is kv.ErrQuota and that the failed
// batch left nothing behind. It runs only when the harness asks for it
// (IDBSTORE_DISKFULL=1 in scripts/test-idbstore.sh, which puts the browser
// profile on a small tmpfs).
func TestDiskFull(t *testing.T) {
	if !js.Global().Get("idbstoreDiskFull").Truthy() {
		t.Skip("needs a browser with its profile on a small disk (IDBSTORE_DISKFULL=1)")
	}
	s := openTemp(t)
	const perBatch, valueSize = 8, 256 << 10
	value := make([]byte, valueSize)
	var err error
	batches := 0
	for ; batches < 400; batches++ {
		var b kv.Batch
		for i := 0; i < perBatch; i++ {
			rand.Read(value) // incompressible
			b.Put([]byte(fmt.Sprintf("%04d/%d", batches, i)), value)
		}
		if err = s.Apply(&b); err != nil {
			break
		}
	}
	t.Logf("%d batches of %d KiB were written before: %v", batches, perBatch*valueSize>>10, err)
	var de *DOMError
	if !errors.Is(err, kv.ErrQuota) || !errors.As(err, &de) || de.Name != "QuotaExceededError" {
		t.Fatalf("filling the disk ended with %v; want a QuotaExceededError wrapping kv.ErrQuota", err)
	}
	var b kv.Batch // deletes everything
	it := kv.NewIterator(s, kv.Range{}, false, 16)
	for it.Next() {
		b.Delete(it.Pair().Key)
	}
	if it.Err() != nil {
		t.Fatal(it.Err())
	}
	if b.Len() != batches*perBatch {
		t.Fatalf("%d pairs stored after %d whole batches of %d: the failed batch left some behind", b.Len(), batches, perBatch)
	}
	// Deleting data frees room again.
	if err := s.Apply(&b); err != nil {
		t.Fatalf("deleting everything on a full disk: %v", err)
	}
}

// TestConformanceHeldExclusive runs the suite with reads cached
// (HoldExclusive for the whole test): every answer must still be the
// database's.
func TestConformanceHeldExclusive(t *testing.T) {
	kvtest.Run(t, func(t *testing.T) kv.Store {
		s := openTemp(t)
		s.HoldExclusive()
		t.Cleanup(s.ReleaseExclusive)
		return s
	})
}

// TestHeldExclusiveAgainstModel interleaves point reads, scans and batches
// on a Store whose reads are cached, toggling the hold now and then, and
// compares every answer with a kv.Memory given the same writes.
func TestHeldExclusiveAgainstModel(t *testing.T) {
	s := openTemp(t)
	model := kv.NewMemory(0)
	rng := mrand.New(mrand.NewPCG(7, 8))
	key := func() []byte {
		k := make([]byte, rng.IntN(5))
		for i := range k {
			k[i] = []byte{0, 1, 'a', 'b', 0xff}[rng.IntN(5)]
		}
		return k
	}
	held := false
	for round := 0; round < 300; round++ {
		switch rng.IntN(10) {
		case 0:
			if held {
				s.ReleaseExclusive()
			} else {
				s.HoldExclusive()
			}
			held = !held
		case 1, 2, 3:
			var b kv.Batch
			for i := rng.IntN(6); i >= 0; i-- {
				if k := key(); rng.IntN(3) == 0 {
					b.Delete(k)
				} else {
					b.Put(k, []byte{byte(round), byte(i)})
				}
			}
			if err := s.Apply(&b); err != nil {
				t.Fatal(err)
			}
			model.Apply(&b) //nolint:errcheck
		case 4, 5, 6:
			k := key()
			v, ok, err := s.Get(k)
			mv, mok, _ := model.Get(k)
			if err != nil || ok != mok || !bytes.Equal(v, mv) {
				t.Fatalf("round %d: Get(%x) = %x, %v, %v; want %x, %v", round, k, v, ok, err, mv, mok)
			}
		default:
			lo, hi := key(), key()
			if bytes.Compare(lo, hi) > 0 {
				lo, hi = hi, lo
			}
			r := kv.Range{Start: lo, End: hi}
			if rng.IntN(3) == 0 {
				r.End = nil
			}
			reverse := rng.IntN(2) == 0
			limit := 1 + rng.IntN(6)
			got, err := s.Scan(r, reverse, limit)
			want, _ := model.Scan(r, reverse, limit)
			if err != nil || len(got) != len(want) {
				t.Fatalf("round %d: Scan(%x, %v, %d) = %d pairs, %v; want %d", round, r, reverse, limit, len(got), err, len(want))
			}
			for i := range got {
				if !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
					t.Fatalf("round %d: Scan pair %d = %x=%x; want %x=%x", round, i, got[i].Key, got[i].Value, want[i].Key, want[i].Value)
				}
			}
		}
	}
	if held {
		s.ReleaseExclusive()
	}
}
