// Package idbstore is a kv.Store over IndexedDB, the second implementation
// of the ordered key-value interface under the Willow store (the first is
// kv.Memory). It exists only in js/wasm builds; on other platforms the
// package is empty.
//
// # Layout
//
// A store named name is the IndexedDB database "willow-web:"+name holding one
// object store, "kv", whose out-of-line keys are the kv keys as binary keys
// (IndexedDB orders binary keys bytewise, as kv requires) and whose values
// are ArrayBuffers. The one exception is the empty key, stored as the empty
// string: IndexedDB orders every string before every binary key, so the
// order is kept, and some implementations (fake-indexeddb on Node 20) refuse
// an empty binary key. The database is versioned (DatabaseVersion) with a
// migration per version step, run by onupgradeneeded.
//
// # Cost model
//
// A syscall/js call costs about 16 µs, so every operation is a constant
// number of them, whatever its size: Apply encodes the whole batch into one
// byte buffer that a small JavaScript helper decodes and issues as one
// readwrite transaction; Scan returns one page packed into one Uint8Array;
// Get is one request. Apply returns only after the transaction's complete
// event (with durability "strict"), so a nil error means the batch is on
// disk; an aborted transaction writes nothing, and a QuotaExceededError
// comes back wrapping kv.ErrQuota.
//
// # Several tabs, and the read cache
//
// Apply holds the Web Lock "willow-web:"+name+"#commit" exclusively for the
// length of its transaction, where navigator.locks exists; willow-web's
// façade holds it shared around each read operation, so that a read made of
// several transactions never sees half of another tab's commit.
//
// The store logic reads a few keys per entry it ingests (the entry's path
// prefixes, its payload reference), and in Chromium each IndexedDB request
// costs ≈ 0.6 ms. Between HoldExclusive and ReleaseExclusive (jsbridge calls
// them around every write operation, while the façade holds the store's
// writer lock, so no other connection writes) reads are cached: a point
// read that misses scans the next 64 pairs from its key, the cache records
// which key spans it knows completely, and later reads inside them, found
// or absent, cost no request; Apply keeps the cache up to date. The cache is
// dropped when the hold ends and starts over past 16 MiB.
//
// # Goroutines
//
// Every operation blocks its calling goroutine until IndexedDB answers,
// which needs the JavaScript event loop to run. Call the store from your own
// goroutine, never directly inside a js.Func callback (an event handler, a
// promise continuation): blocking there stalls the event loop the answer
// has to come through, and the program deadlocks. A Store may be used by
// several goroutines at once.
//
// # Testing
//
// scripts/test-idbstore.sh runs the package's tests as WebAssembly twice:
// under Node with the fake-indexeddb npm package providing indexedDB, and in
// Debian's Chromium against its real IndexedDB (browser/run.mjs, through
// playwright-core). The npm packages are pinned in package-lock.json here.
//
// # Global state
//
// The package's only global state is the JavaScript helper, created once on
// first use (a sync.Once) from source in this package and kept in a package
// variable; each Store owns its own result callback and table of calls in
// flight.
package idbstore
