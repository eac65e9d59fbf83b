package relay

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sort"
	"sync"
	"time"
)

// ErrNotFound is returned by Blobs and Index for a key that holds nothing.
var ErrNotFound = errors.New("relay: not found")

// Blobs stores drop bodies by key ("<namespace hex>/<drop id hex>").
// In the Worker it is an R2 bucket.
type Blobs interface {
	// Put stores data under key, replacing what was there.
	Put(ctx context.Context, key string, data []byte) error
	// Get opens the body stored under key and returns its size;
	// ErrNotFound if there is none.
	Get(ctx context.Context, key string) (io.ReadCloser, int64, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Record is the index entry of one stored drop.
type Record struct {
	ID       string `json:"id"`       // WILLIAM3 digest of the stored bytes, 64 hex digits
	Size     int64  `json:"size"`     // bytes
	Uploader string `json:"uploader"` // subspace id (capability receiver) of the uploader, 64 hex digits
	Time     int64  `json:"time"`     // upload time, Unix milliseconds
	Sealed   bool   `json:"sealed"`   // an age-encrypted drop, stored opaque
}

// Index keeps the per-namespace metadata of the stored drops. Namespaces
// are given as 64 lowercase hex digits. In the Worker it is a KV namespace.
type Index interface {
	// Get returns the record of drop id in ns, or ErrNotFound.
	Get(ctx context.Context, ns, id string) (Record, error)
	// Put adds or replaces a record.
	Put(ctx context.Context, ns string, r Record) error
	// Delete removes the record of drop id (uploaded by uploader) from ns.
	Delete(ctx context.Context, ns, id, uploader string) error
	// List returns up to limit records of ns in increasing id order,
	// starting after the cursor (empty: from the start), and the cursor
	// of the next page (empty: no more). Cursors are opaque to clients.
	List(ctx context.Context, ns, cursor string, limit int) ([]Record, string, error)
	// CountUploads counts the drops of uploader in ns, stopping at max.
	CountUploads(ctx context.Context, ns, uploader string, max int) (int, error)
	// NamespaceBytes sums the sizes of the drops stored in ns; it may stop
	// counting once the sum exceeds max.
	NamespaceBytes(ctx context.Context, ns string, max int64) (int64, error)
	// Remember records key (the digest of an accepted request's signature)
	// until expires, when that request's timestamp has left the allowed
	// window, and reports whether key was new; false means the request is
	// a replay. now is the relay's clock; entries that expired before now
	// may be forgotten. In the Worker: a KV key with an expiration.
	Remember(ctx context.Context, key string, now, expires time.Time) (bool, error)
}

// MemoryBlobs is a Blobs in memory, for tests and local use. The zero value
// is ready; it is safe for concurrent use.
type MemoryBlobs struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Put implements Blobs.
func (b *MemoryBlobs) Put(_ context.Context, key string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string][]byte{}
	}
	b.m[key] = bytes.Clone(data)
	return nil
}

// Get implements Blobs.
func (b *MemoryBlobs) Get(_ context.Context, key string) (io.ReadCloser, int64, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.m[key]
	if !ok {
		return nil, 0, ErrNotFound
	}
	return io.NopCloser(bytes.NewReader(d)), int64(len(d)), nil
}

// Delete implements Blobs.
func (b *MemoryBlobs) Delete(_ context.Context, key string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.m, key)
	return nil
}

// Len is the number of stored blobs.
func (b *MemoryBlobs) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

// MemoryIndex is an Index in memory, for tests and local use. The zero value
// is ready; it is safe for concurrent use. Its cursors are drop ids.
type MemoryIndex struct {
	mu   sync.Mutex
	m    map[string]map[string]Record // namespace → id → record
	seen map[string]time.Time         // replay keys → expiry
}

// Get implements Index.
func (x *MemoryIndex) Get(_ context.Context, ns, id string) (Record, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	r, ok := x.m[ns][id]
	if !ok {
		return Record{}, ErrNotFound
	}
	return r, nil
}

// Put implements Index.
func (x *MemoryIndex) Put(_ context.Context, ns string, r Record) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.m == nil {
		x.m = map[string]map[string]Record{}
	}
	if x.m[ns] == nil {
		x.m[ns] = map[string]Record{}
	}
	x.m[ns][r.ID] = r
	return nil
}

// Delete implements Index.
func (x *MemoryIndex) Delete(_ context.Context, ns, id, _ string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.m[ns], id)
	return nil
}

// List implements Index.
func (x *MemoryIndex) List(_ context.Context, ns, cursor string, limit int) ([]Record, string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	ids := make([]string, 0, len(x.m[ns]))
	for id := range x.m[ns] {
		if id > cursor {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	next := ""
	if len(ids) > limit {
		ids = ids[:limit]
		next = ids[limit-1]
	}
	out := make([]Record, len(ids))
	for i, id := range ids {
		out[i] = x.m[ns][id]
	}
	return out, next, nil
}

// CountUploads implements Index.
func (x *MemoryIndex) CountUploads(_ context.Context, ns, uploader string, max int) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	n := 0
	for _, r := range x.m[ns] {
		if r.Uploader == uploader {
			n++
			if n >= max {
				break
			}
		}
	}
	return n, nil
}

// NamespaceBytes implements Index.
func (x *MemoryIndex) NamespaceBytes(_ context.Context, ns string, _ int64) (int64, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var n int64
	for _, r := range x.m[ns] {
		n += r.Size
	}
	return n, nil
}

// Remember implements Index. Keys that expired before now are dropped.
func (x *MemoryIndex) Remember(_ context.Context, key string, now, expires time.Time) (bool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for k, exp := range x.seen {
		if exp.Before(now) {
			delete(x.seen, k)
		}
	}
	if _, ok := x.seen[key]; ok {
		return false, nil
	}
	if x.seen == nil {
		x.seen = map[string]time.Time{}
	}
	x.seen[key] = expires
	return true, nil
}
