//go:build js && wasm

package jsbridge

import (
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/willow-web/willow-web/idbstore"
)

// Host connects a Bridge to the JavaScript engine (web/src/engine.js). boot
// is the object the engine created for this instance; Host installs on it
//
//	boot.async(id, op, request: Uint8Array): starts op in a goroutine and
//	    returns at once; when it ends Go calls boot.done(id, ptr, len) with
//	    the response in linear memory (valid only during that call);
//
// and uses boot.event(subscription, ptr, len) to deliver batched
// subscription events. These are the only syscall/js calls: one per
// asynchronous request, one per response and one per op that produced
// events, never per entry.
func Host(b *Bridge, boot js.Value) {
	b.IndexedDB = indexedDB{}
	done := boot.Get("done")
	event := boot.Get("event")
	b.Notify = func(sub uint64, events []byte) {
		event.Invoke(float64(sub), ptrOf(events), len(events))
		runtime.KeepAlive(events)
	}
	boot.Set("async", js.FuncOf(func(_ js.Value, args []js.Value) any {
		id, op := args[0], byte(args[1].Int())
		req := make([]byte, args[2].Length())
		js.CopyBytesToGo(req, args[2])
		go func() {
			resp := b.Call(op, req)
			done.Invoke(id, ptrOf(resp), len(resp))
			runtime.KeepAlive(resp)
		}()
		return nil
	}))
}

// ptrOf is the linear-memory address of b's first byte (0 when empty).
func ptrOf(b []byte) uint32 {
	if len(b) == 0 {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(&b[0])))
}

// indexedDB opens stores through package idbstore.
type indexedDB struct{}

// Open opens the IndexedDB store named name.
func (indexedDB) Open(name string) (KVCloser, error) { return idbstore.Open(name) }

// Delete deletes the IndexedDB store named name.
func (indexedDB) Delete(name string) error { return idbstore.Delete(name) }
