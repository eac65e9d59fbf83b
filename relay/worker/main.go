//go:build js && wasm

// Command worker is the relay compiled to WebAssembly (GOOS=js) for a
// Cloudflare Worker. It is the only Go file that knows about the Worker:
// shim.mjs starts a fresh Go instance per request, passing the slot name
// of the request in os.Args[1]; this program reads the request and the
// Worker's env (R2 bucket DROPS, KV namespace INDEX, vars) from
// globalThis.__willowRelay[slot], serves it with relay.Handler, calls the
// slot's resolve with {status, headers, body} and exits. Switching to another
// Worker binding (e.g. github.com/syumai/workers) replaces this file alone.
//
// Global state: the slot table globalThis.__willowRelay is the one piece of
// shared mutable state; the shim forces it (a Go instance can only be handed
// values through the JS global object). Each entry is written by the shim
// before the instance starts and deleted by it when the request ends.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"syscall/js"
	"time"

	"github.com/willow-web/willow-web/relay"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "relay worker: no request slot")
		return
	}
	slot := js.Global().Get("__willowRelay").Get(os.Args[1])
	if slot.IsUndefined() {
		fmt.Fprintln(os.Stderr, "relay worker: unknown request slot", os.Args[1])
		return
	}
	resolve := slot.Get("resolve")
	status, hdr, body, stream := serve(slot.Get("request"), slot.Get("env"))
	headers := js.Global().Get("Array").New()
	for k, vs := range hdr {
		for _, v := range vs {
			headers.Call("push", js.ValueOf([]any{k, v}))
		}
	}
	var out js.Value = stream
	if out.IsUndefined() {
		out = js.Global().Get("Uint8Array").New(len(body))
		js.CopyBytesToJS(out, body)
	}
	resolve.Invoke(js.ValueOf(map[string]any{"status": status, "headers": headers, "body": out}))
}

// serve runs one request through the relay; a panic outside the handler's
// own recovery (here, in the adapter) also becomes a JSON 500.
func serve(req, env js.Value) (status int, hdr http.Header, body []byte, stream js.Value) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(os.Stderr, "relay worker: panic: %v\n", v)
			status, hdr = http.StatusInternalServerError, http.Header{"Content-Type": {"application/json"}, "Access-Control-Allow-Origin": {"*"}}
			body = []byte(`{"error":{"code":"internal_error","message":"internal error"}}` + "\n")
		}
	}()
	h, err := relay.New(relay.Config{
		Blobs:               r2Blobs{env.Get("DROPS")},
		Index:               kvIndex{env.Get("INDEX")},
		MaxBodyBytes:        int64(envInt(env, "MAX_BODY_BYTES")),
		MaxDropsPerUploader: envInt(env, "MAX_DROPS_PER_UPLOADER"),
		MaxNamespaceBytes:   int64(envInt(env, "MAX_NAMESPACE_BYTES")),
		MaxClockSkew:        time.Duration(envInt(env, "MAX_CLOCK_SKEW_SECONDS")) * time.Second,
		AllowOrigin:         envString(env, "ALLOW_ORIGIN"),
		Log:                 func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) },
	})
	if err != nil {
		panic(err)
	}
	var in []byte
	if b := req.Get("body"); b.Truthy() {
		in = make([]byte, b.Get("length").Int())
		js.CopyBytesToGo(in, b)
	}
	r, err := http.NewRequestWithContext(context.Background(), req.Get("method").String(), req.Get("url").String(), bytes.NewReader(in))
	if err != nil {
		panic(err)
	}
	r.ContentLength = int64(len(in))
	hs := req.Get("headers")
	for i := range hs.Length() {
		r.Header.Add(hs.Index(i).Index(0).String(), hs.Index(i).Index(1).String())
	}
	w := &recorder{hdr: http.Header{}}
	h.ServeHTTP(w, r)
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.status, w.hdr, w.buf.Bytes(), w.stream
}

func envString(env js.Value, name string) string {
	if v := env.Get(name); v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

func envInt(env js.Value, name string) int {
	v := env.Get(name)
	switch v.Type() {
	case js.TypeNumber:
		return v.Int()
	case js.TypeString:
		n, _ := strconv.Atoi(v.String())
		return n
	}
	return 0
}

// recorder buffers the response, or holds the stream of an R2 body copied
// into it: the shim builds one Response from it.
type recorder struct {
	hdr    http.Header
	status int
	buf    bytes.Buffer
	stream js.Value // a ReadableStream, if set
}

// ReadFrom takes an R2 body as a stream (io.Copy calls it); anything else
// is buffered.
func (w *recorder) ReadFrom(r io.Reader) (int64, error) {
	w.WriteHeader(http.StatusOK)
	if b, ok := r.(*r2Body); ok && b.data == nil && w.buf.Len() == 0 && w.stream.IsUndefined() {
		w.stream = b.obj.Get("body")
		return int64(b.obj.Get("size").Int()), nil
	}
	return w.buf.ReadFrom(r)
}

func (w *recorder) Header() http.Header { return w.hdr }

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *recorder) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.buf.Write(p)
}

// await blocks the calling goroutine until the promise p settles.
func await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, a []js.Value) any {
		var v js.Value
		if len(a) > 0 {
			v = a[0]
		}
		ch <- result{v: v}
		return nil
	})
	defer then.Release()
	catch := js.FuncOf(func(_ js.Value, a []js.Value) any {
		msg := "promise rejected"
		if len(a) > 0 {
			msg = js.Global().Get("String").Invoke(a[0]).String()
		}
		ch <- result{err: errors.New(msg)}
		return nil
	})
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func call(obj js.Value, method string, args ...any) (v js.Value, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("%s: %v", method, x)
		}
	}()
	return await(obj.Call(method, args...))
}

// r2Blobs is relay.Blobs over an R2 bucket binding.
type r2Blobs struct{ b js.Value }

func (s r2Blobs) Put(_ context.Context, key string, data []byte) error {
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	if _, err := call(s.b, "put", key, u); err != nil {
		return fmt.Errorf("r2 put %s: %w", key, err)
	}
	return nil
}

func (s r2Blobs) Get(_ context.Context, key string) (io.ReadCloser, int64, error) {
	obj, err := call(s.b, "get", key)
	if err != nil {
		return nil, 0, fmt.Errorf("r2 get %s: %w", key, err)
	}
	if obj.IsNull() || obj.IsUndefined() {
		return nil, 0, relay.ErrNotFound
	}
	return &r2Body{obj: obj}, int64(obj.Get("size").Int()), nil
}

// r2Body is an R2 object's body. Copied into a *recorder (the handler's
// io.Copy) it is not read at all: the recorder hands its ReadableStream to
// the Response, so downloads stream from R2 without passing through Go.
// Read, for any other reader, loads the whole object.
type r2Body struct {
	obj  js.Value
	data *bytes.Reader
}

func (b *r2Body) Read(p []byte) (int, error) {
	if b.data == nil {
		ab, err := call(b.obj, "arrayBuffer")
		if err != nil {
			return 0, fmt.Errorf("r2 read: %w", err)
		}
		u := js.Global().Get("Uint8Array").New(ab)
		data := make([]byte, u.Get("length").Int())
		js.CopyBytesToGo(data, u)
		b.data = bytes.NewReader(data)
	}
	return b.data.Read(p)
}

func (b *r2Body) Close() error { return nil }

func (s r2Blobs) Delete(_ context.Context, key string) error {
	if _, err := call(s.b, "delete", key); err != nil {
		return fmt.Errorf("r2 delete %s: %w", key, err)
	}
	return nil
}

// kvIndex is relay.Index over a Workers KV binding. Keys:
// "d:<ns>:<id>" holds the record (as value and as list metadata),
// "u:<ns>:<uploader>:<id>" marks the uploader's drops for the quota and
// "r:<digest>" remembers an accepted request signature until it expires
// (a KV expiration) for replay protection.
// Cursors are KV list cursors.
type kvIndex struct{ kv js.Value }

func (x kvIndex) Get(_ context.Context, ns, id string) (relay.Record, error) {
	var r relay.Record
	v, err := call(x.kv, "get", "d:"+ns+":"+id)
	if err != nil {
		return r, fmt.Errorf("kv get: %w", err)
	}
	if v.Type() != js.TypeString {
		return r, relay.ErrNotFound
	}
	if err := json.Unmarshal([]byte(v.String()), &r); err != nil {
		return r, fmt.Errorf("kv record %s: %w", id, err)
	}
	return r, nil
}

func (x kvIndex) Put(_ context.Context, ns string, r relay.Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("kv put: %w", err)
	}
	// The record is the commit point; the quota marker follows it, and a
	// failure to write the marker removes the record again.
	meta := js.Global().Get("JSON").Call("parse", string(b))
	if _, err := call(x.kv, "put", "d:"+ns+":"+r.ID, string(b), map[string]any{"metadata": meta}); err != nil {
		return fmt.Errorf("kv put: %w", err)
	}
	if _, err := call(x.kv, "put", "u:"+ns+":"+r.Uploader+":"+r.ID, "1"); err != nil {
		if _, derr := call(x.kv, "delete", "d:"+ns+":"+r.ID); derr != nil {
			return fmt.Errorf("kv put quota marker: %w (and removing the record: %v)", err, derr)
		}
		return fmt.Errorf("kv put quota marker: %w", err)
	}
	return nil
}

func (x kvIndex) Delete(_ context.Context, ns, id, uploader string) error {
	if _, err := call(x.kv, "delete", "d:"+ns+":"+id); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	if _, err := call(x.kv, "delete", "u:"+ns+":"+uploader+":"+id); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	return nil
}

func (x kvIndex) list(prefix, cursor string, limit int) (keys js.Value, next string, err error) {
	opts := map[string]any{"prefix": prefix, "limit": limit}
	if cursor != "" {
		opts["cursor"] = cursor
	}
	res, err := call(x.kv, "list", opts)
	if err != nil {
		return js.Undefined(), "", fmt.Errorf("kv list: %w", err)
	}
	if !res.Get("list_complete").Bool() {
		next = res.Get("cursor").String()
	}
	return res.Get("keys"), next, nil
}

func (x kvIndex) List(_ context.Context, ns, cursor string, limit int) ([]relay.Record, string, error) {
	keys, next, err := x.list("d:"+ns+":", cursor, limit)
	if err != nil {
		return nil, "", err
	}
	out := make([]relay.Record, 0, keys.Length())
	for i := range keys.Length() {
		meta := js.Global().Get("JSON").Call("stringify", keys.Index(i).Get("metadata")).String()
		var r relay.Record
		if err := json.Unmarshal([]byte(meta), &r); err != nil {
			return nil, "", fmt.Errorf("kv list metadata: %w", err)
		}
		out = append(out, r)
	}
	return out, next, nil
}

func (x kvIndex) CountUploads(_ context.Context, ns, uploader string, max int) (int, error) {
	n, cursor := 0, ""
	for n < max {
		keys, next, err := x.list("u:"+ns+":"+uploader+":", cursor, min(max-n, 1000))
		if err != nil {
			return 0, err
		}
		n += keys.Length()
		if next == "" {
			break
		}
		cursor = next
	}
	return n, nil
}

func (x kvIndex) NamespaceBytes(_ context.Context, ns string, max int64) (int64, error) {
	var n int64
	cursor := ""
	for n <= max {
		keys, next, err := x.list("d:"+ns+":", cursor, 1000)
		if err != nil {
			return 0, err
		}
		for i := range keys.Length() {
			if size := keys.Index(i).Get("metadata").Get("size"); size.Type() == js.TypeNumber {
				n += int64(size.Float())
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return n, nil
}

// kvMinTTL is the shortest expiration KV accepts, in seconds from now.
const kvMinTTL = 60

func (x kvIndex) Remember(_ context.Context, key string, now, expires time.Time) (bool, error) {
	k := "r:" + key
	v, err := call(x.kv, "get", k)
	if err != nil {
		return false, fmt.Errorf("kv get replay key: %w", err)
	}
	if v.Type() == js.TypeString {
		return false, nil
	}
	exp := max(expires.Unix(), now.Unix()+kvMinTTL+1)
	if _, err := call(x.kv, "put", k, "1", map[string]any{"expiration": exp}); err != nil {
		return false, fmt.Errorf("kv put replay key: %w", err)
	}
	return true, nil
}
