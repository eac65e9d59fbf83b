package relay

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/willow-web/willow-web/core/bab"
	"github.com/willow-web/willow-web/core/ids"
)

// signedHeaders returns the Willow-* headers of one request, signed by
// alice with her write (or read) capability at time at.
func (f *fixture) signedHeaders(method, target string, body []byte, write bool, at time.Time) http.Header {
	f.t.Helper()
	c := f.aliceR
	if write {
		c = f.aliceW
	}
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	if err := SignRequest(r, body, c, f.alice.secret, at); err != nil {
		f.t.Fatal(err)
	}
	return r.Header
}

// send sends a request with the given (already signed) headers.
func (f *fixture) send(method, target string, body []byte, hd http.Header) *httptest.ResponseRecorder {
	f.t.Helper()
	r := httptest.NewRequest(method, target, bytes.NewReader(body))
	for k, v := range hd {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

func TestReplayRefused(t *testing.T) {
	f := newFixture(t, nil)
	d := makeDrop(t, f.ns, f.alice, f.aliceW, "r", "replayed")
	id := ids.PayloadDigest(bab.Sum(d)).String()
	put := f.signedHeaders(http.MethodPut, f.nsPath(), d, true, testNow)
	wantCode(t, f.send(http.MethodPut, f.nsPath(), d, put), http.StatusCreated, "")
	wantCode(t, f.send(http.MethodPut, f.nsPath(), d, put), http.StatusConflict, CodeReplayedRequest)
	// A new signature for the same bytes: idempotent.
	w := f.send(http.MethodPut, f.nsPath(), d, f.signedHeaders(http.MethodPut, f.nsPath(), d, true, testNow.Add(time.Second)))
	wantCode(t, w, http.StatusOK, "")
	if decode[UploadResponse](t, w).Created {
		t.Fatal("re-upload created a drop")
	}

	for _, target := range []string{f.nsPath(), f.nsPath() + "/" + id} {
		get := f.signedHeaders(http.MethodGet, target, nil, false, testNow)
		wantCode(t, f.send(http.MethodGet, target, nil, get), http.StatusOK, "")
		wantCode(t, f.send(http.MethodGet, target, nil, get), http.StatusConflict, CodeReplayedRequest)
		wantCode(t, f.send(http.MethodGet, target, nil, f.signedHeaders(http.MethodGet, target, nil, false, testNow.Add(time.Second))), http.StatusOK, "")
	}

	del := f.signedHeaders(http.MethodDelete, f.nsPath()+"/"+id, nil, true, testNow)
	wantCode(t, f.send(http.MethodDelete, f.nsPath()+"/"+id, nil, del), http.StatusNoContent, "")
	wantCode(t, f.send(http.MethodDelete, f.nsPath()+"/"+id, nil, del), http.StatusConflict, CodeReplayedRequest)
	// Replaying the original upload after the delete does not restore the drop.
	wantCode(t, f.send(http.MethodPut, f.nsPath(), d, put), http.StatusConflict, CodeReplayedRequest)
	if f.blobs.Len() != 0 {
		t.Fatal("a replay stored the drop again")
	}
	// A fresh delete signature reaches the handler (and finds nothing).
	wantCode(t, f.send(http.MethodDelete, f.nsPath()+"/"+id, nil, f.signedHeaders(http.MethodDelete, f.nsPath()+"/"+id, nil, true, testNow.Add(time.Second))), http.StatusNotFound, CodeNotFound)
}

func TestReplayKeysExpire(t *testing.T) {
	var x MemoryIndex
	ctx := context.Background()
	if ok, _ := x.Remember(ctx, "k", testNow, testNow.Add(time.Minute)); !ok {
		t.Fatal("new key not fresh")
	}
	if ok, _ := x.Remember(ctx, "k", testNow.Add(30*time.Second), testNow.Add(time.Minute)); ok {
		t.Fatal("replay within expiry accepted")
	}
	if ok, _ := x.Remember(ctx, "k", testNow.Add(2*time.Minute), testNow.Add(3*time.Minute)); !ok {
		t.Fatal("expired key still remembered")
	}
}

func TestNamespaceLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxNamespaceBytes = 1000 })
	a := makeDrop(t, f.ns, f.alice, f.aliceW, "a", strings.Repeat("a", 500))
	b := makeDrop(t, f.ns, f.bob, f.bobW, "b", strings.Repeat("b", 500))
	wantCode(t, f.upload(a, f.aliceW, f.alice), http.StatusCreated, "")
	// The namespace total counts every uploader.
	wantCode(t, f.upload(b, f.bobW, f.bob), http.StatusRequestEntityTooLarge, CodeNamespaceFull)
	if f.blobs.Len() != 1 {
		t.Fatalf("%d blobs after a refusal", f.blobs.Len())
	}
	// A stored drop re-uploaded is no new bytes.
	wantCode(t, f.upload(a, f.aliceW, f.alice), http.StatusOK, "")
	// Other namespaces have their own total.
	g := newFixture(t, func(c *Config) { c.MaxNamespaceBytes = 1000; c.Blobs, c.Index = f.blobs, f.index })
	wantCode(t, g.upload(makeDrop(t, g.ns, g.bob, g.bobW, "b", strings.Repeat("b", 500)), g.bobW, g.bob), http.StatusCreated, "")
	// After a delete the space is free again.
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+ids.PayloadDigest(bab.Sum(a)).String(), nil, &f.aliceW, f.alice, time.Time{}), http.StatusNoContent, "")
	wantCode(t, f.upload(b, f.bobW, f.bob), http.StatusCreated, "")
}

var errBroken = errors.New("broken storage")

type failPutBlobs struct{ MemoryBlobs }

func (b *failPutBlobs) Put(ctx context.Context, key string, data []byte) error {
	_ = b.MemoryBlobs.Put(ctx, key, data) // a partial write, then the failure
	return errBroken
}

type failDeleteBlobs struct{ MemoryBlobs }

func (*failDeleteBlobs) Delete(context.Context, string) error { return errBroken }

type failPutIndex struct{ MemoryIndex }

func (*failPutIndex) Put(context.Context, string, Record) error { return errBroken }

type failRememberIndex struct{ MemoryIndex }

func (*failRememberIndex) Remember(context.Context, string, time.Time, time.Time) (bool, error) {
	return false, errBroken
}

type failBytesIndex struct{ MemoryIndex }

func (*failBytesIndex) NamespaceBytes(context.Context, string, int64) (int64, error) {
	return 0, errBroken
}

type failCountIndex struct{ MemoryIndex }

func (*failCountIndex) CountUploads(context.Context, string, string, int) (int, error) {
	return 0, errBroken
}

type failDeleteIndex struct{ MemoryIndex }

func (*failDeleteIndex) Delete(context.Context, string, string, string) error { return errBroken }

// storedNothing reports whether blobs and index hold no drop.
func storedNothing(t *testing.T, b *MemoryBlobs, x *MemoryIndex, ns ids.NamespaceID) {
	t.Helper()
	if b.Len() != 0 {
		t.Fatalf("%d blobs stored after a failure", b.Len())
	}
	if recs, _, _ := x.List(context.Background(), nsKey(ns), "", 10); len(recs) != 0 {
		t.Fatalf("%d records after a failure", len(recs))
	}
}

func TestNothingStoredOnFailure(t *testing.T) {
	for name, mk := range map[string]func() (Blobs, Index, *MemoryBlobs, *MemoryIndex){
		"blob put": func() (Blobs, Index, *MemoryBlobs, *MemoryIndex) {
			b, x := &failPutBlobs{}, &MemoryIndex{}
			return b, x, &b.MemoryBlobs, x
		},
		"index put": func() (Blobs, Index, *MemoryBlobs, *MemoryIndex) {
			b, x := &MemoryBlobs{}, &failPutIndex{}
			return b, x, b, &x.MemoryIndex
		},
		"remember": func() (Blobs, Index, *MemoryBlobs, *MemoryIndex) {
			b, x := &MemoryBlobs{}, &failRememberIndex{}
			return b, x, b, &x.MemoryIndex
		},
		"namespace bytes": func() (Blobs, Index, *MemoryBlobs, *MemoryIndex) {
			b, x := &MemoryBlobs{}, &failBytesIndex{}
			return b, x, b, &x.MemoryIndex
		},
		"count uploads": func() (Blobs, Index, *MemoryBlobs, *MemoryIndex) {
			b, x := &MemoryBlobs{}, &failCountIndex{}
			return b, x, b, &x.MemoryIndex
		},
	} {
		t.Run(name, func(t *testing.T) {
			blobs, index, mb, mx := mk()
			var logged []string
			f := newFixture(t, func(c *Config) {
				c.Blobs, c.Index = blobs, index
				c.Log = func(format string, args ...any) { logged = append(logged, format) }
			})
			w := f.upload(makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x"), f.aliceW, f.alice)
			wantCode(t, w, http.StatusServiceUnavailable, CodeStorage)
			if strings.Contains(w.Body.String(), errBroken.Error()) || len(logged) == 0 {
				t.Fatalf("storage detail leaked or not logged: %s %v", w.Body, logged)
			}
			storedNothing(t, mb, mx, f.ns)
		})
	}
}

func TestDeleteFailures(t *testing.T) {
	// The index delete fails: nothing changes, the drop stays whole.
	x := &failDeleteIndex{}
	f := newFixture(t, func(c *Config) { c.Index = x })
	d := makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x")
	id := ids.PayloadDigest(bab.Sum(d)).String()
	wantCode(t, f.upload(d, f.aliceW, f.alice), http.StatusCreated, "")
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.aliceW, f.alice, time.Time{}), http.StatusServiceUnavailable, CodeStorage)
	wantCode(t, f.do(http.MethodGet, f.nsPath()+"/"+id, nil, &f.aliceR, f.alice, time.Time{}), http.StatusOK, "")

	// The blob delete fails after the index delete (the commit point): the
	// drop is deleted (unlisted, unreachable) and the failure is logged.
	var logged []string
	b := &failDeleteBlobs{}
	f = newFixture(t, func(c *Config) {
		c.Blobs = b
		c.Log = func(format string, args ...any) { logged = append(logged, format) }
	})
	d = makeDrop(t, f.ns, f.alice, f.aliceW, "a", "x")
	id = ids.PayloadDigest(bab.Sum(d)).String()
	wantCode(t, f.upload(d, f.aliceW, f.alice), http.StatusCreated, "")
	wantCode(t, f.do(http.MethodDelete, f.nsPath()+"/"+id, nil, &f.aliceW, f.alice, time.Time{}), http.StatusNoContent, "")
	wantCode(t, f.do(http.MethodGet, f.nsPath()+"/"+id, nil, &f.aliceR, f.alice, time.Time{}), http.StatusNotFound, CodeNotFound)
	if len(logged) != 1 {
		t.Fatalf("logged %v", logged)
	}
}
